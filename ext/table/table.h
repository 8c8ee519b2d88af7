/*
** table.h: the one virtual-table layer of growthops.
**
** Every table of growthops is a gops_table: a descriptor that states its
** shape once (its columns, its arguments and their names) and a compute()
** that fills a gops_rows result.  The layer does the rest, the same way
** for all of them:
**
**   - Table-valued functions (periods, growth_path, kpi_split,
**     staffing_plan, funnel_stages): eponymous, innocuous tables whose
**     arguments are HIDDEN columns: SELECT * FROM periods(a, b, 'month').
**   - Tables created over a source (funnel, lifecycle, cohorts,
**     stickiness, paths): CREATE VIRTUAL TABLE x USING funnel(events,
**     user_id, ts, ...).  Their CREATE arguments are stated in the
**     descriptor too, and the first ones may name the source and its
**     columns (source.h reads those).  After the positional arguments a
**     table may take named options, name=value in any order, as SQLite's
**     own csv and fts5 tables do: funnel(..., 86400, breakdown=channel).
**     A table's columns may depend on its arguments (stickiness by day or
**     by week): configure() then picks one of the descriptor's shapes.
**   - Tables that keep their own data (event_log, GOPS_TABLE_KEEPS_DATA),
**     as FTS5 does: in shadow tables named <table>_<suffix>, which
**     configure() creates, destroy() drops and rename() renames; written
**     through write() (INSERT, DELETE, UPDATE, and commands given in a
**     hidden column named after the table, INSERT INTO x(x) VALUES
**     ('optimize')); their columns are the table's own (columns_of()).
**     The hidden column reads as NULL; a table over events finds a log's
**     config with gops_kept_table().  xShadowName marks the shadow
**     tables, so that SQLITE_DBCONFIG_DEFENSIVE keeps ordinary SQL from
**     writing them.
**
** Planning (xBestIndex), series.c's rule: only "=" constraints on the
** HIDDEN argument columns are used, and idxNum is the bitmask of the
** arguments given (bit i: argument i, passed to xFilter in argument
** order).  An argument constrained but not usable in this plan (its value
** comes from a table joined later) refuses the plan with SQLITE_CONSTRAINT,
** so that SQLite picks the one where it is usable; a required argument not
** constrained at all is an error, "name(): missing 2nd argument (to_date)".
**
** Creating and connecting: xCreate reads the CREATE arguments and checks
** them against the database (the source and its columns exist, conditions
** prepare); xConnect only reads them again.  So a table whose source is
** gone still connects, can be dropped, and says what is missing when it is
** queried (its compute() prepares its query then, and that fails).
**
** Scanning: xFilter runs compute() into a fresh gops_rows; the cursor then
** walks the rows (open, close, eof, rowid and column are the layer's).  A
** HIDDEN argument column reads back the value given.  For tables over a
** source, a guard on the connection refuses a scan that would run inside
** another scan of the same table (tables that read each other, at any
** depth), one nested deeper than GOPS_TABLE_NESTING_MAX, and a table that
** runs SQL of the user's (GOPS_TABLE_RUNS_SQL) read by another table.
**
** gops_rows is sticky, as sqlite3_str is: the first failure (out of
** memory) is kept and every append after it does nothing, so compute()
** appends cell after cell and ends with return gops_rows_status(rows).
** A table of many rows (an event log's) fills them a batch at a time:
** compute() returns SQLITE_ROW when more are to come, and the layer calls
** it again, with the same scan, once the cursor has walked the batch.
*/
#ifndef GROWTHOPS_TABLE_H
#define GROWTHOPS_TABLE_H

#include "growthops_internal.h"

/* The most HIDDEN arguments, and the most CREATE arguments, of a table. */
#define GOPS_TABLE_MAX_ARGS 8
/* The most named options of a table, and the most shapes. */
#define GOPS_TABLE_MAX_OPTIONS 8
#define GOPS_TABLE_MAX_SHAPES 4
/* The most tables over tables, one scan inside another. */
#define GOPS_TABLE_NESTING_MAX 16

/* ---- the result rows ------------------------------------------------------ */

/* A growable table of SQL values, a fixed number of cells per row. */
typedef struct gops_rows gops_rows;

/* Append the next cell of the current row; a new row starts every n_cols
** cells.  Each returns the status so far: SQLITE_OK, or the first
** SQLITE_NOMEM (after which appends do nothing). */
int gops_rows_int(gops_rows *rows, sqlite3_int64 value);
int gops_rows_double(gops_rows *rows, double value); /* NaN/Inf -> NULL */
int gops_rows_text(gops_rows *rows, const char *text, int n); /* copied; n < 0: strlen */
int gops_rows_blob(gops_rows *rows, const void *bytes, int n); /* copied */
int gops_rows_null(gops_rows *rows);
/* A day number, read back as 'YYYY-MM-DD' text (formatted only when read). */
int gops_rows_day(gops_rows *rows, int64_t day);
/* A period by its ordinal (gops_period_ordinal()), read back as its key,
** '2025-W10' (formatted only when read). */
int gops_rows_period(gops_rows *rows, int64_t ordinal, gops_grain grain);
/* A count kept as a double: an integer cell when it is whole, else real;
** NULL for NaN. */
int gops_rows_count(gops_rows *rows, double value);
/* The rowid of the row whose cells come next (called before its first
** cell, for every row of a table that gives rowids); without it a row's
** rowid is its number, from 1. */
int gops_rows_rowid(gops_rows *rows, sqlite3_int64 rowid);
/* SQLITE_OK, or the first error of an append. */
int gops_rows_status(const gops_rows *rows);

/* ---- what compute() and configure() see ------------------------------------ */

typedef struct gops_source gops_source; /* source.h */
typedef struct gops_tables gops_tables; /* below */

/* One scan: xFilter's call to compute(). */
typedef struct gops_scan {
  sqlite3 *db;
  const char *module;   /* the descriptor's name: "periods", "funnel" */
  const char *table;    /* the table's own name (CREATE-time tables) */
  const gops_source *source; /* tables over a source, else NULL */
  void *config;         /* what configure() read (CREATE-time tables) */
  sqlite3_value **args; /* the HIDDEN arguments; NULL pointer: not given */
  /* A compute() that gives its rows in batches keeps its place here
  ** between calls (NULL at the first); the layer frees it with
  ** scan_release() when the scan ends. */
  void **resume;
  gops_tables *tables;  /* the connection's tables (gops_kept_table) */
} gops_scan;

/* xCreate's or xConnect's call to configure(). */
typedef struct gops_create {
  sqlite3 *db;
  const char *module;
  const char *table;
  const char *schema;         /* where the table is: "main", "temp", ... */
  int create;                 /* 1 in xCreate: check against the database */
  int argc;                   /* the CREATE arguments, as written */
  const char *const *argv;
  const gops_source *source;  /* read from argv[0..n_source_names-1] */
  /* The named options, by their place in the descriptor's options[]: the
  ** value after '=' (trimmed, as written: gops_source_unquote() and the
  ** other readers take it from there), or NULL when not given; and the
  ** argument it was (0-based, for gops_source_arg_error()). */
  const char *option[GOPS_TABLE_MAX_OPTIONS];
  int option_at[GOPS_TABLE_MAX_OPTIONS];
  /* configure() may set this to one of the descriptor's shapes[] when the
  ** arguments ask for other columns; 0 (the default) is the descriptor's
  ** own columns and sorted_by. */
  int shape;
} gops_create;

/* A write to a table that keeps data (xUpdate): argv as SQLite passes it.
** argc 1: delete the row whose rowid is argv[0]; else argv[0] is the old
** rowid (NULL for an insert), argv[1] the new one, then the visible
** columns and last the hidden column named after the table. */
typedef struct gops_write {
  sqlite3 *db;
  const char *module;
  const char *table;
  void *config;
  int argc;
  sqlite3_value **argv;
  sqlite3_int64 rowid; /* an insert's new rowid, set by write() */
} gops_write;

/* ---- the descriptor ---------------------------------------------------------- */

/* The table runs SQL of the user's (cohorts' conditions): SQLite may run
** it only from a statement of the user's own (SQLITE_VTAB_DIRECTONLY), and
** the layer refuses it as the source of another table. */
#define GOPS_TABLE_RUNS_SQL 1u
/* The table keeps its own data in shadow tables (see the top). */
#define GOPS_TABLE_KEEPS_DATA 2u

/* Columns and the order the rows come in, for a table whose columns
** depend on its arguments (gops_create.shape picks one). */
typedef struct gops_shape {
  const char *columns;
  unsigned sorted_by[4];
} gops_shape;

typedef struct gops_table {
  const char *name;
  /* The visible columns as CREATE TABLE writes them:
  ** "key TEXT, first_day TEXT, last_day TEXT, days INTEGER". */
  const char *columns;
  /* The HIDDEN argument columns, in call order; the first n_required must
  ** be given. */
  const char *args[GOPS_TABLE_MAX_ARGS];
  int n_required;
  /* CREATE-time tables only (a table-valued function has none): the
  ** arguments of CREATE VIRTUAL TABLE x USING name(...), for the count
  ** check and the messages; the first n_create_required must be given.
  ** The first n_source_names of them are the source table or view and
  ** columns of it, read and checked by the layer (source.h). */
  const char *create_args[GOPS_TABLE_MAX_ARGS];
  int n_create_required;
  int n_source_names;
  /* Named options, name=value, that may follow the n_create_required
  ** positional arguments (a table with options has no optional positional
  ** ones): each at most once, names compared ignoring case. */
  const char *options[GOPS_TABLE_MAX_OPTIONS];
  /* Other shapes than .columns and .sorted_by (shape 0), numbered from 1:
  ** shapes[0] is shape 1. */
  gops_shape shapes[GOPS_TABLE_MAX_SHAPES];
  unsigned flags; /* GOPS_TABLE_RUNS_SQL */
  /* The rows come out sorted by these visible columns, in this order
  ** (each a bitmask of the columns that sort alike, e.g. a period index and
  ** its key); 0 ends the list.  Lets SQLite skip an ORDER BY. */
  unsigned sorted_by[4];
  /* CREATE-time tables: config_size bytes (zeroed) that configure() fills
  ** from the arguments after the source names, and release() frees inside. */
  size_t config_size;
  int (*configure)(gops_create *create, void *config, char **pzErr);
  void (*release)(void *config);
  /* Fills rows; returns SQLITE_OK, or an error code with *pzErr set (an
  ** sqlite3_mprintf'ed message naming the table and what is wrong); or
  ** SQLITE_ROW: a batch is filled and more rows are to come. */
  int (*compute)(const gops_scan *scan, gops_rows *rows, char **pzErr);
  void (*scan_release)(void *resume);
  /* GOPS_TABLE_KEEPS_DATA only.  columns_of(): the table's visible
  ** columns as CREATE TABLE writes them (sqlite3_malloc'ed; NULL for out
  ** of memory) and their number in *n_columns, at most the descriptor's
  ** (names are the user's, so the layer does not count commas). */
  char *(*columns_of)(const void *config, int *n_columns);
  int (*write)(gops_write *write, char **pzErr);
  /* 1 when <table>_<suffix> is one of its shadow tables (xShadowName). */
  int (*shadow_name)(const char *suffix);
  int (*destroy)(sqlite3 *db, const char *table, void *config, char **pzErr);
  int (*rename)(sqlite3 *db, const char *table, void *config, const char *new_name,
                char **pzErr);
} gops_table;

/* Per connection: the scans in progress of tables over a source (the
** nesting guard) and the tables that keep data, shared by every table the
** connection registers. */

/* The connection's state, before the first gops_table_register(); NULL
** for out of memory.  Each registration holds a reference; the last
** module SQLite destroys frees it. */
gops_tables *gops_tables_new(void);
/* Checks the descriptor (a mistake in it is SQLITE_MISUSE, named in
** *pzErrMsg) and registers it as a module of db. */
int gops_table_register(sqlite3 *db, gops_tables *tables,
                        const gops_table *table, char **pzErrMsg);
/* Drops the reference gops_tables_new() gave (after the registrations). */
void gops_tables_unref(gops_tables *tables);

/* The table that keeps data of module `module` (a descriptor's name) that
** name means in a query of the scan's connection (temp first, then main),
** connected if it was not: its config in *config, or NULL when name means
** something else (another kind of table, a view, nothing).  SQLITE_OK or
** SQLITE_NOMEM. */
int gops_kept_table(const gops_scan *scan, const char *module, const char *name,
                    void **config);

/* The tables of growthops, each defined in its area's binding and
** registered by sqlite3_growthops_init() (growthops.c). */
extern const gops_table gops_periods_table;        /* calendar.c */
extern const gops_table gops_growth_path_table;    /* growth.c */
extern const gops_table gops_kpi_split_table;      /* kpi.c */
extern const gops_table gops_staffing_plan_table;  /* staffing.c */
extern const gops_table gops_funnel_stages_table;  /* funnel.c */
extern const gops_table gops_funnel_table;         /* funnel.c */
extern const gops_table gops_lifecycle_table;      /* lifecycle.c */
extern const gops_table gops_cohorts_table;        /* lifecycle.c */
extern const gops_table gops_event_log_table;      /* eventlog.c */
extern const gops_table gops_stickiness_table;     /* lifecycle.c */
extern const gops_table gops_paths_table;          /* paths.c */

#endif
