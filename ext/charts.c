/*
** charts.c: charts in the terminal, as text of Unicode block characters.
**
**   .load ./growthops
**   SELECT sparkline(orders) FROM daily;              -- '▁▃▅█▆ ▇'
**   SELECT day, sparkline(orders) OVER (ORDER BY day ROWS 6 PRECEDING)
**     FROM daily;                                     -- the last 7 days
**   SELECT channel, bar(followers, 50000) FROM channel_totals;
**
** Registers:
**   sparkline(value)         aggregate and window function: one character
**                            per row, ▁▂▃▄▅▆▇█ between the smallest and the
**                            largest value of the group (or window frame)
**   bar(value, max)          a horizontal bar, 20 cells wide at max
**   bar(value, max, width)   the same, width cells wide at max
**
** Requirement 1: a sparkline has one character per row, in the order the
** rows reach it (ORDER BY inside the call or the window's ORDER BY); a NULL
** value leaves a gap, one space (GOPS_SPARK_GAP).
** Requirement 2: levels are round((v - min) / (max - min) * 7), min and max
** of the non-NULL values; when they are all equal every one is ▄.  A group
** of only NULLs gives a line of spaces; no rows give NULL.
** Requirement 3: a sparkline holds at most GOPS_SPARK_MAX values; more is
** an error naming the bound.
** Requirement 4: bar() fills round(value / max * width * 8) eighths; whole
** cells are █ and the last cell is one of ▏▎▍▌▋▊▉; no padding.  A value
** at or below 0 gives '', a value at or above max gives width full cells.
** Requirement 5: bar() with a NULL argument gives NULL, with max = 0 gives
** NULL (as a division by zero does); a negative max, a width that is not a
** whole number from 1 to GOPS_BAR_WIDTH_MAX, or an argument that is not a
** number is an error.
** Requirement 6: both are pure (GOPS_PURE): usable in views and triggers
** under PRAGMA trusted_schema=OFF.
*/
#include "growthops_internal.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "charts_core.h"

#define BAR_WIDTH_RANGE "a whole number from 1 to " STRINGIFY(GOPS_BAR_WIDTH_MAX)

/* The values of the current group or window frame, oldest first: a window
** removes rows from the front (xInverse), so the live values are
** values[start .. start + n - 1]. */
typedef struct spark_state {
  double *values; /* NaN marks a NULL (numbers read are always finite) */
  size_t start;
  size_t n;
  size_t cap;
} spark_state;

static int spark_push(spark_state *s, double value) {
  if (s->start + s->n == s->cap) {
    if (s->start > 0) {
      memmove(s->values, s->values + s->start, s->n * sizeof(double));
      s->start = 0;
    } else {
      size_t cap = s->cap ? s->cap * 2 : 16;
      if (cap > GOPS_SPARK_MAX) cap = GOPS_SPARK_MAX;
      double *grown = sqlite3_realloc64(s->values, cap * sizeof(double));
      if (grown == 0) return SQLITE_NOMEM;
      s->values = grown;
      s->cap = cap;
    }
  }
  s->values[s->start + s->n++] = value;
  return SQLITE_OK;
}

static void sparkline_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  spark_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  if (s == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  double value = NAN; /* Requirement 1: NULL is a gap */
  if (sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    char *err = 0;
    if (gops_arg_number(argv[0], "sparkline", 0, "value", &value, &err) != SQLITE_OK) {
      gops_result_error_take(ctx, err); /* err NULL: out of memory */
      return;
    }
    assert(isfinite(value)); /* so NaN marks a NULL only */
  }
  if (s->n >= GOPS_SPARK_MAX) { /* Requirement 3 */
    gops_result_errorf(ctx, "sparkline(): more than %d values in one line",
                       GOPS_SPARK_MAX);
    return;
  }
  if (spark_push(s, value) != SQLITE_OK) sqlite3_result_error_nomem(ctx);
}

static void sparkline_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  spark_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s && s->n > 0) {
    s->start++;
    s->n--;
  }
}

static void sparkline_result(sqlite3_context *ctx, spark_state *s) {
  if (s == 0 || s->n == 0) return; /* Requirement 2: no rows, NULL */
  char *text = sqlite3_malloc64(GOPS_CHART_SIZE(s->n));
  if (text == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  size_t len = gops_sparkline(s->values + s->start, s->n, text);
  sqlite3_result_text64(ctx, text, len, sqlite3_free, SQLITE_UTF8);
}

static void sparkline_value(sqlite3_context *ctx) {
  sparkline_result(ctx, sqlite3_aggregate_context(ctx, 0));
}

static void sparkline_final(sqlite3_context *ctx) {
  spark_state *s = sqlite3_aggregate_context(ctx, 0);
  sparkline_result(ctx, s);
  if (s) sqlite3_free(s->values);
}

static void bar_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (gops_any_null(argv, argc)) return; /* Requirement 5 */
  double value, max;
  int64_t width = GOPS_BAR_WIDTH_DEFAULT;
  char *err = 0;
  int rc = gops_arg_number(argv[0], "bar", 0, "value", &value, &err);
  if (rc == SQLITE_OK) rc = gops_arg_number(argv[1], "bar", 1, "max", &max, &err);
  if (rc == SQLITE_OK && argc > 2) {
    rc = gops_arg_int64(argv[2], "bar", 2, "width", &width, &err);
  }
  if (rc == SQLITE_OK && max < 0) {
    rc = gops_arg_error(argv[1], "bar", 1, "max", "0 or more", &err);
  }
  if (rc == SQLITE_OK && (width < 1 || width > GOPS_BAR_WIDTH_MAX)) {
    rc = gops_arg_error(argv[2], "bar", 2, "width", BAR_WIDTH_RANGE, &err);
  }
  if (rc != SQLITE_OK) {
    gops_result_error_take(ctx, err); /* err NULL: out of memory */
    return;
  }
  if (max == 0) return; /* Requirement 5: as a division by zero */
  char text[GOPS_CHART_SIZE(GOPS_BAR_WIDTH_MAX)];
  size_t len = gops_bar(value, max, (int)width, text);
  sqlite3_result_text64(ctx, text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

/* Requirement 6: pure. */
static const gops_function charts_functions[] = {
    {.name = "sparkline", .n_arg = 1, .flags = GOPS_PURE, .xStep = sparkline_step,
     .xFinal = sparkline_final, .xValue = sparkline_value, .xInverse = sparkline_inverse},
    {.name = "bar", .n_arg = 2, .flags = GOPS_PURE, .xFunc = bar_func},
    {.name = "bar", .n_arg = 3, .flags = GOPS_PURE, .xFunc = bar_func},
};

int gops_charts_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, charts_functions,
      (int)(sizeof(charts_functions) / sizeof(charts_functions[0])), pzErrMsg);
}
