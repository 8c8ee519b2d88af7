/*
** events.c: the packed way of gops_source_events() (source.h): a source
** that is an event log (log.h) is read from its blocks and pending
** records, never row by row, when the query can be answered from them.
**
** That is when the source's user and time are the log's user and time
** columns and the query's more and where name no column but the log's
** event column: both are then evaluated once per name of the log's
** dictionary (with the event column set to that name), and each event
** gets its name's values.  A condition that must not be evaluated once
** per name (random(), a column of another table that changes while the
** log is read) gives the same answer only if it depends on the name
** alone, as docs/eventlog.md says.  Each user comes once, with all of its
** events in time order, so by_user holds; a table that takes runs
** (gops_events_query.runs) gets them a user at a time, with the codes of
** their names to key what it works out per name.
*/
#include <assert.h>
#include <math.h>
#include <string.h>

#include "log.h"

/* The log keeps users of source.h's kinds, numbered alike. */
_Static_assert((int)GOPS_LOG_INTEGER == (int)GOPS_USER_INTEGER &&
                   (int)GOPS_LOG_TEXT == (int)GOPS_USER_TEXT &&
                   (int)GOPS_LOG_BLOB == (int)GOPS_USER_BLOB,
               "the log's kinds of user are source.h's");

/* The source as an event log, when its user and time are the log's. */
static int source_log(const gops_scan *scan, const gops_log **out) {
  *out = 0;
  void *config = 0;
  int rc = gops_kept_table(scan, gops_event_log_table.name, scan->source->name[0], &config);
  if (rc != SQLITE_OK || config == 0) return rc;
  const gops_log *log = config;
  const gops_source *src = scan->source;
  if (sqlite3_stricmp(src->name[1], log->column[0]) == 0 &&
      sqlite3_stricmp(src->name[2], log->column[1]) == 0) {
    *out = log;
  }
  return SQLITE_OK;
}

/* What each code of the dictionary gives: whether its events pass the
** query's where, and the values of its more. */
typedef struct code_values {
  uint32_t n_codes;     /* codes 0 (NULL) .. n_codes */
  int n_more;           /* values per code */
  unsigned char *kept;  /* [code]: passes the where */
  int all_kept;         /* every code does */
  sqlite3_value **more; /* [code * n_more + i] */
} code_values;

static void code_values_free(code_values *cv) {
  if (cv->more) {
    for (size_t i = 0; i < ((size_t)cv->n_codes + 1) * (size_t)cv->n_more; i++) {
      sqlite3_value_free(cv->more[i]);
    }
  }
  sqlite3_free(cv->more);
  sqlite3_free(cv->kept);
}

/* SELECT code, more FROM (the dictionary, with NULL as code 0) AS source
** WHERE where; *usable 0 when it does not prepare (it names another
** column: the rows way then says what is wrong, if anything). */
static int read_codes(const gops_scan *scan, const gops_events_query *q, const gops_log *log,
                      code_values *cv, int *usable, char **pzErr) {
  memset(cv, 0, sizeof(*cv));
  *usable = 0;
  char *sql = sqlite3_mprintf(
      "SELECT \"__gops_code\"%s%s FROM (SELECT 0 AS \"__gops_code\", NULL AS \"%w\" UNION ALL "
      "SELECT code, name FROM \"%w\".\"%w_dict\") AS %s WHERE (%s)",
      q->more ? ", " : "", q->more ? q->more : "", log->column[2], log->schema, log->name,
      scan->source->quoted[0], q->where ? q->where : "1");
  if (sql == 0) return SQLITE_NOMEM;
  sqlite3_stmt *stmt;
  int rc = sqlite3_prepare_v2(scan->db, sql, -1, &stmt, 0);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
  *usable = 1;
  for (int k = 0; k < q->n_texts; k++) sqlite3_bind_text(stmt, k + 1, q->texts[k], -1, SQLITE_STATIC);
  cv->n_more = sqlite3_column_count(stmt) - 1;
  char **names = 0;
  rc = gops_log_names(scan->db, log, scan->module, &names, 0, &cv->n_codes, pzErr);
  sqlite3_free(names);
  size_t n = (size_t)cv->n_codes + 1;
  size_t more_bytes = n * (size_t)(cv->n_more ? cv->n_more : 1) * sizeof(sqlite3_value *);
  if (rc == SQLITE_OK) {
    /* Zeroed at once: code_values_free() frees what each slot holds. */
    cv->more = sqlite3_malloc64(more_bytes);
    if (cv->more) memset(cv->more, 0, more_bytes);
    cv->kept = sqlite3_malloc64(n);
    if (cv->kept) memset(cv->kept, 0, n);
    if (cv->kept == 0 || cv->more == 0) rc = SQLITE_NOMEM;
  }
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    sqlite3_int64 c = sqlite3_column_int64(stmt, 0);
    if (c < 0 || c > (sqlite3_int64)cv->n_codes) continue; /* a name added since */
    cv->kept[c] = 1;
    for (int i = 0; i < cv->n_more && rc == SQLITE_OK; i++) {
      sqlite3_value **slot = &cv->more[(size_t)c * (size_t)cv->n_more + (size_t)i];
      *slot = sqlite3_value_dup(sqlite3_column_value(stmt, 1 + i));
      if (*slot == 0) rc = SQLITE_NOMEM;
    }
  }
  if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
    cv->all_kept = 1;
    for (uint32_t c = 0; c <= cv->n_codes; c++) cv->all_kept &= cv->kept[c];
  } else if (rc != SQLITE_OK && rc != SQLITE_NOMEM && *pzErr == 0) {
    rc = gops_source_failed(scan, rc, pzErr);
  }
  sqlite3_finalize(stmt);
  return rc;
}

/* A time within the query's range. */
static int in_range(const gops_events_query *q, double ts) {
  return ts >= q->range[0] && ts < q->range[1];
}

/* An event of a run the query keeps: its name passes the where, its time
** lies within the range. */
static int event_kept(const gops_events_query *q, const code_values *cv, const gops_log_run *run,
                      uint32_t k) {
  assert(run->codes[k] <= cv->n_codes); /* the block's codes are checked as it is read */
  return cv->kept[run->codes[k]] && in_range(q, run->ts[k]);
}

/* The query takes every time (no since, no until). */
static int whole_range(const gops_events_query *q) {
  return q->range[0] == -INFINITY && q->range[1] == INFINITY;
}

/* A user's events, one at a time to fn. */
static int hand_events(const gops_events_query *q, const code_values *cv, const gops_user *user,
                       const gops_log_run *run, gops_event_fn fn, void *ctx, char **pzErr) {
  gops_event e = {.user = *user};
  const int keep_all = cv->all_kept && whole_range(q);
  for (uint32_t k = 0; k < run->n; k++) {
    if (!keep_all && !event_kept(q, cv, run, k)) continue;
    e.ts = run->ts[k];
    e.more = cv->more + (size_t)run->codes[k] * (size_t)cv->n_more;
    int rc = fn(ctx, &e, pzErr);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* The events of a run the query keeps, when not all of them. */
typedef struct kept_events {
  double *ts;
  uint16_t *names;
  uint32_t cap;
} kept_events;

/* A user's events at once to q->runs, the names the where drops marked
** (gops_event_run.kept): the run itself when all of its times are in the
** range, else the events in it, copied. */
static int hand_run(const gops_events_query *q, const code_values *cv, const gops_user *user,
                    const gops_log_run *run, kept_events *kept, void *ctx, char **pzErr) {
  gops_event_run r = {.user = *user, .n = run->n, .ts = run->ts, .names = run->codes,
                      .n_names = cv->n_codes, .more = cv->more, .n_more = cv->n_more};
  r.kept = cv->all_kept ? 0 : cv->kept;
  if (whole_range(q)) return q->runs(ctx, &r, pzErr);
  uint32_t k = 0;
  while (k < run->n && in_range(q, run->ts[k])) k++;
  if (k < run->n) {
    if (run->n > kept->cap) {
      double *ts = sqlite3_realloc64(kept->ts, (uint64_t)run->n * sizeof(double));
      if (ts) kept->ts = ts;
      uint16_t *names = ts ? sqlite3_realloc64(kept->names, (uint64_t)run->n * sizeof(uint16_t)) : 0;
      if (names == 0) return SQLITE_NOMEM;
      kept->names = names;
      kept->cap = run->n;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < run->n; i++) {
      if (!in_range(q, run->ts[i])) continue;
      kept->ts[n] = run->ts[i];
      kept->names[n] = run->codes[i];
      n++;
    }
    if (n == 0) return SQLITE_OK;
    r.n = n;
    r.ts = kept->ts;
    r.names = kept->names;
  }
  return q->runs(ctx, &r, pzErr);
}

int gops_log_source_events(const gops_scan *scan, const gops_events_query *q,
                           gops_event_fn fn, void *fn_ctx, int *used, char **pzErr) {
  *used = 0;
  const gops_log *log;
  int rc = source_log(scan, &log);
  if (rc != SQLITE_OK || log == 0) return rc;
  code_values cv;
  int usable;
  rc = read_codes(scan, q, log, &cv, &usable, pzErr);
  if (rc != SQLITE_OK || !usable) {
    code_values_free(&cv);
    return rc;
  }
  *used = 1;
  kept_events kept = {0};
  gops_log_scan walk;
  rc = gops_log_scan_open(scan->db, log, scan->module, 0, &walk, pzErr);
  walk.without_places = 1; /* an analysis reads no rowids */
  while (rc == SQLITE_OK && (rc = gops_log_scan_block(&walk, pzErr)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (walk.n_names != cv.n_codes) {
      /* Both read in one statement's transaction: the same dictionary. */
      rc = gops_errorf(pzErr, "%s: the dictionary of \"%w\" changed while it was read",
                       scan->module, log->name);
      break;
    }
    gops_log_run run;
    int got;
    while ((got = gops_log_merge_next(&walk.merge, &run)) > 0) {
      gops_user user = {.kind = run.user->kind, .number = run.user->number,
                        .bytes = run.user->bytes, .n = (int)run.user->n};
      rc = q->runs ? hand_run(q, &cv, &user, &run, &kept, fn_ctx, pzErr)
                   : hand_events(q, &cv, &user, &run, fn, fn_ctx, pzErr);
      if (rc != SQLITE_OK) break;
    }
    if (rc == SQLITE_OK && got < 0) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  gops_log_scan_close(&walk);
  code_values_free(&cv);
  sqlite3_free(kept.ts);
  sqlite3_free(kept.names);
  return rc;
}
