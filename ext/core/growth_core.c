/*
** growth_core.c: growth rates, compound growth, projections and milestone
** paths.  See growth_core.h for what it offers.
*/
#include "growth_core.h"

#include <math.h>
#include <strings.h>

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
  if (isfinite(ratio) && ratio > 0.0) {
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
  ** b the double nearest 1 + rate (for rates below 1.1e-16 that is 1: the
  ** level never moves).  Both logs have the same sign, so q > 0;
  ** log(target) - log(start) cannot overflow where target / start could. */
  double q = (log(target) - log(start)) / log(1.0 + rate);
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

int gops_path_method_parse(const char *name, gops_path_method *method) {
  if (name == 0) return -1;
  if (strcasecmp(name, "compound") == 0) {
    *method = GOPS_PATH_COMPOUND;
    return 0;
  }
  if (strcasecmp(name, "linear") == 0) {
    *method = GOPS_PATH_LINEAR;
    return 0;
  }
  return -1;
}

int gops_path_defined(gops_path_method method, double start, double target) {
  if (method == GOPS_PATH_LINEAR) return 1;
  return start > 0.0 && target > 0.0;
}

double gops_path_value(gops_path_method method, double start, double target,
                       int64_t elapsed, int64_t total) {
  if (elapsed >= total) return target;
  double f = (double)elapsed / (double)total;
  if (method == GOPS_PATH_LINEAR) {
    double v = start + (target - start) * f;
    /* target - start can overflow where the weighted sum does not. */
    return isfinite(v) ? v : start * (1.0 - f) + target * f;
  }
  double ratio = target / start;
  if (isfinite(ratio) && ratio > 0.0) return start * pow(ratio, f);
  return exp(log(start) + (log(target) - log(start)) * f);
}
