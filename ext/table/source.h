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

/* A CREATE argument that is a number, quoted or not ('60' and 60 alike):
** text.h's SQL grammar, above 0 when positive; else "module: 6th argument
** (window) must be <what>, got '...'". */
int gops_source_number(const char *arg, const char *module, int index0,
                       const char *name, int positive, const char *what,
                       double *out, char **pzErr);

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

#endif
