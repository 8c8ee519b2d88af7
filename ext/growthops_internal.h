/*
** growthops_internal.h: what the SQLite bindings of growthops share; all
** of it is defined in args.c.
**
** - gops_function and gops_register_functions(): the table-driven
**   registration every area uses (one array, one loop, every code checked).
** - The argument readers gops_arg_*() and gops_read_*(): each turns
**   sqlite3_values into C values or into an error message that names the
**   function and the argument, e.g. "period_start(): 1st argument (date)
**   must be ...".  The message is returned through *pzErr
**   (sqlite3_mprintf), so that scalar functions (gops_result_error_take)
**   and virtual tables (zErrMsg) report it the same way.
** - The range helpers for the planning tables' (from_date, to_date, grain).
** - gops_errorf() for every other message, gops_result_double() for a
**   double result (NULL instead of NaN or Inf), gops_sqlite_alloc for the
**   cores that take an allocator.
**
** Only binding files include this header; the C cores do not know SQLite.
*/
#ifndef GROWTHOPS_INTERNAL_H
#define GROWTHOPS_INTERNAL_H

#include <sqlite3ext.h>
#include <stdint.h>

#include "calendar_core.h"
#include "text.h"

/* Every binding file but growthops.c says SQLITE_EXTENSION_INIT3. */
SQLITE_EXTENSION_INIT3

/* A macro's value as a string literal: STRINGIFY(GOPS_IDENTIFIER_MAX). */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* Flags of a function whose result depends on its arguments only: safe in
** views, triggers and indexes, also under PRAGMA trusted_schema=OFF. */
#define GOPS_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* The most periods a planning table walks (periods(), growth_path(),
** kpi_split(), staffing_plan()): 10,000 years of days would be 3.65
** million rows; the bound keeps a typo from filling memory. */
#define GOPS_PERIODS_MAX 100000

typedef void (*gops_xfunc)(sqlite3_context *, int, sqlite3_value **);
typedef void (*gops_xfinal)(sqlite3_context *);

typedef struct gops_function {
  const char *name;
  int n_arg;          /* -1 for any number */
  int flags;
  gops_xfunc xFunc;   /* scalar functions */
  gops_xfunc xStep;   /* aggregates */
  gops_xfinal xFinal;
  gops_xfinal xValue; /* with xInverse: also a window function */
  gops_xfunc xInverse;
} gops_function;

/* Registers n functions; on failure sets *pzErrMsg naming the function. */
int gops_register_functions(sqlite3 *db, const gops_function *functions,
                            int n, char **pzErrMsg);

/* Each area's registration of its functions, called from
** sqlite3_growthops_init(); the tables are listed in table.h. */
typedef int (*gops_area_init)(sqlite3 *db, char **pzErrMsg);
int gops_calendar_init(sqlite3 *db, char **pzErrMsg);
int gops_charts_init(sqlite3 *db, char **pzErrMsg);
int gops_growth_init(sqlite3 *db, char **pzErrMsg);
int gops_funnel_init(sqlite3 *db, char **pzErrMsg);
int gops_staffing_init(sqlite3 *db, char **pzErrMsg);
int gops_toolkit_init(sqlite3 *db, char **pzErrMsg);
int gops_kpi_init(sqlite3 *db, char **pzErrMsg);

/* SQLite's allocator for the cores that take one (text.h). */
extern const gops_alloc gops_sqlite_alloc;

/* "1st", "2nd", "3rd", "4th", ... */
const char *gops_ordinal(int index0);

/* *pzErr = sqlite3_mprintf(format, ...); returns SQLITE_ERROR, or
** SQLITE_NOMEM when the message could not be made. */
int gops_errorf(char **pzErr, const char *format, ...);

/* Sets the error from an sqlite3_mprintf'ed message and frees it; a NULL
** message means out of memory. */
void gops_result_error_take(sqlite3_context *ctx, char *message);
/* Like sqlite3_result_error with a printf format; frees what it formats. */
void gops_result_errorf(sqlite3_context *ctx, const char *format, ...);
/* A double result; NULL where it is NaN or +-Inf. */
void gops_result_double(sqlite3_context *ctx, double value);

/*
** The argument readers.  index0 is the argument's position (0 = 1st) and
** name its documented name, both only for the message.  They return
** SQLITE_OK, SQLITE_ERROR with *pzErr set, or SQLITE_NOMEM.  None of them
** accepts NULL: callers check sqlite3_value_type() == SQLITE_NULL first,
** because what NULL means (NULL out, a default) is the caller's choice.
*/
/* A finite number: an integer, a real, or text that is wholly a number
** (text.h's SQL grammar: no hex, within a double's range). */
int gops_arg_number(sqlite3_value *v, const char *fn, int index0,
                    const char *name, double *out, char **pzErr);
/* A number from lo to hi (above lo when lo_open), or an error saying
** "must be <what>". */
int gops_arg_number_within(sqlite3_value *v, const char *fn, int index0,
                           const char *name, double lo, int lo_open,
                           double hi, const char *what, double *out,
                           char **pzErr);
/* An integer, or a real with no fraction. */
int gops_arg_int64(sqlite3_value *v, const char *fn, int index0,
                   const char *name, int64_t *out, char **pzErr);
/* An instant: ISO-8601 text or unix seconds (a number). */
int gops_arg_unix(sqlite3_value *v, const char *fn, int index0,
                  const char *name, double *out, char **pzErr);
/* A day number (see calendar_core.h) from ISO-8601 text or unix seconds. */
int gops_arg_day(sqlite3_value *v, const char *fn, int index0,
                 const char *name, int64_t *out, char **pzErr);
/* A grain name. */
int gops_arg_grain(sqlite3_value *v, const char *fn, int index0,
                   const char *name, gops_grain *out, char **pzErr);

/* Text (not a number or a blob) with no NUL byte inside, which C would
** read up to the NUL; *out points into the value.  Else "must be text". */
int gops_arg_text(sqlite3_value *v, const char *fn, int index0,
                  const char *name, const char **out, char **pzErr);

/* The text of a word argument (a grain, a mode, a direction, a method):
** text with no NUL byte inside, else NULL (a number, a blob, out of
** memory, or text a NUL would cut short).  The caller's message then shows
** the whole value (gops_value_for_message). */
const char *gops_value_word(sqlite3_value *v);

/* Reads args[0..n-1] as numbers named names[0..n-1] into out[].  Every
** argument is checked for NULL before any is read, so a NULL wins over a
** bad value.  Returns 1 when all are numbers, 0 when one is NULL (the
** result is NULL), -1 after setting the error on ctx. */
int gops_read_numbers(sqlite3_context *ctx, sqlite3_value **args, int n,
                      const char *fn, const char *const *names, double *out);

/* An instant from a value that is not an argument (a row of a user's
** table): ISO-8601 text or unix seconds within the years 0000 to 9999.
** Returns 0, or -1 for anything else (NULL included). */
int gops_value_unix(sqlite3_value *v, double *out);

/* The (from_date, to_date, grain) arguments every planning table starts
** with: both dates valid, from_date <= to_date, and not more periods than
** GOPS_PERIODS_MAX. */
int gops_read_range(sqlite3_value **args, const char *fn, int64_t *from,
                    int64_t *to, gops_grain *grain, char **pzErr);
/* The same where (from_date, to_date, grain) are args[index0..index0+2],
** e.g. growth_path(start_value, target_value, from_date, to_date, grain):
** the messages give the arguments' real ordinals. */
int gops_read_range_at(sqlite3_value **args, int index0, const char *fn,
                       int64_t *from, int64_t *to, gops_grain *grain,
                       char **pzErr);
/* The two checks of gops_read_range(), for functions whose dates are not
** their first two arguments: from <= to (from_date being the argument
** from_index0 and to_date the next), and not more than GOPS_PERIODS_MAX
** periods of the grain (nor a first week that begins before 0000-01-01).
** SQLITE_OK, or an error with *pzErr set. */
int gops_check_dates(int64_t from, int64_t to, const char *fn,
                     int from_index0, char **pzErr);
int gops_check_periods(int64_t from, int64_t to, gops_grain grain,
                       const char *fn, char **pzErr);
/* "fn(): 1st argument (name) must be <what>, got <value>" in *pzErr, for
** a check the readers above do not make (a range, a sign): returns
** SQLITE_ERROR, or SQLITE_NOMEM. */
int gops_arg_error(sqlite3_value *v, const char *fn, int index0,
                   const char *name, const char *what, char **pzErr);

/* 1 if any of args[0..n-1] is absent or NULL. */
int gops_any_null(sqlite3_value **args, int n);

/* Text of a value for an error message: quoted ('' for a quote inside),
** cut to 40 bytes on a UTF-8 boundary ('...' at the end), a NUL byte shown
** as SQL writes it ('12' || char(0) || '5'); "NULL" or "a blob" for those.
** sqlite3_mprintf'ed; NULL for out of memory. */
char *gops_value_for_message(sqlite3_value *v);

#endif
