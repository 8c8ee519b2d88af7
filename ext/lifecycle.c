/*
** lifecycle.c: lifecycle stages, retention cohorts and stickiness over a
** table of events, as virtual tables.
**
**   .load ./growthops
**   CREATE VIRTUAL TABLE weekly USING lifecycle(events, user_id, ts, week);
**   SELECT * FROM weekly;
**   CREATE VIRTUAL TABLE signups USING cohorts(events, user_id, ts, week,
**       "event = 'register'", "event = 'order'");
**   SELECT cohort, period_index, rate FROM signups;
**
** Registers three modules (CREATE VIRTUAL TABLE only, not eponymous):
**   lifecycle(source, user, time, grain)
**       columns: period, new, returning, resurrecting, dormant
**   cohorts(source, user, time, grain, start_condition, return_condition
**           [, retention])
**       columns: cohort, cohort_size, period_index, period, users,
**                users_on_or_after, rate, rate_on_or_after
**   stickiness(source, user, time [, grain=day|week|month] [, mau_days=N])
**       columns by day: day, dau, wau, mau, dau_mau; by week or month:
**                period, active_days, users
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
** Requirement 8: stickiness keeps each user's active days (whatever its
** grain): by day, DAU, WAU (7 days), MAU (mau_days, 28 by default, 1 to
** MAU_DAYS_MAX) and DAU/MAU (NULL when MAU is 0) on every day of the run;
** by week or month, users by their number of active days in each period
** of the run, a row for each number someone has (lifecycle_core.h).
*/
#include "lifecycle_core.h"
#include "source.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#define LIFECYCLE_PERIODS_MAX 100000
/* The cohort table has n * (n + 1) / 2 rows: 500,500 at 1,000 periods. */
#define COHORT_PERIODS_MAX 1000
#define USER_KEY_MAX 4096
#define USERS_MAX 0x7fffffffu

typedef enum { KIND_LIFECYCLE, KIND_COHORTS, KIND_STICKINESS } table_kind;

/* Stickiness: MAU's days when not given; the most days it may be. */
#define MAU_DAYS_DEFAULT 28
#define MAU_DAYS_MAX 366

/* The source's names, in CREATE order (gops_source: name[0] the table). */
enum { SOURCE_TABLE, SOURCE_USER, SOURCE_TIME, N_SOURCE_NAMES };

/* What the CREATE arguments after the source's names say. */
typedef struct lc_config {
  table_kind kind;
  gops_grain grain;
  gops_retention retention;
  char *conditions[2]; /* cohorts: start_condition, return_condition */
  int64_t mau_days;    /* stickiness by day */
} lc_config;

/* The options of stickiness, in the descriptor's order. */
enum { OPTION_GRAIN, OPTION_MAU_DAYS };
/* Its shapes: by day (the descriptor's columns), active days per period. */
enum { SHAPE_DAYS, SHAPE_ACTIVE_DAYS };

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

/* ---- Users: their values numbered densely in order of arrival ------- */

/* While users arrive in gops_user_compare() order (as an event log gives
** them, and a table written user by user), a user is the last one or a new
** one, and no hash table is kept; the first user out of order builds one
** over the users so far, used from then on. */

/* A user as kept: gops_user's kind and number, or its bytes in the arena. */
typedef struct user_key {
  int64_t value;  /* the integer, the real's bits, or an offset in the arena */
  uint32_t hash;
  uint32_t len;   /* bytes of text or blob */
  int kind;       /* GOPS_USER_* */
} user_key;

typedef struct scan {
  int n_sets;          /* 1: activity; 2: returns and starts */
  uint32_t n_users, alloc_users;
  user_key *keys;
  bitset *sets[2];
  int hashed;          /* 0 while users come in order: no slots yet */
  uint32_t *slots;     /* user number + 1, 0 = empty */
  uint64_t n_slots;    /* a power of two, at least 2 * n_users */
  unsigned char *arena;
  uint64_t arena_used, arena_alloc;
  int any;
  int32_t first, last; /* period ordinals */
  /* The last event's user and period: a user's events mostly come one
  ** after another, and a period's events close together. */
  uint32_t last_user;  /* valid when n_users > 0; the last added until hashed */
  gops_period_span span;
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

/* Slots for the users so far and one more, at most half full. */
static int slots_grow(scan *s) {
  uint64_t n_slots = s->n_slots ? s->n_slots * 2 : 1024;
  while (n_slots < 2 * ((uint64_t)s->n_users + 1)) n_slots *= 2;
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

/* The stored key of user i, as a gops_user to compare with. */
static gops_user key_user(const scan *s, const user_key *k) {
  gops_user u = {.kind = k->kind, .number = k->value, .n = (int)k->len};
  /* An empty first user leaves the arena unallocated: no offset into NULL. */
  if (k->kind >= GOPS_USER_TEXT) u.bytes = k->len ? s->arena + k->value : (const unsigned char *)"";
  return u;
}

/* The number of the user whose value is v, adding the user when new
** (users compare as gops_user says: 1 and 1.0 are one user, 1 and '1'
** two).  The previous row's user is tried first, compared as any other. */
static int user_number(const gops_scan *sc, scan *s, const gops_user *v, uint32_t *out,
                       char **pzErr) {
  const gops_user user = *v;
  int after_last = 1; /* user comes after the last one (in order) */
  if (s->n_users > 0) {
    assert(s->hashed || s->last_user == s->n_users - 1); /* in order: the greatest */
    gops_user last = key_user(s, &s->keys[s->last_user]);
    int c = gops_user_compare(&user, &last);
    if (c == 0) {
      *out = s->last_user;
      return SQLITE_OK;
    }
    after_last = c > 0;
  }
  if (user.n > USER_KEY_MAX) {
    return gops_errorf(pzErr, "%s: a user value in \"%w\" is longer than %d bytes",
                       sc->module, sc->source->name[SOURCE_TABLE], USER_KEY_MAX);
  }
  user_key key = {.kind = user.kind, .len = (uint32_t)user.n, .value = user.number};
  key.hash = user.kind >= GOPS_USER_TEXT ? hash_bytes(user.bytes, key.len, user.kind)
                                         : hash_int(user.number, user.kind);
  if (!s->hashed && !after_last) {
    int rc = slots_grow(s);
    if (rc != SQLITE_OK) return rc;
    s->hashed = 1;
  }
  uint64_t at = 0;
  if (s->hashed) {
    uint64_t mask = s->n_slots - 1;
    for (at = key.hash & mask; s->slots[at] != 0; at = (at + 1) & mask) {
      const uint32_t slot = s->slots[at];
      const user_key *k = &s->keys[slot - 1];
      if (k->hash != key.hash) continue;
      gops_user known = key_user(s, k);
      if (gops_user_same(&known, &user)) {
        *out = s->last_user = slot - 1;
        return SQLITE_OK;
      }
    }
  }
  /* A new user. */
  if (s->n_users == USERS_MAX) {
    return gops_errorf(pzErr, "%s: \"%w\" has more than %u users", sc->module,
                       sc->source->name[SOURCE_TABLE], USERS_MAX);
  }
  if (s->n_users == s->alloc_users) {
    int rc = users_grow(s);
    if (rc != SQLITE_OK) return rc;
  }
  if (user.kind >= GOPS_USER_TEXT) {
    if (s->arena_used + key.len > s->arena_alloc) {
      uint64_t alloc = s->arena_alloc ? s->arena_alloc * 2 : 65536;
      while (alloc < s->arena_used + key.len) alloc *= 2;
      unsigned char *arena = sqlite3_realloc64(s->arena, alloc);
      if (arena == 0) return SQLITE_NOMEM;
      s->arena = arena;
      s->arena_alloc = alloc;
    }
    if (key.len) memcpy(s->arena + s->arena_used, user.bytes, key.len);
    key.value = (int64_t)s->arena_used;
    s->arena_used += key.len;
  }
  uint32_t n = s->n_users++;
  s->keys[n] = key;
  for (int k = 0; k < s->n_sets; k++) memset(&s->sets[k][n], 0, sizeof(bitset));
  if (s->hashed) {
    s->slots[at] = n + 1;
    if ((uint64_t)s->n_users * 2 > s->n_slots) {
      int rc = slots_grow(s);
      if (rc != SQLITE_OK) return rc;
    }
  }
  *out = s->last_user = n;
  return SQLITE_OK;
}

/* ---- Reading the source --------------------------------------------- */

static int periods_max(const lc_config *c) {
  return c->kind == KIND_COHORTS ? COHORT_PERIODS_MAX : LIFECYCLE_PERIODS_MAX;
}

/* The periods a scan keeps per user: stickiness counts days, whatever it
** reports by. */
static gops_grain scan_grain(const lc_config *c) {
  return c->kind == KIND_STICKINESS ? GOPS_GRAIN_DAY : c->grain;
}

static int span_error(const gops_scan *sc, const scan *s, char **pzErr) {
  const lc_config *c = sc->config;
  char a[GOPS_KEY_SIZE], b[GOPS_KEY_SIZE];
  const gops_grain g = scan_grain(c);
  gops_period_key(gops_period_ordinal_first(s->first, g), g, a);
  gops_period_key(gops_period_ordinal_first(s->last, g), g, b);
  return gops_errorf(pzErr, "%s: the times of \"%w\" span more than %d periods of a %s (%s to %s)",
                     sc->module, sc->source->name[SOURCE_TABLE], periods_max(c),
                     gops_grain_name(g), a, b);
}

/* The query's more columns: cohorts' conditions (Req. 5: as written, one
** expression each), NULL for the others. */
static char *scan_conditions(const lc_config *c) {
  if (c->kind != KIND_COHORTS) return 0;
  return sqlite3_mprintf("((\n%s\n) IS TRUE), ((\n%s\n) IS TRUE)", c->conditions[0],
                         c->conditions[1]);
}

typedef struct scan_ctx {
  const gops_scan *sc;
  scan *s;
} scan_ctx;

/* The period of a time, *p; the run of periods seen widened to it. */
static int event_period(const gops_scan *sc, scan *s, double ts, int32_t *p, char **pzErr) {
  const lc_config *c = sc->config;
  if (gops_period_span_follow(&s->span, ts, scan_grain(c))) {
    /* A period already seen is within first .. last. */
    int32_t q = (int32_t)s->span.ordinal;
    if (!s->any) {
      s->any = 1;
      s->first = s->last = q;
    } else if (q < s->first) {
      s->first = q;
    } else if (q > s->last) {
      s->last = q;
    }
    if ((int64_t)s->last - s->first >= periods_max(c)) return span_error(sc, s, pzErr);
  }
  *p = (int32_t)s->span.ordinal;
  return SQLITE_OK;
}

/* An event of user u in period p into the user's sets; more: the
** cohorts' start and return conditions. */
static int event_sets(const gops_scan *sc, scan *s, uint32_t u, int32_t p,
                      sqlite3_value *const *more) {
  const lc_config *c = sc->config;
  int is_return = 1, is_start = 0;
  if (c->kind == KIND_COHORTS) {
    is_start = sqlite3_value_int(more[0]);
    is_return = sqlite3_value_int(more[1]);
  }
  int rc = SQLITE_OK;
  if (is_return) rc = bitset_set(&s->sets[0][u], p);
  if (rc == SQLITE_OK && is_start) rc = bitset_set(&s->sets[1][u], p);
  return rc;
}

/* An event that plays no part: for cohorts, neither a start nor a return. */
static int event_idle(const lc_config *c, sqlite3_value *const *more) {
  return c->kind == KIND_COHORTS && !sqlite3_value_int(more[0]) && !sqlite3_value_int(more[1]);
}

/* gops_source_events()' fn: the row's period into its user's sets (Req. 2,
** 3). */
static int scan_event(void *ctx, const gops_event *e, char **pzErr) {
  const gops_scan *sc = ((scan_ctx *)ctx)->sc;
  scan *s = ((scan_ctx *)ctx)->s;
  const lc_config *c = sc->config;
  int32_t p;
  int rc = event_period(sc, s, e->ts, &p, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (event_idle(c, e->more)) return SQLITE_OK;
  uint32_t u = 0;
  rc = user_number(sc, s, &e->user, &u, pzErr);
  return rc == SQLITE_OK ? event_sets(sc, s, u, p, e->more) : rc;
}

/* gops_source_events()' runs: a user of a log at once, as scan_event()
** takes each of its events, the user looked up once. */
static int scan_run(void *ctx, const gops_event_run *run, char **pzErr) {
  const gops_scan *sc = ((scan_ctx *)ctx)->sc;
  scan *s = ((scan_ctx *)ctx)->s;
  const lc_config *c = sc->config;
  int have_user = 0;
  uint32_t u = 0;
  for (uint32_t k = 0; k < run->n; k++) {
    const uint16_t name = run->names[k];
    if (run->kept && !run->kept[name]) continue;
    int32_t p;
    int rc = event_period(sc, s, run->ts[k], &p, pzErr);
    if (rc != SQLITE_OK) return rc;
    sqlite3_value *const *more = run->more + (size_t)name * (size_t)run->n_more;
    if (event_idle(c, more)) continue;
    if (!have_user) {
      rc = user_number(sc, s, &run->user, &u, pzErr);
      if (rc != SQLITE_OK) return rc;
      have_user = 1;
    }
    rc = event_sets(sc, s, u, p, more);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* One pass over the source: each user's active periods (lifecycle,
** stickiness: days), or return and start periods (cohorts), and the run of
** periods. */
static int scan_source(const gops_scan *sc, scan *s, char **pzErr) {
  const lc_config *c = sc->config;
  s->n_sets = c->kind == KIND_COHORTS ? 2 : 1;
  gops_events_query q = {.range = {-INFINITY, INFINITY}};
  char *more = scan_conditions(c);
  if (c->kind == KIND_COHORTS && more == 0) return SQLITE_NOMEM;
  q.more = more;
  q.runs = scan_run;
  scan_ctx ctx = {sc, s};
  int rc = gops_source_events(sc, &q, scan_event, &ctx, pzErr);
  sqlite3_free(more);
  return rc;
}

/* ---- The rows --------------------------------------------------------- */

static void *zeroed(uint64_t bytes) {
  void *p = sqlite3_malloc64(bytes ? bytes : 1);
  if (p) memset(p, 0, bytes);
  return p;
}

static void rows_rate(gops_rows *rows, int64_t part, int64_t whole) {
  if (whole > 0) gops_rows_double(rows, (double)part / (double)whole);
  else gops_rows_null(rows);
}

/* period, new, returning, resurrecting, dormant: one row a period. */
static int lifecycle_rows(const lc_config *c, scan *s, int64_t n, int64_t *list,
                          gops_rows *rows) {
  gops_lifecycle_row *stages = zeroed((uint64_t)n * sizeof(gops_lifecycle_row));
  if (stages == 0) return SQLITE_NOMEM;
  for (uint32_t u = 0; u < s->n_users; u++) {
    size_t m = bitset_list(&s->sets[0][u], s->first, list);
    assert(m >= 1 && m <= (size_t)n); /* a user has a row in the run */
    int added = gops_lifecycle_add(stages, n, list, m);
    assert(added == 0); /* the bitset lists its periods in order, once each */
    (void)added;
  }
  for (int64_t i = 0; i < n; i++) {
    gops_rows_period(rows, s->first + i, c->grain);
    gops_rows_int(rows, stages[i].new_users);
    gops_rows_int(rows, stages[i].returning);
    gops_rows_int(rows, stages[i].resurrecting);
    assert(stages[i].dormant >= 0);
    gops_rows_int(rows, stages[i].dormant);
  }
  sqlite3_free(stages);
  return gops_rows_status(rows);
}

/* The cohort triangle: for each cohort c, periods c .. n-1. */
static int cohort_rows(const lc_config *c, scan *s, int64_t n, int64_t *list,
                       int64_t *list2, gops_rows *rows) {
  gops_cohort_table t = {.n_periods = n, .type = c->retention};
  uint64_t cells = gops_cohort_cells(n);
  t.size = zeroed((uint64_t)n * sizeof(int64_t));
  t.users = zeroed(cells * sizeof(int64_t));
  t.on_or_after = zeroed(cells * sizeof(int64_t));
  int rc = t.size && t.users && t.on_or_after ? SQLITE_OK : SQLITE_NOMEM;
  for (uint32_t u = 0; rc == SQLITE_OK && u < s->n_users; u++) {
    size_t n_starts = bitset_list(&s->sets[1][u], s->first, list);
    if (n_starts == 0) continue;
    size_t n_returns = bitset_list(&s->sets[0][u], s->first, list2);
    int added = gops_cohort_add(&t, list, n_starts, list2, n_returns);
    assert(added == 0);
    (void)added;
  }
  if (rc == SQLITE_OK) {
    gops_cohort_finish(&t);
    for (int64_t cohort = 0; cohort < n; cohort++) {
      int64_t size = t.size[cohort];
      for (int64_t k = 0; cohort + k < n; k++) {
        uint64_t cell = gops_cohort_cell(n, cohort, k);
        gops_rows_period(rows, s->first + cohort, c->grain);
        gops_rows_int(rows, size);
        gops_rows_int(rows, k);
        gops_rows_period(rows, s->first + cohort + k, c->grain);
        gops_rows_int(rows, t.users[cell]);
        gops_rows_int(rows, t.on_or_after[cell]);
        rows_rate(rows, t.users[cell], size);
        rows_rate(rows, t.on_or_after[cell], size);
      }
    }
    rc = gops_rows_status(rows);
  }
  sqlite3_free(t.size);
  sqlite3_free(t.users);
  sqlite3_free(t.on_or_after);
  return rc;
}

/* Stickiness by day: day, dau, wau, mau, dau_mau, every day of the run. */
static int stickiness_days(const lc_config *c, scan *s, int64_t n, int64_t *list,
                           gops_rows *rows) {
  gops_stickiness_day *days = zeroed((uint64_t)(n + 1) * sizeof(gops_stickiness_day));
  if (days == 0) return SQLITE_NOMEM;
  for (uint32_t u = 0; u < s->n_users; u++) {
    size_t m = bitset_list(&s->sets[0][u], s->first, list);
    int added = gops_stickiness_add(days, n, list, m, c->mau_days);
    assert(added == 0); /* in order, once each, within the run */
    (void)added;
  }
  gops_stickiness_finish(days, n);
  for (int64_t d = 0; d < n; d++) {
    gops_rows_day(rows, s->first + d);
    gops_rows_int(rows, days[d].dau);
    gops_rows_int(rows, days[d].wau);
    gops_rows_int(rows, days[d].mau);
    rows_rate(rows, days[d].dau, days[d].mau);
  }
  sqlite3_free(days);
  return gops_rows_status(rows);
}

/* PostHog's stickiness: period, active_days, users, for each number of
** days some user has in a period of the run. */
static int stickiness_active_days(const lc_config *c, scan *s, int64_t *list, gops_rows *rows) {
  const int64_t first = gops_period_ordinal(s->first, c->grain);
  const int64_t n_periods = gops_period_ordinal(s->last, c->grain) - first + 1;
  const int64_t width = GOPS_ACTIVE_DAYS_MAX + 1;
  int64_t *counts = zeroed((uint64_t)(n_periods * width) * sizeof(int64_t));
  if (counts == 0) return SQLITE_NOMEM;
  for (uint32_t u = 0; u < s->n_users; u++) {
    /* The user's days as day numbers. */
    size_t m = bitset_list(&s->sets[0][u], 0, list);
    int added = gops_active_days_add(counts, first, n_periods, c->grain, list, m);
    assert(added == 0);
    (void)added;
  }
  for (int64_t p = 0; p < n_periods; p++) {
    for (int64_t k = 1; k < width; k++) {
      if (counts[p * width + k] == 0) continue;
      gops_rows_period(rows, first + p, c->grain);
      gops_rows_int(rows, k);
      gops_rows_int(rows, counts[p * width + k]);
    }
  }
  sqlite3_free(counts);
  return gops_rows_status(rows);
}

static int lc_compute(const gops_scan *sc, gops_rows *rows, char **pzErr) {
  const lc_config *c = sc->config;
  scan s;
  memset(&s, 0, sizeof(s));
  int rc = scan_source(sc, &s, pzErr);
  if (rc == SQLITE_OK && s.any) {
    int64_t n = (int64_t)s.last - s.first + 1;
    assert(n >= 1 && n <= periods_max(c));
    int64_t *list = sqlite3_malloc64((uint64_t)n * sizeof(int64_t));
    int64_t *list2 = sqlite3_malloc64((uint64_t)n * sizeof(int64_t));
    if (list == 0 || list2 == 0) {
      rc = SQLITE_NOMEM;
    } else if (c->kind == KIND_LIFECYCLE) {
      rc = lifecycle_rows(c, &s, n, list, rows);
    } else if (c->kind == KIND_STICKINESS && c->grain == GOPS_GRAIN_DAY) {
      rc = stickiness_days(c, &s, n, list, rows);
    } else if (c->kind == KIND_STICKINESS) {
      rc = stickiness_active_days(c, &s, list, rows);
    } else {
      rc = cohort_rows(c, &s, n, list, list2, rows);
    }
    sqlite3_free(list);
    sqlite3_free(list2);
  }
  scan_clear(&s);
  return rc;
}

/* ---- CREATE ---------------------------------------------------------- */

/* Prepares "SELECT 1 FROM source WHERE (cond)": an aggregate or window
** function, or anything else that is not a condition on one row, fails
** there with SQLite's own message (Req. 5). */
static int check_condition(const gops_create *create, int index0, const char *cond,
                           char **pzErr) {
  const gops_source *src = create->source;
  sqlite3_stmt *stmt = 0;
  char *sql = sqlite3_mprintf("SELECT 1 FROM %s WHERE (\n%s\n)", src->quoted[SOURCE_TABLE], cond);
  if (sql == 0) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(create->db, sql, -1, &stmt, 0);
  sqlite3_free(sql);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_OK || rc == SQLITE_NOMEM) return rc;
  return gops_errorf(pzErr, "%s: %s argument (%s) is not a condition on the rows of \"%w\": %s",
                     create->module, gops_ordinal(index0), gops_cohorts_table.create_args[index0],
                     src->name[SOURCE_TABLE], sqlite3_errmsg(create->db));
}

/* Req. 2: day, week or month. */
static int read_grain(const gops_create *create, lc_config *c, char **pzErr) {
  char *grain = gops_source_unquote(create->argv[3]);
  if (grain == 0) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  if (gops_grain_parse(grain, &c->grain) != 0 || c->grain > GOPS_GRAIN_MONTH) {
    rc = gops_source_arg_error(create->module, 3, "grain", "'day', 'week' or 'month'", grain,
                               pzErr);
  }
  sqlite3_free(grain);
  return rc;
}

static int lifecycle_configure(gops_create *create, void *config, char **pzErr) {
  lc_config *c = config;
  c->kind = KIND_LIFECYCLE;
  return read_grain(create, c, pzErr);
}

static int cohorts_configure(gops_create *create, void *config, char **pzErr) {
  lc_config *c = config;
  c->kind = KIND_COHORTS;
  int rc = read_grain(create, c, pzErr);
  for (int i = 0; rc == SQLITE_OK && i < 2; i++) {
    c->conditions[i] = gops_source_expression(create->argv[4 + i], create->module, 4 + i,
                                              gops_cohorts_table.create_args[4 + i], pzErr);
    if (c->conditions[i] == 0) rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    /* Req. 5: valid over the source, checked at CREATE (a connect trusts
    ** the schema, and the source may be gone). */
    else if (create->create) rc = check_condition(create, 4 + i, c->conditions[i], pzErr);
  }
  c->retention = GOPS_RETENTION_FIRST_TIME;
  if (rc == SQLITE_OK && create->argc == 7) {
    char *retention = gops_source_unquote(create->argv[6]);
    if (retention == 0) return SQLITE_NOMEM;
    if (gops_retention_parse(retention, &c->retention) != 0) {
      rc = gops_source_arg_error(create->module, 6, "retention", "'first_time' or 'recurring'",
                                 retention, pzErr);
    }
    sqlite3_free(retention);
  }
  return rc;
}

/* stickiness(source, user, time [, grain=day|week|month] [, mau_days=N]). */
static int stickiness_configure(gops_create *create, void *config, char **pzErr) {
  lc_config *c = config;
  c->kind = KIND_STICKINESS;
  c->grain = GOPS_GRAIN_DAY;
  c->mau_days = MAU_DAYS_DEFAULT;
  int rc = SQLITE_OK;
  if (create->option[OPTION_GRAIN]) {
    char *grain = gops_source_unquote(create->option[OPTION_GRAIN]);
    if (grain == 0) return SQLITE_NOMEM;
    if (gops_grain_parse(grain, &c->grain) != 0 || c->grain > GOPS_GRAIN_MONTH) {
      rc = gops_source_arg_error(create->module, create->option_at[OPTION_GRAIN], "grain",
                                 "'day', 'week' or 'month'", grain, pzErr);
    }
    sqlite3_free(grain);
  }
  if (rc == SQLITE_OK && create->option[OPTION_MAU_DAYS]) {
    const int at = create->option_at[OPTION_MAU_DAYS];
    rc = gops_source_count(create->option[OPTION_MAU_DAYS], create->module, at, "mau_days",
                           MAU_DAYS_MAX, "a whole number of days from 1 to " STRINGIFY(MAU_DAYS_MAX),
                           &c->mau_days, pzErr);
    if (rc == SQLITE_OK && c->grain != GOPS_GRAIN_DAY) {
      rc = gops_errorf(pzErr, "%s: %s argument (mau_days) is an option of the table by day, not "
                       "by %s", create->module, gops_ordinal(at), gops_grain_name(c->grain));
    }
  }
  if (rc == SQLITE_OK && c->grain != GOPS_GRAIN_DAY) create->shape = SHAPE_ACTIVE_DAYS;
  return rc;
}

static void lc_release(void *config) {
  lc_config *c = config;
  sqlite3_free(c->conditions[0]);
  sqlite3_free(c->conditions[1]);
}

/* Req. 6: not innocuous.  Rows come out by period. */
const gops_table gops_lifecycle_table = {
    .name = "lifecycle",
    /* "returning" is an SQL keyword since SQLite 3.35: quoted here, and in
    ** the user's queries (docs/lifecycle.md). */
    .columns = "period TEXT, new INTEGER, \"returning\" INTEGER, resurrecting INTEGER, "
               "dormant INTEGER",
    .create_args = {"source", "user", "time", "grain"},
    .n_create_required = 4,
    .n_source_names = N_SOURCE_NAMES,
    .sorted_by = {1u << 0},
    .config_size = sizeof(lc_config),
    .configure = lifecycle_configure,
    .release = lc_release,
    .compute = lc_compute,
};

/* Req. 5: the conditions run as written, so never from a view or a trigger
** (GOPS_TABLE_RUNS_SQL), nor as another table's source.  Rows come out by
** cohort, then by period (period_index and period alike). */
const gops_table gops_cohorts_table = {
    .name = "cohorts",
    .columns = "cohort TEXT, cohort_size INTEGER, period_index INTEGER, period TEXT, "
               "users INTEGER, users_on_or_after INTEGER, rate REAL, rate_on_or_after REAL",
    .create_args = {"source", "user", "time", "grain", "start_condition", "return_condition",
                    "retention"},
    .n_create_required = 6,
    .n_source_names = N_SOURCE_NAMES,
    .flags = GOPS_TABLE_RUNS_SQL,
    .sorted_by = {1u << 0, (1u << 2) | (1u << 3)},
    .config_size = sizeof(lc_config),
    .configure = cohorts_configure,
    .release = lc_release,
    .compute = lc_compute,
};

/* Req. 6: not innocuous.  Rows come out by day, or by period and number of
** days. */
const gops_table gops_stickiness_table = {
    .name = "stickiness",
    .columns = "day TEXT, dau INTEGER, wau INTEGER, mau INTEGER, dau_mau REAL",
    .create_args = {"source", "user", "time"},
    .n_create_required = 3,
    .n_source_names = N_SOURCE_NAMES,
    .options = {"grain", "mau_days"},
    .shapes = {{.columns = "period TEXT, active_days INTEGER, users INTEGER",
                .sorted_by = {1u << 0, 1u << 1}}},
    .sorted_by = {1u << 0},
    .config_size = sizeof(lc_config),
    .configure = stickiness_configure,
    .release = lc_release,
    .compute = lc_compute,
};
