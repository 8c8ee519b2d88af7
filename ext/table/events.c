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
** events in time order, so by_user holds.
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
  rc = gops_log_names(scan->db, log, scan->module, &names, &cv->n_codes, pzErr);
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
  } else if (rc != SQLITE_OK && rc != SQLITE_NOMEM && *pzErr == 0) {
    rc = gops_source_failed(scan, rc, pzErr);
  }
  sqlite3_finalize(stmt);
  return rc;
}

int gops_log_source_events(const gops_scan *scan, const gops_events_query *q,
                           gops_event_fn fn, void *ctx, int *used, char **pzErr) {
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
  gops_log_scan walk;
  rc = gops_log_scan_open(scan->db, log, scan->module, 0, &walk, pzErr);
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
      gops_event e;
      e.user = (gops_user){.kind = run.user->kind, .number = run.user->number,
                           .bytes = run.user->bytes, .n = (int)run.user->n};
      for (uint32_t k = 0; k < run.n && rc == SQLITE_OK; k++) {
        uint16_t c = run.codes[k];
        assert(c <= cv.n_codes); /* the block's codes are checked as it is read */
        if (!cv.kept[c] || run.ts[k] < q->range[0] || run.ts[k] >= q->range[1]) continue;
        e.ts = run.ts[k];
        e.more = cv.more + (size_t)c * (size_t)cv.n_more;
        e.code = (uint32_t)c + 1;
        rc = fn(ctx, &e, pzErr);
      }
      if (rc != SQLITE_OK) break;
    }
    if (rc == SQLITE_OK && got < 0) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  gops_log_scan_close(&walk);
  code_values_free(&cv);
  return rc;
}
