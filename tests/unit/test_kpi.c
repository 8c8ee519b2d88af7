/*
** test_kpi.c: cmocka tests of the KPI core: the split and its largest-
** remainder rounding (sums exact for every method and grain, 1 to 3,660
** periods, negative totals, totals below the number of periods), payout
** curves (flat, stepped, decreasing segments), attainment, progress,
** status and the weighted mean.  (The JSON arrays: test_text.c.)
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <float.h>
#include <math.h>

#include <cmocka.h>

#include "calendar_core.h"
#include "kpi_core.h"

#define MAX_PERIODS 3660

static gops_kpi_part parts[MAX_PERIODS];
static gops_kpi_rank scratch[MAX_PERIODS];

/* Splits total over n periods with the weights w; asserts it worked. */
static void split(double total, const double *w, int64_t n) {
  int64_t bad;
  for (int64_t i = 0; i < n; i++) parts[i].weight = w[i];
  assert_int_equal(gops_kpi_split(total, parts, n, scratch, &bad), GOPS_KPI_OK);
  assert_int_equal(bad, -1);
}

static void assert_wholes(int64_t n, const int64_t *want) {
  for (int64_t i = 0; i < n; i++) assert_int_equal(parts[i].whole, want[i]);
}

/* What every split must satisfy: wholes sum to round(total) exactly,
** shares to 1, targets to total; each whole is its quota rounded down or
** up (the largest-remainder property), and the quota's sign. */
static void assert_split_invariants(double total, int64_t n) {
  double r = round(total);
  int64_t sum = 0;
  double shares = 0, targets = 0;
  for (int64_t i = 0; i < n; i++) {
    sum += parts[i].whole;
    shares += parts[i].share;
    targets += parts[i].target;
    double quota = r * parts[i].share;
    assert_true((double)parts[i].whole >= floor(quota) - 1e-9 * fabs(quota) - 1e-9);
    assert_true((double)parts[i].whole <= ceil(quota) + 1e-9 * fabs(quota) + 1e-9);
    if (r > 0) assert_true(parts[i].whole >= 0);
    if (r < 0) assert_true(parts[i].whole <= 0);
  }
  assert_true(sum == (int64_t)r);
  assert_true(fabs(shares - 1.0) < 1e-9);
  assert_true(fabs(targets - total) <= 1e-9 * fmax(1.0, fabs(total)));
}

static void test_methods(void **state) {
  (void)state;
  gops_kpi_method m;
  assert_int_equal(gops_kpi_method_parse("days", &m), 0);
  assert_int_equal(m, GOPS_KPI_DAYS);
  assert_int_equal(gops_kpi_method_parse("EVEN", &m), 0);
  assert_int_equal(m, GOPS_KPI_EVEN);
  assert_int_equal(gops_kpi_method_parse("Ramp", &m), 0);
  assert_int_equal(m, GOPS_KPI_RAMP);
  assert_int_equal(gops_kpi_method_parse("linear", &m), -1);
  assert_int_equal(gops_kpi_method_parse("", &m), -1);
  assert_int_equal(gops_kpi_method_parse(0, &m), -1);
  assert_true(gops_kpi_method_weight(GOPS_KPI_DAYS, 4, 31) == 31.0);
  assert_true(gops_kpi_method_weight(GOPS_KPI_EVEN, 4, 31) == 1.0);
  assert_true(gops_kpi_method_weight(GOPS_KPI_RAMP, 4, 31) == 5.0);
}

static void test_split_small(void **state) {
  (void)state;
  const double even3[] = {1, 1, 1}, even5[] = {1, 1, 1, 1, 1};
  /* 10 over 3: 3.33 each, the one unit left goes to the first. */
  split(10, even3, 3);
  assert_wholes(3, (const int64_t[]){4, 3, 3});
  assert_true(fabs(parts[0].target - 10.0 / 3) < 1e-12);
  /* Negative totals mirror positive ones. */
  split(-10, even3, 3);
  assert_wholes(3, (const int64_t[]){-4, -3, -3});
  assert_true(fabs(parts[2].target + 10.0 / 3) < 1e-12);
  /* Below the number of periods: the earliest periods get the units. */
  split(2, even5, 5);
  assert_wholes(5, (const int64_t[]){1, 1, 0, 0, 0});
  split(-2, even5, 5);
  assert_wholes(5, (const int64_t[]){-1, -1, 0, 0, 0});
  /* round() is half away from zero, as SQL's. */
  split(10.5, even3, 3);
  assert_wholes(3, (const int64_t[]){4, 4, 3});
  split(-0.5, even3, 3);
  assert_wholes(3, (const int64_t[]){-1, 0, 0});
  split(0.49, even3, 3);
  assert_wholes(3, (const int64_t[]){0, 0, 0});
  split(0, even3, 3);
  assert_wholes(3, (const int64_t[]){0, 0, 0});
  /* Largest remainder, not the earliest: 7 by 1:2:4 is exact; 10 by
  ** 1:2:4 gives quotas 1.43, 2.86, 5.71: the unit goes to 2.86. */
  split(7, (const double[]){1, 2, 4}, 3);
  assert_wholes(3, (const int64_t[]){1, 2, 4});
  split(10, (const double[]){1, 2, 4}, 3);
  assert_wholes(3, (const int64_t[]){1, 3, 6});
  assert_split_invariants(10, 3);
  /* Zero weights get nothing, even when units are left. */
  split(3, (const double[]){0, 1, 0, 1}, 4);
  assert_wholes(4, (const int64_t[]){0, 2, 0, 1});
  assert_true(parts[0].share == 0.0);
  /* One period takes it all. */
  split(123.4, (const double[]){5}, 1);
  assert_wholes(1, (const int64_t[]){123});
  assert_true(parts[0].share == 1.0);
  assert_true(parts[0].target == 123.4);
  /* Huge weights are scaled, not summed to Inf. */
  split(4, (const double[]){1e308, 1e308, 1e308, 1e308}, 4);
  assert_wholes(4, (const int64_t[]){1, 1, 1, 1});
  assert_true(parts[3].share == 0.25);
  /* The bound, both signs. */
  split(1e15, even3, 3);
  assert_split_invariants(1e15, 3);
  split(-1e15, even3, 3);
  assert_split_invariants(-1e15, 3);
}

static void test_split_errors(void **state) {
  (void)state;
  int64_t bad;
  parts[0].weight = 1;
  parts[1].weight = -0.5;
  parts[2].weight = 1;
  assert_int_equal(gops_kpi_split(10, parts, 3, scratch, &bad), GOPS_KPI_NEGATIVE);
  assert_int_equal(bad, 1);
  parts[1].weight = NAN;
  assert_int_equal(gops_kpi_split(10, parts, 3, scratch, &bad), GOPS_KPI_NEGATIVE);
  assert_int_equal(bad, 1);
  parts[1].weight = INFINITY;
  assert_int_equal(gops_kpi_split(10, parts, 3, scratch, &bad), GOPS_KPI_NEGATIVE);
  parts[0].weight = parts[1].weight = parts[2].weight = 0;
  assert_int_equal(gops_kpi_split(10, parts, 3, scratch, &bad), GOPS_KPI_ALL_ZERO);
  assert_int_equal(bad, -1);
  parts[0].weight = 1;
  assert_int_equal(gops_kpi_split(1.5e15, parts, 3, scratch, &bad), GOPS_KPI_TOO_LARGE);
  assert_int_equal(gops_kpi_split(NAN, parts, 3, scratch, &bad), GOPS_KPI_TOO_LARGE);
  assert_int_equal(gops_kpi_split(-INFINITY, parts, 3, scratch, &bad), GOPS_KPI_TOO_LARGE);
}

/* Totals that stress the rounding for n periods. */
static int totals_for(int64_t n, double *out) {
  int k = 0;
  out[k++] = 0;
  out[k++] = 1;
  out[k++] = -1;
  out[k++] = (double)n - 1;  /* below the number of periods */
  out[k++] = -(double)n + 1;
  out[k++] = (double)n / 3;
  out[k++] = (double)n + 0.5;
  out[k++] = 100000;          /* 100,000 followers */
  out[k++] = -987654.5;
  out[k++] = 12345.678;
  out[k++] = 999999999999999.0;
  out[k++] = -1e15;
  return k;
}

/* Periods' days for n days, weeks, ... from 2016-01-01 (a leap year, a
** week 53 in 2020), 1 to 3,660 periods. */
static int64_t days_of_periods(gops_grain grain, int64_t n, double *w) {
  int64_t first = gops_days_from_civil(2016, 1, 1), cursor = first, k = 0;
  gops_period p;
  while (k < n && gops_period_walk(&cursor, GOPS_DAY_MAX, grain, &p)) {
    w[k++] = (double)p.days;
  }
  return k;
}

static void test_split_sums_exact(void **state) {
  (void)state;
  static double w[MAX_PERIODS];
  double totals[16];
  unsigned seed = 12345;
  /* n: every count to 400, then steps, and 3,660. */
  for (int64_t n = 1; n <= MAX_PERIODS;
       n = n < 400 ? n + 1 : (n + 97 > MAX_PERIODS && n < MAX_PERIODS ? MAX_PERIODS : n + 97)) {
    for (int method = 0; method < 4; method++) {
      for (int g = GOPS_GRAIN_DAY; g <= GOPS_GRAIN_YEAR; g++) {
        int64_t m = n;
        if (method == GOPS_KPI_DAYS) {
          /* The calendar: 3,660 periods of every grain fit before 9999. */
          m = days_of_periods((gops_grain)g, n, w);
          assert_int_equal(m, n);
        } else if (g != GOPS_GRAIN_DAY) {
          continue; /* even, ramp and given weights do not look at days */
        } else {
          for (int64_t i = 0; i < n; i++) {
            if (method == GOPS_KPI_WEIGHTS) {
              seed = seed * 1103515245u + 12345u;
              w[i] = (double)((seed >> 16) % 1000) / 7.0; /* zeros included */
            } else {
              w[i] = gops_kpi_method_weight((gops_kpi_method)method, i, 1);
            }
          }
          if (method == GOPS_KPI_WEIGHTS) w[n - 1] += 1; /* not all zero */
        }
        int k = totals_for(n, totals);
        for (int t = 0; t < k; t++) {
          split(totals[t], w, m);
          assert_split_invariants(totals[t], m);
        }
      }
    }
  }
}

static void test_split_symmetric(void **state) {
  (void)state;
  static double w[MAX_PERIODS];
  static int64_t plus[MAX_PERIODS];
  int64_t n = days_of_periods(GOPS_GRAIN_MONTH, 12, w);
  for (double total = -50; total <= 50; total += 0.5) {
    split(total, w, n);
    for (int64_t i = 0; i < n; i++) plus[i] = parts[i].whole;
    split(-total, w, n);
    for (int64_t i = 0; i < n; i++) assert_int_equal(parts[i].whole, -plus[i]);
  }
}

/* The largest-remainder split of units over small integer weights in
** int64 arithmetic, the reference for test_split_ties_exact. */
static void reference_split(int64_t units, const int64_t *w, int64_t n, int64_t *out) {
  int64_t sum = 0, given = 0;
  for (int64_t i = 0; i < n; i++) sum += w[i];
  for (int64_t i = 0; i < n; i++) {
    out[i] = units * w[i] / sum;
    given += out[i];
  }
  for (int64_t left = units - given; left > 0; left--) {
    int64_t best = -1, best_rem = -1;
    for (int64_t i = 0; i < n; i++) {
      int64_t rem = units * w[i] % sum;
      /* Each period gets at most one unit: a given one is out of the race. */
      if (out[i] == units * w[i] / sum && rem > best_rem) {
        best = i;
        best_rem = rem;
      }
    }
    out[best]++;
  }
}

static void test_split_ties_exact(void **state) {
  (void)state;
  /* Weeks of 2024-09-21 .. 2024-11-09 by days: seven remainders of 0.8 and
  ** six units left: the first six weeks, not the float-largest. */
  split(699470, (const double[]){2, 7, 7, 7, 7, 7, 7, 6}, 8);
  assert_wholes(8, (const int64_t[]){27979, 97926, 97926, 97926, 97926, 97926, 97925, 83936});
  /* 1:3 of 2: quotas 0.5 and 1.5, a tie: the earlier period. */
  split(2, (const double[]){1, 3}, 2);
  assert_wholes(2, (const int64_t[]){1, 1});
  /* Weights are the doubles they are: 0.3 is a little below 3/10, so 2.5's
  ** remainder is the larger one, by 2^-50 or so. */
  split(938910, (const double[]){2.5, 0.3}, 2);
  assert_wholes(2, (const int64_t[]){838313, 100597});
  split(77766, (const double[]){0.6, 0.1, 1.2, 3.3}, 4);
  assert_wholes(4, (const int64_t[]){8973, 1496, 17946, 49351});
  /* Weights across the whole range of doubles. */
  split(3, (const double[]){1e-300, 1e300, 1e-300}, 3);
  assert_wholes(3, (const int64_t[]){0, 3, 0});
  split(3, (const double[]){4.9e-324, 9.9e-324}, 2);
  assert_wholes(2, (const int64_t[]){1, 2});
  split(3, (const double[]){1.7976931348623157e308, 4.9e-324, 1.7976931348623157e308}, 3);
  assert_wholes(3, (const int64_t[]){2, 0, 1});
  split(1e15, (const double[]){1.7976931348623157e308, 4.9e-324, 3, 1.7976931348623157e308}, 4);
  assert_wholes(4, (const int64_t[]){500000000000000, 0, 0, 500000000000000});

  /* Random integer weights with many ties, against int64 arithmetic. */
  static double w[64];
  static int64_t iw[64], want[64];
  unsigned seed = 2024;
  for (int c = 0; c < 3000; c++) {
    seed = seed * 1103515245u + 12345u;
    int64_t n = 1 + (seed >> 16) % 40;
    int64_t units = 0;
    for (int64_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      iw[i] = (seed >> 16) % 4 == 0 ? 0 : 1 + (seed >> 18) % 9; /* few values: ties */
      w[i] = (double)iw[i];
    }
    iw[n - 1] = 7;
    w[n - 1] = 7;
    seed = seed * 1103515245u + 12345u;
    units = (seed >> 8) % 2000000;
    split((double)units, w, n);
    reference_split(units, iw, n, want);
    assert_wholes(n, want);
    split(-(double)units, w, n);
    for (int64_t i = 0; i < n; i++) assert_int_equal(parts[i].whole, -want[i]);
  }
}

static void test_curves(void **state) {
  (void)state;
  /* The default: in proportion to completion, capped at 1. */
  const double dx[] = {0, 1}, dy[] = {0, 1};
  assert_true(gops_kpi_payout(dx, dy, 2, -0.1) == 0);
  assert_true(gops_kpi_payout(dx, dy, 2, 0) == 0);
  assert_true(gops_kpi_payout(dx, dy, 2, 0.92) == 0.92);
  assert_true(gops_kpi_payout(dx, dy, 2, 1) == 1);
  assert_true(gops_kpi_payout(dx, dy, 2, 7) == 1);
  /* Threshold, target, cap: nothing below 60%, linear to 100% at target,
  ** then to 120% at 150%. */
  const double tx[] = {0.6, 1, 1.5}, ty[] = {0, 1, 1.2};
  assert_true(gops_kpi_payout(tx, ty, 3, 0.59) == 0);
  assert_true(gops_kpi_payout(tx, ty, 3, 0.6) == 0);
  assert_true(fabs(gops_kpi_payout(tx, ty, 3, 0.8) - 0.5) < 1e-12);
  assert_true(fabs(gops_kpi_payout(tx, ty, 3, 1.25) - 1.1) < 1e-12);
  assert_true(gops_kpi_payout(tx, ty, 3, 2) == 1.2);
  /* Flat: a fixed bonus from 80% on. */
  const double fx[] = {0.8, 2}, fy[] = {0.5, 0.5};
  assert_true(gops_kpi_payout(fx, fy, 2, 0.79) == 0);
  assert_true(gops_kpi_payout(fx, fy, 2, 0.8) == 0.5);
  assert_true(gops_kpi_payout(fx, fy, 2, 1.3) == 0.5);
  assert_true(gops_kpi_payout(fx, fy, 2, 9) == 0.5);
  /* Stepped: 0 to 80%, then 50% at once, linear to 100% at target; the
  ** later point of a step holds from its attainment on. */
  const double sx[] = {0, 0.8, 0.8, 1}, sy[] = {0, 0, 0.5, 1};
  assert_int_equal(gops_kpi_curve_check(sx, 4), 0);
  assert_true(gops_kpi_payout(sx, sy, 4, 0.7999) == 0);
  assert_true(gops_kpi_payout(sx, sy, 4, 0.8) == 0.5);
  assert_true(fabs(gops_kpi_payout(sx, sy, 4, 0.9) - 0.75) < 1e-12);
  /* Pure steps, one point each. */
  const double px[] = {1, 1, 1.2, 1.2}, py[] = {0, 1, 1, 1.5};
  assert_true(gops_kpi_payout(px, py, 4, 0.99) == 0);
  assert_true(gops_kpi_payout(px, py, 4, 1) == 1);
  assert_true(gops_kpi_payout(px, py, 4, 1.1) == 1);
  assert_true(gops_kpi_payout(px, py, 4, 1.2) == 1.5);
  const double ox[] = {0.9}, oy[] = {1};
  assert_true(gops_kpi_payout(ox, oy, 1, 0.89) == 0);
  assert_true(gops_kpi_payout(ox, oy, 1, 0.9) == 1);
  /* Decreasing segments: the payout falls past 120% (no sandbagging
  ** reward), down to 80% at 200%. */
  const double ex[] = {0, 1.2, 2}, ey[] = {0, 1.2, 0.8};
  assert_true(fabs(gops_kpi_payout(ex, ey, 3, 1.6) - 1.0) < 1e-12);
  assert_true(gops_kpi_payout(ex, ey, 3, 3) == 0.8);
  /* Many points: the binary search finds each segment. */
  double mx[101], my[101];
  for (int i = 0; i <= 100; i++) {
    mx[i] = i / 50.0;
    my[i] = (i % 2) ? 1.0 : 0.0;
  }
  for (int i = 0; i < 100; i++) {
    double mid = (mx[i] + mx[i + 1]) / 2;
    assert_true(fabs(gops_kpi_payout(mx, my, 101, mid) - 0.5) < 1e-12);
    assert_true(gops_kpi_payout(mx, my, 101, mx[i]) == my[i]);
  }
  /* Spans of finite points that overflow a double are taken of halves:
  ** the midpoints of (-1e308, 0)-(1e308, 1) and (0, -1e308)-(1, 1e308). */
  const double wx[] = {-1e308, 1e308}, wy[] = {0, 1};
  assert_true(gops_kpi_payout(wx, wy, 2, 0) == 0.5);
  assert_true(gops_kpi_payout(wx, wy, 2, -1e308) == 0);
  assert_true(gops_kpi_payout(wx, wy, 2, 5e307) == 0.75);
  const double hx[] = {0, 1}, hy[] = {-1e308, 1e308};
  assert_true(gops_kpi_payout(hx, hy, 2, 0.5) == 0.0);
  assert_true(gops_kpi_payout(hx, hy, 2, 0.75) == 5e307);
  const double mxx[] = {-1.7976931348623157e308, 1.7976931348623157e308};
  const double myy[] = {1.7976931348623157e308, -1.7976931348623157e308};
  assert_true(gops_kpi_payout(mxx, myy, 2, 0) == 0.0);
  assert_true(isfinite(gops_kpi_payout(mxx, myy, 2, nextafter(mxx[1], 0))));
  /* Tiny spans are not halved (halves of subnormals are not exact). */
  const double tx2[] = {0, 1e-323}, ty2[] = {0, 1};
  assert_true(gops_kpi_payout(tx2, ty2, 2, 4.9e-324) == 0.5);

  /* Unsorted: the index of the first point below the one before. */
  const double ux[] = {0, 1, 0.5, 2};
  assert_int_equal(gops_kpi_curve_check(ux, 4), 2);
  assert_int_equal(gops_kpi_curve_check(ux, 1), 0);
}

static void test_attainment_progress(void **state) {
  (void)state;
  assert_true(gops_kpi_attainment(92, 100, GOPS_KPI_HIGHER) == 0.92);
  assert_true(gops_kpi_attainment(2.5, 2, GOPS_KPI_LOWER) == 0.8);
  assert_true(isnan(gops_kpi_attainment(5, 0, GOPS_KPI_HIGHER)));
  assert_true(isnan(gops_kpi_attainment(0, 5, GOPS_KPI_LOWER)));
  assert_true(gops_kpi_attainment(0, 5, GOPS_KPI_HIGHER) == 0);
  gops_kpi_direction d;
  assert_int_equal(gops_kpi_direction_parse("Lower", &d), 0);
  assert_int_equal(d, GOPS_KPI_LOWER);
  assert_int_equal(gops_kpi_direction_parse("higher", &d), 0);
  assert_int_equal(d, GOPS_KPI_HIGHER);
  assert_int_equal(gops_kpi_direction_parse("up", &d), -1);
  assert_int_equal(gops_kpi_direction_parse(0, &d), -1);

  assert_true(fabs(gops_kpi_progress(41000, 1000, 100000) - 40000.0 / 99000) < 1e-15);
  /* A target below the baseline: churn down from 10% to 6%. */
  assert_true(fabs(gops_kpi_progress(0.08, 0.10, 0.06) - 0.5) < 1e-12);
  assert_true(gops_kpi_progress(0.12, 0.10, 0.06) < 0);
  assert_true(isnan(gops_kpi_progress(5, 3, 3)));
  /* No intermediate overflow: current = target, and halfway. */
  assert_true(gops_kpi_progress(1e308, -1e308, 1e308) == 1.0);
  assert_true(gops_kpi_progress(0, -1e308, 1e308) == 0.5);
  assert_true(gops_kpi_progress(-1e308, 1e308, -1e308) == 1.0);
  assert_true(gops_kpi_progress(1.7976931348623157e308, -1.7976931348623157e308, 1e-300) == 2.0);
  assert_true(gops_kpi_progress(4.9e-324, 0, 1e-323) == 0.5);
  assert_true(isnan(gops_kpi_progress(1e308, -1e308, -1e308)));
  /* A result that itself overflows is Inf (NULL in SQL). */
  assert_true(isinf(gops_kpi_progress(1e308, 0, 1e-300)));
  assert_true(gops_kpi_progress(1e308, -1e308, nextafter(-1e308, 0)) > 1e15);
}

static void test_status(void **state) {
  (void)state;
  const gops_kpi_direction H = GOPS_KPI_HIGHER, L = GOPS_KPI_LOWER;
  assert_int_equal(gops_kpi_status_of(0.10, 0.10, 1, 0.08, H), GOPS_KPI_MET);
  assert_int_equal(gops_kpi_status_of(0.09, 0.10, 1, 0.08, H), GOPS_KPI_BEHIND);
  assert_int_equal(gops_kpi_status_of(0.08, 0.10, 1, 0.08, H), GOPS_KPI_BEHIND);
  assert_int_equal(gops_kpi_status_of(0.079, 0.10, 1, 0.08, H), GOPS_KPI_BELOW_FLOOR);
  assert_int_equal(gops_kpi_status_of(0.079, 0.10, 0, 0, H), GOPS_KPI_BEHIND);
  /* A floor equal to the target: met or below floor, never behind. */
  assert_int_equal(gops_kpi_status_of(0.079, 0.08, 1, 0.08, H), GOPS_KPI_BELOW_FLOOR);
  /* Costs: target 2 yuan a follower, floor (the worst accepted) 3. */
  assert_int_equal(gops_kpi_status_of(2, 2, 1, 3, L), GOPS_KPI_MET);
  assert_int_equal(gops_kpi_status_of(1.5, 2, 1, 3, L), GOPS_KPI_MET);
  assert_int_equal(gops_kpi_status_of(3, 2, 1, 3, L), GOPS_KPI_BEHIND);
  assert_int_equal(gops_kpi_status_of(3.01, 2, 1, 3, L), GOPS_KPI_BELOW_FLOOR);
  assert_int_equal(gops_kpi_status_of(3.01, 2, 0, 0, L), GOPS_KPI_BEHIND);
  assert_false(gops_kpi_floor_misplaced(0.10, 0.08, H));
  assert_false(gops_kpi_floor_misplaced(0.10, 0.10, H));
  assert_true(gops_kpi_floor_misplaced(0.10, 0.12, H));
  assert_false(gops_kpi_floor_misplaced(2, 3, L));
  assert_true(gops_kpi_floor_misplaced(2, 1, L));
  assert_string_equal(gops_kpi_status_name(GOPS_KPI_MET), "met");
  assert_string_equal(gops_kpi_status_name(GOPS_KPI_BEHIND), "behind");
  assert_string_equal(gops_kpi_status_name(GOPS_KPI_BELOW_FLOOR), "below floor");
}

static void test_mean(void **state) {
  (void)state;
  gops_kpi_mean m = {0};
  assert_true(isnan(gops_kpi_mean_value(&m)));
  gops_kpi_mean_add(&m, 0.9, 0.5);
  gops_kpi_mean_add(&m, 1.2, 0.3);
  gops_kpi_mean_add(&m, 0.5, 0.2);
  assert_true(fabs(gops_kpi_mean_value(&m) - (0.45 + 0.36 + 0.1)) < 1e-15);
  gops_kpi_mean_add(&m, 100, 0);
  assert_true(fabs(gops_kpi_mean_value(&m) - 0.91) < 1e-15);
  gops_kpi_mean_remove(&m, 0.9, 0.5);
  assert_true(fabs(gops_kpi_mean_value(&m) - (0.36 + 0.1) / 0.5) < 1e-15);
  gops_kpi_mean_remove(&m, 1.2, 0.3);
  gops_kpi_mean_remove(&m, 0.5, 0.2);
  /* Only a zero-weight row is left: no value, not 0/tiny. */
  assert_true(isnan(gops_kpi_mean_value(&m)));
  /* A sliding window of 3 over a million rows does not drift. */
  gops_kpi_mean s = {0};
  double sc[3], wt[3];
  for (int i = 0; i < 1000000; i++) {
    double score = (i % 97) / 10.0 + 1e6 * (i % 2), weight = 0.1 + (i % 7) * 0.3;
    if (i >= 3) gops_kpi_mean_remove(&s, sc[i % 3], wt[i % 3]);
    gops_kpi_mean_add(&s, score, weight);
    sc[i % 3] = score;
    wt[i % 3] = weight;
  }
  double num = 0, den = 0;
  for (int k = 0; k < 3; k++) {
    num += sc[k] * wt[k];
    den += wt[k];
  }
  assert_true(fabs(gops_kpi_mean_value(&s) - num / den) <= 1e-9 * fabs(num / den));
}

/* A window of the last `width` rows slid over rows[]: the mean of each frame. */
static void slide(const double (*rows)[2], int n, int width, double *out) {
  gops_kpi_mean m;
  memset(&m, 0, sizeof(m));
  for (int i = 0; i < n; i++) {
    if (i >= width) gops_kpi_mean_remove(&m, rows[i - width][0], rows[i - width][1]);
    gops_kpi_mean_add(&m, rows[i][0], rows[i][1]);
    out[i] = gops_kpi_mean_value(&m);
  }
}

/* Two weights of every ratio from 1 to 2^99: the larger one's bits start
** zero to three chunks of the exact sum above the smaller one's, and every
** chunk counts. */
static void test_mean_magnitudes(void **state) {
  (void)state;
  for (int k = 0; k < 100; k++) {
    gops_kpi_mean m;
    memset(&m, 0, sizeof(m));
    double a = 1.0, b = ldexp(1.2345678901234567, k);
    gops_kpi_mean_add(&m, 1.0, a);
    gops_kpi_mean_add(&m, 3.0, b);
    double want = (a + 3.0 * b) / (a + b);
    assert_true(fabs(gops_kpi_mean_value(&m) - want) <= 4 * DBL_EPSILON * want);
  }
}

static void test_mean_overflow(void **state) {
  (void)state;
  double out[8];
  /* weight x score overflows a double; the means do not.  Once the big row
  ** has left the frame the means are those of the rows in it. */
  const double a[][2] = {{1e300, 1e10}, {0.5, 1}, {0.7, 1}, {0.9, 1}};
  slide(a, 4, 2, out);
  assert_true(out[0] == 1e300);
  /* (1e300 * 1e10 + 0.5) / (1e10 + 1) = 1e300 / (1 + 1e-10), nearly. */
  assert_true(fabs(out[1] - 1e300 / (1 + 1e-10)) <= 1e-15 * out[1]);
  assert_true(out[2] == 0.6);
  assert_true(out[3] == 0.8);
  const double b[][2] = {{1e308, 1e308}, {1e308, 1e308}, {1, 1}, {1, 1}};
  slide(b, 4, 2, out);
  assert_true(out[0] == 1e308 && out[1] == 1e308 && out[2] == 1e308 && out[3] == 1.0);
  /* Rows of very different sizes leave nothing behind when they go (a
  ** compensated double sum kept only one level of what it lost). */
  const double c[][2] = {{1e300, 1}, {1e280, 1}, {0.5, 1}, {0.25, 1}};
  slide(c, 4, 3, out);
  assert_true(out[3] == (1e280 + 0.5 + 0.25) / 3);
  slide(c, 4, 2, out);
  assert_true(out[3] == 0.375);
  /* The extremes: the largest doubles, and the smallest. */
  gops_kpi_mean m;
  memset(&m, 0, sizeof(m));
  for (int i = 0; i < 1000; i++) gops_kpi_mean_add(&m, DBL_MAX, DBL_MAX);
  assert_true(gops_kpi_mean_value(&m) == DBL_MAX);
  gops_kpi_mean_add(&m, -DBL_MAX, DBL_MAX);
  gops_kpi_mean_add(&m, -DBL_MAX, DBL_MAX);
  assert_true(fabs(gops_kpi_mean_value(&m) - DBL_MAX * (998.0 / 1002.0)) <= 1e-15 * DBL_MAX);
  memset(&m, 0, sizeof(m));
  gops_kpi_mean_add(&m, 4.9e-324, 4.9e-324);
  assert_true(gops_kpi_mean_value(&m) == 4.9e-324);
  gops_kpi_mean_add(&m, -3, 4.9e-324);
  assert_true(gops_kpi_mean_value(&m) == -1.5);
  /* Adding and taking away the same rows, in any order, leaves the empty
  ** mean, with nothing left behind for the next row. */
  memset(&m, 0, sizeof(m));
  unsigned seed = 99;
  double rows[200][2];
  for (int i = 0; i < 200; i++) {
    seed = seed * 1103515245u + 12345u;
    rows[i][0] = ldexp((double)(seed >> 8) - 8388608.0, (int)(seed % 1200) - 600);
    seed = seed * 1103515245u + 12345u;
    rows[i][1] = ldexp((double)(seed >> 8), (int)(seed % 1200) - 600);
    gops_kpi_mean_add(&m, rows[i][0], rows[i][1]);
  }
  assert_true(isfinite(gops_kpi_mean_value(&m)));
  for (int i = 199; i >= 0; i -= 2) gops_kpi_mean_remove(&m, rows[i][0], rows[i][1]);
  for (int i = 0; i < 200; i += 2) gops_kpi_mean_remove(&m, rows[i][0], rows[i][1]);
  assert_true(isnan(gops_kpi_mean_value(&m)));
  gops_kpi_mean_add(&m, 2, 1e-300);
  assert_true(gops_kpi_mean_value(&m) == 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_methods),         cmocka_unit_test(test_split_small),
      cmocka_unit_test(test_split_errors),    cmocka_unit_test(test_split_sums_exact),
      cmocka_unit_test(test_split_symmetric), cmocka_unit_test(test_split_ties_exact),
      cmocka_unit_test(test_curves),
      cmocka_unit_test(test_attainment_progress), cmocka_unit_test(test_status),
      cmocka_unit_test(test_mean),            cmocka_unit_test(test_mean_magnitudes),
      cmocka_unit_test(test_mean_overflow),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
