/*
** staffing_core.c: the planning arithmetic of role staffing.  See
** staffing_core.h for the model and what it offers.
*/
#include "staffing_core.h"

#include <math.h>
#include <stdio.h>

double gops_staffing_person_units(double rate, double ramp_days,
                                  double days_worked) {
  if (days_worked <= 0) return 0.0;
  if (ramp_days <= 0) return rate * days_worked;
  if (days_worked <= ramp_days) {
    return rate * (days_worked * days_worked / (2.0 * ramp_days));
  }
  return rate * (days_worked - ramp_days / 2.0);
}

double gops_staffing_capacity(double people, int64_t from, int64_t to,
                              double rate, double ramp_days) {
  return people * gops_staffing_person_units(rate, ramp_days,
                                             (double)(to - from + 1));
}

int64_t gops_staffing_heads(double need, double each) {
  if (need <= 0) return 0;
  double x = need / each;
  if (!(x <= (double)GOPS_STAFFING_PEOPLE_MAX)) return -1;
  int64_t n = (int64_t)ceil(x);
  /* The division may round either way: settle on the exact products. */
  while (n > 0 && (double)(n - 1) * each >= need) n--;
  while ((double)n * each < need) n++;
  return n > GOPS_STAFFING_PEOPLE_MAX ? -1 : n;
}

/* Units one head starting on `start` has delivered through `day`. */
static double head_units(const gops_staffing *plan, int64_t start, int64_t day) {
  return gops_staffing_person_units(plan->rate, plan->ramp_days,
                                    (double)(day - start + 1));
}

double gops_staffing_cumulative(const gops_staffing *plan, int64_t day) {
  if (plan->people <= 0 || day < plan->from) return 0.0;
  if (day > plan->to) day = plan->to;
  return (double)(plan->people - 1) * head_units(plan, plan->from, day) +
         head_units(plan, plan->last_start, day);
}

int gops_staffing_solve(gops_staffing *plan, gops_grain grain) {
  plan->days = plan->to - plan->from + 1;
  plan->per_person = head_units(plan, plan->from, plan->to);
  plan->fte = plan->units > 0 ? plan->units / plan->per_person : 0.0;
  plan->last_start = plan->from;
  plan->people = gops_staffing_heads(plan->units, plan->per_person);
  plan->ready_people =
      gops_staffing_heads(plan->units, plan->rate * (double)plan->days);
  if (plan->people < 0 || !isfinite(plan->fte)) return -1;

  /* Requirement: never short.  The plan reports cumulative(to) as the
  ** sum of N - 1 heads and the last one; settle N on that very sum. */
  while (plan->people > 1) {
    plan->people--;
    if (gops_staffing_cumulative(plan, plan->to) < plan->units) {
      plan->people++;
      break;
    }
  }
  while (plan->people > 0 &&
         gops_staffing_cumulative(plan, plan->to) < plan->units) {
    if (plan->people >= GOPS_STAFFING_PEOPLE_MAX) return -1;
    plan->people++;
  }
  if (plan->people == 0) return 0;

  /* The last head joins as late as a period start allows: what one head
  ** delivers only falls as they start later, so stop at the first start
  ** that falls short. */
  gops_period p;
  int64_t cursor = plan->from, best = plan->from;
  while (gops_period_walk(&cursor, plan->to, grain, &p)) {
    plan->last_start = p.first_day;
    if (gops_staffing_cumulative(plan, plan->to) < plan->units) break;
    best = p.first_day;
  }
  plan->last_start = best;
  return 0;
}

/* Heads who started on or before day and have worked fewer days than
** the ramp. */
static int64_t ramping_on(const gops_staffing *plan, int64_t day) {
  if (plan->people <= 0 || plan->ramp_days <= 0) return 0;
  int64_t n = 0;
  if ((double)(day - plan->from + 1) < plan->ramp_days) n += plan->people - 1;
  if (day >= plan->last_start &&
      (double)(day - plan->last_start + 1) < plan->ramp_days) {
    n++;
  }
  return n;
}

int gops_staffing_next(const gops_staffing *plan, gops_grain grain,
                       int64_t *cursor, gops_staffing_row *row) {
  if (!gops_period_walk(cursor, plan->to, grain, &row->period)) return 0;
  int64_t a = row->period.first_day, b = row->period.last_day;
  int64_t n = plan->people;
  row->people = n > 0 ? n - 1 + (a >= plan->last_start) : 0;
  row->starting = 0;
  if (n > 0) {
    if (a == plan->from) row->starting += n - 1;
    if (a == plan->last_start) row->starting++;
  }
  row->ramping = ramping_on(plan, b);
  row->cumulative = gops_staffing_cumulative(plan, b);
  row->capacity = row->cumulative - gops_staffing_cumulative(plan, a - 1);
  row->has_hire_by = row->starting > 0;
  row->hire_by = a - plan->lead_days;
  return 1;
}

int gops_staffing_note(const gops_staffing *plan, char *out, size_t size) {
  if (size > 0) out[0] = 0;
  if (plan->people <= 0 || !(plan->ramp_days > (double)plan->days)) return 0;
  int n = snprintf(out, size,
                   "ramp of %g days is longer than the %lld-day window: the "
                   "team is ramping all the time",
                   plan->ramp_days, (long long)plan->days);
  if (n >= 0 && (size_t)n < size && plan->ready_people < plan->people) {
    snprintf(out + n, size - (size_t)n,
             "; hired %g days earlier, %lld people instead of %lld would do",
             plan->ramp_days, (long long)plan->ready_people,
             (long long)plan->people);
  }
  return 1;
}
