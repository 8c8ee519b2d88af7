/*
** staffing_core.c: the planning arithmetic of role staffing.  See
** staffing_core.h for the model and what it offers.
*/
#include "staffing_core.h"

#include <assert.h>
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
  return (double)plan->people * head_units(plan, plan->from, day);
}

int gops_staffing_solve(gops_staffing *plan) {
  assert(plan->units >= 0 && plan->from <= plan->to && plan->rate > 0 &&
         plan->ramp_days >= 0 && plan->lead_days >= 0);
  plan->days = plan->to - plan->from + 1;
  plan->per_person = head_units(plan, plan->from, plan->to);
  plan->fte = plan->units > 0 ? plan->units / plan->per_person : 0.0;
  plan->people = gops_staffing_heads(plan->units, plan->per_person);
  plan->ready_people =
      gops_staffing_heads(plan->units, plan->rate * (double)plan->days);
  if (plan->people < 0 || !isfinite(plan->fte)) return -1;
  /* Never short: gops_staffing_heads() settled people on the product
  ** people * per_person, the very expression cumulative(to) reports. */
  assert(gops_staffing_cumulative(plan, plan->to) >= plan->units);
  return 0;
}

int gops_staffing_next(const gops_staffing *plan, gops_grain grain,
                       int64_t *cursor, gops_staffing_row *row) {
  if (!gops_period_walk(cursor, plan->to, grain, &row->period)) return 0;
  int64_t a = row->period.first_day, b = row->period.last_day;
  int first = a == plan->from;
  row->people = plan->people;
  row->starting = first ? plan->people : 0;
  /* Still ramping on b: fewer days worked than the ramp. */
  row->ramping = (double)(b - plan->from + 1) < plan->ramp_days ? plan->people : 0;
  row->cumulative = gops_staffing_cumulative(plan, b);
  row->capacity = row->cumulative - gops_staffing_cumulative(plan, a - 1);
  row->has_hire_by = first && plan->people > 0;
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
