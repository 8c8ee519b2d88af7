/*
** kpi_core.h: KPI targets in plain C (no SQLite).
**
** - Splitting a flow target (orders, new followers, posts) over periods:
**   weights per period ('days', 'even', 'ramp' or given), each period's
**   share and real target, and whole targets by largest-remainder rounding
**   that add up exactly to round(total).
** - Payout curves, attainment, progress and status.
**
** The weights and curves come as JSON arrays, which text.h reads.  Nothing
** here allocates: callers pass the arrays.
*/
#ifndef GROWTHOPS_KPI_CORE_H
#define GROWTHOPS_KPI_CORE_H

#include <stddef.h>
#include <stdint.h>

/* The largest |total| kpi_split takes: whole targets stay exact in a
** double and in an int64. */
#define GOPS_KPI_TOTAL_MAX 1e15
/* The most points a payout curve holds. */
#define GOPS_KPI_CURVE_MAX 1000

/* How a total is spread over the periods. */
typedef enum gops_kpi_method {
  GOPS_KPI_DAYS,    /* by calendar days in the range (default) */
  GOPS_KPI_EVEN,    /* the same for every period */
  GOPS_KPI_RAMP,    /* 1, 2, 3, ...: linearly rising */
  GOPS_KPI_WEIGHTS  /* given, one per period */
} gops_kpi_method;

/* The method from its name ('days', 'even', 'ramp'), case-insensitive.
** Returns 0, or -1 for any other text. */
int gops_kpi_method_parse(const char *name, gops_kpi_method *method);

/* The weight of period i (0-based) holding `days` days, for the three
** named methods. */
double gops_kpi_method_weight(gops_kpi_method method, int64_t i, int64_t days);

/* One period of a split: weight in, the rest out. */
typedef struct gops_kpi_part {
  double weight;  /* in: finite, >= 0 */
  double share;   /* out: weight / sum of weights; the shares sum to 1 */
  double target;  /* out: total * share */
  int64_t whole;  /* out: the whole target; the wholes sum to round(total) */
} gops_kpi_part;

/* Scratch space for the rounding: one per part. */
typedef struct gops_kpi_rank {
  double remainder; /* the remainder of the quota, to within 2^-50 */
  int64_t index;    /* the part's */
  uint64_t odd;     /* the weight is odd * 2^exp (odd 0 for weight 0) */
  int exp;
} gops_kpi_rank;

/* Results of gops_kpi_split() and the validators. */
#define GOPS_KPI_OK 0
#define GOPS_KPI_NEGATIVE 1   /* a weight is negative (or not finite) */
#define GOPS_KPI_ALL_ZERO 2   /* every weight is 0 */
#define GOPS_KPI_TOO_LARGE 3  /* |total| > GOPS_KPI_TOTAL_MAX or not finite */

/*
** Splits total over parts[0..n-1] (n >= 1) by their weights.  Whole targets
** apportion round(total) (half away from zero, as SQL's round()) by the
** largest-remainder method: every period gets the floor of its quota
** round(total) * share, and the units left go one each to the periods with
** the largest remainders, the earlier period first on a tie.  Quotas,
** floors and remainders are exact (integer arithmetic on the weights as
** the doubles they are), so equal remainders tie exactly.  A negative
** total is split as its absolute value and negated, so splitting -t gives
** exactly the negated wholes of t.  On an error, *bad is the 0-based index
** of the first bad weight (GOPS_KPI_NEGATIVE), else -1.
*/
int gops_kpi_split(double total, gops_kpi_part *parts, int64_t n,
                   gops_kpi_rank *scratch, int64_t *bad);

/*
** A payout curve: points (x[i], y[i]) with x non-decreasing.  Returns 0 or,
** for a point whose x is below the one before, its 0-based index.
** Two points may share an x: a step (the payout jumps there).
*/
int64_t gops_kpi_curve_check(const double *x, int64_t n);

/*
** The payout at attainment a: 0 below x[0]; y[n-1] at and above x[n-1];
** between, the straight line between the last point with x <= a and the
** next one.  At a step (two points with the same x) the later point holds
** from that x on.
*/
double gops_kpi_payout(const double *x, const double *y, int64_t n, double a);

/* Direction of a KPI: higher is better (orders) or lower is (costs). */
typedef enum gops_kpi_direction {
  GOPS_KPI_HIGHER,
  GOPS_KPI_LOWER
} gops_kpi_direction;

/* 'higher' or 'lower', case-insensitive; 0 or -1. */
int gops_kpi_direction_parse(const char *name, gops_kpi_direction *direction);

/* actual / target (higher) or target / actual (lower); NaN when the
** divisor is 0 (the binding turns NaN into NULL). */
double gops_kpi_attainment(double actual, double target,
                           gops_kpi_direction direction);

/* (current - baseline) / (target - baseline); NaN when target == baseline. */
double gops_kpi_progress(double current, double baseline, double target);

typedef enum gops_kpi_status {
  GOPS_KPI_MET,
  GOPS_KPI_BEHIND,
  GOPS_KPI_BELOW_FLOOR
} gops_kpi_status;

/* 'met', 'behind' or 'below floor'. */
const char *gops_kpi_status_name(gops_kpi_status status);

/* 1 if the floor is on the wrong side of the target: above it for
** 'higher', below it for 'lower'. */
int gops_kpi_floor_misplaced(double target, double floor,
                             gops_kpi_direction direction);

/*
** higher: met if actual >= target; else below floor if has_floor and
** actual < floor; else behind.  lower: met if actual <= target; else below
** floor if has_floor and actual > floor; else behind.  Exact comparisons.
*/
gops_kpi_status gops_kpi_status_of(double actual, double target, int has_floor,
                                   double floor, gops_kpi_direction direction);

/*
** An exact sum of doubles and of products of two doubles, in fixed point:
** chunk[i] holds the bits 32i + GOPS_KPI_SUM_LOW_BIT up, 32 bits each
** after a carry (a chunk may hold more between carries).  From 2^-2252
** (the lowest bit of a product of two subnormals) to 2^2112 (a product of
** two of the largest doubles, times 2^64 rows), so nothing rounds,
** overflows or is lost, and taking a term away undoes adding it exactly.
*/
#define GOPS_KPI_SUM_CHUNKS 140
#define GOPS_KPI_SUM_LOW_BIT (-2272)
typedef struct gops_kpi_exact_sum {
  int64_t chunk[GOPS_KPI_SUM_CHUNKS];
  int lo, hi;          /* chunks lo..hi-1 may be nonzero (hi 0: none) */
  int64_t since_carry; /* terms added since the last carry */
} gops_kpi_exact_sum;

/*
** A weighted mean kept for a window: both sums exact, so that rows
** leaving the frame leave nothing behind (an overflowing or huge row
** included), and a weight x score beyond a double's range is no overflow
** when the mean itself is finite.  All zero bytes is the empty mean.
*/
typedef struct gops_kpi_mean {
  gops_kpi_exact_sum sum_wx; /* sum of weight * score */
  gops_kpi_exact_sum sum_w;  /* sum of weight */
} gops_kpi_mean;

/* score and weight finite, weight >= 0. */
void gops_kpi_mean_add(gops_kpi_mean *m, double score, double weight);
void gops_kpi_mean_remove(gops_kpi_mean *m, double score, double weight);
/* The mean, to within a few units in the last place, or NaN when no row
** with a weight above 0 is in.  Takes the sums' carries (no value moves). */
double gops_kpi_mean_value(gops_kpi_mean *m);

#endif
