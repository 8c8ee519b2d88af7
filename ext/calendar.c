/*
** calendar.c: the planning calendar in SQL.
**
**   .load ./growthops
**   SELECT period_start('2025-03-05', 'week');   -- '2025-03-03'
**   SELECT period_end('2025-02-10', 'month');    -- '2025-02-28'
**   SELECT period_key('2025-03-01', 'week');     -- '2025-W09'
**   SELECT * FROM periods('2025-01-15', '2025-03-31', 'month');
**
** Registers:
**   period_start(date, grain)  first day of the period, 'YYYY-MM-DD'
**   period_end(date, grain)    last day of the period, 'YYYY-MM-DD'
**   period_key(date, grain)    '2025-03-01', '2025-W09', '2025-03',
**                              '2025-Q1' or '2025'
**   periods(from_date, to_date, grain)
**                              table: key, first_day, last_day, days
**
** Requirement 1: a date is ISO-8601 text (optionally with a time and an
** offset) or unix seconds, read as UTC; anything else is an error.
** Requirement 2: grains are 'day', 'week' (ISO, Monday first), 'month',
** 'quarter' and 'year'.
** Requirement 3: NULL in, NULL out; periods() with a NULL argument is empty.
** Requirement 4: periods() gives every period touching the range, its
** first_day and last_day clipped to the range.
** Requirement 5: every date and key given out lies in the years 0000 to
** 9999.  Only a week can reach outside them: the week of 0000-01-01
** begins in the year -1 (its start and key cannot be written, its end
** can), the week of 9999-12-31 ends in the year 10000 (its end cannot be
** written, its start and key '9999-W52' can).  Asking for what cannot be
** written is an error, not a key of a year that cannot be named.
*/
#include "table.h"

typedef enum { PERIOD_START, PERIOD_END, PERIOD_KEY } period_part;

static void period_function(sqlite3_context *ctx, sqlite3_value **argv,
                            const char *fn, period_part part) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return;
  }
  int64_t day;
  gops_grain grain;
  char *err = 0;
  if (gops_arg_day(argv[0], fn, 0, "date", &day, &err) != SQLITE_OK ||
      gops_arg_grain(argv[1], fn, 1, "grain", &grain, &err) != SQLITE_OK) {
    gops_result_error_take(ctx, err);
    return;
  }
  /* Requirement 5: the start and the key need the period's first day
  ** (a key names the ISO year of a week's Thursday, which is 0000 or later
  ** when the week begins on or after 0000-01-01), the end its last day. */
  int writable = part == PERIOD_END
                     ? gops_period_last(day, grain) <= GOPS_DAY_MAX
                     : gops_period_first(day, grain) >= GOPS_DAY_MIN;
  if (!writable) {
    gops_arg_error(argv[0], fn, 0, "date",
                   "a date whose week lies between 0000-01-01 and 9999-12-31",
                   &err);
    gops_result_error_take(ctx, err);
    return;
  }
  char text[GOPS_KEY_SIZE];
  switch (part) {
    case PERIOD_START:
      gops_format_day(gops_period_first(day, grain), text);
      break;
    case PERIOD_END:
      gops_format_day(gops_period_last(day, grain), text);
      break;
    case PERIOD_KEY:
      gops_period_key(day, grain, text);
      break;
  }
  sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
}

static void period_start_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  period_function(ctx, argv, "period_start", PERIOD_START);
}

static void period_end_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  period_function(ctx, argv, "period_end", PERIOD_END);
}

static void period_key_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  period_function(ctx, argv, "period_key", PERIOD_KEY);
}

static int periods_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  int64_t from, to;
  gops_grain grain;
  if (gops_any_null(scan->args, 3)) return SQLITE_OK; /* Requirement 3 */
  int rc = gops_read_range(scan->args, "periods", &from, &to, &grain, pzErr);
  if (rc != SQLITE_OK) return rc;

  gops_period p;
  int64_t cursor = from;
  while (gops_period_walk(&cursor, to, grain, &p)) {
    gops_rows_text(rows, p.key, -1);
    gops_rows_day(rows, p.first_day);
    gops_rows_day(rows, p.last_day);
    gops_rows_int(rows, p.days);
  }
  return gops_rows_status(rows);
}

const gops_table gops_periods_table = {
    .name = "periods",
    .columns = "key TEXT, first_day TEXT, last_day TEXT, days INTEGER",
    .args = {"from_date", "to_date", "grain"},
    .n_required = 3,
    .compute = periods_compute,
};

static const gops_function calendar_functions[] = {
    {.name = "period_start", .n_arg = 2, .flags = GOPS_PURE, .xFunc = period_start_func},
    {.name = "period_end", .n_arg = 2, .flags = GOPS_PURE, .xFunc = period_end_func},
    {.name = "period_key", .n_arg = 2, .flags = GOPS_PURE, .xFunc = period_key_func},
};

int gops_calendar_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, calendar_functions,
      (int)(sizeof(calendar_functions) / sizeof(calendar_functions[0])), pzErrMsg);
}
