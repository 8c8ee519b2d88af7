/*
** lifecycle.c: lifecycle stages and retention cohorts over a table of
** events, as virtual tables.
**
**   .load ./growthops
**   CREATE VIRTUAL TABLE weekly USING lifecycle(events, user_id, ts, week);
**   SELECT * FROM weekly;
**   CREATE VIRTUAL TABLE signups USING cohorts(events, user_id, ts, week,
**       "event = 'register'", "event = 'order'");
**   SELECT cohort, period_index, rate FROM signups;
**
** Registers two modules (CREATE VIRTUAL TABLE only, not eponymous):
**   lifecycle(source, user, time, grain)
**       columns: period, new, returning, resurrecting, dormant
**   cohorts(source, user, time, grain, start_condition, return_condition
**           [, retention])
**       columns: cohort, cohort_size, period_index, period, users,
**                users_on_or_after, rate, rate_on_or_after
**
** Requirement 1: source, user and time are one identifier each (bare or
** quoted), so that no argument carries SQL into the query we build; the
** table or view and its columns must exist at CREATE, and the error names
** what is missing.
** Requirement 2: grain is day, week (ISO, Monday first) or month, quoted
** or not; periods are the calendar's (period keys as period_key() gives
** them) and run from the first to the last period with any counted row of
** the source.  An empty source gives an empty table.
** Requirement 3: a time is unix seconds or ISO-8601 text (UTC, or with an
** offset), as everywhere in growthops.  A row whose user or time is NULL
** is skipped; a time that is neither is an error naming the value.
** Requirement 4: the stages and the retention counts are PostHog's (see
** lifecycle_core.h and docs/lifecycle.md); dormant is a positive count.
** Requirement 5: the conditions of cohorts are SQL expressions over the
** source, run as written (they may call any function, read any table):
** checked at CREATE to be one expression (no ';', balanced parentheses),
** prepared against the source with errors naming the argument, and
** evaluated as SQL's WHERE does (NULL is false).  Because they run with
** the rights of the user's own statement, cohorts is SQLITE_VTAB_DIRECTONLY
** (never run from a view or trigger, whatever trusted_schema says) and a
** cohorts table from a schema you do not trust must not be queried.
** Requirement 6: both read the database, so neither is innocuous: under
** PRAGMA trusted_schema=OFF a view or trigger cannot use lifecycle.
** Requirement 7: every size from the input is bounded with an error naming
** the bound: periods (LIFECYCLE_PERIODS_MAX, COHORT_PERIODS_MAX), the
** length of a user value (USER_KEY_MAX) and the number of users.
*/
#include "lifecycle_core.h"
#include "source.h"

#include <math.h>
#include <string.h>

#define LIFECYCLE_PERIODS_MAX 100000
/* The cohort table has n * (n + 1) / 2 rows: 500,500 at 1,000 periods. */
#define COHORT_PERIODS_MAX 1000
#define USER_KEY_MAX 4096
#define USERS_MAX 0x7fffffffu

typedef enum { KIND_LIFECYCLE, KIND_COHORTS } table_kind;

static const char *const arg_names[] = {"source", "user", "time", "grain",
                                        "start_condition", "return_condition",
                                        "retention"};

typedef struct lc_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  table_kind kind;
  const char *module;
  gops_grain grain;
  gops_retention retention;
  char *source;
  char *scan_sql; /* SELECT user, time[, start, return] FROM source */
} lc_vtab;

/* ---- The periods in which one user was active, as a bitset ---------- */

/* Bit i stands for period ordinal lo + i; up to 64 bits are kept inline. */
typedef struct bitset {
  int32_t lo;
  uint32_t n_words;
  union {
    uint64_t word;
    uint64_t *words;
  } u;
} bitset;

static uint64_t *bitset_words(bitset *b) {
  return b->n_words > 1 ? b->u.words : &b->u.word;
}

/* The slow path of bitset_set(): widens the set to hold p. */
static int bitset_widen(bitset *b, int32_t p) {
  int64_t old_hi = (int64_t)b->lo + 64 * (int64_t)b->n_words - 1;
  int64_t lo = p < b->lo ? (int64_t)p - 32 : b->lo;
  int64_t hi = p > old_hi ? (int64_t)p + 32 : old_hi;
  uint64_t n_words = (uint64_t)((hi - lo) / 64 + 1);
  uint64_t *words = sqlite3_malloc64(n_words * sizeof(uint64_t));
  if (words == 0) return SQLITE_NOMEM;
  memset(words, 0, n_words * sizeof(uint64_t));
  const uint64_t *old = bitset_words(b);
  for (uint32_t i = 0; i < b->n_words; i++) {
    for (uint64_t x = old[i]; x; x &= x - 1) {
      int64_t at = (int64_t)b->lo + 64 * (int64_t)i + __builtin_ctzll(x) - lo;
      words[at >> 6] |= 1ULL << (at & 63);
    }
  }
  if (b->n_words > 1) sqlite3_free(b->u.words);
  b->lo = (int32_t)lo;
  b->n_words = (uint32_t)n_words;
  if (n_words > 1) {
    b->u.words = words;
  } else {
    b->u.word = words[0];
    sqlite3_free(words);
  }
  int64_t at = (int64_t)p - lo;
  bitset_words(b)[at >> 6] |= 1ULL << (at & 63);
  return SQLITE_OK;
}

static int bitset_set(bitset *b, int32_t p) {
  if (b->n_words == 0) {
    /* Room for a few earlier periods: rows need not come in time order. */
    b->lo = p - 8;
    b->n_words = 1;
    b->u.word = 1ULL << 8;
    return SQLITE_OK;
  }
  int64_t at = (int64_t)p - b->lo;
  if (at >= 0 && at < 64 * (int64_t)b->n_words) {
    bitset_words(b)[at >> 6] |= 1ULL << (at & 63);
    return SQLITE_OK;
  }
  return bitset_widen(b, p);
}

/* The set's periods minus first, in order, into out; returns how many. */
static size_t bitset_list(bitset *b, int32_t first, int64_t *out) {
  size_t n = 0;
  const uint64_t *w = bitset_words(b);
  for (uint32_t i = 0; i < b->n_words; i++) {
    for (uint64_t x = w[i]; x; x &= x - 1) {
      out[n++] = (int64_t)b->lo + 64 * (int64_t)i + __builtin_ctzll(x) - first;
    }
  }
  return n;
}

/* ---- Users: their values hashed to dense numbers -------------------- */

enum { KEY_INTEGER, KEY_REAL, KEY_TEXT, KEY_BLOB };

typedef struct user_key {
  int64_t value;  /* the integer, the real's bits, or an offset in the arena */
  uint32_t hash;
  uint32_t len;   /* bytes of text or blob */
  int type;
} user_key;

typedef struct scan {
  int n_sets;          /* 1: activity; 2: returns and starts */
  uint32_t n_users, alloc_users;
  user_key *keys;
  bitset *sets[2];
  uint32_t *slots;     /* user number + 1, 0 = empty */
  uint64_t n_slots;    /* a power of two */
  unsigned char *arena;
  uint64_t arena_used, arena_alloc;
  int any;
  int32_t first, last; /* period ordinals */
} scan;

static void scan_clear(scan *s) {
  for (int k = 0; k < s->n_sets; k++) {
    for (uint32_t i = 0; s->sets[k] && i < s->n_users; i++) {
      if (s->sets[k][i].n_words > 1) sqlite3_free(s->sets[k][i].u.words);
    }
    sqlite3_free(s->sets[k]);
  }
  sqlite3_free(s->keys);
  sqlite3_free(s->slots);
  sqlite3_free(s->arena);
  memset(s, 0, sizeof(*s));
}

static uint32_t hash_bytes(const unsigned char *p, uint32_t n, int type) {
  uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;
  for (uint32_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
  return (uint32_t)(h ^ (h >> 32));
}

static uint32_t hash_int(int64_t v, int type) {
  uint64_t x = (uint64_t)v + 0x9e3779b97f4a7c15ULL * (uint64_t)(type + 1);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return (uint32_t)(x ^ (x >> 31));
}

static int slots_grow(scan *s) {
  uint64_t n_slots = s->n_slots ? s->n_slots * 2 : 1024;
  uint32_t *slots = sqlite3_malloc64(n_slots * sizeof(uint32_t));
  if (slots == 0) return SQLITE_NOMEM;
  memset(slots, 0, n_slots * sizeof(uint32_t));
  for (uint32_t i = 0; i < s->n_users; i++) {
    uint64_t at = s->keys[i].hash & (n_slots - 1);
    while (slots[at]) at = (at + 1) & (n_slots - 1);
    slots[at] = i + 1;
  }
  sqlite3_free(s->slots);
  s->slots = slots;
  s->n_slots = n_slots;
  return SQLITE_OK;
}

static int users_grow(scan *s) {
  uint64_t alloc = s->alloc_users ? (uint64_t)s->alloc_users * 2 : 1024;
  if (alloc > USERS_MAX) alloc = USERS_MAX;
  user_key *keys = sqlite3_realloc64(s->keys, alloc * sizeof(user_key));
  if (keys == 0) return SQLITE_NOMEM;
  s->keys = keys;
  for (int k = 0; k < s->n_sets; k++) {
    bitset *sets = sqlite3_realloc64(s->sets[k], alloc * sizeof(bitset));
    if (sets == 0) return SQLITE_NOMEM;
    s->sets[k] = sets;
  }
  s->alloc_users = (uint32_t)alloc;
  return SQLITE_OK;
}

/* The number of the user whose value is v, adding the user when new.
** Values compare as SQL's DISTINCT does with the BINARY collation: 1 and
** 1.0 are one user, 1 and '1' two. */
static int user_number(lc_vtab *vt, scan *s, sqlite3_value *v, uint32_t *out) {
  user_key key = {0};
  const unsigned char *bytes = 0;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      key.type = KEY_INTEGER;
      key.value = sqlite3_value_int64(v);
      break;
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(v);
      if (d == floor(d) && fabs(d) < 9.2e18) {
        key.type = KEY_INTEGER;
        key.value = (int64_t)d;
      } else {
        key.type = KEY_REAL;
        memcpy(&key.value, &d, sizeof(d));
      }
      break;
    }
    default: {
      int is_text = sqlite3_value_type(v) == SQLITE_TEXT;
      bytes = is_text ? sqlite3_value_text(v) : sqlite3_value_blob(v);
      int n = sqlite3_value_bytes(v);
      if (n > 0 && bytes == 0) return SQLITE_NOMEM;
      if (n > USER_KEY_MAX) {
        vt->base.zErrMsg = sqlite3_mprintf(
            "%s: a user value in \"%w\" is longer than %d bytes", vt->module,
            vt->source, USER_KEY_MAX);
        return vt->base.zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
      }
      key.type = is_text ? KEY_TEXT : KEY_BLOB;
      key.len = (uint32_t)n;
      break;
    }
  }
  key.hash = bytes || key.type >= KEY_TEXT
                 ? hash_bytes(bytes, key.len, key.type)
                 : hash_int(key.value, key.type);
  if (s->n_slots == 0) {
    int rc = slots_grow(s);
    if (rc != SQLITE_OK) return rc;
  }
  uint64_t mask = s->n_slots - 1;
  uint64_t at = key.hash & mask;
  for (uint32_t slot; (slot = s->slots[at]) != 0; at = (at + 1) & mask) {
    const user_key *k = &s->keys[slot - 1];
    if (k->hash != key.hash || k->type != key.type) continue;
    if (key.type < KEY_TEXT ? k->value == key.value
                            : (k->len == key.len &&
                               memcmp(s->arena + k->value, bytes, key.len) == 0)) {
      *out = slot - 1;
      return SQLITE_OK;
    }
  }
  /* A new user. */
  if (s->n_users == USERS_MAX) {
    vt->base.zErrMsg = sqlite3_mprintf("%s: \"%w\" has more than %u users",
                                       vt->module, vt->source, USERS_MAX);
    return vt->base.zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (s->n_users == s->alloc_users) {
    int rc = users_grow(s);
    if (rc != SQLITE_OK) return rc;
  }
  if (key.type >= KEY_TEXT) {
    if (s->arena_used + key.len > s->arena_alloc) {
      uint64_t alloc = s->arena_alloc ? s->arena_alloc * 2 : 65536;
      while (alloc < s->arena_used + key.len) alloc *= 2;
      unsigned char *arena = sqlite3_realloc64(s->arena, alloc);
      if (arena == 0) return SQLITE_NOMEM;
      s->arena = arena;
      s->arena_alloc = alloc;
    }
    if (key.len) memcpy(s->arena + s->arena_used, bytes, key.len);
    key.value = (int64_t)s->arena_used;
    s->arena_used += key.len;
  }
  uint32_t n = s->n_users++;
  s->keys[n] = key;
  for (int k = 0; k < s->n_sets; k++) memset(&s->sets[k][n], 0, sizeof(bitset));
  s->slots[at] = n + 1;
  if ((uint64_t)s->n_users * 2 > s->n_slots) {
    int rc = slots_grow(s);
    if (rc != SQLITE_OK) return rc;
  }
  *out = n;
  return SQLITE_OK;
}

/* ---- Reading the source --------------------------------------------- */

static int periods_max(const lc_vtab *vt) {
  return vt->kind == KIND_LIFECYCLE ? LIFECYCLE_PERIODS_MAX : COHORT_PERIODS_MAX;
}

static int span_error(lc_vtab *vt, const scan *s) {
  char a[GOPS_KEY_SIZE], b[GOPS_KEY_SIZE];
  gops_period_key(gops_period_ordinal_first(s->first, vt->grain), vt->grain, a);
  gops_period_key(gops_period_ordinal_first(s->last, vt->grain), vt->grain, b);
  vt->base.zErrMsg = sqlite3_mprintf(
      "%s: the times of \"%w\" span more than %d periods of a %s (%s to %s)",
      vt->module, vt->source, periods_max(vt), gops_grain_name(vt->grain), a, b);
  return vt->base.zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* One pass over the source: each user's active periods (lifecycle), or
** return and start periods (cohorts), and the run of periods (Req. 2, 3). */
static int scan_source(lc_vtab *vt, scan *s) {
  sqlite3_stmt *stmt = 0;
  s->n_sets = vt->kind == KIND_LIFECYCLE ? 1 : 2;
  int rc = sqlite3_prepare_v2(vt->db, vt->scan_sql, -1, &stmt, 0);
  if (rc != SQLITE_OK) {
    if (rc == SQLITE_NOMEM) return rc;
    vt->base.zErrMsg = sqlite3_mprintf("%s: %s", vt->module, sqlite3_errmsg(vt->db));
    return rc;
  }
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    sqlite3_value *user = sqlite3_column_value(stmt, 0);
    sqlite3_value *time = sqlite3_column_value(stmt, 1);
    if (sqlite3_value_type(user) == SQLITE_NULL ||
        sqlite3_value_type(time) == SQLITE_NULL) {
      continue;
    }
    double secs;
    int64_t day;
    if (gops_value_unix(time, &secs) != 0 || gops_day_from_unix(secs, &day) != 0) {
      char *shown = gops_value_for_message(time);
      vt->base.zErrMsg = shown ? sqlite3_mprintf(
          "%s: a time in \"%w\" must be ISO-8601 text or unix seconds, got %s",
          vt->module, vt->source, shown) : 0;
      sqlite3_free(shown);
      rc = vt->base.zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
      break;
    }
    int32_t p = (int32_t)gops_period_ordinal(day, vt->grain);
    if (!s->any) {
      s->any = 1;
      s->first = s->last = p;
    } else if (p < s->first) {
      s->first = p;
    } else if (p > s->last) {
      s->last = p;
    }
    if ((int64_t)s->last - s->first >= periods_max(vt)) {
      rc = span_error(vt, s);
      break;
    }
    int is_return = 1, is_start = 0;
    if (vt->kind == KIND_COHORTS) {
      is_start = sqlite3_column_int(stmt, 2);
      is_return = sqlite3_column_int(stmt, 3);
      if (!is_start && !is_return) continue;
    }
    uint32_t u;
    rc = user_number(vt, s, user, &u);
    if (rc == SQLITE_OK && is_return) rc = bitset_set(&s->sets[0][u], p);
    if (rc == SQLITE_OK && is_start) rc = bitset_set(&s->sets[1][u], p);
    if (rc != SQLITE_OK) break;
  }
  if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  } else if (rc != SQLITE_OK && vt->base.zErrMsg == 0 && rc != SQLITE_NOMEM) {
    vt->base.zErrMsg = sqlite3_mprintf("%s: %s", vt->module, sqlite3_errmsg(vt->db));
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* ---- The cursor: the computed table ---------------------------------- */

typedef struct lc_cursor {
  sqlite3_vtab_cursor base;
  int32_t first;            /* ordinal of period 0 */
  int64_t n_periods;
  int64_t row, n_rows;
  gops_lifecycle_row *stages;   /* lifecycle */
  gops_cohort_table cohorts;    /* cohorts */
  int64_t cohort, k;            /* cohorts: the current cell */
} lc_cursor;

static void cursor_clear(lc_cursor *cur) {
  sqlite3_free(cur->stages);
  sqlite3_free(cur->cohorts.size);
  sqlite3_free(cur->cohorts.users);
  sqlite3_free(cur->cohorts.on_or_after);
  cur->stages = 0;
  memset(&cur->cohorts, 0, sizeof(cur->cohorts));
  cur->row = cur->n_rows = cur->n_periods = 0;
  cur->cohort = cur->k = 0;
}

static void *zeroed(uint64_t bytes) {
  void *p = sqlite3_malloc64(bytes ? bytes : 1);
  if (p) memset(p, 0, bytes);
  return p;
}

static int compute(lc_vtab *vt, lc_cursor *cur) {
  scan s;
  memset(&s, 0, sizeof(s));
  int rc = scan_source(vt, &s);
  if (rc != SQLITE_OK || !s.any) {
    scan_clear(&s);
    return rc;
  }
  int64_t n = (int64_t)s.last - s.first + 1;
  cur->first = s.first;
  cur->n_periods = n;
  int64_t *list = sqlite3_malloc64((uint64_t)n * sizeof(int64_t));
  int64_t *list2 = sqlite3_malloc64((uint64_t)n * sizeof(int64_t));
  if (list == 0 || list2 == 0) {
    rc = SQLITE_NOMEM;
  } else if (vt->kind == KIND_LIFECYCLE) {
    cur->stages = zeroed((uint64_t)n * sizeof(gops_lifecycle_row));
    if (cur->stages == 0) rc = SQLITE_NOMEM;
    for (uint32_t u = 0; rc == SQLITE_OK && u < s.n_users; u++) {
      size_t m = bitset_list(&s.sets[0][u], s.first, list);
      gops_lifecycle_add(cur->stages, n, list, m);
    }
    cur->n_rows = n;
  } else {
    gops_cohort_table *t = &cur->cohorts;
    uint64_t cells = gops_cohort_cells(n);
    t->n_periods = n;
    t->type = vt->retention;
    t->size = zeroed((uint64_t)n * sizeof(int64_t));
    t->users = zeroed(cells * sizeof(int64_t));
    t->on_or_after = zeroed(cells * sizeof(int64_t));
    if (!t->size || !t->users || !t->on_or_after) rc = SQLITE_NOMEM;
    for (uint32_t u = 0; rc == SQLITE_OK && u < s.n_users; u++) {
      size_t n_starts = bitset_list(&s.sets[1][u], s.first, list);
      if (n_starts == 0) continue;
      size_t n_returns = bitset_list(&s.sets[0][u], s.first, list2);
      gops_cohort_add(t, list, n_starts, list2, n_returns);
    }
    if (rc == SQLITE_OK) gops_cohort_finish(t);
    cur->n_rows = (int64_t)cells;
  }
  sqlite3_free(list);
  sqlite3_free(list2);
  scan_clear(&s);
  return rc;
}

/* ---- CREATE ---------------------------------------------------------- */

static void vtab_free(lc_vtab *vt) {
  if (vt == 0) return;
  sqlite3_free(vt->source);
  sqlite3_free(vt->scan_sql);
  sqlite3_free(vt);
}

/* Prepares "SELECT 1 FROM source WHERE (cond)": an aggregate or window
** function, or anything else that is not a condition on one row, fails
** there with SQLite's own message (Req. 5). */
static int check_condition(sqlite3 *db, const char *module, int index0,
                           const char *quoted_source, const char *source,
                           const char *cond, char **pzErr) {
  sqlite3_stmt *stmt = 0;
  char *sql = sqlite3_mprintf("SELECT 1 FROM %s WHERE (\n%s\n)", quoted_source, cond);
  if (sql == 0) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  sqlite3_free(sql);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_OK || rc == SQLITE_NOMEM) return rc;
  *pzErr = sqlite3_mprintf("%s: %s argument (%s) is not a condition on the rows of \"%w\": %s",
                           module, gops_ordinal(index0), arg_names[index0], source,
                           sqlite3_errmsg(db));
  return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
}

static char *arg_value_error(const char *module, int index0, const char *what,
                             const char *got) {
  return sqlite3_mprintf("%s: %s argument (%s) must be %s, got '%.40q'", module,
                         gops_ordinal(index0), arg_names[index0], what, got);
}

static int lc_init(sqlite3 *db, table_kind kind, int argc, const char *const *argv,
                   sqlite3_vtab **ppVtab, char **pzErr) {
  const char *module = kind == KIND_LIFECYCLE ? "lifecycle" : "cohorts";
  int n_args = argc - 3;
  char *names[3] = {0, 0, 0}, *grain = 0, *conds[2] = {0, 0}, *retention = 0;
  char *quoted[3] = {0, 0, 0};
  lc_vtab *vt = 0;
  int rc = SQLITE_OK;
  *pzErr = 0;

  if (kind == KIND_LIFECYCLE && n_args != 4) {
    *pzErr = sqlite3_mprintf("lifecycle: expected 4 arguments (source, user, "
                             "time, grain), got %d", n_args);
    goto fail;
  }
  if (kind == KIND_COHORTS && n_args != 6 && n_args != 7) {
    *pzErr = sqlite3_mprintf("cohorts: expected 6 or 7 arguments (source, user, "
                             "time, grain, start_condition, return_condition"
                             "[, retention]), got %d", n_args);
    goto fail;
  }
  /* Req. 1: three identifiers, then the columns they name. */
  for (int i = 0; i < 3; i++) {
    names[i] = gops_source_identifier(argv[3 + i], module, i, arg_names[i], pzErr);
    if (names[i] == 0) goto fail;
    quoted[i] = gops_quote(names[i]);
    if (quoted[i] == 0) goto fail;
  }
  const char *columns[2] = {names[1], names[2]};
  rc = gops_source_columns(db, module, names[0], columns, 2, pzErr);
  if (rc != SQLITE_OK) goto done;

  vt = sqlite3_malloc(sizeof(*vt));
  if (vt == 0) goto fail;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  vt->kind = kind;
  vt->module = module;

  /* Req. 2: day, week or month. */
  grain = gops_source_unquote(argv[6]);
  if (grain == 0) goto fail;
  if (gops_grain_parse(grain, &vt->grain) != 0 || vt->grain > GOPS_GRAIN_MONTH) {
    *pzErr = arg_value_error(module, 3, "'day', 'week' or 'month'", grain);
    goto fail;
  }

  if (kind == KIND_COHORTS) {
    for (int i = 0; i < 2; i++) {
      conds[i] = gops_source_expression(argv[7 + i], module, 4 + i,
                                        arg_names[4 + i], pzErr);
      if (conds[i] == 0) goto fail;
      rc = check_condition(db, module, 4 + i, quoted[0], names[0], conds[i], pzErr);
      if (rc != SQLITE_OK) goto done;
    }
    vt->retention = GOPS_RETENTION_FIRST_TIME;
    if (n_args == 7) {
      retention = gops_source_unquote(argv[9]);
      if (retention == 0) goto fail;
      if (gops_retention_parse(retention, &vt->retention) != 0) {
        *pzErr = arg_value_error(module, 6, "'first_time' or 'recurring'", retention);
        goto fail;
      }
    }
    vt->scan_sql = sqlite3_mprintf(
        "SELECT %s, %s, ((\n%s\n) IS TRUE), ((\n%s\n) IS TRUE) FROM %s", quoted[1],
        quoted[2], conds[0], conds[1], quoted[0]);
    rc = sqlite3_declare_vtab(
        db, "CREATE TABLE x(cohort TEXT, cohort_size INTEGER, period_index INTEGER, "
            "period TEXT, users INTEGER, users_on_or_after INTEGER, rate REAL, "
            "rate_on_or_after REAL)");
    /* Req. 5: the conditions run as written, so never from a view or a
    ** trigger. */
    if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  } else {
    vt->scan_sql = sqlite3_mprintf("SELECT %s, %s FROM %s", quoted[1], quoted[2],
                                   quoted[0]);
    /* "returning" is an SQL keyword since SQLite 3.35: quoted here, and
    ** in the user's queries (docs/lifecycle.md). */
    rc = sqlite3_declare_vtab(
        db, "CREATE TABLE x(period TEXT, new INTEGER, \"returning\" INTEGER, "
            "resurrecting INTEGER, dormant INTEGER)");
  }
  if (vt->scan_sql == 0) goto fail;
  if (rc != SQLITE_OK) goto done;
  vt->source = names[0];
  names[0] = 0;
  *ppVtab = &vt->base;
  vt = 0;
  goto done;

fail:
  rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
done:
  for (int i = 0; i < 3; i++) {
    sqlite3_free(names[i]);
    sqlite3_free(quoted[i]);
  }
  sqlite3_free(grain);
  sqlite3_free(conds[0]);
  sqlite3_free(conds[1]);
  sqlite3_free(retention);
  vtab_free(vt);
  return rc;
}

/* xCreate and xConnect of both modules; aux is the table_kind. */
static int lc_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                      sqlite3_vtab **ppVtab, char **pzErr) {
  return lc_init(db, *(const table_kind *)aux, argc, argv, ppVtab, pzErr);
}

static int lc_disconnect(sqlite3_vtab *base) {
  vtab_free((lc_vtab *)base);
  return SQLITE_OK;
}

/* ---- Scanning -------------------------------------------------------- */

static int lc_best_index(sqlite3_vtab *base, sqlite3_index_info *info) {
  lc_vtab *vt = (lc_vtab *)base;
  /* Rows come out by period (lifecycle), or by cohort and then period. */
  int consumed = info->nOrderBy > 0;
  for (int i = 0; i < info->nOrderBy; i++) {
    int col = info->aOrderBy[i].iColumn;
    int in_order = vt->kind == KIND_LIFECYCLE
                       ? (i == 0 && col == 0)
                       : ((i == 0 && col == 0) || (i == 1 && (col == 2 || col == 3)));
    if (!in_order || info->aOrderBy[i].desc) consumed = 0;
  }
  info->orderByConsumed = consumed;
  info->estimatedCost = 1e6;
  info->estimatedRows = 100;
  return SQLITE_OK;
}

static int lc_open(sqlite3_vtab *base, sqlite3_vtab_cursor **ppCursor) {
  (void)base;
  lc_cursor *cur = sqlite3_malloc(sizeof(*cur));
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static int lc_close(sqlite3_vtab_cursor *base) {
  lc_cursor *cur = (lc_cursor *)base;
  cursor_clear(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int lc_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr,
                     int argc, sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  (void)argv;
  lc_cursor *cur = (lc_cursor *)base;
  lc_vtab *vt = (lc_vtab *)base->pVtab;
  cursor_clear(cur);
  sqlite3_free(vt->base.zErrMsg);
  vt->base.zErrMsg = 0;
  int rc = compute(vt, cur);
  if (rc != SQLITE_OK) cursor_clear(cur);
  return rc;
}

static int lc_next(sqlite3_vtab_cursor *base) {
  lc_cursor *cur = (lc_cursor *)base;
  cur->row++;
  if (++cur->k >= cur->n_periods - cur->cohort) {
    cur->cohort++;
    cur->k = 0;
  }
  return SQLITE_OK;
}

static int lc_eof(sqlite3_vtab_cursor *base) {
  lc_cursor *cur = (lc_cursor *)base;
  return cur->row >= cur->n_rows;
}

static void result_period(sqlite3_context *ctx, const lc_cursor *cur,
                          gops_grain grain, int64_t index) {
  char key[GOPS_KEY_SIZE];
  gops_period_key(gops_period_ordinal_first(cur->first + index, grain), grain, key);
  sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

static void result_rate(sqlite3_context *ctx, int64_t part, int64_t whole) {
  if (whole > 0) sqlite3_result_double(ctx, (double)part / (double)whole);
}

static int lc_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i) {
  lc_cursor *cur = (lc_cursor *)base;
  lc_vtab *vt = (lc_vtab *)base->pVtab;
  if (vt->kind == KIND_LIFECYCLE) {
    const gops_lifecycle_row *r = &cur->stages[cur->row];
    switch (i) {
      case 0: result_period(ctx, cur, vt->grain, cur->row); break;
      case 1: sqlite3_result_int64(ctx, r->new_users); break;
      case 2: sqlite3_result_int64(ctx, r->returning); break;
      case 3: sqlite3_result_int64(ctx, r->resurrecting); break;
      default: sqlite3_result_int64(ctx, r->dormant); break;
    }
    return SQLITE_OK;
  }
  const gops_cohort_table *t = &cur->cohorts;
  uint64_t cell = gops_cohort_cell(t->n_periods, cur->cohort, cur->k);
  int64_t size = t->size[cur->cohort];
  switch (i) {
    case 0: result_period(ctx, cur, vt->grain, cur->cohort); break;
    case 1: sqlite3_result_int64(ctx, size); break;
    case 2: sqlite3_result_int64(ctx, cur->k); break;
    case 3: result_period(ctx, cur, vt->grain, cur->cohort + cur->k); break;
    case 4: sqlite3_result_int64(ctx, t->users[cell]); break;
    case 5: sqlite3_result_int64(ctx, t->on_or_after[cell]); break;
    case 6: result_rate(ctx, t->users[cell], size); break;
    default: result_rate(ctx, t->on_or_after[cell], size); break;
  }
  return SQLITE_OK;
}

static int lc_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *pRowid) {
  *pRowid = ((lc_cursor *)base)->row + 1;
  return SQLITE_OK;
}

static const sqlite3_module lc_module = {
    .xCreate = lc_connect,
    .xConnect = lc_connect,
    .xBestIndex = lc_best_index,
    .xDisconnect = lc_disconnect,
    .xDestroy = lc_disconnect,
    .xOpen = lc_open,
    .xClose = lc_close,
    .xFilter = lc_filter,
    .xNext = lc_next,
    .xEof = lc_eof,
    .xColumn = lc_column,
    .xRowid = lc_rowid,
};

int gops_lifecycle_init(sqlite3 *db, char **pzErrMsg) {
  static const struct {
    const char *name;
    table_kind kind;
  } modules[] = {{"lifecycle", KIND_LIFECYCLE}, {"cohorts", KIND_COHORTS}};
  for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
    int rc = sqlite3_create_module(db, modules[i].name, &lc_module,
                                   (void *)&modules[i].kind);
    if (rc != SQLITE_OK) {
      if (pzErrMsg) {
        *pzErrMsg = sqlite3_mprintf("growthops: cannot register %s: %s",
                                    modules[i].name, sqlite3_errstr(rc));
      }
      return rc;
    }
  }
  return SQLITE_OK;
}
