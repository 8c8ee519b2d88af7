/*
** test_growth.c: cmocka tests of the growth core: rates from 0 and from
** negative levels, compound growth and its domain, projections and their
** overflow, the whole number of periods to a target (exact hits, rounding
** in the logs, falling levels, never), and the path methods: compound per
** day, week, month, quarter or year (part-periods by their share of days)
** and linear.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <float.h>

#include <cmocka.h>

#include "growth_core.h"

/* got within 1e-12 of want (relative above 1); want must be finite: with
** an infinite want the bound is infinite too and any got would pass. */
#define assert_close(got, want)                                            \
  assert_true(isfinite((double)(want)) &&                                  \
              fabs((double)(got) - (double)(want)) <= 1e-12 * fmax(1.0, fabs((double)(want))))

static void test_rate(void **state) {
  (void)state;
  double r;
  assert_int_equal(gops_growth_rate(14000, 26000, &r), 0);
  assert_close(r, 12000.0 / 14000.0);
  assert_int_equal(gops_growth_rate(200, 150, &r), 0);
  assert_close(r, -0.25);
  /* From a negative level: the sign says up or down. */
  assert_int_equal(gops_growth_rate(-100, -50, &r), 0);
  assert_close(r, 0.5);
  assert_int_equal(gops_growth_rate(-100, -150, &r), 0);
  assert_close(r, -0.5);
  /* From 0: no rate. */
  assert_int_equal(gops_growth_rate(0, 10, &r), -1);
  assert_int_equal(gops_growth_rate(-0.0, 10, &r), -1);
  /* Overflow and NaN never come out. */
  assert_int_equal(gops_growth_rate(DBL_MIN, DBL_MAX, &r), -1);
  assert_int_equal(gops_growth_rate(1, NAN, &r), -1);
  assert_int_equal(gops_growth_rate(INFINITY, 1, &r), -1);
  /* A difference that overflows is no overflow of the rate. */
  assert_int_equal(gops_growth_rate(DBL_MAX, -DBL_MAX, &r), 0);
  assert_true(r == -2.0);
  assert_int_equal(gops_growth_rate(-1e308, 1e308, &r), 0);
  assert_true(r == 2.0);
  assert_int_equal(gops_growth_rate(1e308, -DBL_MAX, &r), 0);
  assert_close(r, -(DBL_MAX / 1e308) - 1);
}

static void test_compound(void **state) {
  (void)state;
  double r;
  assert_int_equal(gops_growth_compound(1000, 50000, 3, &r), 0);
  assert_close(r, cbrt(50.0) - 1.0);
  assert_true(r > 2.684 && r < 2.685);
  assert_int_equal(gops_growth_compound(1000, 1000, 7, &r), 0);
  assert_close(r, 0.0);
  assert_int_equal(gops_growth_compound(1000, 500, 1, &r), 0);
  assert_close(r, -0.5);
  assert_int_equal(gops_growth_compound(1000, 0, 3, &r), 0);
  assert_close(r, -1.0);
  /* Fractional periods: 2.5 months. */
  assert_int_equal(gops_growth_compound(100, 400, 2.5, &r), 0);
  assert_close(r, pow(4.0, 0.4) - 1.0);
  /* Projection and compound undo each other. */
  double v;
  assert_int_equal(gops_growth_project(1000, r, 2.5, &v), 0);
  assert_close(v, 400.0 * 10.0);
  /* Outside the domain. */
  assert_int_equal(gops_growth_compound(0, 10, 3, &r), -1);
  assert_int_equal(gops_growth_compound(-10, 10, 3, &r), -1);
  assert_int_equal(gops_growth_compound(-10, -20, 3, &r), -1);
  assert_int_equal(gops_growth_compound(10, -20, 3, &r), -1);
  assert_int_equal(gops_growth_compound(10, 20, 0, &r), -1);
  assert_int_equal(gops_growth_compound(10, 20, -1, &r), -1);
  /* end / start overflows, the logs do not. */
  assert_int_equal(gops_growth_compound(1e-300, 1e300, 100, &r), 0);
  assert_close(r, pow(10.0, 6.0) - 1.0);
  /* A result that would be infinite. */
  assert_int_equal(gops_growth_compound(1e-300, 1e300, 1e-3, &r), -1);
}

static void test_project(void **state) {
  (void)state;
  double v;
  assert_int_equal(gops_growth_project(1000, 0.5, 3, &v), 0);
  assert_true(v == 3375.0);
  assert_int_equal(gops_growth_project(1000, 1, 3, &v), 0);
  assert_true(v == 8000.0);
  assert_int_equal(gops_growth_project(1000, -1, 2, &v), 0);
  assert_true(v == 0.0);
  assert_int_equal(gops_growth_project(-100, 0.1, 1, &v), 0);
  assert_close(v, -110.0);
  assert_int_equal(gops_growth_project(1000, -1.5, 2, &v), -1);
  assert_int_equal(gops_growth_project(1000, 0.5, 0, &v), -1);
  assert_int_equal(gops_growth_project(1e300, 1, 100, &v), -1);
}

static int64_t periods_of(double start, double target, double rate) {
  int64_t n = -7;
  assert_int_equal(gops_growth_periods(start, target, rate, &n), 0);
  return n;
}

static void assert_never(double start, double target, double rate) {
  int64_t n = -7;
  assert_int_equal(gops_growth_periods(start, target, rate, &n), -1);
  assert_int_equal(n, -7);
}

static void test_periods(void **state) {
  (void)state;
  /* 1,000 -> 50,000 at 50% a month: 1000 * 1.5^9 = 38,443 < 50,000. */
  assert_int_equal(periods_of(1000, 50000, 0.5), 10);
  assert_int_equal(periods_of(1000, 50000, 1.0), 6);
  assert_int_equal(periods_of(14000, 26000, 0.2), 4);
  /* Exact hits need no extra period, despite rounding in the logs. */
  assert_int_equal(periods_of(1000, 8000, 1.0), 3);
  assert_int_equal(periods_of(1000, 3375, 0.5), 3);
  assert_int_equal(periods_of(100, 121, 0.1), 2);
  for (int k = 1; k <= 60; k++) {
    double target = 1000.0 * pow(1.1, k);
    assert_int_equal(periods_of(1000, target, 0.1), k);
    assert_int_equal(periods_of(1000, target * (1 + 1e-9), 0.1), k + 1);
  }
  /* A rate so small that 1 + rate is 1: the level never moves, falling
  ** or rising (a falling one once tripped an assertion). */
  assert_never(100, 50, -1e-17);
  assert_never(100, 200, 1e-17);
  assert_never(100, 50, -5e-17);
  /* Already there. */
  assert_int_equal(periods_of(1000, 1000, 0.5), 0);
  assert_int_equal(periods_of(60000, 50000, 0.1), 0);
  assert_int_equal(periods_of(0, 0, 0.1), 0);
  assert_int_equal(periods_of(1000, 1000, 0), 0);
  /* Falling levels reach a lower target. */
  assert_int_equal(periods_of(100, 50, -0.1), 7);
  assert_int_equal(periods_of(40, 50, -0.1), 0);
  assert_int_equal(periods_of(100, 0, -1), 1);
  assert_int_equal(periods_of(100, 5, -1), 1);
  /* Never. */
  assert_never(1000, 2000, 0);
  assert_never(100, 0, -0.5);
  assert_never(100, -1, -0.5);
  assert_never(0, 10, 0.5);
  assert_never(-100, 10, 0.5);
  assert_never(100, -5, -1);
  assert_never(1, 1e300, 1e-300);
  assert_never(1000, 2000, -1.5);
  /* Tiny rates: the count agrees with growth_project()'s arithmetic. */
  int64_t n = periods_of(1, 2, 1e-9);
  double v;
  assert_true(n > 693147000 && n < 693147300);
  assert_int_equal(gops_growth_project(1, 1e-9, (double)n, &v), 0);
  assert_true(v >= 2.0);
  assert_int_equal(gops_growth_project(1, 1e-9, (double)(n - 1), &v), 0);
  assert_true(v < 2.0);
  assert_never(1, 2, 1e-17);
  /* Levels that underflow: the logs say about 752 periods, growth_project()
  ** reaches 0 (below 5e-324) after 746 already. */
  assert_int_equal(periods_of(19515.90305504146, 5e-324, -0.6321546617465794), 746);
  /* The count agrees with growth_project() over the whole range. */
  const double starts[] = {1e-300, 3.5, 19515.9, 1e300};
  const double targets[] = {5e-324, 1e-310, 1e-300, 2.0, 1e200, DBL_MAX};
  const double rates[] = {-0.999, -0.63, -0.01, 0.001, 0.5, 40};
  for (int a = 0; a < 4; a++) {
    for (int b = 0; b < 6; b++) {
      for (int c = 0; c < 6; c++) {
        double s = starts[a], t = targets[b], rate = rates[c];
        int64_t k;
        if (gops_growth_periods(s, t, rate, &k) != 0) continue;
        int up = rate >= 0;
        double level = s * pow(1 + rate, (double)k);
        assert_true(up ? level >= t : level <= t);
        if (k > 0) {
          level = s * pow(1 + rate, (double)(k - 1));
          assert_true(up ? level < t : level > t);
        }
      }
    }
  }
}

static void test_method_parse(void **state) {
  (void)state;
  gops_path_method m = {GOPS_PATH_LINEAR, GOPS_GRAIN_DAY};
  /* 'compound' compounds per period of the grain the path is drawn at. */
  assert_int_equal(gops_path_method_parse("compound", GOPS_GRAIN_MONTH, &m), 0);
  assert_int_equal(m.kind, GOPS_PATH_COMPOUND);
  assert_int_equal(m.per, GOPS_GRAIN_MONTH);
  assert_int_equal(gops_path_method_parse("Compound", GOPS_GRAIN_WEEK, &m), 0);
  assert_int_equal(m.per, GOPS_GRAIN_WEEK);
  /* 'compound_<grain>' names its own grain, whatever the path's. */
  assert_int_equal(gops_path_method_parse("compound_day", GOPS_GRAIN_MONTH, &m), 0);
  assert_int_equal(m.kind, GOPS_PATH_COMPOUND);
  assert_int_equal(m.per, GOPS_GRAIN_DAY);
  assert_int_equal(gops_path_method_parse("COMPOUND_Quarter", GOPS_GRAIN_DAY, &m), 0);
  assert_int_equal(m.per, GOPS_GRAIN_QUARTER);
  assert_int_equal(gops_path_method_parse("compound_year", GOPS_GRAIN_DAY, &m), 0);
  assert_int_equal(m.per, GOPS_GRAIN_YEAR);
  assert_int_equal(gops_path_method_parse("LINEAR", GOPS_GRAIN_MONTH, &m), 0);
  assert_int_equal(m.kind, GOPS_PATH_LINEAR);
  assert_int_equal(gops_path_method_parse("log", GOPS_GRAIN_DAY, &m), -1);
  assert_int_equal(gops_path_method_parse("compound_", GOPS_GRAIN_DAY, &m), -1);
  assert_int_equal(gops_path_method_parse("compound_fortnight", GOPS_GRAIN_DAY, &m), -1);
  assert_int_equal(gops_path_method_parse("compoundmonth", GOPS_GRAIN_DAY, &m), -1);
  assert_int_equal(gops_path_method_parse(0, GOPS_GRAIN_DAY, &m), -1);
}

static int64_t day(int y, int m, int d) { return gops_days_from_civil(y, m, d); }

static const gops_path_method per_day = {GOPS_PATH_COMPOUND, GOPS_GRAIN_DAY};
static const gops_path_method per_week = {GOPS_PATH_COMPOUND, GOPS_GRAIN_WEEK};
static const gops_path_method per_month = {GOPS_PATH_COMPOUND, GOPS_GRAIN_MONTH};
static const gops_path_method per_quarter = {GOPS_PATH_COMPOUND, GOPS_GRAIN_QUARTER};
static const gops_path_method per_year = {GOPS_PATH_COMPOUND, GOPS_GRAIN_YEAR};
static const gops_path_method linear = {GOPS_PATH_LINEAR, GOPS_GRAIN_DAY};

static void test_path_daily(void **state) {
  (void)state;
  /* 14,000 on 1 April to 26,000 at the end of May: 61 days; by the end of
  ** 30 April, 30 of them. */
  int64_t from = day(2025, 4, 1), to = day(2025, 5, 31);
  double v = gops_path_value(per_day, 14000, 26000, from, to, day(2025, 4, 30));
  assert_close(v, 14000 * pow(26000.0 / 14000.0, 30.0 / 61.0));
  assert_true(gops_path_value(per_day, 14000, 26000, from, to, to) == 26000);
  /* Every week has 7 days: compounding per week is compounding per day. */
  for (int64_t t = from; t <= to; t++) {
    assert_close(gops_path_value(per_week, 14000, 26000, from, to, t),
                 gops_path_value(per_day, 14000, 26000, from, to, t));
  }
  v = gops_path_value(linear, 14000, 26000, from, to, day(2025, 4, 30));
  assert_close(v, 14000 + 12000 * 30.0 / 61.0);
  assert_true(gops_path_value(linear, 0.1, 0.7, 10, 12, 12) == 0.7);
  /* Linear works from and to 0 and below; compound does not. */
  assert_close(gops_path_value(linear, 0, 1000, 1, 30, 15), 500);
  assert_close(gops_path_value(linear, 100, -100, 1, 2, 1), 0);
  assert_true(gops_path_defined(linear, 0, 1000));
  assert_true(gops_path_defined(per_day, 1, 1000));
  assert_true(gops_path_defined(per_month, 1, 1000));
  assert_false(gops_path_defined(per_day, 0, 1000));
  assert_false(gops_path_defined(per_month, 1000, 0));
  assert_false(gops_path_defined(per_year, -5, 1000));
  /* Compound per day: a constant daily factor, whatever the split. */
  double a = gops_path_value(per_day, 1000, 50000, 1, 90, 10);
  double b = gops_path_value(per_day, 1000, 50000, 1, 90, 20);
  assert_close(b / a, a / 1000);
  /* Extreme levels: no overflow in the ratio or the difference. */
  assert_close(gops_path_value(per_day, 1e-300, 1e300, 1, 2, 1), 1.0);
  assert_close(gops_path_value(per_month, 1e-300, 1e300, day(2025, 1, 1), day(2025, 2, 28),
                               day(2025, 1, 31)), 1.0);
  assert_close(gops_path_value(linear, -DBL_MAX, DBL_MAX, 1, 2, 1), 0.0);
}

static void test_path_per_period(void **state) {
  (void)state;
  /* 3,000 to 20,000 over January to June, compounded per month: six whole
  ** months, each x (20/3)^(1/6) = 1.37188 (+37.2%), 28 days or 31. */
  int64_t from = day(2025, 1, 1), to = day(2025, 6, 30);
  double month_factor = pow(20000.0 / 3000.0, 1.0 / 6.0);
  assert_true(fabs(month_factor - 1.37188) < 1e-5);
  double jan = gops_path_value(per_month, 3000, 20000, from, to, day(2025, 1, 31));
  double feb = gops_path_value(per_month, 3000, 20000, from, to, day(2025, 2, 28));
  double mar = gops_path_value(per_month, 3000, 20000, from, to, day(2025, 3, 31));
  assert_close(jan, 3000 * month_factor);
  assert_close(feb / jan, month_factor);
  assert_close(mar / feb, month_factor);
  assert_true(gops_path_value(per_month, 3000, 20000, from, to, to) == 20000);
  /* Within a month the growth is spread evenly over its days: by the end of
  ** 14 February, 1 + 14/28 = 1.5 months. */
  assert_close(gops_path_value(per_month, 3000, 20000, from, to, day(2025, 2, 14)),
               3000 * pow(month_factor, 1.5));
  /* Compounded per day instead, January (31 days) grows more than
  ** February (28): 3000 x (20/3)^(31/181) = 4,153.6. */
  double jan_daily = gops_path_value(per_day, 3000, 20000, from, to, day(2025, 1, 31));
  assert_close(jan_daily, 3000 * pow(20000.0 / 3000.0, 31.0 / 181.0));
  assert_true(jan_daily > jan);

  /* A part-month counts by its share of the month's days: 31 March alone
  ** is 1/31 of March, then April, May and June whole: 3 + 1/31 months. */
  from = day(2025, 3, 31);
  double months = 3.0 + 1.0 / 31.0;
  double r = pow(50.0, 1.0 / months);
  assert_close(gops_path_value(per_month, 1000, 50000, from, to, from), 1000 * pow(r, 1.0 / 31.0));
  assert_close(gops_path_value(per_month, 1000, 50000, from, to, day(2025, 4, 30)), 1000 * pow(r, 1.0 + 1.0 / 31.0));
  /* and a part-month at the end: 1 April to 15 June is 2 + 15/30 months */
  from = day(2025, 4, 1);
  to = day(2025, 6, 15);
  r = pow(50.0, 1.0 / 2.5);
  assert_close(gops_path_value(per_month, 1000, 50000, from, to, day(2025, 5, 31)), 1000 * r * r);

  /* Quarters: Q1 2025 has 90 days, Q2 91; each whole quarter x sqrt(4). */
  from = day(2025, 1, 1);
  to = day(2025, 6, 30);
  assert_close(gops_path_value(per_quarter, 100, 400, from, to, day(2025, 3, 31)), 200);
  assert_close(gops_path_value(per_quarter, 100, 400, from, to, day(2025, 2, 14)),
               100 * pow(2.0, 45.0 / 90.0));
  /* Years: 2024 (366 days) and 2025 (365) double alike. */
  from = day(2024, 1, 1);
  to = day(2025, 12, 31);
  assert_close(gops_path_value(per_year, 100, 400, from, to, day(2024, 12, 31)), 200);
  /* One day: the target. */
  assert_true(gops_path_value(per_month, 5, 6, 10, 10, 10) == 6);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rate),    cmocka_unit_test(test_compound),
      cmocka_unit_test(test_project), cmocka_unit_test(test_periods),
      cmocka_unit_test(test_method_parse), cmocka_unit_test(test_path_daily),
      cmocka_unit_test(test_path_per_period),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
