/*
** kpi_core.c: KPI targets in plain C.  See kpi_core.h.
*/
#include "kpi_core.h"
#include "text.h"

#include <assert.h>
#include <float.h>
#include <limits.h>
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

/* ---- exact integers for the rounding ---------------------------------- */

/*
** The whole targets are apportioned in exact integer arithmetic, so that
** equal remainders are equal and the tie rule holds.  Every weight is an
** odd integer times a power of two; scaled by the smallest power among
** them, the weights are integers W[i] of at most 2,098 bits (from 2^-1074
** to 2^1024), their sum S has at most 40 more for n < 2^40 periods, and a
** quota units * W[i] / S (units < 2^50) has its floor and its remainder
** units * W[i] - floor * S in fewer than BIG_LIMBS * 32 bits.
*/
#define BIG_LIMBS 72

/* An unsigned integer of `len` 32-bit limbs, least significant first; all
** numbers of one split share one len. */
typedef struct big {
  uint32_t limb[BIG_LIMBS];
} big;

static void big_zero(big *a, int len) { memset(a->limb, 0, (size_t)len * sizeof(uint32_t)); }

/* a = m * 2^shift, m < 2^53. */
static void big_set_shifted(big *a, int len, uint64_t m, int shift) {
  assert(shift >= 0 && m < ((uint64_t)1 << 53));
  big_zero(a, len);
  int at = shift / 32, bit = shift % 32;
  for (int k = 0; k < 3 && at + k < len; k++) {
    /* Bits 32k - bit .. 32k - bit + 31 of m land in limb at + k. */
    int from = 32 * k - bit;
    if (from >= 64) break;
    uint64_t part = from >= 0 ? m >> from : m << -from;
    a->limb[at + k] = (uint32_t)part;
  }
}

static void big_add(big *a, const big *b, int len) {
  uint64_t carry = 0;
  for (int i = 0; i < len; i++) {
    carry += (uint64_t)a->limb[i] + b->limb[i];
    a->limb[i] = (uint32_t)carry;
    carry >>= 32;
  }
  assert(carry == 0);
}

/* a -= b, b <= a. */
static void big_sub(big *a, const big *b, int len) {
  int64_t borrow = 0;
  for (int i = 0; i < len; i++) {
    int64_t d = (int64_t)a->limb[i] - b->limb[i] - borrow;
    borrow = d < 0;
    a->limb[i] = (uint32_t)(d + (borrow << 32));
  }
  assert(borrow == 0);
}

static int big_cmp(const big *a, const big *b, int len) {
  for (int i = len - 1; i >= 0; i--) {
    if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
  }
  return 0;
}

/* out = a * m, m < 2^64, out != a; the product fits in len limbs. */
static void big_mul(big *out, const big *a, uint64_t m, int len) {
  assert(out != a);
  big_zero(out, len);
  for (int half = 0; half < 2; half++) {
    uint64_t f = half ? m >> 32 : m & 0xFFFFFFFFu, carry = 0;
    assert(half == 0 || f == 0 || a->limb[len - 1] == 0);
    for (int i = 0; i + half < len; i++) {
      /* At most (2^32-1)^2 + 2 (2^32-1) = 2^64 - 1: no overflow. */
      carry += (uint64_t)a->limb[i] * f + out->limb[i + half];
      out->limb[i + half] = (uint32_t)carry;
      carry >>= 32;
    }
    assert(carry == 0);
  }
}

/* a / b for a < b as a double, within a few units of 2^-52: the quotient
** of their leading 64 or more bits. */
static double big_ratio(const big *a, const big *b, int len) {
  assert(big_cmp(a, b, len) < 0);
  int top = len - 1;
  while (top > 0 && b->limb[top] == 0) top--;
  double x = 0, y = 0;
  for (int i = top; i >= 0 && i >= top - 2; i--) {
    x = x * 4294967296.0 + a->limb[i];
    y = y * 4294967296.0 + b->limb[i];
  }
  return x / y;
}

/* A weight's odd integer and power of two: w = odd * 2^exp (w > 0). */
static uint64_t odd_part(double w, int *exp) {
  assert(w > 0.0 && isfinite(w));
  int e;
  double m = frexp(w, &e);
  uint64_t odd = (uint64_t)ldexp(m, 53);
  *exp = e - 53;
  while ((odd & 0xFFu) == 0) {
    odd >>= 8;
    *exp += 8;
  }
  while ((odd & 1u) == 0) {
    odd >>= 1;
    (*exp)++;
  }
  return odd;
}

static int bit_length(uint64_t v) {
  int n = 0;
  for (; v >> 8; v >>= 8) n += 8;
  for (; v; v >>= 1) n++;
  return n;
}

/* ---- splitting -------------------------------------------------------- */

/* What the exact remainders need: the weights' scale, their sum S and the
** units apportioned.  Part i's quota is units * W[i] / S. */
typedef struct apportion {
  const gops_kpi_part *parts;
  uint64_t units;
  int exp_min; /* the power of two W[i] are counted in */
  int len;     /* limbs of every number */
  big sum;     /* S */
} apportion;

/* W of a rank's weight. */
static void scaled_weight(const apportion *ap, const gops_kpi_rank *r, big *out) {
  if (r->odd == 0) {
    big_zero(out, ap->len);
  } else {
    big_set_shifted(out, ap->len, r->odd, r->exp - ap->exp_min);
  }
}

/* A rank's floor, the estimate `guess` corrected exactly, and its
** remainder units * W - floor * S into *rem. */
static int64_t exact_floor(const apportion *ap, const gops_kpi_rank *r, double guess,
                           big *rem) {
  big w, floor_s;
  int64_t q = guess < 0 ? 0 : guess > (double)ap->units ? (int64_t)ap->units : (int64_t)guess;
  scaled_weight(ap, r, &w);
  big_mul(rem, &w, ap->units, ap->len);
  big_mul(&floor_s, &ap->sum, (uint64_t)q, ap->len);
  while (big_cmp(&floor_s, rem, ap->len) > 0) {
    big_sub(&floor_s, &ap->sum, ap->len);
    q--;
  }
  big_sub(rem, &floor_s, ap->len);
  while (big_cmp(rem, &ap->sum, ap->len) >= 0) {
    big_sub(rem, &ap->sum, ap->len);
    q++;
  }
  return q;
}

/* A rank's remainder, exactly, once its floor is in its part's whole. */
static void exact_remainder(const apportion *ap, const gops_kpi_rank *r, big *rem) {
  big w, floor_s;
  scaled_weight(ap, r, &w);
  big_mul(rem, &w, ap->units, ap->len);
  big_mul(&floor_s, &ap->sum, (uint64_t)ap->parts[r->index].whole, ap->len);
  big_sub(rem, &floor_s, ap->len);
}

/* 1 if rank a goes before rank b: the larger remainder, exactly; on equal
** remainders the earlier period.  The remainders in the ranks are within
** 2^-50 of the exact ones, so they decide alone when they differ by more. */
static int ranks_before(const apportion *ap, const gops_kpi_rank *a, const gops_kpi_rank *b) {
  double gap = a->remainder - b->remainder;
  if (gap > 0x1p-40) return 1;
  if (gap < -0x1p-40) return 0;
  int order = 0;
  if (a->odd != b->odd || a->exp != b->exp) {
    big ra, rb;
    exact_remainder(ap, a, &ra);
    exact_remainder(ap, b, &rb);
    order = big_cmp(&ra, &rb, ap->len);
  }
  return order != 0 ? order > 0 : a->index < b->index;
}

/* Sifts rank k of the heap ranks[0..n-1] down: the first rank on top. */
static void sift_down(const apportion *ap, gops_kpi_rank *ranks, int64_t k, int64_t n) {
  for (;;) {
    int64_t best = k, l = 2 * k + 1, r = l + 1;
    if (l < n && ranks_before(ap, &ranks[l], &ranks[best])) best = l;
    if (r < n && ranks_before(ap, &ranks[r], &ranks[best])) best = r;
    if (best == k) return;
    gops_kpi_rank t = ranks[k];
    ranks[k] = ranks[best];
    ranks[best] = t;
    k = best;
  }
}

int gops_kpi_split(double total, gops_kpi_part *parts, int64_t n,
                   gops_kpi_rank *scratch, int64_t *bad) {
  *bad = -1;
  if (!isfinite(total) || fabs(total) > GOPS_KPI_TOTAL_MAX) return GOPS_KPI_TOO_LARGE;
  assert(n >= 1 && n < ((int64_t)1 << 40));
  double top = 0.0;
  int exp_min = INT_MAX, all_equal = 1;
  for (int64_t i = 0; i < n; i++) {
    double w = parts[i].weight;
    if (!(w >= 0.0) || !isfinite(w)) {
      *bad = i;
      return GOPS_KPI_NEGATIVE;
    }
    if (w > top) top = w;
    if (w != parts[0].weight) all_equal = 0;
    gops_kpi_rank *r = &scratch[i];
    r->index = i;
    r->odd = 0;
    r->exp = 0;
    if (w > 0.0) {
      r->odd = odd_part(w, &r->exp);
      if (r->exp < exp_min) exp_min = r->exp;
    }
  }
  if (top == 0.0) return GOPS_KPI_ALL_ZERO;

  /* Scale by the largest weight first: the sum stays <= n, never Inf. */
  double sum = 0.0;
  for (int64_t i = 0; i < n; i++) sum += parts[i].weight / top;

  /* Apportion |round(total)|; negate at the end (a symmetric split). */
  double rounded = round(total);
  apportion ap = {.parts = parts, .units = (uint64_t)fabs(rounded), .exp_min = exp_min};
  int bits = 0;
  for (int64_t i = 0; i < n; i++) {
    int b = bit_length(scratch[i].odd) + scratch[i].exp - exp_min;
    if (scratch[i].odd != 0 && b > bits) bits = b;
  }
  ap.len = (bits + bit_length((uint64_t)n) + 50 + 31) / 32 + 1;
  assert(ap.len <= BIG_LIMBS);
  big_zero(&ap.sum, ap.len);
  for (int64_t i = 0; i < n; i++) {
    big w;
    scaled_weight(&ap, &scratch[i], &w);
    big_add(&ap.sum, &w, ap.len);
  }

  int64_t given = 0;
  for (int64_t i = 0; i < n; i++) {
    gops_kpi_part *p = &parts[i];
    p->share = (p->weight / top) / sum;
    p->target = total * p->share;
    big rem;
    p->whole = exact_floor(&ap, &scratch[i], floor((double)ap.units * p->share), &rem);
    given += p->whole;
    scratch[i].remainder = big_ratio(&rem, &ap.sum, ap.len);
  }
  /* Exact floors leave 0 <= left < n units: one each to the first ranks,
  ** taken from a heap (the ranks are not all needed in order). */
  int64_t left = (int64_t)ap.units - given;
  assert(left >= 0 && left < n);
  if (left > 0 && all_equal) {
    /* Equal weights, equal remainders: the earliest periods. */
    for (int64_t i = 0; i < left; i++) parts[i].whole++;
  } else if (left > 0) {
    for (int64_t k = n / 2 - 1; k >= 0; k--) sift_down(&ap, scratch, k, n);
    for (int64_t k = 0, size = n; k < left; k++) {
      gops_kpi_rank first = scratch[0];
      scratch[0] = scratch[--size];
      scratch[size] = first;
      sift_down(&ap, scratch, 0, size);
    }
    /* Only now: the comparisons read the floors. */
    for (int64_t k = n - left; k < n; k++) parts[scratch[k].index].whole++;
  }
  if (rounded < 0) {
    for (int64_t i = 0; i < n; i++) parts[i].whole = -parts[i].whole;
  }
  return GOPS_KPI_OK;
}

/* ---- payout curves ---------------------------------------------------- */

/* (a - b) / (c - d) without an intermediate overflow: when a difference
** of two finite numbers overflows, both are taken of halves.  A difference
** overflows only when its operands are at least 2^970 or so, where halving
** is exact; the other operand of a pair loses at most 2^-1075 to it. */
static double ratio_of_spans(double a, double b, double c, double d) {
  double num = a - b, den = c - d;
  if (isinf(num) || isinf(den)) {
    num = a / 2.0 - b / 2.0;
    den = c / 2.0 - d / 2.0;
  }
  return num / den;
}

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
    assert(x[lo] <= a && a < x[hi]);
    int64_t mid = lo + (hi - lo) / 2;
    if (x[mid] <= a) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  /* x[lo] <= a < x[lo + 1], so the segment has a width. */
  assert(hi == lo + 1 && x[lo] <= a && a < x[hi]);
  double t = ratio_of_spans(a, x[lo], x[lo + 1], x[lo]);
  double rise = y[lo + 1] - y[lo];
  if (isfinite(rise)) return y[lo] + t * rise;
  /* The payouts are finite, so halves of them are exact and their span is
  ** finite; the point on the line lies between them, so doubling is too. */
  return 2.0 * (y[lo] / 2.0 + t * (y[lo + 1] / 2.0 - y[lo] / 2.0));
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
  if (target == baseline) return NAN;
  return ratio_of_spans(current, baseline, target, baseline);
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

/* Carries are taken before a chunk could overflow: a row adds at most
** 8 parts below 2^32 to a chunk, so 2^24 rows stay far below 2^63. */
#define SUM_CARRY_EVERY (1 << 24)

/* A finite double as m * 2^e with m a whole number below 2^53. */
static uint64_t mantissa_of(double v, int *e) {
  double m = frexp(fabs(v), e);
  *e -= 53;
  return (uint64_t)ldexp(m, 53);
}

/* Adds sign * m * 2^e (m < 2^64) to the sum: three chunks at most. */
static void sum_term(gops_kpi_exact_sum *s, int sign, uint64_t m, int e) {
  int pos = e - GOPS_KPI_SUM_LOW_BIT;
  assert(pos >= 0 && pos / 32 + 2 < GOPS_KPI_SUM_CHUNKS);
  int at = pos / 32, bit = pos % 32;
  uint64_t lo = (m & 0xFFFFFFFFu) << bit, hi = (m >> 32) << bit;
  int64_t part[3] = {(int64_t)(lo & 0xFFFFFFFFu),
                     (int64_t)((lo >> 32) + (hi & 0xFFFFFFFFu)), (int64_t)(hi >> 32)};
  for (int k = 0; k < 3; k++) s->chunk[at + k] += sign * part[k];
  if (s->hi == 0) {
    s->lo = at;
    s->hi = at + 3;
  } else {
    if (at < s->lo) s->lo = at;
    if (at + 3 > s->hi) s->hi = at + 3;
  }
}

/* Carries between the chunks, so that each but the top one is in
** [-2^31, 2^31): the top nonzero chunk then has the sum's sign. */
static void sum_carry(gops_kpi_exact_sum *s) {
  int64_t carry = 0;
  for (int i = s->lo; i < GOPS_KPI_SUM_CHUNKS - 1 && (i < s->hi || carry != 0); i++) {
    int64_t v = s->chunk[i] + carry;
    int64_t low = (int64_t)(((uint64_t)v + 0x80000000u) & 0xFFFFFFFFu) - 0x80000000;
    s->chunk[i] = low;
    carry = (v - low) / 4294967296;
    if (i + 1 >= s->hi && carry != 0) s->hi = i + 2;
  }
  s->chunk[GOPS_KPI_SUM_CHUNKS - 1] += carry;
  s->since_carry = 0;
}

static void sum_count_row(gops_kpi_exact_sum *s) {
  if (++s->since_carry >= SUM_CARRY_EVERY) sum_carry(s);
}

/* The sum as x * 2^*e (x a double of its top 96 bits); 0 if it is 0. */
static double sum_value(gops_kpi_exact_sum *s, int *e) {
  sum_carry(s);
  int top = s->hi - 1;
  while (top >= s->lo && top >= 0 && s->chunk[top] == 0) top--;
  if (top < 0 || top < s->lo) return 0.0;
  double x = 0.0;
  int last = top;
  for (int i = top; i >= 0 && i >= top - 2; i--) {
    x = x * 4294967296.0 + (double)s->chunk[i];
    last = i;
  }
  *e = 32 * last + GOPS_KPI_SUM_LOW_BIT;
  return x;
}

static void mean_update(gops_kpi_mean *m, double score, double weight, int sign) {
  assert(isfinite(score) && isfinite(weight) && weight >= 0.0);
  if (weight == 0.0) return;
  int ew, es;
  uint64_t mw = mantissa_of(weight, &ew);
  sum_term(&m->sum_w, sign, mw, ew);
  sum_count_row(&m->sum_w);
  if (score == 0.0) return;
  /* weight * score exactly: the four products of the mantissas' halves. */
  uint64_t ms = mantissa_of(score, &es);
  int s = score < 0 ? -sign : sign;
  uint64_t w0 = mw & 0xFFFFFFFFu, w1 = mw >> 32, s0 = ms & 0xFFFFFFFFu, s1 = ms >> 32;
  sum_term(&m->sum_wx, s, w0 * s0, ew + es);
  sum_term(&m->sum_wx, s, w0 * s1, ew + es + 32);
  sum_term(&m->sum_wx, s, w1 * s0, ew + es + 32);
  sum_term(&m->sum_wx, s, w1 * s1, ew + es + 64);
  sum_count_row(&m->sum_wx);
}

void gops_kpi_mean_add(gops_kpi_mean *m, double score, double weight) {
  mean_update(m, score, weight, 1);
}

void gops_kpi_mean_remove(gops_kpi_mean *m, double score, double weight) {
  mean_update(m, score, weight, -1);
}

double gops_kpi_mean_value(gops_kpi_mean *m) {
  int ew = 0, ex = 0;
  double w = sum_value(&m->sum_w, &ew);
  if (!(w > 0.0)) return NAN;
  double x = sum_value(&m->sum_wx, &ex);
  if (x == 0.0) return 0.0;
  double mean = ldexp(x / w, ex - ew);
  /* A mean of finite scores is finite: Inf can only be rounding at the
  ** very top of the range. */
  if (isinf(mean)) mean = copysign(DBL_MAX, mean);
  return mean;
}
