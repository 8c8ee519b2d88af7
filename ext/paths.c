/*
** paths.c: what users do right after (or before) an event, as a virtual
** table over their events (PostHog's paths; ClickHouse's sequenceNextNode
** for the event next to it).  Part of the funnel area (docs/funnel.md).
**
**   .load ./growthops
**   CREATE VIRTUAL TABLE after_signup USING paths(events, user_id, ts, event,
**          '["register"]', depth = 3);
**   SELECT path, users FROM after_signup;  -- '["order","order","visit"]', 120 ...
**
** Registers one module (CREATE VIRTUAL TABLE only):
**   paths(source, user, time, event, anchor [, direction=forward|backward]
**         [, base=head|tail|first_match|last_match] [, depth=N])
**       columns: path (a JSON array of event names, in time order), users;
**       hidden since, until
**
** Requirement 1: source, user, time and event are one identifier each
** (source.h), checked at CREATE; the table reads the database, so it is
** not innocuous, and it runs no SQL of the user's.
** Requirement 2: a user's events are the source's rows with a user, a
** time and an event, in time order, at equal times in the order of their
** names (bytes), as ClickHouse sorts them; a NULL user, time or event
** skips the row; a time that is neither ISO-8601 nor unix seconds is an
** error naming the value.  Events compare as text (a number as its text).
** Requirement 3: anchor is a JSON array of 1 to 64 event names, the run
** of events a path starts from; its first is the base point, where the
** base option puts it (paths_core.h: ClickHouse's rules, first_match by
** default), forward by default.
** Requirement 4: depth is a whole number from 1 to GOPS_PATHS_MAX_DEPTH
** (3 by default): the events of a path, fewer where the user's end.
** Requirement 5: one row per distinct path, users the users who took it
** (each user once, at most one path), most users first, then by path;
** users with no path (the anchor not where the base puts it) count
** nowhere, a user whose events end at the anchor has the path '[]'.
** Requirement 6: since and until restrict the events to a time range, as
** the funnel table's do.
*/
#include "source.h"

#include "funnel_core.h"
#include "keys_core.h"
#include "paths_core.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PATHS_DEPTH_DEFAULT 3

/* The source's names, in CREATE order. */
enum { SOURCE_TABLE, SOURCE_USER, SOURCE_TIME, SOURCE_EVENT, N_SOURCE_NAMES };
/* The HIDDEN arguments and the options, in the descriptor's order. */
enum { ARG_SINCE, ARG_UNTIL };
enum { OPTION_DIRECTION, OPTION_BASE, OPTION_DEPTH };

typedef struct paths_config {
  gops_json_name *anchor;
  int n_anchor;
  gops_paths_direction direction;
  gops_paths_base base;
  int depth;
} paths_config;

/* A word option: its value unquoted, looked up with parse. */
static int read_word(const gops_create *create, int option, const char *what,
                     int (*parse)(const char *, void *), void *out, char **pzErr) {
  char *word = gops_source_unquote(create->option[option]);
  if (word == 0) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  if (parse(word, out) != 0) {
    rc = gops_source_arg_error(create->module, create->option_at[option],
                               gops_paths_table.options[option], what, word, pzErr);
  }
  sqlite3_free(word);
  return rc;
}

static int parse_direction(const char *word, void *out) {
  return gops_paths_parse_direction(word, out);
}

static int parse_base(const char *word, void *out) { return gops_paths_parse_base(word, out); }

static int paths_configure(gops_create *create, void *config, char **pzErr) {
  paths_config *c = config;
  /* Req. 3 */
  int rc = gops_source_names(create->argv[4], create->module, 4, "anchor", 0,
                             GOPS_PATHS_MAX_ANCHOR,
                             "a JSON array of 1 to " STRINGIFY(GOPS_PATHS_MAX_ANCHOR)
                             " event names, such as '[\"register\"]'", &c->anchor, &c->n_anchor,
                             pzErr);
  c->direction = GOPS_PATHS_FORWARD;
  c->base = GOPS_PATHS_FIRST_MATCH;
  c->depth = PATHS_DEPTH_DEFAULT;
  if (rc == SQLITE_OK && create->option[OPTION_DIRECTION]) {
    rc = read_word(create, OPTION_DIRECTION, "'forward' or 'backward'", parse_direction,
                   &c->direction, pzErr);
  }
  if (rc == SQLITE_OK && create->option[OPTION_BASE]) {
    rc = read_word(create, OPTION_BASE, "'head', 'tail', 'first_match' or 'last_match'",
                   parse_base, &c->base, pzErr);
  }
  if (rc == SQLITE_OK && create->option[OPTION_DEPTH]) {
    /* Req. 4 */
    int64_t depth = 0;
    rc = gops_source_count(create->option[OPTION_DEPTH], create->module,
                           create->option_at[OPTION_DEPTH], "depth", GOPS_PATHS_MAX_DEPTH,
                           "a whole number from 1 to " STRINGIFY(GOPS_PATHS_MAX_DEPTH), &depth,
                           pzErr);
    c->depth = (int)depth;
  }
  return rc;
}

static void paths_release(void *config) {
  paths_config *c = config;
  gops_json_names_free(c->anchor, c->n_anchor, &gops_sqlite_alloc);
}

/* A row of the current user: its time and its event's id. */
typedef struct path_row {
  double ts;
  uint32_t event;
} path_row;

/* What one scan of the source adds up. */
typedef struct paths_tally {
  const paths_config *config;
  const gops_scan *scan;
  uint32_t anchor[GOPS_PATHS_MAX_ANCHOR]; /* the anchor's event ids */
  int open_user;
  gops_user user; /* the current user; its bytes in key_bytes */
  unsigned char *key_bytes;
  int key_cap;
  path_row *rows, *spare;
  size_t n_rows, cap;
  uint32_t *ids; /* the current user's events, in order */
  gops_keys events; /* event names */
  gops_keys paths;  /* paths: their event ids, 4 bytes each */
  int64_t *users;   /* per path */
  size_t users_cap;
} paths_tally;

/* Req. 2: by time, then by name. */
static int row_before(const paths_tally *t, const path_row *a, const path_row *b) {
  if (a->ts != b->ts) return a->ts < b->ts;
  return a->event != b->event && gops_keys_compare(&t->events, a->event, b->event) < 0;
}

/* The user's rows by time and name (spare holds as many). */
static int before_row(const void *a, const void *b, void *ctx) {
  return row_before(ctx, a, b);
}

static void sort_user_rows(paths_tally *t) {
  path_row *sorted =
      gops_stable_sort(t->rows, t->spare, t->n_rows, sizeof(path_row), before_row, t);
  if (sorted != t->rows) {
    t->spare = t->rows;
    t->rows = sorted;
  }
}

/* The current user's rows are all read: their path, counted. */
static int user_done(paths_tally *t) {
  const paths_config *c = t->config;
  t->open_user = 0;
  sort_user_rows(t);
  for (size_t i = 0; i < t->n_rows; i++) t->ids[i] = t->rows[i].event;
  size_t from, len;
  int found = gops_path_find(t->ids, t->n_rows, t->anchor, c->n_anchor, c->direction, c->base,
                             c->depth, &from, &len);
  t->n_rows = 0;
  if (!found) return SQLITE_OK;
  uint32_t id;
  int added;
  if (gops_keys_add(&t->paths, t->ids + from, len * sizeof(uint32_t), &id, &added) !=
      GOPS_KEYS_OK) {
    return SQLITE_NOMEM;
  }
  if (added && id >= t->users_cap) {
    size_t cap = t->users_cap ? t->users_cap * 2 : 64;
    int64_t *users = sqlite3_realloc64(t->users, cap * sizeof(int64_t));
    if (users == 0) return SQLITE_NOMEM;
    t->users = users;
    t->users_cap = cap;
  }
  if (added) t->users[id] = 0;
  t->users[id]++;
  return SQLITE_OK;
}

static int next_user(paths_tally *t, const gops_user *user) {
  int rc = t->open_user ? user_done(t) : SQLITE_OK;
  if (rc != SQLITE_OK) return rc;
  rc = gops_user_copy(&t->user, user, &t->key_bytes, &t->key_cap);
  t->open_user = rc == SQLITE_OK;
  return rc;
}

/* gops_source_events()' fn: a row into the user's rows. */
static int paths_event(void *ctx, const gops_event *e, char **pzErr) {
  paths_tally *t = ctx;
  if (!t->open_user || !gops_user_same(&t->user, &e->user)) {
    int rc = next_user(t, &e->user);
    if (rc != SQLITE_OK) return rc;
  }
  const unsigned char *name = sqlite3_value_text(e->more[0]);
  if (name == 0) return SQLITE_NOMEM; /* the query's WHERE keeps no NULL */
  uint32_t id;
  switch (gops_keys_add(&t->events, name, (size_t)sqlite3_value_bytes(e->more[0]), &id, 0)) {
    case GOPS_KEYS_OK:
      break;
    case GOPS_KEYS_FULL:
      return gops_errorf(pzErr, "%s: column \"%w\" of \"%w\" has more event names than a table "
                         "of paths takes (%u)", t->scan->module, t->scan->source->name[SOURCE_EVENT],
                         t->scan->source->name[SOURCE_TABLE], GOPS_KEYS_MAX);
    default:
      return SQLITE_NOMEM;
  }
  if (t->n_rows == t->cap) {
    if (t->n_rows >= GOPS_PATHS_MAX_ROWS) {
      return gops_errorf(pzErr, "%s: more than %d rows of one user in \"%w\"", t->scan->module,
                         GOPS_PATHS_MAX_ROWS, t->scan->source->name[SOURCE_TABLE]);
    }
    size_t cap = t->cap ? t->cap * 2 : 64;
    if (cap > GOPS_PATHS_MAX_ROWS) cap = GOPS_PATHS_MAX_ROWS;
    path_row *rows = sqlite3_realloc64(t->rows, cap * sizeof(path_row));
    if (rows) t->rows = rows;
    path_row *spare = rows ? sqlite3_realloc64(t->spare, cap * sizeof(path_row)) : 0;
    if (spare) t->spare = spare;
    uint32_t *ids = spare ? sqlite3_realloc64(t->ids, cap * sizeof(uint32_t)) : 0;
    if (ids == 0) return SQLITE_NOMEM;
    t->ids = ids;
    t->cap = cap;
  }
  t->rows[t->n_rows].ts = e->ts;
  t->rows[t->n_rows].event = id;
  t->n_rows++;
  return SQLITE_OK;
}

/* A path written out: its JSON text, and its users. */
typedef struct path_out {
  char *json;
  size_t n;
  int64_t users;
} path_out;

static int compare_paths(const void *a, const void *b) {
  const path_out *x = a, *y = b;
  if (x->users != y->users) return x->users > y->users ? -1 : 1;
  size_t n = x->n < y->n ? x->n : y->n;
  int cmp = memcmp(x->json, y->json, n);
  return cmp ? cmp : (x->n > y->n) - (x->n < y->n);
}

/* '["a","b"]' for a path of event ids. */
static char *path_json(const paths_tally *t, uint32_t path, size_t *out_n) {
  size_t n;
  const unsigned char *bytes = gops_keys_bytes(&t->paths, path, &n);
  const size_t len = n / sizeof(uint32_t);
  sqlite3_str *json = sqlite3_str_new(0);
  sqlite3_str_appendchar(json, 1, '[');
  for (size_t i = 0; i < len; i++) {
    uint32_t id;
    memcpy(&id, bytes + i * sizeof(uint32_t), sizeof(id));
    size_t name_n;
    const char *name = (const char *)gops_keys_bytes(&t->events, id, &name_n);
    char *quoted = sqlite3_malloc64(gops_json_string_size(name_n));
    if (quoted == 0) {
      sqlite3_free(sqlite3_str_finish(json));
      return 0;
    }
    if (i) sqlite3_str_appendchar(json, 1, ',');
    sqlite3_str_append(json, quoted, (int)gops_json_string(name, name_n, quoted));
    sqlite3_free(quoted);
  }
  sqlite3_str_appendchar(json, 1, ']');
  *out_n = (size_t)sqlite3_str_length(json);
  return sqlite3_str_finish(json);
}

static int paths_rows(paths_tally *t, gops_rows *rows) {
  const uint32_t n = t->paths.count;
  path_out *out = sqlite3_malloc64(((uint64_t)n + 1) * sizeof(path_out));
  if (out == 0) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  uint32_t made = 0;
  for (; made < n; made++) {
    out[made].json = path_json(t, made, &out[made].n);
    out[made].users = t->users[made];
    if (out[made].json == 0) {
      rc = SQLITE_NOMEM;
      break;
    }
  }
  if (rc == SQLITE_OK) {
    qsort(out, n, sizeof(path_out), compare_paths);
    for (uint32_t i = 0; i < n; i++) {
      gops_rows_text(rows, out[i].json, (int)out[i].n);
      gops_rows_int(rows, out[i].users);
    }
    rc = gops_rows_status(rows);
  }
  for (uint32_t i = 0; i < made; i++) sqlite3_free(out[i].json);
  sqlite3_free(out);
  return rc;
}

static int paths_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  const paths_config *c = scan->config;
  const gops_source *src = scan->source;
  gops_events_query q = {.by_user = 1};
  int empty;
  int rc = gops_source_range(scan, ARG_SINCE, q.range, &empty, pzErr);
  if (rc != SQLITE_OK || empty) return rc;
  char *more = sqlite3_mprintf("CAST(%s AS TEXT)", src->quoted[SOURCE_EVENT]);
  char *where = sqlite3_mprintf("%s IS NOT NULL", src->quoted[SOURCE_EVENT]);
  q.more = more;
  q.where = where;
  paths_tally t;
  memset(&t, 0, sizeof(t));
  t.config = c;
  t.scan = scan;
  gops_keys_init(&t.events, &gops_sqlite_alloc);
  gops_keys_init(&t.paths, &gops_sqlite_alloc);
  rc = more && where ? SQLITE_OK : SQLITE_NOMEM;
  /* The anchor's events first: their ids, whether or not anyone did them. */
  for (int i = 0; rc == SQLITE_OK && i < c->n_anchor; i++) {
    const char *name = c->anchor[i].name;
    if (gops_keys_add(&t.events, name, strlen(name), &t.anchor[i], 0) != GOPS_KEYS_OK) {
      rc = SQLITE_NOMEM;
    }
  }
  if (rc == SQLITE_OK) rc = gops_source_events(scan, &q, paths_event, &t, pzErr);
  if (rc == SQLITE_OK && t.open_user) rc = user_done(&t);
  if (rc == SQLITE_OK) rc = paths_rows(&t, rows);
  sqlite3_free(t.key_bytes);
  sqlite3_free(t.rows);
  sqlite3_free(t.spare);
  sqlite3_free(t.ids);
  gops_keys_clear(&t.events);
  gops_keys_clear(&t.paths);
  sqlite3_free(t.users);
  sqlite3_free(more);
  sqlite3_free(where);
  return rc;
}

/* Req. 1: reads the database, so not innocuous. */
const gops_table gops_paths_table = {
    .name = "paths",
    .columns = "path TEXT, users INTEGER",
    .args = {"since", "until"},
    .create_args = {"source", "user", "time", "event", "anchor"},
    .n_create_required = 5,
    .n_source_names = N_SOURCE_NAMES,
    .options = {"direction", "base", "depth"},
    .config_size = sizeof(paths_config),
    .configure = paths_configure,
    .release = paths_release,
    .compute = paths_compute,
};
