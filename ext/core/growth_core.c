/*
** growth_core.c: growth rates, compound growth, projections and milestone
** paths.  See growth_core.h for what it offers.
*/
#include "growth_core.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "text.h"

int gops_growth_rate(double previous, double current, double *out) {
  if (previous == 0.0) return -1;
  double r = (current - previous) / fabs(previous);
  /* A difference of two finite numbers that overflows (both at least
  ** 2^970 or so, where halving is exact) is taken of their halves. */
  if (isinf(current - previous)) r = (current / 2 - previous / 2) / (fabs(previous) / 2);
  if (!isfinite(r)) return -1;
  *out = r;
  return 0;
}

int gops_growth_compound(double start, double end, double periods,
                         double *out) {
  if (!(start > 0.0) || !(end >= 0.0) || !(periods > 0.0)) return -1;
  double ratio = end / start;
  double r;
  /* A subnormal ratio has lost digits: the logs keep them. */
  if (isnormal(ratio) && ratio > 0.0) {
    r = pow(ratio, 1.0 / periods) - 1.0;
  } else if (end == 0.0) {
    r = -1.0; /* everything lost */
  } else {
    /* end / start overflowed or underflowed: go through the logs. */
    r = expm1((log(end) - log(start)) / periods);
  }
  if (!isfinite(r)) return -1;
  *out = r;
  return 0;
}

int gops_growth_project(double start, double rate, double periods,
                        double *out) {
  if (!(rate >= -1.0) || !(periods > 0.0)) return -1;
  double v = start * pow(1.0 + rate, periods);
  if (!isfinite(v)) return -1;
  *out = v;
  return 0;
}

/* Has the level reached target, in the direction the rate moves it? */
static int reached(double level, double target, double rate) {
  return rate >= 0.0 ? level >= target : level <= target;
}

static double level_after(double start, double rate, double n) {
  return start * pow(1.0 + rate, n);
}

int gops_growth_periods(double start, double target, double rate,
                        int64_t *out) {
  if (!isfinite(start) || !isfinite(target) || !(rate >= -1.0) ||
      !isfinite(rate)) {
    return -1;
  }
  if (reached(start, target, rate)) {
    *out = 0;
    return 0;
  }
  if (rate == -1.0) {
    /* Everything is gone after one period, and stays gone. */
    if (!reached(0.0, target, rate)) return -1;
    *out = 1;
    return 0;
  }
  /* Not there yet.  A level at or below 0 never rises (rate > 0 makes it
  ** more negative), a constant level never moves, and a falling positive
  ** level only tends to 0 without reaching it. */
  if (!(start > 0.0) || rate == 0.0) return -1;
  if (rate < 0.0 && !(target > 0.0)) return -1;

  /* The count for the arithmetic growth_project() does, start * b^n with
  ** b the double nearest 1 + rate.  For a rate within about 1.1e-16 of 0
  ** (either side) b is 1: the level never moves. */
  double base = 1.0 + rate;
  if (base == 1.0) return -1;
  /* Both logs have the same sign, so q >= 0 (0 where the levels' logs
  ** round alike); log(target) - log(start) cannot overflow where
  ** target / start could. */
  double q = (log(target) - log(start)) / log(base);
  assert(!(q < 0.0));
  if (!(q <= GOPS_GROWTH_PERIODS_MAX)) return -1;
  double n = ceil(q);
  if (n < 1.0) n = 1.0;
  /* Settle n against the formula growth_project() uses.  Rounding in the
  ** logs puts it one off; levels that underflow into the subnormals (a
  ** target of 5e-324) put it hundreds off.  The levels are monotone in n:
  ** gallop from the estimate to a bracket, not reached at lo (0 is not:
  ** start has not reached the target) and reached at hi, then halve it. */
  double lo, hi;
  if (reached(level_after(start, rate, n), target, rate)) {
    hi = n;
    for (double step = 1.0;; step *= 2.0) {
      lo = hi - step < 0.0 ? 0.0 : hi - step;
      if (lo == 0.0 || !reached(level_after(start, rate, lo), target, rate)) break;
      hi = lo;
    }
  } else {
    lo = n;
    for (double step = 1.0;; step *= 2.0) {
      hi = lo + step;
      if (hi > GOPS_GROWTH_PERIODS_MAX) return -1;
      if (reached(level_after(start, rate, hi), target, rate)) break;
      lo = hi;
    }
  }
  while (hi - lo > 1.0) {
    double mid = floor(lo + (hi - lo) / 2.0);
    if (reached(level_after(start, rate, mid), target, rate)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  if (hi > GOPS_GROWTH_PERIODS_MAX) return -1;
  *out = (int64_t)hi;
  return 0;
}

int gops_path_method_parse(const char *name, gops_grain grain,
                           gops_path_method *method) {
  static const char prefix[] = "compound_";
  if (name == 0) return -1;
  size_t n = strlen(name);
  if (gops_word_equal(name, n, "linear")) {
    method->kind = GOPS_PATH_LINEAR;
    method->per = GOPS_GRAIN_DAY;
    return 0;
  }
  if (gops_word_equal(name, n, "compound")) {
    method->kind = GOPS_PATH_COMPOUND;
    method->per = grain;
    return 0;
  }
  gops_grain per;
  if (n > sizeof(prefix) - 1 && gops_word_equal(name, sizeof(prefix) - 1, prefix) &&
      gops_grain_parse(name + sizeof(prefix) - 1, &per) == 0) {
    method->kind = GOPS_PATH_COMPOUND;
    method->per = per;
    return 0;
  }
  return -1;
}

int gops_path_defined(gops_path_method method, double start, double target) {
  if (method.kind == GOPS_PATH_LINEAR) return 1;
  return start > 0.0 && target > 0.0;
}

/* Periods of a grain from the start of day `from` to the start of day
** `until`: whole periods between them, plus and minus the shares of the
** periods they fall in (the ordinals subtract as integers first, so that
** no precision is lost to their size). */
static double periods_between(int64_t from, int64_t until, gops_grain grain) {
  assert(from <= until);
  int64_t from_first = gops_period_first(from, grain);
  int64_t from_next = gops_period_next(from, grain);
  int64_t until_first = gops_period_first(until, grain);
  int64_t until_next = gops_period_next(until, grain);
  return (double)(gops_period_ordinal(until, grain) - gops_period_ordinal(from, grain)) +
         (double)(until - until_first) / (double)(until_next - until_first) -
         (double)(from - from_first) / (double)(from_next - from_first);
}

double gops_path_value(gops_path_method method, double start, double target,
                       int64_t from, int64_t to, int64_t day) {
  assert(from <= day && day <= to);
  if (day >= to) return target;
  double f;
  if (method.kind == GOPS_PATH_LINEAR) {
    f = (double)(day - from + 1) / (double)(to - from + 1);
    double v = start + (target - start) * f;
    /* target - start can overflow where the weighted sum does not. */
    return isfinite(v) ? v : start * (1.0 - f) + target * f;
  }
  /* P(day) / P(to): the periods gone by the end of day over all of them. */
  f = periods_between(from, day + 1, method.per) /
      periods_between(from, to + 1, method.per);
  double ratio = target / start;
  if (isnormal(ratio) && ratio > 0.0) return start * pow(ratio, f);
  return exp(log(start) + (log(target) - log(start)) * f);
}
