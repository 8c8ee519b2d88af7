/*
** source.h: what the tables over a user's events share
** (CREATE VIRTUAL TABLE x USING funnel(source, user, time, ...), and the
** lifecycle and cohort tables).  The layer (table.h) reads the source's
** names for them; their configure() and compute() use the rest.
**
** - gops_source: the source table or view and the columns named in the
**   CREATE arguments, each one SQL identifier (bare, "double", [bracket],
**   `backtick` or 'single' quoted); anything else is refused, so no
**   argument can carry SQL.  Each is kept quoted for SQL text as well, in
**   backticks, which SQLite never reads as a string (a "double-quoted" name
**   that no longer resolves would be read as one: a renamed column would
**   then count every row as one user, silently).
** - gops_source_events(): the one reading of a source's events that every
**   table over a source uses: its query, the times read and checked, NULL
**   users and times skipped, the range applied, each row handed over.
** - gops_source_prepare() and gops_source_failed(): a compute()'s query of
**   its source, and its errors as "funnel: no such column: user_id".
** - gops_source_unquote(), gops_source_number(), gops_source_expression():
**   the CREATE arguments that are values or conditions.
** - gops_user: a user value compared as SQL's DISTINCT compares it.
**
** These tables read the database, so they are not declared innocuous:
** under PRAGMA trusted_schema=OFF SQLite refuses them inside views and
** triggers, and they still work in the user's own queries.
*/
#ifndef GROWTHOPS_SOURCE_H
#define GROWTHOPS_SOURCE_H

#include "table.h"

/* The longest identifier accepted, in bytes. */
#define GOPS_IDENTIFIER_MAX 128

struct gops_source {
  int n;                            /* name[0]: the table or view; then columns */
  char *name[GOPS_TABLE_MAX_ARGS];  /* as written, unquoted */
  char *quoted[GOPS_TABLE_MAX_ARGS]; /* `name`, for SQL text */
};

/* The layer's part: argv[0..n-1] read as identifiers into *src, their
** messages naming arg_names[i]; then, at CREATE only, that the table or
** view exists (main or temp) with those columns.  SQLITE_OK, or an error
** with *pzErr set (NULL for out of memory). */
int gops_source_read(const char *module, const char *const *arg_names, int n,
                     const char *const *argv, gops_source *src, char **pzErr);
int gops_source_check(sqlite3 *db, const char *module, const gops_source *src,
                      char **pzErr);
void gops_source_clear(gops_source *src);

/* The modules whose tables read nothing but the database and the names
** they are given (SQLite's full-text and r-tree tables, growthops' tables
** over a source): a table over a source reads only tables of these (or
** ordinary tables and views), and script_guard() refuses a database with a
** virtual table of any other module.  1 if module[0..len-1] is one
** (ignoring ASCII case, as SQLite finds modules). */
int gops_source_safe_module(const char *module, size_t len);

/* Before a scan reads its source: SQLITE_OK when the source, as its name
** resolves (temp, main, then the attached databases), is an ordinary table
** or a view, or a virtual table of a safe module; else "funnel: the source
** \"z\" is a virtual table of the module zipfile, ...".  A table's own
** query is a statement of its own, so SQLite's refusals of direct-only and
** untrusted virtual tables in views and triggers do not apply to what it
** reads: this check stands in for them. */
int gops_source_check_module(const gops_scan *scan, char **pzErr);

/* Prepares a query of the source for a scan; an error is "module: <what
** SQLite says>" ("funnel: no such table: events"). */
int gops_source_prepare(const gops_scan *scan, const char *sql,
                        sqlite3_stmt **stmt, char **pzErr);
/* After sqlite3_step() returned rc (not SQLITE_ROW or SQLITE_DONE): sets
** the message the same way and returns rc. */
int gops_source_failed(const gops_scan *scan, int rc, char **pzErr);

/* A CREATE argument that is a value rather than a name (a grain, a
** mode): trimmed, and unquoted when it is wholly one '...' or "..."
** string, so that week, 'week' and "week" read the same.  An
** sqlite3_malloc'ed string, or NULL for out of memory. */
char *gops_source_unquote(const char *arg);

/* A CREATE option that names one more column of the source (a funnel's
** breakdown): one identifier, as the source's names are, and at CREATE
** checked against the database ("funnel: table "events" has no column
** "chanel"").  *quoted is `name` for SQL text, sqlite3_malloc'ed. */
int gops_source_column(const gops_create *create, const char *arg, int index0,
                       const char *name, char **quoted, char **pzErr);

/* A CREATE argument that is a number, quoted or not ('60' and 60 alike):
** text.h's SQL grammar, above 0 when positive; else "module: 6th argument
** (window) must be <what>, got '...'". */
int gops_source_number(const char *arg, const char *module, int index0,
                       const char *name, int positive, const char *what,
                       double *out, char **pzErr);

/* A CREATE argument that is a JSON array (quoted or not) of 1 to max
** names (with_number 0), [name, number] pairs (1) or [name, number,
** number] triples (2), text.h's gops_json_names(), into *items (free with
** gops_json_names_free()); else "module: 5th argument (steps) must be
** <what>, got '...'". */
int gops_source_names(const char *arg, const char *module, int index0, const char *name,
                      int with_number, int max, const char *what, gops_json_name **items,
                      int *count, char **pzErr);

/* A CREATE argument that is a whole number from 1 to max, quoted or not;
** else "module: 8th argument (top) must be <what>, got '...'". */
int gops_source_count(const char *arg, const char *module, int index0, const char *name,
                      int64_t max, const char *what, int64_t *out, char **pzErr);

/* A CREATE argument read as one SQL expression (a condition such as
** "event = 'register'"): unquoted as gops_source_unquote() does, then it
** must be non-empty, with balanced parentheses, closed quotes and comments
** and no ';' outside them, so that written between "(\n" and "\n)" it
** stays one expression and cannot end the statement around it.  Whether it
** is valid SQL over the source is for the caller to check by preparing it.
** An sqlite3_malloc'ed string; NULL with *pzErr set ("cohorts: 5th argument
** (start_condition) must be one SQL expression, got '...'") or NULL with
** *pzErr NULL for out of memory. */
char *gops_source_expression(const char *arg, const char *module, int index0,
                             const char *name, char **pzErr);

/* "module: 4th argument (grain) must be <what>, got '<value>'" for a
** CREATE argument (value as given, or as unquoted). */
int gops_source_arg_error(const char *module, int index0, const char *name,
                          const char *what, const char *value, char **pzErr);

/* A user's value as SQL's DISTINCT compares it with the BINARY collation:
** 7 and 7.0 are one user (a real with no fraction is read as an integer),
** 7 and '7' two. */
enum { GOPS_USER_INTEGER, GOPS_USER_REAL, GOPS_USER_TEXT, GOPS_USER_BLOB };
typedef struct gops_user {
  int kind;
  int64_t number;             /* the integer, or the real's bits */
  const unsigned char *bytes; /* text or blob: in the value (not copied) */
  int n;
} gops_user;
/* Reads a value that is not NULL; SQLITE_OK or SQLITE_NOMEM. */
int gops_user_read(sqlite3_value *v, gops_user *out);
/* 1 if a and b are the same user; b's bytes may be a's kept elsewhere. */
int gops_user_same(const gops_user *a, const gops_user *b);
/* A total order of users, 0 exactly when gops_user_same(): by kind, then
** integers by value, reals by their bits (an order, not the numbers'),
** text and blobs by their bytes (memcmp, then the shorter first), as the
** event log orders its users. */
int gops_user_compare(const gops_user *a, const gops_user *b);
/* *out = user, its bytes (text, blob) copied into *buf, an sqlite3_malloc'ed
** buffer of *cap bytes grown as needed (the caller frees it): a user that
** outlives its row.  SQLITE_OK or SQLITE_NOMEM. */
int gops_user_copy(gops_user *out, const gops_user *user, unsigned char **buf, int *cap);

/* ---- the events of a source ------------------------------------------------ */

/* One row of the source, its user and time read. */
typedef struct gops_event {
  gops_user user;     /* its bytes are in the row: copy them to keep them */
  double ts;          /* unix seconds */
  /* The values of the query's more, in order, good while fn runs (read
  ** them with sqlite3_value_text() and the like). */
  sqlite3_value *const *more;
} gops_event;

typedef int (*gops_event_fn)(void *ctx, const gops_event *event, char **pzErr);

/* A user's events at once, as the packed way hands them to a table that
** takes them (gops_events_query.runs): n >= 1 events of one user in time
** order, all within the range; event k has time ts[k] and the event name
** of code names[k] in the log's dictionary (0 for NULL, up to n_names),
** and its more values are more + names[k] * n_more: the same for every
** event of a name, so what a table works out from them can be kept by
** code.  kept is NULL when the where keeps every name; else kept[code]
** says whether it keeps the events of a name, and a run may hold events
** of a name it drops: the table skips them (their more values are NULL).
** The log's users come once each. */
typedef struct gops_event_run {
  gops_user user;
  uint32_t n;
  const double *ts;
  const uint16_t *names;
  uint32_t n_names;
  sqlite3_value *const *more;
  int n_more;
  const unsigned char *kept;
} gops_event_run;

typedef int (*gops_run_fn)(void *ctx, const gops_event_run *run, char **pzErr);

/* What a table reads of its source (name[1] the user, name[2] the time):
**   SELECT user, time[, more] FROM source [WHERE where] [ORDER BY user, time]
** more and where are SQL the table writes from its quoted names (never
** text of the user's), where with ?1 .. ?n_texts for texts[]. */
typedef struct gops_events_query {
  const char *more;
  const char *where;
  const char *const *texts;
  int n_texts;
  int by_user;     /* ORDER BY user, time: a user's rows come together */
  double range[2]; /* [since, until) in unix seconds, -INFINITY, INFINITY: all */
  /* Optional: a log's events a user at a time, to this instead of fn (the
  ** rows way still hands each row to fn). */
  gops_run_fn runs;
} gops_events_query;

/* Runs the query and hands each row to fn, skipping rows whose user or
** time is NULL and rows outside the range (pushed into the query loosely,
** applied here exactly as growthops reads times).  A time that is neither
** ISO-8601 text nor unix seconds is an error naming the value ("funnel:
** column "ts" of "events" must hold ISO-8601 times or unix seconds, got
** 'yesterday'").  Stops at fn's first error.  SQLITE_OK, or an error code
** with *pzErr set (none for out of memory). */
int gops_source_events(const gops_scan *scan, const gops_events_query *q, gops_event_fn fn,
                       void *ctx, char **pzErr);
/* A source that is an event log is read from its packed blocks when the
** query allows (ext/table/events.c says when; log.h); any other, or a
** query that names a column of the log other than its event column, is
** read row by row. */

/* The range of a scan from its HIDDEN arguments since (args[first]) and
** until (args[first + 1]): [since, until) in unix seconds, open where not
** given.  *empty is 1 when one is NULL (a comparison with NULL is never
** true: no rows).  SQLITE_OK, or an error naming the argument. */
int gops_source_range(const gops_scan *scan, int first, double range[2], int *empty,
                      char **pzErr);

#endif
