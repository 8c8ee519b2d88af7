/*
** log.h: the event log's storage: its shadow tables, written in the
** user's transaction and read back, for the event_log table
** (ext/eventlog.c) and for every table that reads a log as its source
** (events.h).
**
** The shadow tables of a log named ev, in the log's schema:
**   ev_config(k PRIMARY KEY, v)     its layout's version, the next block's
**                                   id, the highest rowid read of the
**                                   table it follows
**   ev_dict(code, name)             the event names: code 1, 2, ...
**   ev_blocks(id, first_key, users, events, data)
**                                   the packed blocks (eventlog_core.h);
**                                   block b holds the users from its
**                                   first_key (the users' order-preserving
**                                   key; x'' for the first block) up to the
**                                   next block's
**   ev_pending(block, records, data) a block's pending records
**   ev_props(block, data)           a block's properties (a log with a
**                                   properties column only)
** A write goes to the pending records of the user's block; one that
** leaves more than GOPS_LOG_PENDING_MERGE of them merges them into the
** block (and cuts it when it has grown past twice GOPS_LOG_BLOCK_EVENTS).
** A merged block gets a new id, so a rowid (id * 2^24 + place) names one
** event or none, never another.  Removing an event only adds a record, so
** the rowids a DELETE or UPDATE collected stay good while it runs.
**
** Every function returns SQLITE_OK or an error code with *pzErr set
** ("event_log: ..."; NULL for out of memory); corrupt data is
** SQLITE_CORRUPT_VTAB with a message naming the block.
*/
#ifndef GROWTHOPS_LOG_H
#define GROWTHOPS_LOG_H

#include "eventlog_core.h"
#include "source.h"

/* What a log's CREATE arguments say, and the statements it keeps. */
typedef struct gops_log {
  char *schema;    /* where it lives: "main", "temp", ... */
  char *name;      /* the table's name */
  int n_columns;   /* 3, or 4 with properties */
  char *column[4]; /* user, time, event[, properties], unquoted */
  int with_props;
  /* content=: the table followed (name[0]) and its columns, or n == 0. */
  gops_source content;
  /* Statements of the point writes, prepared once (see log.c). */
  sqlite3_stmt *stmt[12];
} gops_log;

/* The log's columns, for CREATE TABLE: `user_id`, `ts`, `event` TEXT... */
char *gops_log_columns(const gops_log *log);
void gops_log_clear(gops_log *log);

/* The shadow tables: made at CREATE, dropped at DROP TABLE, renamed with
** the table; 1 if suffix names one (xShadowName). */
int gops_log_create(sqlite3 *db, const gops_log *log, char **pzErr);
int gops_log_drop(sqlite3 *db, gops_log *log, char **pzErr);
int gops_log_rename(sqlite3 *db, gops_log *log, const char *new_name, char **pzErr);
int gops_log_shadow_name(const char *suffix);

/* ---- writing ----------------------------------------------------------- */

/* One event from SQL values (the user, time, event name and properties
** as INSERT gives them): checked (a NULL user or time, a time that is not
** one, a real user, a blob event are errors naming the column), added,
** and its rowid in *rowid.  merge: a write that leaves the block's
** pending records over the bound merges them (an UPDATE does not, so that
** the rowids it collected stay good). */
int gops_log_insert(sqlite3 *db, gops_log *log, sqlite3_value **values, int merge,
                    sqlite3_int64 *rowid, char **pzErr);
/* Removes the event of a rowid ("no such row" when there is none). */
int gops_log_delete_rowid(sqlite3 *db, gops_log *log, sqlite3_int64 rowid, char **pzErr);
/* Removes one event with these values (the 'delete' command); a row the
** log would not hold (a NULL user or time) removes nothing; no such event
** is an error. */
int gops_log_delete_values(sqlite3 *db, gops_log *log, sqlite3_value **values, char **pzErr);
/* The commands. */
int gops_log_rebuild(sqlite3 *db, gops_log *log, char **pzErr);
int gops_log_append(sqlite3 *db, gops_log *log, char **pzErr);
int gops_log_optimize(sqlite3 *db, gops_log *log, char **pzErr);
int gops_log_integrity_check(sqlite3 *db, gops_log *log, char **pzErr);

/* ---- reading --------------------------------------------------------------- */

/* A walk over a log's blocks, in user order; for each block, its users
** with their events merged (gops_log_merge). */
typedef struct gops_log_scan {
  sqlite3 *db;
  const gops_log *log;
  const char *module;   /* who reads, for messages */
  int with_props;
  sqlite3_stmt *blocks;
  uint32_t n_names;     /* the dictionary's highest code */
  sqlite3_int64 block_id;
  gops_log_block main, pending;
  gops_log_merge merge; /* the current block's users */
  int without_places;   /* set after open: the runs' places are not read */
} gops_log_scan;

/* Opens a walk (reading properties when with_props and the log has them). */
int gops_log_scan_open(sqlite3 *db, const gops_log *log, const char *module, int with_props,
                       gops_log_scan *scan, char **pzErr);
/* The next block: SQLITE_ROW (walk its users with gops_log_merge_next(
** &scan->merge, ...)), SQLITE_DONE, or an error. */
int gops_log_scan_block(gops_log_scan *scan, char **pzErr);
void gops_log_scan_close(gops_log_scan *scan);

/* The dictionary: names[code] for codes 0 (NULL) .. *n, and their bytes
** (*lens, when lens is not NULL: a name may hold a NUL), in one
** sqlite3_malloc'ed allocation (free names with sqlite3_free). */
int gops_log_names(sqlite3 *db, const gops_log *log, const char *module, char ***names,
                   const int **lens, uint32_t *n, char **pzErr);

/* gops_source_events()' packed way (events.c): *used 1 when the scan's
** source is a log whose user and time are the source's, and the query's
** more and where name no column of it but its event column; then the
** events went to fn as gops_source_events() hands them over. */
int gops_log_source_events(const gops_scan *scan, const gops_events_query *q,
                           gops_event_fn fn, void *ctx, int *used, char **pzErr);

/* A user as the log keeps it, from an SQL value (an integer, a real with
** no fraction, text or a blob of at most GOPS_LOG_USER_BYTES_MAX bytes):
** SQLITE_OK, SQLITE_MISMATCH for anything else (a real with a fraction,
** NULL), SQLITE_TOOBIG, or SQLITE_NOMEM.  The bytes point into the value. */
int gops_log_user_read(sqlite3_value *v, gops_log_user *out);
/* A user as an SQL result. */
void gops_log_user_result(sqlite3_context *ctx, const gops_log_user *u);

#endif
