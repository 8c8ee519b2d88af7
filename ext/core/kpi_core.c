/*
** kpi_core.c: KPI targets in plain C.  See kpi_core.h.
*/
#include "kpi_core.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- methods ---------------------------------------------------------- */

int gops_kpi_method_parse(const char *name, gops_kpi_method *method) {
  /* In the order of gops_kpi_method. */
  static const char *const names[] = {"days", "even", "ramp"};
  int i = gops_word_find(name, names, 3);
  if (i < 0) return -1;
  *method = (gops_kpi_method)i;
  return 0;
}

double gops_kpi_method_weight(gops_kpi_method method, int64_t i, int64_t days) {
  switch (method) {
    case GOPS_KPI_DAYS:
      return (double)days;
    case GOPS_KPI_RAMP:
      return (double)(i + 1);
    default:
      return 1.0;
  }
}

/* ---- splitting -------------------------------------------------------- */

/* Largest remainder first; the earlier period first on a tie. */
static int rank_order(const void *a, const void *b) {
  const gops_kpi_rank *x = a, *y = b;
  if (x->remainder > y->remainder) return -1;
  if (x->remainder < y->remainder) return 1;
  return (x->index > y->index) - (x->index < y->index);
}

int gops_kpi_split(double total, gops_kpi_part *parts, int64_t n,
                   gops_kpi_rank *scratch, int64_t *bad) {
  *bad = -1;
  if (!isfinite(total) || fabs(total) > GOPS_KPI_TOTAL_MAX) return GOPS_KPI_TOO_LARGE;
  double top = 0.0;
  for (int64_t i = 0; i < n; i++) {
    double w = parts[i].weight;
    if (!(w >= 0.0) || !isfinite(w)) {
      *bad = i;
      return GOPS_KPI_NEGATIVE;
    }
    if (w > top) top = w;
  }
  if (top == 0.0) return GOPS_KPI_ALL_ZERO;

  /* Scale by the largest weight first: the sum stays <= n, never Inf. */
  double sum = 0.0;
  for (int64_t i = 0; i < n; i++) sum += parts[i].weight / top;

  /* Apportion |round(total)|; negate at the end (a symmetric split). */
  double rounded = round(total);
  int64_t units = (int64_t)fabs(rounded);
  int64_t given = 0;
  for (int64_t i = 0; i < n; i++) {
    gops_kpi_part *p = &parts[i];
    p->share = (p->weight / top) / sum;
    p->target = total * p->share;
    double quota = (double)units * p->share;
    double whole = floor(quota);
    p->whole = (int64_t)whole;
    given += p->whole;
    scratch[i].remainder = quota - whole;
    scratch[i].index = i;
  }
  int64_t left = units - given;
  if (left != 0) {
    qsort(scratch, (size_t)n, sizeof(*scratch), rank_order);
    /* In exact arithmetic 0 <= left < n; the loops also mend the last
    ** unit a rounding error in the quotas could cost or add. */
    while (left > 0) {
      for (int64_t k = 0; k < n && left > 0; k++, left--) parts[scratch[k].index].whole++;
    }
    while (left < 0) {
      for (int64_t k = n - 1; k >= 0 && left < 0; k--) {
        gops_kpi_part *p = &parts[scratch[k].index];
        if (p->whole > 0) {
          p->whole--;
          left++;
        }
      }
    }
  }
  if (rounded < 0) {
    for (int64_t i = 0; i < n; i++) parts[i].whole = -parts[i].whole;
  }
  return GOPS_KPI_OK;
}

/* ---- payout curves ---------------------------------------------------- */

int64_t gops_kpi_curve_check(const double *x, int64_t n) {
  for (int64_t i = 1; i < n; i++) {
    if (x[i] < x[i - 1]) return i;
  }
  return 0;
}

double gops_kpi_payout(const double *x, const double *y, int64_t n, double a) {
  if (n <= 0 || a < x[0]) return 0.0;
  if (a >= x[n - 1]) return y[n - 1];
  /* The last point with x <= a: binary search, x is sorted. */
  int64_t lo = 0, hi = n - 1; /* x[lo] <= a < x[hi] */
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    if (x[mid] <= a) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  /* x[lo] <= a < x[lo + 1], so the segment has a width. */
  double t = (a - x[lo]) / (x[lo + 1] - x[lo]);
  return y[lo] + t * (y[lo + 1] - y[lo]);
}

/* ---- attainment, progress, status ------------------------------------- */

int gops_kpi_direction_parse(const char *name, gops_kpi_direction *direction) {
  /* In the order of gops_kpi_direction. */
  static const char *const names[] = {"higher", "lower"};
  int i = gops_word_find(name, names, 2);
  if (i < 0) return -1;
  *direction = (gops_kpi_direction)i;
  return 0;
}

double gops_kpi_attainment(double actual, double target,
                           gops_kpi_direction direction) {
  double num = direction == GOPS_KPI_LOWER ? target : actual;
  double den = direction == GOPS_KPI_LOWER ? actual : target;
  if (den == 0.0) return NAN;
  return num / den;
}

double gops_kpi_progress(double current, double baseline, double target) {
  double span = target - baseline;
  if (span == 0.0) return NAN;
  return (current - baseline) / span;
}

const char *gops_kpi_status_name(gops_kpi_status status) {
  switch (status) {
    case GOPS_KPI_MET:
      return "met";
    case GOPS_KPI_BEHIND:
      return "behind";
    default:
      return "below floor";
  }
}

int gops_kpi_floor_misplaced(double target, double floor,
                             gops_kpi_direction direction) {
  return direction == GOPS_KPI_LOWER ? floor < target : floor > target;
}

gops_kpi_status gops_kpi_status_of(double actual, double target, int has_floor,
                                   double floor, gops_kpi_direction direction) {
  if (direction == GOPS_KPI_LOWER) {
    if (actual <= target) return GOPS_KPI_MET;
    if (has_floor && actual > floor) return GOPS_KPI_BELOW_FLOOR;
  } else {
    if (actual >= target) return GOPS_KPI_MET;
    if (has_floor && actual < floor) return GOPS_KPI_BELOW_FLOOR;
  }
  return GOPS_KPI_BEHIND;
}

/* ---- weighted mean ---------------------------------------------------- */

/* Neumaier's compensated sum: *sum + *comp is the running total. */
static void neumaier(double *sum, double *comp, double v) {
  double t = *sum + v;
  if (fabs(*sum) >= fabs(v)) {
    *comp += (*sum - t) + v;
  } else {
    *comp += (v - t) + *sum;
  }
  *sum = t;
}

void gops_kpi_mean_add(gops_kpi_mean *m, double score, double weight) {
  neumaier(&m->sum_wx, &m->comp_wx, weight * score);
  neumaier(&m->sum_w, &m->comp_w, weight);
  if (weight > 0) m->n_weighted++;
}

void gops_kpi_mean_remove(gops_kpi_mean *m, double score, double weight) {
  neumaier(&m->sum_wx, &m->comp_wx, -(weight * score));
  neumaier(&m->sum_w, &m->comp_w, -weight);
  if (weight > 0) m->n_weighted--;
}

double gops_kpi_mean_value(const gops_kpi_mean *m) {
  if (m->n_weighted <= 0) return NAN;
  double w = m->sum_w + m->comp_w;
  if (w == 0.0) return NAN;
  return (m->sum_wx + m->comp_wx) / w;
}
