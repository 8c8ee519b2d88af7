/*
** staffing_core.h: role staffing in plain C (no SQLite): from a target
** back to whole heads, their joining dates and hire-by dates.
**
** The model (docs/staffing.md works it through):
**
** - One person at full speed delivers `rate` units a day.  A new person
**   reaches full speed linearly over `ramp_days`: on the k-th day worked
**   (k = 1, 2, ...) they deliver the rate times the average of the linear
**   ramp over that day, so that after t days worked they have delivered
**       rate * t^2 / (2 * ramp_days)   while t <= ramp_days,
**       rate * (t - ramp_days / 2)     after:
**   the ramp costs ramp_days / 2 full-speed days.  ramp_days 0: rate * t.
** - The window is from..to, both days included.  A person who starts on
**   `from` and works every day to `to` delivers `per_person` units.
** - `people` = the fewest whole heads that reach `units` by `to`: the
**   smallest N with N * per_person >= units, checked on the very
**   expression the plan reports, so the plan never falls short by a
**   rounding.  `fte` = units / per_person, the fractional need.
** - All N heads start on `from` and work to `to`.  Joining later would
**   save person-days only by back-loading the work (a lone head would
**   start at the end), while the ramp makes early days the weakest: the
**   plan keeps a steady inflow instead.  Roles that join in later phases
**   are plans whose window starts later.
** - Each head is hired `lead_days` before the day they start (hire-by).
*/
#ifndef GROWTHOPS_STAFFING_CORE_H
#define GROWTHOPS_STAFFING_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar_core.h"

/* The most heads a plan may need, and the longest ramp or hiring lead. */
#define GOPS_STAFFING_PEOPLE_MAX 1000000000
#define GOPS_STAFFING_DAYS_MAX 3650

/* Longest note gops_staffing_note() writes, terminator included. */
#define GOPS_STAFFING_NOTE_SIZE 200

typedef struct gops_staffing {
  /* Inputs: units >= 0, from <= to, rate > 0, 0 <= ramp_days, lead_days. */
  double units;
  int64_t from, to;
  double rate;
  double ramp_days;
  int64_t lead_days;
  /* Filled by gops_staffing_solve(). */
  int64_t days;         /* to - from + 1 */
  double per_person;    /* units one person starting on from delivers by to */
  double fte;           /* units / per_person: the fractional need */
  int64_t people;       /* whole heads, all starting on from */
  int64_t ready_people; /* heads that would do at full speed from `from`
                           (hired ramp_days earlier) */
} gops_staffing;

/* Units one person delivers in their first days_worked days. */
double gops_staffing_person_units(double rate, double ramp_days,
                                  double days_worked);

/* Units `people` heads deliver from..to, all starting on from (the
** reverse of a plan). */
double gops_staffing_capacity(double people, int64_t from, int64_t to,
                              double rate, double ramp_days);

/* The fewest whole heads n with n * each >= need (each > 0, need >= 0),
** or -1 when that is more than GOPS_STAFFING_PEOPLE_MAX. */
int64_t gops_staffing_heads(double need, double each);

/* Solves a plan whose inputs are set.  Returns 0, or -1 when it needs
** more than GOPS_STAFFING_PEOPLE_MAX people. */
int gops_staffing_solve(gops_staffing *plan);

/* What the solved plan has delivered from `from` through day (0 before
** from); at `to` it is at least units. */
double gops_staffing_cumulative(const gops_staffing *plan, int64_t day);

/* One period of a solved plan. */
typedef struct gops_staffing_row {
  gops_period period;  /* key, first_day, last_day, days */
  int64_t people;      /* heads working in the period */
  int64_t starting;    /* heads who start on its first day (all in the
                          first period) */
  int64_t ramping;     /* heads still below full speed on its last day */
  double capacity;     /* units delivered in the period */
  double cumulative;   /* units delivered from `from` through its last day */
  int has_hire_by;     /* 1 when starting > 0 */
  int64_t hire_by;     /* period.first_day - lead_days */
} gops_staffing_row;

/* Walks the periods of a solved plan:
**   int64_t cursor = plan.from; gops_staffing_row row;
**   while (gops_staffing_next(&plan, grain, &cursor, &row)) { ... }
** Returns 1 while it filled row, 0 when the plan is done. */
int gops_staffing_next(const gops_staffing *plan, gops_grain grain,
                       int64_t *cursor, gops_staffing_row *row);

/* When ramp_days is longer than the window, writes into out (size bytes,
** GOPS_STAFFING_NOTE_SIZE is enough) a note saying that the team would be
** ramping most of the time and how many heads would do if hired ramp_days
** earlier, and returns 1; otherwise returns 0 and writes "". */
int gops_staffing_note(const gops_staffing *plan, char *out, size_t size);

#endif
