/*
** growth_core.h: growth arithmetic in plain C (no SQLite).
**
** Levels (followers, daily orders, ...) grow by a rate per period:
**   rate      = (current - previous) / |previous|
**   compound  = (end / start)^(1/periods) - 1
**   project   = start * (1 + rate)^periods
** and a milestone path from a start level to a target spreads the growth
** over the days of a range: compound (the same growth in every period of a
** grain: every day, or every month whatever its length) or linear (the
** same gain every day).  Every routine returns -1 instead of a result that
** would be NaN or infinite, so the bindings never pass one on.
*/
#ifndef GROWTHOPS_GROWTH_CORE_H
#define GROWTHOPS_GROWTH_CORE_H

#include <stdint.h>

#include "calendar_core.h"

/* (current - previous) / |previous| into *out; -1 where previous is 0 or
** the result is not finite. */
int gops_growth_rate(double previous, double current, double *out);

/* (end / start)^(1/periods) - 1 into *out.  Defined for start > 0,
** end >= 0 and periods > 0; -1 otherwise or if not finite. */
int gops_growth_compound(double start, double end, double periods,
                         double *out);

/* start * (1 + rate)^periods into *out.  Defined for rate >= -1 and
** periods > 0; -1 otherwise or if the result overflows. */
int gops_growth_project(double start, double rate, double periods,
                        double *out);

/* The most periods gops_growth_periods() reports: 2^53, the largest
** count a double (and SQLite's REAL) holds exactly. */
#define GOPS_GROWTH_PERIODS_MAX 9007199254740992.0

/* The smallest whole n >= 0 for which start * (1 + rate)^n has reached
** target: at or above it when rate >= 0, at or below it when rate < 0.
** Returns 0 with *out set, or -1 if no n does (or n > 2^53).  rate must be
** at least -1 (the caller checks). */
int gops_growth_periods(double start, double target, double rate,
                        int64_t *out);

/* How a milestone path spreads the growth over its days. */
typedef enum gops_path_kind {
  GOPS_PATH_COMPOUND, /* start * (target/start)^(P(t)/P(T)), see below */
  GOPS_PATH_LINEAR    /* start + (target - start) * t/T */
} gops_path_kind;

/* A method: its kind and, for a compound path, the grain whose periods all
** grow by the same rate.  A period counts by the share of its days in the
** path: P(t) is the number of periods of that grain from the start of the
** path's first day to the end of day t, a part-period counting as its days
** over the days of the whole calendar period (1 March alone is 1/31 of a
** month, a whole February 1).  So every whole month of a path compounded
** per month grows by the same rate, February as much as March, and a
** part-month by that rate to the power of its share; within a period the
** growth is spread evenly over its days.  Per day, P(t) = t. */
typedef struct gops_path_method {
  gops_path_kind kind;
  gops_grain per; /* compound only */
} gops_path_method;

/* The text every error message lists as the known methods. */
#define GOPS_PATH_METHOD_NAMES                                              \
  "'compound', 'compound_day', 'compound_week', 'compound_month', "         \
  "'compound_quarter', 'compound_year' or 'linear'"

/* Method from its name, case-insensitive: 'linear', 'compound_<grain>'
** (compound per period of that grain), or 'compound' (compound per period
** of `grain`, the grain the path is drawn at).  0 on success, -1 unknown. */
int gops_path_method_parse(const char *name, gops_grain grain,
                           gops_path_method *method);

/* 1 if the method can run from start to target: 'linear' always,
** compound only when both are positive (a compound path never crosses or
** touches 0). */
int gops_path_defined(gops_path_method method, double start, double target);

/* The level to reach by the end of `day` on the path from start (at the
** start of day `from`) to target (at the end of day `to`), from <= day <=
** to; exactly target when day == to. */
double gops_path_value(gops_path_method method, double start, double target,
                       int64_t from, int64_t to, int64_t day);

#endif
