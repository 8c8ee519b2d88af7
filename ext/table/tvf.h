/*
** tvf.h: one engine for growthops' table-valued functions.
**
** A table-valued function such as periods('2025-01-01', '2025-12-31',
** 'month') is described by a gops_tvf: its columns, its arguments (the
** HIDDEN columns, in call order) and a compute() that fills a gops_rows
** table from the arguments.  gops_tvf_register() makes it an eponymous
** virtual table the series.c way:
**   - the arguments are HIDDEN columns; only "=" constraints on them are
**     used, and idxNum is the bitmask of the arguments given (bit i set =
**     argument i present, passed to xFilter in argument order);
**   - a required argument that is absent gives "name(): missing 2nd
**     argument (to_date)"; one present but not usable yet gives
**     SQLITE_CONSTRAINT so that SQLite picks another plan;
**   - the table is declared innocuous: it reads nothing but its arguments.
**
** What the arguments mean, and how NULL is treated, is compute()'s
** business; the convention is that NULL in a required argument gives an
** empty table and NULL in an optional one means its default.
*/
#ifndef GROWTHOPS_TVF_H
#define GROWTHOPS_TVF_H

#include "growthops_internal.h"

/* The most arguments a table-valued function takes. */
#define GOPS_TVF_MAX_ARGS 8

/* A growable row-major table of SQL values, n_cols per row. */
typedef struct gops_rows gops_rows;

int gops_rows_n_cols(const gops_rows *rows);
/* Append the next cell of the current row; a new row starts every n_cols
** cells.  Each returns SQLITE_OK or SQLITE_NOMEM. */
int gops_rows_int(gops_rows *rows, sqlite3_int64 value);
int gops_rows_double(gops_rows *rows, double value); /* NaN/Inf -> NULL */
int gops_rows_text(gops_rows *rows, const char *text, int n); /* copied */
int gops_rows_null(gops_rows *rows);
/* A day number, read back as 'YYYY-MM-DD' text (formatted only when read). */
int gops_rows_day(gops_rows *rows, int64_t day);

typedef struct gops_tvf {
  const char *name;
  /* "CREATE TABLE x(key TEXT, ..., from_date HIDDEN, ...)": the visible
  ** columns first, then one HIDDEN column per argument. */
  const char *schema;
  int n_columns;   /* visible columns */
  int n_args;      /* HIDDEN argument columns */
  int n_required;  /* the first n_required arguments must be given */
  const char *arg_names[GOPS_TVF_MAX_ARGS]; /* for messages */
  /* Fills rows from args[0..n_args-1]; an argument not given is a NULL
  ** pointer.  Returns SQLITE_OK, or an error code with *pzErr set (an
  ** sqlite3_mprintf'ed message naming the function and argument). */
  int (*compute)(sqlite3_value **args, gops_rows *rows, char **pzErr);
} gops_tvf;

int gops_tvf_register(sqlite3 *db, const gops_tvf *tvf, char **pzErrMsg);

#endif
