/*
** kpi_core.c: KPI targets in plain C.  See kpi_core.h.
*/
#include "kpi_core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- methods ---------------------------------------------------------- */

/* ASCII case-insensitive equality, without the locale tables of
** strcasecmp: directions are read once per row. */
static int same_word(const char *a, const char *lower) {
  for (; *lower; a++, lower++) {
    char c = *a;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != *lower) return 0;
  }
  return *a == 0;
}

int gops_kpi_method_parse(const char *name, gops_kpi_method *method) {
  static const struct {
    const char *name;
    gops_kpi_method method;
  } names[] = {{"days", GOPS_KPI_DAYS}, {"even", GOPS_KPI_EVEN}, {"ramp", GOPS_KPI_RAMP}};
  if (name == 0) return -1;
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (same_word(name, names[i].name)) {
      *method = names[i].method;
      return 0;
    }
  }
  return -1;
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

/* ---- JSON ------------------------------------------------------------- */

/* The longest number accepted, in characters. */
#define NUMBER_MAX 64

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

static int is_digit(const char *p, const char *end) {
  return p < end && *p >= '0' && *p <= '9';
}

/* Reads a JSON number at *pp.  0: read, *pp past it; 1: not a number;
** 2: too long or beyond a double's range. */
static int scan_number(const char **pp, const char *end, double *out) {
  const char *start = *pp, *p = start;
  if (p < end && *p == '-') p++;
  if (!is_digit(p, end)) return 1;
  if (*p == '0') {
    p++;
    if (is_digit(p, end)) return 1; /* no leading zeros */
  } else {
    while (is_digit(p, end)) p++;
  }
  if (p < end && *p == '.') {
    p++;
    if (!is_digit(p, end)) return 1;
    while (is_digit(p, end)) p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (!is_digit(p, end)) return 1;
    while (is_digit(p, end)) p++;
  }
  /* A number runs into the next token only through ',' ']' or space. */
  if (p < end && !strchr(",] \t\r\n", *p)) return 1;
  size_t len = (size_t)(p - start);
  if (len > NUMBER_MAX) return 2;
  char buf[NUMBER_MAX + 1];
  memcpy(buf, start, len);
  buf[len] = 0;
  double d = strtod(buf, 0);
  if (!isfinite(d)) return 2;
  *out = d;
  *pp = p;
  return 0;
}

/* Up to 24 bytes of the text at p for a message, cut where the element
** ends (before ',' or after ']' for pairs) and on a UTF-8 boundary. */
static void snippet(const char *p, const char *end, int pair, char *out) {
  size_t n = 0, limit = 24;
  pair = pair && p < end && *p == '[';
  while (p + n < end && n < limit) {
    char c = p[n];
    if (!pair && (c == ',' || c == ']')) break;
    n++;
    if (pair && c == ']') break;
  }
  if (n == 0 && p < end) n = 1; /* show the character that is wrong */
  int cut = p + n < end && n == limit;
  while (cut && n > 0 && (p[n] & 0xC0) == 0x80) n--;
  while (n > 0 && strchr(" \t\r\n", p[n - 1])) n--;
  if (p >= end) {
    snprintf(out, 40, "the end");
  } else {
    snprintf(out, 40, "'%.*s%s'", (int)n, p, cut ? "..." : "");
  }
}

/* Steps over the ',' between elements or the closing ']'.  Returns 1 after
** ',', 0 after ']', -1 with a message otherwise. */
static int after_element(const char **pp, const char *end, int pair,
                         const char *element, int64_t index, char *err) {
  const char *p = skip_ws(*pp, end);
  if (p < end && (*p == ',' || *p == ']')) {
    *pp = p + 1;
    return *p == ',';
  }
  char shown[40];
  snippet(p, end, pair, shown);
  snprintf(err, GOPS_KPI_ERR_SIZE, "%s %lld must be followed by ',' or ']', got %s",
           element, (long long)index + 1, shown);
  return -1;
}

/* '[' and white space, or a message; *empty is 1 for "[]". */
static int open_array(const char **pp, const char *end, int *empty, char *err) {
  const char *p = skip_ws(*pp, end);
  if (p >= end || *p != '[') {
    snprintf(err, GOPS_KPI_ERR_SIZE, "must be a JSON array");
    return -1;
  }
  p = skip_ws(p + 1, end);
  *empty = p < end && *p == ']';
  *pp = *empty ? p + 1 : p;
  return 0;
}

static int close_text(const char *p, const char *end, char *err) {
  p = skip_ws(p, end);
  if (p < end) {
    snprintf(err, GOPS_KPI_ERR_SIZE, "has text after the closing ']'");
    return -1;
  }
  return 0;
}

static int number_error(int why, const char *p, const char *end, int pair,
                        const char *element, int64_t index, const char *what,
                        char *err) {
  char shown[40];
  snippet(p, end, pair, shown);
  snprintf(err, GOPS_KPI_ERR_SIZE, "%s %lld must be %s, got %s", element,
           (long long)index + 1, why == 2 ? "a number within a double's range" : what,
           shown);
  return -1;
}

int gops_kpi_json_numbers(const char *text, size_t n, const char *element,
                          double *out, int64_t max, int64_t *count, char *err) {
  const char *p = text, *end = text + n;
  int empty;
  *count = 0;
  if (open_array(&p, end, &empty, err) != 0) return -1;
  for (int more = !empty; more;) {
    p = skip_ws(p, end);
    double d;
    const char *at = p;
    int why = scan_number(&p, end, &d);
    if (why != 0) return number_error(why, at, end, 0, element, *count, "a number", err);
    if (*count < max) out[*count] = d;
    more = after_element(&p, end, 0, element, *count, err);
    if (more < 0) return -1;
    (*count)++;
  }
  return close_text(p, end, err);
}

int gops_kpi_json_pairs(const char *text, size_t n, const char *element,
                        double *x, double *y, int64_t max, int64_t *count,
                        char *err) {
  static const char what[] = "a pair of numbers [attainment, payout]";
  const char *p = text, *end = text + n;
  int empty;
  *count = 0;
  if (open_array(&p, end, &empty, err) != 0) return -1;
  for (int more = !empty; more;) {
    if (*count >= max) {
      snprintf(err, GOPS_KPI_ERR_SIZE, "holds more than %lld %ss", (long long)max,
               element);
      return -1;
    }
    p = skip_ws(p, end);
    const char *at = p;
    double v[2];
    if (p >= end || *p != '[') {
      return number_error(1, at, end, 1, element, *count, what, err);
    }
    p++;
    for (int k = 0; k < 2; k++) {
      p = skip_ws(p, end);
      int why = scan_number(&p, end, &v[k]);
      if (why != 0) return number_error(why, at, end, 1, element, *count, what, err);
      p = skip_ws(p, end);
      if (p >= end || *p != (k == 0 ? ',' : ']')) {
        return number_error(1, at, end, 1, element, *count, what, err);
      }
      p++;
    }
    x[*count] = v[0];
    y[*count] = v[1];
    more = after_element(&p, end, 1, element, *count, err);
    if (more < 0) return -1;
    (*count)++;
  }
  return close_text(p, end, err);
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
  if (name == 0) return -1;
  if (same_word(name, "higher")) {
    *direction = GOPS_KPI_HIGHER;
  } else if (same_word(name, "lower")) {
    *direction = GOPS_KPI_LOWER;
  } else {
    return -1;
  }
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
