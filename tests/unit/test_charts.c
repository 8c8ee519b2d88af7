/*
** test_charts.c: cmocka tests of the charts core: sparkline levels and
** rounding, gaps, flat lines, extreme ranges, and bars with their eighths,
** clipping and widths.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "charts_core.h"

static void assert_spark(const double *values, size_t n, const char *want) {
  char out[GOPS_CHART_SIZE(16)];
  assert_true(n <= 16);
  size_t len = gops_sparkline(values, n, out);
  assert_string_equal(out, want);
  assert_int_equal(len, strlen(want));
}

static void assert_bar(double value, double max, int width, const char *want) {
  char out[GOPS_CHART_SIZE(GOPS_BAR_WIDTH_MAX)];
  size_t len = gops_bar(value, max, width, out);
  assert_string_equal(out, want);
  assert_int_equal(len, strlen(want));
}

static void test_spark_levels(void **state) {
  (void)state;
  /* 0..7 map to the eight blocks in order. */
  double v[] = {0, 1, 2, 3, 4, 5, 6, 7};
  assert_spark(v, 8, "▁▂▃▄▅▆▇█");
  /* Rounding to the nearest level: 0.5/7 of the span rounds up. */
  assert_int_equal(gops_spark_level(0.49, 0, 7), 0);
  assert_int_equal(gops_spark_level(0.5, 0, 7), 1);
  assert_int_equal(gops_spark_level(6.5, 0, 7), 7);
  assert_int_equal(gops_spark_level(6.49, 0, 7), 6);
  /* Scale is between min and max of the line, not from 0. */
  double w[] = {100, 107, 103.5};
  assert_spark(w, 3, "▁█▅");
  /* Negative values. */
  double neg[] = {-3, -1, -2};
  assert_spark(neg, 3, "▁█▅");
}

static void test_spark_clamps(void **state) {
  (void)state;
  assert_int_equal(gops_spark_level(-5, 0, 7), 0);
  assert_int_equal(gops_spark_level(50, 0, 7), 7);
}

static void test_spark_flat_and_gaps(void **state) {
  (void)state;
  double flat[] = {5, 5, 5};
  assert_spark(flat, 3, "▄▄▄");
  double one[] = {42};
  assert_spark(one, 1, "▄");
  double gaps[] = {1, NAN, 3, NAN};
  assert_spark(gaps, 4, "▁ █ ");
  double only_gaps[] = {NAN, NAN};
  assert_spark(only_gaps, 2, "  ");
  double none[] = {0};
  assert_spark(none, 0, "");
  /* A gap with a flat rest. */
  double gap_flat[] = {2, NAN, 2};
  assert_spark(gap_flat, 3, "▄ ▄");
}

static void test_spark_extreme_range(void **state) {
  (void)state;
  /* max - min overflows a double; the levels must still be right. */
  double v[] = {-1.5e308, 0, 1.5e308};
  assert_spark(v, 3, "▁▅█");
  /* Subnormals are values like any other: only lo == hi is flat. */
  double tiny[] = {0, 5e-324};
  assert_spark(tiny, 2, "▁█");
  double around_zero[] = {-0.86, -5e-324, 5e-324};
  assert_spark(around_zero, 3, "▁██");
  double subnormals[] = {-5e-324, 5e-324, 0};
  assert_spark(subnormals, 3, "▁█▅");
  double max_and_tiny[] = {1e308, 1e308, 5e-324};
  assert_spark(max_and_tiny, 3, "██▁");
}

static void test_bar_eighths(void **state) {
  (void)state;
  assert_int_equal(gops_bar_eighths(50, 100, 20), 80);
  assert_int_equal(gops_bar_eighths(1, 100, 20), 2); /* 1.6 rounds to 2 */
  assert_int_equal(gops_bar_eighths(0.3, 100, 20), 0);
  assert_int_equal(gops_bar_eighths(0, 100, 20), 0);
  assert_int_equal(gops_bar_eighths(-5, 100, 20), 0);
  assert_int_equal(gops_bar_eighths(100, 100, 20), 160);
  assert_int_equal(gops_bar_eighths(250, 100, 20), 160);
  assert_int_equal(gops_bar_eighths(99.99, 100, 20), 160);
  assert_int_equal(gops_bar_eighths(1e308, 1e-308, 5), 40);
  assert_int_equal(gops_bar_eighths(1, 0, 5), 0);
}

static void test_bar_text(void **state) {
  (void)state;
  assert_bar(0, 10, 10, "");
  assert_bar(-1, 10, 10, "");
  assert_bar(10, 10, 10, "██████████");
  assert_bar(11, 10, 10, "██████████");
  assert_bar(5, 10, 10, "█████");
  /* Every end, 1/8 .. 8/8 of a cell, with width 1. */
  static const char *const ends[] = {"▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};
  for (int e = 1; e <= 8; e++) assert_bar(e, 8, 1, ends[e - 1]);
  /* 2 cells and 3 eighths. */
  assert_bar(19, 80, 10, "██▍");
  /* The widest bar fits its buffer. */
  char out[GOPS_CHART_SIZE(GOPS_BAR_WIDTH_MAX)];
  assert_int_equal(gops_bar(1, 1, GOPS_BAR_WIDTH_MAX, out), 3 * GOPS_BAR_WIDTH_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spark_levels),
      cmocka_unit_test(test_spark_clamps),
      cmocka_unit_test(test_spark_flat_and_gaps),
      cmocka_unit_test(test_spark_extreme_range),
      cmocka_unit_test(test_bar_eighths),
      cmocka_unit_test(test_bar_text),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
