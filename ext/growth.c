/*
** growth.c: growth rates, compound growth and milestone paths in SQL.
**
**   .load ./growthops
**   SELECT growth_rate(lag(followers) OVER (ORDER BY day), followers) FROM t;
**   SELECT growth_compound(1000, 50000, 3);      -- 2.684..., per month
**   SELECT growth_project(1000, 0.5, 3);         -- 3375.0
**   SELECT growth_periods(1000, 50000, 0.5);     -- 10
**   SELECT * FROM growth_path(14000, 26000, '2025-04-01', '2025-05-31', 'month');
**
** Registers:
**   growth_rate(previous, current)       (current - previous) / |previous|
**   growth_compound(start, end, periods) (end / start)^(1/periods) - 1
**   growth_project(start, rate, periods) start * (1 + rate)^periods
**   growth_periods(start, target, rate)  whole periods until target
**   growth_path(start_value, target_value, from_date, to_date, grain
**               [, method])   method 'compound' (per period of grain),
**               'compound_day' ... 'compound_year', or 'linear'
**       table: key, first_day, last_day, value, gain, rate
**
** Requirement 1: NULL in, NULL out; growth_path() with a NULL in a required
** argument is empty, and a NULL method means 'compound'.
** Requirement 2: no result is ever NaN or Inf.  Where the arithmetic has
** no answer (growth from 0, compound growth of a level that is not
** positive, an overflow) the result is NULL; a bad argument (not a number,
** periods <= 0, a rate below -1) is an error naming the function and the
** argument.
** Requirement 3: growth_rate() is the hot one (every row of a report, in
** lag() windows): it does nothing per row beyond reading two numbers
** (gops_arg_number takes integers and reals straight through), so that it
** costs no more than the same arithmetic written in SQL.
** Requirement 4: growth_path() has one row per period of periods(); a
** milestone is the level to reach by the end of its last_day, the start
** value holding at the start of from_date; the last row's value is exactly
** target_value.
** Requirement 5: the compound methods need a positive start_value and
** target_value (a compound path cannot start at, reach or cross 0); any
** other is an error that points to 'linear'.
** Requirement 6: 'compound' gives the same growth rate to every whole
** period of the grain (every month, 28 days or 31); 'compound_day',
** 'compound_week', 'compound_month', 'compound_quarter' and 'compound_year'
** compound per period of that grain whatever grain the rows are drawn at,
** so a path drawn by days or weeks meets the monthly one at every month's
** end; a part-period counts by its share of the period's days
** (growth_core.h).  'linear' gives the same gain every day.
*/
#include "growth_core.h"
#include "table.h"

#include <math.h>

/* Checks that x, the index0-th argument, is positive. */
static int check_positive(sqlite3_context *ctx, sqlite3_value **argv,
                          const char *fn, int index0, const char *name,
                          double x) {
  if (x > 0.0) return 0;
  char *err = 0;
  gops_arg_error(argv[index0], fn, index0, name, "a positive number", &err);
  gops_result_error_take(ctx, err);
  return 1;
}

/* Checks that a rate, the index0-th argument, is at least -1 (-100%). */
static int check_rate(sqlite3_context *ctx, sqlite3_value **argv,
                      const char *fn, int index0, double rate) {
  if (rate >= -1.0) return 0;
  char *err = 0;
  gops_arg_error(argv[index0], fn, index0, "rate", "at least -1", &err);
  gops_result_error_take(ctx, err);
  return 1;
}

static void growth_rate_func(sqlite3_context *ctx, int argc,
                             sqlite3_value **argv) {
  (void)argc;
  static const char *const names[2] = {"previous", "current"};
  double x[2], r;
  /* Requirement 1: NULL out; Requirement 3: nothing else per row. */
  if (gops_read_numbers(ctx, argv, 2, "growth_rate", names, x) <= 0) return;
  if (gops_growth_rate(x[0], x[1], &r) == 0) {
    sqlite3_result_double(ctx, r);
  } /* else NULL: growth from 0 (Requirement 2) */
}

static void growth_compound_func(sqlite3_context *ctx, int argc,
                                 sqlite3_value **argv) {
  (void)argc;
  static const char *const names[3] = {"start", "end", "periods"};
  double x[3], r;
  if (gops_read_numbers(ctx, argv, 3, "growth_compound", names, x) <= 0) return; /* Req. 1 */
  if (check_positive(ctx, argv, "growth_compound", 2, "periods", x[2])) return;
  if (gops_growth_compound(x[0], x[1], x[2], &r) == 0) {
    sqlite3_result_double(ctx, r);
  } /* else NULL: start <= 0 or end < 0 (Requirement 2) */
}

static void growth_project_func(sqlite3_context *ctx, int argc,
                                sqlite3_value **argv) {
  (void)argc;
  static const char *const names[3] = {"start", "rate", "periods"};
  double x[3], v;
  if (gops_read_numbers(ctx, argv, 3, "growth_project", names, x) <= 0) return; /* Req. 1 */
  if (check_rate(ctx, argv, "growth_project", 1, x[1])) return;
  if (check_positive(ctx, argv, "growth_project", 2, "periods", x[2])) return;
  if (gops_growth_project(x[0], x[1], x[2], &v) == 0) {
    sqlite3_result_double(ctx, v);
  } /* else NULL: an overflow (Requirement 2) */
}

static void growth_periods_func(sqlite3_context *ctx, int argc,
                                sqlite3_value **argv) {
  (void)argc;
  static const char *const names[3] = {"start", "target", "rate"};
  double x[3];
  int64_t n;
  if (gops_read_numbers(ctx, argv, 3, "growth_periods", names, x) <= 0) return; /* Req. 1 */
  if (check_rate(ctx, argv, "growth_periods", 2, x[2])) return;
  if (gops_growth_periods(x[0], x[1], x[2], &n) == 0) {
    sqlite3_result_int64(ctx, n);
  } /* else NULL: the rate never gets there */
}

/* growth_path()'s arguments, in call order. */
enum {
  PATH_START,
  PATH_TARGET,
  PATH_FROM,
  PATH_TO,
  PATH_GRAIN,
  PATH_METHOD,
  PATH_N_ARGS
};

static int growth_path_compute(const gops_scan *scan, gops_rows *rows,
                               char **pzErr) {
  static const char fn[] = "growth_path";
  sqlite3_value **args = scan->args;
  if (gops_any_null(args, PATH_METHOD)) return SQLITE_OK; /* Requirement 1 */
  double start, target;
  int64_t from, to;
  gops_grain grain;
  gops_path_method method;
  int rc = gops_arg_number(args[PATH_START], fn, PATH_START, "start_value", &start,
                       pzErr);
  if (rc == SQLITE_OK)
    rc = gops_arg_number(args[PATH_TARGET], fn, PATH_TARGET, "target_value",
                     &target, pzErr);
  if (rc == SQLITE_OK)
    rc = gops_read_range_at(args, PATH_FROM, fn, &from, &to, &grain, pzErr);
  if (rc != SQLITE_OK) return rc;
  /* Requirement 6: 'compound' (also NULL) compounds per period of grain. */
  sqlite3_value *m = args[PATH_METHOD];
  if (m == 0 || sqlite3_value_type(m) == SQLITE_NULL) {
    gops_path_method_parse("compound", grain, &method);
  } else if (gops_path_method_parse(gops_value_word(m), grain, &method) != 0) {
    return gops_arg_error(m, fn, PATH_METHOD, "method", GOPS_PATH_METHOD_NAMES,
                          pzErr);
  }
  if (!gops_path_defined(method, start, target)) { /* Requirement 5 */
    int bad = start > 0.0 ? PATH_TARGET : PATH_START;
    return gops_arg_error(args[bad], fn, bad,
                          bad == PATH_START ? "start_value" : "target_value",
                          "positive for method 'compound' (use 'linear')",
                          pzErr);
  }

  /* Requirement 4: the path runs from the start of from_date. */
  double previous = start;
  gops_period p;
  int64_t cursor = from;
  while (rc == SQLITE_OK && gops_period_walk(&cursor, to, grain, &p)) {
    double value = gops_path_value(method, start, target, from, to, p.last_day);
    double rate;
    rc = gops_rows_text(rows, p.key, -1);
    if (rc == SQLITE_OK) rc = gops_rows_day(rows, p.first_day);
    if (rc == SQLITE_OK) rc = gops_rows_day(rows, p.last_day);
    if (rc == SQLITE_OK) rc = gops_rows_double(rows, value);
    if (rc == SQLITE_OK) rc = gops_rows_double(rows, value - previous);
    if (rc == SQLITE_OK) {
      rc = gops_growth_rate(previous, value, &rate) == 0
               ? gops_rows_double(rows, rate)
               : gops_rows_null(rows); /* from a milestone of 0 */
    }
    previous = value;
  }
  return rc;
}

const gops_table gops_growth_path_table = {
    .name = "growth_path",
    .columns = "key TEXT, first_day TEXT, last_day TEXT, value REAL, gain REAL, rate REAL",
    .args = {"start_value", "target_value", "from_date", "to_date", "grain", "method"},
    .n_required = PATH_METHOD,
    .compute = growth_path_compute,
};

static const gops_function growth_functions[] = {
    {.name = "growth_rate", .n_arg = 2, .flags = GOPS_PURE, .xFunc = growth_rate_func},
    {.name = "growth_compound", .n_arg = 3, .flags = GOPS_PURE, .xFunc = growth_compound_func},
    {.name = "growth_project", .n_arg = 3, .flags = GOPS_PURE, .xFunc = growth_project_func},
    {.name = "growth_periods", .n_arg = 3, .flags = GOPS_PURE, .xFunc = growth_periods_func},
};

int gops_growth_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, growth_functions,
      (int)(sizeof(growth_functions) / sizeof(growth_functions[0])), pzErrMsg);
}
