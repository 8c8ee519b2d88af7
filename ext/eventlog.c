/*
** eventlog.c: the event log, a table that keeps users' events packed in
** shadow tables of its own, for every table over events to read without
** SQLite decoding a row per event (funnel, lifecycle, cohorts).
**
**   .load ./growthops
**   CREATE VIRTUAL TABLE ev USING event_log(user_id, ts, event);
**   INSERT INTO ev VALUES (7, '2025-03-01 10:00', 'visit');
**   DELETE FROM ev WHERE user_id = 7;
**   CREATE VIRTUAL TABLE ev2 USING event_log(user_id, ts, event, content=events);
**   INSERT INTO ev2(ev2) VALUES ('rebuild');       -- and 'append', 'optimize',
**                                                  -- 'integrity-check', 'delete'
**   CREATE VIRTUAL TABLE f USING funnel(ev, user_id, ts, event,
**          '["visit","register","order"]', 86400);
**
** Registers one module (CREATE VIRTUAL TABLE only):
**   event_log(user, time, event [, properties=column] [, content=table])
**       columns: the names given, in that order; a hidden column named
**       after the table for the commands; rowid: the event's place
**
** Requirement 1: the arguments are names (bare or quoted, as source.h
** reads them): the log's columns, and with content= the table the log
** follows, which must have columns of those names (checked at CREATE).
** Requirement 2: an INSERT adds an event: the user an integer (a real with
** no fraction is that integer), text or a blob, not NULL; the time
** ISO-8601 text or unix seconds, not NULL; the event name NULL or text (a
** number as its text); the properties NULL or text.  Anything else is an
** error naming the column.  The log keeps the instant: a time comes back
** as unix seconds (an integer when whole, else a real).
** Requirement 3: DELETE removes events, UPDATE removes and adds; the rowid
** is the event's place in the log (log.h), which the log gives (an INSERT
** or UPDATE that sets it is an error) and which changes when its block is
** merged.
** Requirement 4: the commands, as FTS5's: INSERT INTO ev(ev) VALUES
** ('rebuild') reads the table followed anew (rows with a NULL user or time
** skipped, as every table over events skips them); 'append' reads its rows
** added since (by rowid); 'optimize' merges every pending record;
** 'integrity-check' checks every block, and against the table followed;
** INSERT INTO ev(ev, user, time, event) VALUES ('delete', ...) removes one
** event with those values (what a trigger on the table followed gives).
** Requirement 5: everything is in SQLite's own tables, written in the
** user's transaction; xShadowName marks them, so that under
** SQLITE_DBCONFIG_DEFENSIVE no ordinary SQL writes them.  The table reads
** the database, so it is not declared innocuous (as FTS5 is not).
** Requirement 6: SELECT gives the events back user after user (integers,
** then text, then blobs), each user's by time: an ORDER BY user or user,
** time, or a GROUP BY user, needs no sorting.
*/
#include "log.h"

#include <assert.h>
#include <string.h>

enum { ARG_USER, ARG_TIME, ARG_EVENT, ARG_PROPS };

enum { OPTION_PROPERTIES, OPTION_CONTENT };

static int log_configure(gops_create *create, void *config, char **pzErr) {
  gops_log *log = config;
  static const char *const names[] = {"user", "time", "event", "properties"};
  const char *columns[4] = {create->argv[ARG_USER], create->argv[ARG_TIME],
                            create->argv[ARG_EVENT], create->option[OPTION_PROPERTIES]};
  int n = columns[ARG_PROPS] ? 4 : 3;
  const char *content = create->option[OPTION_CONTENT];
  log->schema = sqlite3_mprintf("%s", create->schema);
  log->name = sqlite3_mprintf("%s", create->table);
  if (log->schema == 0 || log->name == 0) return SQLITE_NOMEM;
  /* Requirement 1: the columns are names. */
  gops_source cols;
  memset(&cols, 0, sizeof(cols));
  int rc = gops_source_read(create->module, names, n, columns, &cols, pzErr);
  for (int i = 0; rc == SQLITE_OK && i < n; i++) {
    log->column[i] = cols.name[i];
    cols.name[i] = 0;
  }
  gops_source_clear(&cols);
  if (rc != SQLITE_OK) return rc;
  log->n_columns = n;
  log->with_props = n == 4;
  for (int i = 0; i < n; i++) {
    if (sqlite3_stricmp(log->column[i], log->name) == 0) {
      return gops_errorf(pzErr, "%s: the column \"%w\" has the table's name, which the log "
                         "keeps for its commands", create->module, log->column[i]);
    }
    for (int j = 0; j < i; j++) {
      if (sqlite3_stricmp(log->column[i], log->column[j]) == 0) {
        return gops_errorf(pzErr, "%s: the column \"%w\" is named twice", create->module,
                           log->column[i]);
      }
    }
  }
  if (content) {
    /* The table followed, and its columns of the same names. */
    const char *follow[5] = {content, log->column[0], log->column[1], log->column[2],
                             log->column[3]};
    const char *follow_names[5] = {"content", names[0], names[1], names[2], names[3]};
    rc = gops_source_read(create->module, follow_names, 1 + n, follow, &log->content, pzErr);
    if (rc == SQLITE_OK && create->create) {
      rc = gops_source_check(create->db, create->module, &log->content, pzErr);
    }
    if (rc != SQLITE_OK) return rc;
  }
  return create->create ? gops_log_create(create->db, log, pzErr) : SQLITE_OK;
}

static void log_release(void *config) { gops_log_clear(config); }

static char *log_columns_of(const void *config, int *n_columns) {
  *n_columns = ((const gops_log *)config)->n_columns;
  return gops_log_columns(config);
}

/* ---- writes and commands ---------------------------------------------------------- */

static const char *const commands[] = {"rebuild", "append", "optimize", "integrity-check",
                                       "delete"};
enum { CMD_REBUILD, CMD_APPEND, CMD_OPTIMIZE, CMD_CHECK, CMD_DELETE, N_COMMANDS };

static int log_command(gops_write *w, gops_log *log, sqlite3_value *command,
                       sqlite3_value **values, char **pzErr) {
  const char *text = gops_value_word(command);
  int which = text ? gops_word_find(text, commands, N_COMMANDS) : -1;
  /* Commands are written exactly, as FTS5's are. */
  if (which >= 0 && strcmp(text, commands[which]) != 0) which = -1;
  w->rowid = 0;
  switch (which) {
    case CMD_REBUILD:
      return gops_log_rebuild(w->db, log, pzErr);
    case CMD_APPEND:
      return gops_log_append(w->db, log, pzErr);
    case CMD_OPTIMIZE:
      return gops_log_optimize(w->db, log, pzErr);
    case CMD_CHECK:
      return gops_log_integrity_check(w->db, log, pzErr);
    case CMD_DELETE:
      return gops_log_delete_values(w->db, log, values, pzErr);
    default: {
      char *shown = gops_value_for_message(command);
      if (shown == 0) return SQLITE_NOMEM;
      int rc = gops_errorf(pzErr,
                           "%s: %s is not a command of \"%w\"; the commands are 'rebuild', "
                           "'append', 'optimize', 'integrity-check' and 'delete'",
                           w->module, shown, log->name);
      sqlite3_free(shown);
      return rc;
    }
  }
}

static int log_write(gops_write *w, char **pzErr) {
  gops_log *log = w->config;
  /* Requirement 3. */
  if (w->argc == 1) return gops_log_delete_rowid(w->db, log, sqlite3_value_int64(w->argv[0]), pzErr);
  assert(w->argc == 2 + log->n_columns + 1);
  sqlite3_value **values = w->argv + 2;
  sqlite3_value *command = w->argv[2 + log->n_columns];
  int insert = sqlite3_value_type(w->argv[0]) == SQLITE_NULL;
  if (sqlite3_value_type(command) != SQLITE_NULL) {
    if (!insert) {
      return gops_errorf(pzErr, "%s: an UPDATE cannot give \"%w\" a command", w->module,
                         log->name);
    }
    return log_command(w, log, command, values, pzErr);
  }
  if (insert && sqlite3_value_type(w->argv[1]) != SQLITE_NULL) {
    return gops_errorf(pzErr, "%s: \"%w\" gives its rows their rowids; insert without one",
                       w->module, log->name);
  }
  if (insert) return gops_log_insert(w->db, log, values, 1, &w->rowid, pzErr);
  if (sqlite3_value_int64(w->argv[0]) != sqlite3_value_int64(w->argv[1]) ||
      sqlite3_value_type(w->argv[1]) != SQLITE_INTEGER) {
    return gops_errorf(pzErr, "%s: \"%w\" gives its rows their rowids; an UPDATE cannot set one",
                       w->module, log->name);
  }
  int rc = gops_log_delete_rowid(w->db, log, sqlite3_value_int64(w->argv[0]), pzErr);
  /* No merge: the rowids this UPDATE collected must stay good. */
  return rc == SQLITE_OK ? gops_log_insert(w->db, log, values, 0, &w->rowid, pzErr) : rc;
}

static int log_destroy(sqlite3 *db, const char *table, void *config, char **pzErr) {
  (void)table;
  return gops_log_drop(db, config, pzErr);
}

static int log_rename(sqlite3 *db, const char *table, void *config, const char *new_name,
                      char **pzErr) {
  (void)table;
  return gops_log_rename(db, config, new_name, pzErr);
}

/* ---- SELECT: a block's events at a time ------------------------------------------ */

typedef struct log_reading {
  gops_log_scan scan;
  char **names;
  const int *name_lens; /* in the names' allocation */
  uint32_t n_names;
} log_reading;

static void log_scan_release(void *resume) {
  log_reading *r = resume;
  gops_log_scan_close(&r->scan);
  sqlite3_free(r->names);
  sqlite3_free(r);
}

static int log_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  const gops_log *log = scan->config;
  log_reading *r = *scan->resume;
  if (r == 0) {
    r = sqlite3_malloc(sizeof(*r));
    if (r == 0) return SQLITE_NOMEM;
    memset(r, 0, sizeof(*r));
    *scan->resume = r;
    int rc = gops_log_names(scan->db, log, scan->module, &r->names, &r->name_lens, &r->n_names,
                            pzErr);
    if (rc == SQLITE_OK) rc = gops_log_scan_open(scan->db, log, scan->module, 1, &r->scan, pzErr);
    if (rc != SQLITE_OK) return rc;
    if (r->scan.n_names != r->n_names) {
      return gops_errorf(pzErr, "%s: the dictionary of \"%w\" changed while it was read",
                         scan->module, log->name);
    }
  }
  int rc = gops_log_scan_block(&r->scan, pzErr);
  if (rc == SQLITE_DONE) return SQLITE_OK;
  if (rc != SQLITE_ROW) return rc;
  sqlite3_int64 block = r->scan.block_id << GOPS_LOG_PLACE_BITS;
  gops_log_run run;
  int got;
  while ((got = gops_log_merge_next(&r->scan.merge, &run)) > 0) {
    for (uint32_t k = 0; k < run.n; k++) {
      gops_rows_rowid(rows, block | (run.place ? run.place[k] : run.first_place + k));
      const gops_log_user *u = run.user;
      if (u->kind == GOPS_LOG_INTEGER) gops_rows_int(rows, u->number);
      else if (u->kind == GOPS_LOG_TEXT) gops_rows_text(rows, (const char *)u->bytes, (int)u->n);
      else gops_rows_blob(rows, u->bytes, (int)u->n);
      double ts = run.ts[k];
      if (ts == (double)(int64_t)ts) gops_rows_int(rows, (int64_t)ts);
      else gops_rows_double(rows, ts);
      if (run.codes[k]) gops_rows_text(rows, r->names[run.codes[k]], r->name_lens[run.codes[k]]);
      else gops_rows_null(rows);
      if (log->with_props) {
        if (run.props && run.props_len[k] >= 0) {
          gops_rows_text(rows, (const char *)run.props[k], run.props_len[k]);
        } else {
          gops_rows_null(rows);
        }
      }
    }
  }
  if (got < 0) return SQLITE_NOMEM;
  rc = gops_rows_status(rows);
  return rc == SQLITE_OK ? SQLITE_ROW : rc;
}

/* Requirement 5: not innocuous; Requirement 6: the order of its rows. */
const gops_table gops_event_log_table = {
    .name = "event_log",
    .columns = "user, time, event TEXT, properties",
    .create_args = {"user", "time", "event"},
    .n_create_required = 3,
    .options = {"properties", "content"},
    .flags = GOPS_TABLE_KEEPS_DATA,
    .sorted_by = {1u << ARG_USER, 1u << ARG_TIME},
    .config_size = sizeof(gops_log),
    .configure = log_configure,
    .release = log_release,
    .compute = log_compute,
    .scan_release = log_scan_release,
    .columns_of = log_columns_of,
    .write = log_write,
    .shadow_name = gops_log_shadow_name,
    .destroy = log_destroy,
    .rename = log_rename,
};
