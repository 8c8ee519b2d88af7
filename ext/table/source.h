/*
** source.h: what the virtual tables over a user's events share
** (CREATE VIRTUAL TABLE x USING funnel(source, user, time, ...), and the
** lifecycle and cohort tables).
**
** - gops_source_identifier(): one CREATE argument read as one SQL
**   identifier (bare, "double", [bracket], `backtick` or 'single' quoted);
**   anything else is rejected, so no argument can carry SQL.
** - gops_source_columns(): checks at CREATE that the source table or view
**   exists and has the named columns, with an error naming what is missing.
** - gops_quote(): an identifier quoted for SQL text ("a""b").
**
** These tables read the database, so they are not declared innocuous:
** under PRAGMA trusted_schema=OFF SQLite refuses them inside views and
** triggers, and they still work in the user's own queries.
*/
#ifndef GROWTHOPS_SOURCE_H
#define GROWTHOPS_SOURCE_H

#include "growthops_internal.h"

/* The longest identifier accepted, in bytes. */
#define GOPS_IDENTIFIER_MAX 128

/* argv[3 + index0] of xCreate, unquoted, as an sqlite3_malloc'ed string;
** NULL with *pzErr set ("funnel: 2nd argument (user) must be ...") or
** NULL with *pzErr NULL for out of memory. */
char *gops_source_identifier(const char *arg, const char *module, int index0,
                             const char *name, char **pzErr);

/* Checks that table (a table or view of the main schema, or a temp one)
** has every column of columns[0..n-1]; returns SQLITE_OK or an error with
** *pzErr naming the missing table or column. */
int gops_source_columns(sqlite3 *db, const char *module, const char *table,
                        const char *const *columns, int n, char **pzErr);

/* A CREATE argument that is a value rather than a name (a grain, a
** mode): trimmed, and unquoted when it is wholly one '...' or "..."
** string, so that week, 'week' and "week" read the same.  An
** sqlite3_malloc'ed string, or NULL for out of memory. */
char *gops_source_unquote(const char *arg);

/* argv[3 + index0] of xCreate read as one SQL expression (a condition such
** as "event = 'register'"): unquoted as gops_source_unquote() does, then
** it must be non-empty, with balanced parentheses, closed quotes and
** comments and no ';' outside them, so that written between "(\n" and
** "\n)" it stays one expression and cannot end the statement around it.
** Whether it is valid SQL over the source is for the caller to check by
** preparing it.  An sqlite3_malloc'ed string; NULL with *pzErr set
** ("cohorts: 5th argument (start_condition) must be one SQL expression,
** got '...'") or NULL with *pzErr NULL for out of memory. */
char *gops_source_expression(const char *arg, const char *module, int index0,
                             const char *name, char **pzErr);

/* "name" with embedded quotes doubled: sqlite3_mprintf("%w") in quotes. */
char *gops_quote(const char *identifier);

#endif
