/*
** events.c: reading a source's events for the tables over events, the
** packed way from an event log or the rows way from any table (see
** events.h).
*/
#include "events.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "log.h"

/* The rows way hands over runs of at most this many events. */
#define RUN_ROWS 1024

/* The log keeps users of source.h's kinds, numbered alike. */
_Static_assert((int)GOPS_LOG_INTEGER == (int)GOPS_USER_INTEGER &&
                   (int)GOPS_LOG_TEXT == (int)GOPS_USER_TEXT &&
                   (int)GOPS_LOG_BLOB == (int)GOPS_USER_BLOB,
               "the log's kinds of user are source.h's");

int gops_events_bad_time(const char *module, const char *table, sqlite3_value *v, char **pzErr) {
  char *shown = gops_value_for_message(v);
  if (shown == 0) return SQLITE_NOMEM;
  int rc = gops_errorf(pzErr, "%s: a time in \"%w\" must be ISO-8601 text or unix seconds, got %s",
                       module, table, shown);
  sqlite3_free(shown);
  return rc;
}

/* The events of the run being filled, and the user they are of. */
typedef struct run_buffer {
  double *ts;
  uint64_t *flags;
  size_t n, cap;
  gops_user user;
  unsigned char *bytes; /* the user's bytes, kept (the rows way) */
  int bytes_cap;
  int open;
} run_buffer;

static void run_free(run_buffer *r) {
  sqlite3_free(r->ts);
  sqlite3_free(r->flags);
  sqlite3_free(r->bytes);
}

static int run_room(run_buffer *r, size_t n) {
  if (n <= r->cap) return SQLITE_OK;
  size_t cap = r->cap ? r->cap : 256;
  while (cap < n) cap *= 2;
  double *ts = sqlite3_realloc64(r->ts, cap * sizeof(double));
  if (ts) r->ts = ts;
  uint64_t *flags = sqlite3_realloc64(r->flags, cap * sizeof(uint64_t));
  if (flags) r->flags = flags;
  if (!ts || !flags) return SQLITE_NOMEM;
  r->cap = cap;
  return SQLITE_OK;
}

/* ---- the rows way ----------------------------------------------------------- */

/* SELECT user, time[, CAST(event AS TEXT)][, (condition) IS TRUE...] FROM
** source [WHERE event IN (names) AND the range, loosely] [ORDER BY 1, 2]. */
static char *rows_query(const gops_scan *scan, const gops_events_want *w, int filter_names) {
  const gops_source *src = scan->source;
  const char *time = src->quoted[w->time];
  sqlite3_str *sql = sqlite3_str_new(scan->db);
  sqlite3_str_appendf(sql, "SELECT %s, %s", src->quoted[w->user], time);
  if (w->n_names) sqlite3_str_appendf(sql, ", CAST(%s AS TEXT)", src->quoted[w->event]);
  for (int i = 0; i < w->n_conditions; i++) {
    sqlite3_str_appendf(sql, ", ((\n%s\n) IS TRUE)", w->conditions[i]);
  }
  sqlite3_str_appendf(sql, " FROM %s", src->quoted[0]);
  const char *glue = " WHERE ";
  if (filter_names) {
    sqlite3_str_appendf(sql, "%sCAST(%s AS TEXT) IN (", glue, src->quoted[w->event]);
    for (int k = 0; k < w->n_names; k++) sqlite3_str_appendf(sql, "%s?%d", k ? ", " : "", k + 1);
    sqlite3_str_appendall(sql, ")");
    glue = " AND ";
  }
  /* The range, a second either side, on numbers and text alike; a time
  ** SQLite cannot read (spaces around it) is kept, for us to place. */
  static const char *const bound[] = {">=", "<="};
  const double range[] = {w->since, w->until};
  for (int i = 0; i < 2; i++) {
    if (!isfinite(range[i])) continue;
    sqlite3_str_appendf(sql,
                        "%s(CASE WHEN typeof(%s) IN ('integer', 'real') THEN %s "
                        "ELSE (julianday(%s) - 2440587.5) * 86400.0 END %s ?%d) IS NOT FALSE",
                        glue, time, time, time, bound[i], w->n_names + 1 + i);
    glue = " AND ";
  }
  if (w->in_order) sqlite3_str_appendall(sql, " ORDER BY 1, 2");
  return sqlite3_str_finish(sql);
}

/* Hands the run over, and empties it. */
static int run_flush(run_buffer *r, int same_user, gops_events_fn fn, void *ctx, char **pzErr) {
  if (r->n == 0) return SQLITE_OK;
  gops_events_run run = {.user = &r->user, .same_user = same_user, .n = r->n, .ts = r->ts,
                         .flags = r->flags};
  r->n = 0;
  return fn(ctx, &run, pzErr);
}

static int rows_way(const gops_scan *scan, const gops_events_want *w, gops_events_fn fn,
                    void *ctx, char **pzErr) {
  const gops_source *src = scan->source;
  int filter_names = w->flagged_only && w->n_names > 0 && w->n_conditions == 0;
  char *sql = rows_query(scan, w, filter_names);
  if (sql == 0) return SQLITE_NOMEM;
  sqlite3_stmt *stmt;
  int rc = gops_source_prepare(scan, sql, &stmt, pzErr);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  if (filter_names) {
    for (int k = 0; k < w->n_names; k++) sqlite3_bind_text(stmt, k + 1, w->names[k], -1, SQLITE_STATIC);
  }
  if (isfinite(w->since)) sqlite3_bind_double(stmt, w->n_names + 1, w->since - 1);
  if (isfinite(w->until)) sqlite3_bind_double(stmt, w->n_names + 2, w->until + 1);
  run_buffer r;
  memset(&r, 0, sizeof(r));
  rc = run_room(&r, RUN_ROWS);
  const int first_condition = 2 + (w->n_names > 0);
  int same_user = 0;
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    sqlite3_value *uv = sqlite3_column_value(stmt, 0);
    sqlite3_value *tv = sqlite3_column_value(stmt, 1);
    if (sqlite3_value_type(uv) == SQLITE_NULL || sqlite3_value_type(tv) == SQLITE_NULL) continue;
    double ts;
    if (gops_value_unix(tv, &ts) != 0) {
      rc = gops_events_bad_time(scan->module, src->name[0], tv, pzErr);
      break;
    }
    if (ts < w->since || ts >= w->until) continue;
    uint64_t flags = 0;
    if (w->n_names) {
      const char *event = (const char *)sqlite3_column_text(stmt, 2);
      for (int k = 0; event && k < w->n_names; k++) {
        if (strcmp(event, w->names[k]) == 0) flags |= 1ULL << k;
      }
    }
    for (int i = 0; i < w->n_conditions; i++) {
      if (sqlite3_column_int(stmt, first_condition + i)) flags |= 1ULL << (w->n_names + i);
    }
    if (w->flagged_only && flags == 0) continue;
    gops_user user;
    if (gops_user_read(uv, &user) != SQLITE_OK) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (!r.open || !gops_user_same(&r.user, &user)) {
      rc = run_flush(&r, same_user, fn, ctx, pzErr);
      if (rc != SQLITE_OK) break;
      r.user = user;
      if (user.kind >= GOPS_USER_TEXT) {
        if (user.n > r.bytes_cap) {
          unsigned char *b = sqlite3_realloc64(r.bytes, (sqlite3_uint64)user.n);
          if (b == 0) {
            rc = SQLITE_NOMEM;
            break;
          }
          r.bytes = b;
          r.bytes_cap = user.n;
        }
        if (user.n) memcpy(r.bytes, user.bytes, (size_t)user.n);
        r.user.bytes = r.bytes;
      }
      r.open = 1;
      same_user = 0;
    } else if (r.n == RUN_ROWS) {
      rc = run_flush(&r, same_user, fn, ctx, pzErr);
      if (rc != SQLITE_OK) break;
      same_user = 1;
    }
    r.ts[r.n] = ts;
    r.flags[r.n] = flags;
    r.n++;
  }
  if (rc == SQLITE_DONE) {
    rc = run_flush(&r, same_user, fn, ctx, pzErr);
  } else if (rc != SQLITE_OK && rc != SQLITE_NOMEM && *pzErr == 0) {
    rc = gops_source_failed(scan, rc, pzErr);
  }
  sqlite3_finalize(stmt);
  run_free(&r);
  return rc;
}

/* ---- the packed way -------------------------------------------------------------- */

/* The flags of every code of the log's dictionary: for the names, and for
** the conditions evaluated with the event column set to each name.
** *usable 0 when a condition names another column (the rows way then). */
static int code_flags(const gops_scan *scan, const gops_events_want *w, const gops_log *log,
                      uint64_t **out, uint32_t *n_codes, int *usable, char **pzErr) {
  *usable = 1;
  char **names = 0;
  uint32_t n = 0;
  int rc = gops_log_names(scan->db, log, scan->module, &names, &n, pzErr);
  if (rc != SQLITE_OK) return rc;
  uint64_t *flags = sqlite3_malloc64(((sqlite3_uint64)n + 1) * sizeof(uint64_t));
  if (flags == 0) {
    sqlite3_free(names);
    return SQLITE_NOMEM;
  }
  memset(flags, 0, ((size_t)n + 1) * sizeof(uint64_t));
  for (uint32_t c = 1; c <= n; c++) {
    for (int k = 0; k < w->n_names; k++) {
      if (strcmp(names[c], w->names[k]) == 0) flags[c] |= 1ULL << k;
    }
  }
  sqlite3_free(names);
  if (w->n_conditions) {
    const gops_source *src = scan->source;
    sqlite3_str *sql = sqlite3_str_new(scan->db);
    sqlite3_str_appendall(sql, "SELECT \"__gops_code\"");
    for (int i = 0; i < w->n_conditions; i++) {
      sqlite3_str_appendf(sql, ", ((\n%s\n) IS TRUE)", w->conditions[i]);
    }
    sqlite3_str_appendf(sql,
                        " FROM (SELECT 0 AS \"__gops_code\", NULL AS \"%w\" UNION ALL SELECT code, "
                        "name FROM \"%w\".\"%w_dict\") AS %s",
                        log->column[2], log->schema, log->name, src->quoted[0]);
    char *text = sqlite3_str_finish(sql);
    if (text == 0) {
      sqlite3_free(flags);
      return SQLITE_NOMEM;
    }
    sqlite3_stmt *stmt;
    rc = sqlite3_prepare_v2(scan->db, text, -1, &stmt, 0);
    sqlite3_free(text);
    if (rc != SQLITE_OK) {
      sqlite3_free(flags);
      *usable = 0; /* it names another column: the rows way says more */
      return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      sqlite3_int64 c = sqlite3_column_int64(stmt, 0);
      if (c < 0 || c > n) continue; /* a name added since: none of its events read */
      for (int i = 0; i < w->n_conditions; i++) {
        if (sqlite3_column_int(stmt, 1 + i)) flags[c] |= 1ULL << (w->n_names + i);
      }
    }
    if (rc != SQLITE_DONE) rc = gops_source_failed(scan, rc, pzErr);
    else rc = SQLITE_OK;
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK) {
      sqlite3_free(flags);
      return rc;
    }
  }
  *out = flags;
  *n_codes = n;
  return SQLITE_OK;
}

static int packed_way(const gops_scan *scan, const gops_events_want *w, const gops_log *log,
                      gops_events_fn fn, void *ctx, int *used, char **pzErr) {
  *used = 0;
  uint64_t *flags = 0;
  uint32_t n_codes = 0;
  int usable = 1;
  int rc = code_flags(scan, w, log, &flags, &n_codes, &usable, pzErr);
  if (rc != SQLITE_OK || !usable) return rc;
  *used = 1;
  gops_log_scan walk;
  rc = gops_log_scan_open(scan->db, log, scan->module, 0, &walk, pzErr);
  run_buffer r;
  memset(&r, 0, sizeof(r));
  const int every = !w->flagged_only && !isfinite(w->since) && !isfinite(w->until);
  while (rc == SQLITE_OK && (rc = gops_log_scan_block(&walk, pzErr)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (walk.n_names != n_codes) {
      /* Both read in one statement's transaction: the same dictionary. */
      rc = gops_errorf(pzErr, "%s: the dictionary of \"%w\" changed while it was read",
                       scan->module, log->name);
      break;
    }
    gops_log_run run;
    int got;
    while ((got = gops_log_merge_next(&walk.merge, &run)) > 0) {
      rc = run_room(&r, run.n);
      if (rc != SQLITE_OK) break;
      size_t n = 0;
      if (every) {
        memcpy(r.ts, run.ts, run.n * sizeof(double));
        for (uint32_t e = 0; e < run.n; e++) r.flags[e] = flags[run.codes[e]];
        n = run.n;
      } else {
        for (uint32_t e = 0; e < run.n; e++) {
          double ts = run.ts[e];
          uint64_t f = flags[run.codes[e]];
          if ((w->flagged_only && f == 0) || ts < w->since || ts >= w->until) continue;
          r.ts[n] = ts;
          r.flags[n] = f;
          n++;
        }
      }
      if (n == 0) continue;
      gops_user user = {.kind = run.user->kind, .number = run.user->number,
                        .bytes = run.user->bytes, .n = (int)run.user->n};
      gops_events_run out = {.user = &user, .same_user = 0, .n = n, .ts = r.ts,
                             .flags = r.flags, .whole = 1};
      rc = fn(ctx, &out, pzErr);
      if (rc != SQLITE_OK) break;
    }
    if (rc == SQLITE_OK && got < 0) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  gops_log_scan_close(&walk);
  run_free(&r);
  sqlite3_free(flags);
  return rc;
}

/* The source as an event log, when its names are the log's columns. */
static int source_log(const gops_scan *scan, const gops_events_want *w, const gops_log **out) {
  *out = 0;
  void *config = 0;
  int rc = gops_kept_table(scan, gops_event_log_table.name, scan->source->name[0], &config);
  if (rc != SQLITE_OK || config == 0) return rc;
  const gops_log *log = config;
  const gops_source *src = scan->source;
  if (sqlite3_stricmp(src->name[w->user], log->column[0]) != 0 ||
      sqlite3_stricmp(src->name[w->time], log->column[1]) != 0 ||
      (w->event && sqlite3_stricmp(src->name[w->event], log->column[2]) != 0)) {
    return SQLITE_OK;
  }
  *out = log;
  return SQLITE_OK;
}

int gops_source_events(const gops_scan *scan, const gops_events_want *want, gops_events_fn fn,
                       void *ctx, char **pzErr) {
  assert(want->n_names + want->n_conditions <= 64);
  assert(want->event || (want->n_names == 0));
  const gops_log *log;
  int rc = source_log(scan, want, &log);
  if (rc != SQLITE_OK) return rc;
  if (log) {
    int used;
    rc = packed_way(scan, want, log, fn, ctx, &used, pzErr);
    if (rc != SQLITE_OK || used) return rc;
  }
  return rows_way(scan, want, fn, ctx, pzErr);
}
