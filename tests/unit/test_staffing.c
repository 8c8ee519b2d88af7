/*
** test_staffing.c: cmocka tests of the staffing core: the linear ramp,
** whole heads that never under-staff (nor over-staff by a rounding),
** the last head's joining period, partial periods, hire-by dates and the
** note on ramps longer than the window.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "staffing_core.h"

static int64_t day(int y, int m, int d) { return gops_days_from_civil(y, m, d); }

static gops_staffing plan_of(double units, int64_t from, int64_t to,
                             double rate, double ramp, int64_t lead) {
  gops_staffing plan;
  memset(&plan, 0, sizeof(plan));
  plan.units = units;
  plan.from = from;
  plan.to = to;
  plan.rate = rate;
  plan.ramp_days = ramp;
  plan.lead_days = lead;
  return plan;
}

/* A plan of these inputs, solved. */
static gops_staffing solved(double units, int64_t from, int64_t to,
                            double rate, double ramp, int64_t lead) {
  gops_staffing plan = plan_of(units, from, to, rate, ramp, lead);
  assert_int_equal(gops_staffing_solve(&plan), 0);
  return plan;
}

static void assert_heads(const gops_staffing *plan, double per_person,
                         int64_t people, int64_t ready_people) {
  assert_float_equal(plan->per_person, per_person, 1e-9);
  assert_int_equal(plan->people, people);
  assert_int_equal(plan->ready_people, ready_people);
}

/* Walks a solved plan into rows[] (at most n); returns the row count. */
static int walk(const gops_staffing *plan, gops_grain grain,
                gops_staffing_row *rows, int n) {
  int64_t cursor = plan->from;
  int i = 0;
  gops_staffing_row row;
  while (gops_staffing_next(plan, grain, &cursor, &row)) {
    if (i < n) rows[i] = row;
    i++;
  }
  return i;
}

static void assert_day(int64_t got, int y, int m, int d) {
  assert_int_equal(got, day(y, m, d));
}

static void test_person_units(void **state) {
  (void)state;
  /* No ramp: rate times days. */
  assert_float_equal(gops_staffing_person_units(150, 0, 90), 13500, 1e-9);
  assert_float_equal(gops_staffing_person_units(150, 0, 0), 0, 0);
  assert_float_equal(gops_staffing_person_units(150, 30, -3), 0, 0);
  /* Ramp of 30 days: the first day brings 150 / 60, the ramp half of
  ** 30 full days, each day after it 150. */
  assert_float_equal(gops_staffing_person_units(150, 30, 1), 2.5, 1e-12);
  assert_float_equal(gops_staffing_person_units(150, 30, 10), 250, 1e-9);
  assert_float_equal(gops_staffing_person_units(150, 30, 30), 2250, 1e-9);
  assert_float_equal(gops_staffing_person_units(150, 30, 31), 2400, 1e-9);
  assert_float_equal(gops_staffing_person_units(150, 30, 90), 11250, 1e-9);
  /* Day by day the increments rise linearly to the rate, then stay. */
  double last = 0;
  for (int t = 1; t <= 40; t++) {
    double now = gops_staffing_person_units(150, 30, t);
    double expect = t <= 30 ? 150.0 * (2 * t - 1) / 60.0 : 150.0;
    assert_float_equal(now - last, expect, 1e-9);
    last = now;
  }
  /* A fractional ramp is continuous at its end. */
  assert_float_equal(gops_staffing_person_units(10, 2.5, 2.5),
                     gops_staffing_person_units(10, 2.5, 2.5 + 1e-12), 1e-9);
}

static void test_capacity(void **state) {
  (void)state;
  int64_t a = day(2025, 1, 1), b = day(2025, 3, 31);
  assert_float_equal(gops_staffing_capacity(4, a, b, 150, 0), 54000, 1e-9);
  assert_float_equal(gops_staffing_capacity(4, a, b, 150, 30), 45000, 1e-9);
  assert_float_equal(gops_staffing_capacity(0, a, b, 150, 30), 0, 0);
  assert_float_equal(gops_staffing_capacity(0.5, a, a, 150, 0), 75, 1e-12);
}

static void test_heads_rounding(void **state) {
  (void)state;
  assert_int_equal(gops_staffing_heads(50000, 13500), 4);
  assert_int_equal(gops_staffing_heads(54000, 13500), 4);
  assert_int_equal(gops_staffing_heads(54000.001, 13500), 5);
  assert_int_equal(gops_staffing_heads(0, 13500), 0);
  assert_int_equal(gops_staffing_heads(1e-9, 13500), 1);
  /* 0.3 / 0.1 is 2.9999999999999996 and 0.7 / 0.1 is 6.999999999999999:
  ** the products decide, not the quotient. */
  assert_int_equal(gops_staffing_heads(0.3, 0.1), 3);
  assert_int_equal(gops_staffing_heads(0.7, 0.1), 7);
  /* 3 * 0.1 is 0.30000000000000004, whose quotient by 0.1 is a hair above
  ** 3: three heads do, not four. */
  assert_int_equal(gops_staffing_heads(3 * 0.1, 0.1), 3);
  assert_int_equal(gops_staffing_heads(1e15, 1), -1);
  assert_int_equal(gops_staffing_heads(1e9, 1), 1000000000);
  assert_int_equal(gops_staffing_heads(1e9 + 1, 1), -1);
  /* A sweep: always enough, never one too many. */
  uint64_t seed = 12345;
  for (int i = 0; i < 20000; i++) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    double need = (double)(seed >> 11) / 9007199254740992.0 * 1e6;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    double each = 0.01 + (double)(seed >> 11) / 9007199254740992.0 * 1000;
    int64_t n = gops_staffing_heads(need, each);
    assert_true(n >= 0);
    assert_true((double)n * each >= need);
    if (n > 0) assert_true((double)(n - 1) * each < need);
  }
}

/* The worked example of docs/staffing.md: no ramp, 50,000 units in 90 days at 150 a day. */
static void test_issue_example(void **state) {
  (void)state;
  gops_staffing plan = solved(50000, day(2025, 1, 1), day(2025, 3, 31), 150, 0, 0);
  assert_int_equal(plan.days, 90);
  assert_int_equal(plan.people, 4);
  assert_float_equal(plan.per_person, 13500, 1e-9);
  assert_float_equal(plan.fte, 50000.0 / 13500.0, 1e-12);
  gops_staffing_row rows[4];
  assert_int_equal(walk(&plan, GOPS_GRAIN_MONTH, rows, 4), 3);
  assert_int_equal(rows[0].people, 4);
  assert_int_equal(rows[0].starting, 4);
  assert_true(rows[0].has_hire_by);
  assert_day(rows[0].hire_by, 2025, 1, 1);
  assert_float_equal(rows[0].capacity, 4 * 150 * 31, 1e-9);
  assert_false(rows[1].has_hire_by);
  assert_int_equal(rows[1].people, 4);
  assert_int_equal(rows[2].starting, 0);
  assert_float_equal(rows[2].cumulative, 54000, 1e-9);
  /* By week: the same 4, hired 14 days before 1 January. */
  plan = solved(50000, day(2025, 1, 1), day(2025, 3, 31), 150, 0, 14);
  gops_staffing_row weeks[20];
  assert_int_equal(walk(&plan, GOPS_GRAIN_WEEK, weeks, 20), 14);
  assert_int_equal(weeks[0].period.days, 5);
  assert_int_equal(weeks[0].starting, 4);
  assert_day(weeks[0].hire_by, 2024, 12, 18);
  for (int i = 1; i < 14; i++) {
    assert_int_equal(weeks[i].people, 4);
    assert_int_equal(weeks[i].starting, 0);
    assert_false(weeks[i].has_hire_by);
  }
  assert_float_equal(weeks[13].capacity, 4 * 150.0, 1e-9); /* Monday 31 March */
}

/* The method's secondary accounts: 10 accounts at 50 friends a day, one
** person runs 3, so one person adds 150 a day; 50,000 from March to May. */
static void test_secondary_accounts(void **state) {
  (void)state;
  gops_staffing plan = solved(50000, day(2025, 3, 1), day(2025, 5, 31), 150, 0, 30);
  assert_int_equal(plan.people, 4);
  gops_staffing_row rows[3];
  assert_int_equal(walk(&plan, GOPS_GRAIN_MONTH, rows, 3), 3);
  assert_int_equal(rows[0].starting, 4);
  assert_day(rows[0].hire_by, 2025, 1, 30);
  assert_false(rows[1].has_hire_by);
  assert_float_equal(rows[0].capacity, 4 * 150.0 * 31, 1e-9);
  assert_float_equal(rows[2].cumulative, 4 * 150.0 * 92, 1e-9);
  /* 10 accounts / 3 per person is 3.33: the same 4 heads. */
  assert_int_equal(gops_staffing_heads(10, 3), 4);
}

/* A window that starts and ends inside months. */
static void test_partial_periods(void **state) {
  (void)state;
  gops_staffing plan = solved(10000, day(2025, 1, 15), day(2025, 3, 10), 20, 0, 0);
  assert_int_equal(plan.days, 55);
  /* 10,000 / (20 * 55) = 9.09: 10 heads. */
  assert_int_equal(plan.people, 10);
  gops_staffing_row rows[3];
  assert_int_equal(walk(&plan, GOPS_GRAIN_MONTH, rows, 3), 3);
  assert_int_equal(rows[0].period.days, 17);
  assert_int_equal(rows[1].period.days, 28);
  assert_int_equal(rows[2].period.days, 10);
  double sum = 0;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(rows[i].people, 10);
    assert_float_equal(rows[i].capacity, 10 * 20.0 * rows[i].period.days, 1e-9);
    sum += rows[i].capacity;
    assert_float_equal(rows[i].cumulative, sum, 1e-9);
  }
  assert_float_equal(sum, 11000, 1e-9);
  assert_day(rows[0].period.first_day, 2025, 1, 15);
  assert_day(rows[2].period.last_day, 2025, 3, 10);
  /* One day. */
  plan = solved(301, day(2025, 6, 1), day(2025, 6, 1), 150, 0, 0);
  assert_int_equal(plan.people, 3);
}

static void test_ramp(void **state) {
  (void)state;
  /* Ramp of 30 days, 90-day window: one head brings 150 * 75 = 11,250,
  ** so 50,000 takes 5 (4.44); at full speed from day one, 4 would do. */
  gops_staffing plan = solved(50000, day(2025, 1, 1), day(2025, 3, 31), 150, 30, 0);
  assert_heads(&plan, 11250, 5, 4);
  gops_staffing_row rows[3];
  walk(&plan, GOPS_GRAIN_MONTH, rows, 3);
  /* January: day 31 of a 30-day ramp: 5 * 2,400. */
  assert_float_equal(rows[0].capacity, 5 * 2400.0, 1e-9);
  assert_int_equal(rows[0].ramping, 0);
  assert_float_equal(rows[1].capacity, 5 * 150.0 * 28, 1e-9);
  assert_float_equal(rows[2].cumulative, 5 * 11250.0, 1e-9);
  /* By week: ramping through the week of the 30th day (Thursday 30
  ** January is day 30, so week 5 ends with everyone at full speed). */
  gops_staffing_row weeks[14];
  walk(&plan, GOPS_GRAIN_WEEK, weeks, 14);
  assert_int_equal(weeks[0].ramping, 5);
  assert_int_equal(weeks[3].ramping, 5);  /* Sunday 26 January, day 26 */
  assert_int_equal(weeks[4].ramping, 0);  /* Sunday 2 February, day 33 */
  assert_float_equal(weeks[0].capacity, 5 * 150.0 * 25 / 60, 1e-9);
  char note[GOPS_STAFFING_NOTE_SIZE];
  assert_int_equal(gops_staffing_note(&plan, note, sizeof(note)), 0);
  assert_string_equal(note, "");
  /* By day: a 10-day ramp; each head counts as ramping through its 9th
  ** day; the increments grow by rate / ramp a day. */
  plan = solved(10000, day(2025, 1, 1), day(2025, 1, 31), 150, 10, 0);
  /* 150 * (31 - 5) = 3,900 a head: 2.56, so 3. */
  assert_int_equal(plan.people, 3);
  gops_staffing_row days[31];
  assert_int_equal(walk(&plan, GOPS_GRAIN_DAY, days, 31), 31);
  assert_int_equal(days[0].ramping, 3);
  assert_int_equal(days[8].ramping, 3);
  assert_int_equal(days[9].ramping, 0);
  assert_float_equal(days[0].capacity, 3 * 7.5, 1e-9);
  assert_float_equal(days[1].capacity - days[0].capacity, 3 * 15.0, 1e-9);
  assert_float_equal(days[9].capacity, 3 * 142.5, 1e-9);
  assert_float_equal(days[10].capacity, 3 * 150.0, 1e-9);
  assert_float_equal(days[30].cumulative, 3 * 3900.0, 1e-9);
}

/* A ramp longer than the window: still a plan, with a note. */
static void test_ramp_longer_than_window(void **state) {
  (void)state;
  gops_staffing plan = solved(5000, day(2025, 3, 1), day(2025, 3, 31), 150, 60, 0);
  /* One head: 150 * 31^2 / 120 = 1,201.25; 5,000 needs 5 (4.16). */
  assert_heads(&plan, 1201.25, 5, 2);
  char note[GOPS_STAFFING_NOTE_SIZE];
  assert_int_equal(gops_staffing_note(&plan, note, sizeof(note)), 1);
  assert_string_equal(note,
                      "ramp of 60 days is longer than the 31-day window: the "
                      "team is ramping all the time; hired 60 days earlier, "
                      "2 people instead of 5 would do");
  /* When hiring earlier saves no head, the note says only the first part. */
  plan = solved(100, day(2025, 3, 1), day(2025, 3, 31), 150, 60, 0);
  assert_int_equal(gops_staffing_note(&plan, note, sizeof(note)), 1);
  assert_string_equal(note,
                      "ramp of 60 days is longer than the 31-day window: the "
                      "team is ramping all the time");
  /* A ramp as long as the window is no note; a small buffer is cut. */
  plan = solved(5000, day(2025, 3, 1), day(2025, 3, 31), 150, 31, 0);
  assert_int_equal(gops_staffing_note(&plan, note, sizeof(note)), 0);
  plan.ramp_days = 31.5;
  char small[10];
  assert_int_equal(gops_staffing_note(&plan, small, sizeof(small)), 1);
  assert_string_equal(small, "ramp of 3");
}

static void test_zero_units(void **state) {
  (void)state;
  gops_staffing plan = solved(0, day(2025, 1, 1), day(2025, 2, 15), 150, 30, 10);
  assert_int_equal(plan.people, 0);
  assert_float_equal(plan.fte, 0, 0);
  gops_staffing_row rows[2];
  assert_int_equal(walk(&plan, GOPS_GRAIN_MONTH, rows, 2), 2);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(rows[i].people, 0);
    assert_int_equal(rows[i].starting, 0);
    assert_int_equal(rows[i].ramping, 0);
    assert_false(rows[i].has_hire_by);
    assert_float_equal(rows[i].cumulative, 0, 0);
  }
  char note[GOPS_STAFFING_NOTE_SIZE];
  plan.ramp_days = 100;
  assert_int_equal(gops_staffing_note(&plan, note, sizeof(note)), 0);
}

static void test_too_many(void **state) {
  (void)state;
  gops_staffing plan = plan_of(1e15, day(2025, 1, 1), day(2025, 1, 1), 1, 0, 0);
  assert_int_equal(gops_staffing_solve(&plan), -1);
  plan = solved(1e9, day(2025, 1, 1), day(2025, 1, 1), 1, 0, 0);
  assert_int_equal(plan.people, 1000000000);
}

/* Many plans: the last cumulative reaches units, one head fewer (all on
** from) would not, the last head could not join a period later, people
** never fall, and the rows add up. */
static void test_plans_sweep(void **state) {
  (void)state;
  static const gops_grain grains[] = {GOPS_GRAIN_DAY, GOPS_GRAIN_WEEK,
                                      GOPS_GRAIN_MONTH, GOPS_GRAIN_QUARTER};
  uint64_t seed = 99;
#define NEXT(mod) (seed = seed * 6364136223846793005ULL + 1442695040888963407ULL, \
                   (int64_t)((seed >> 33) % (uint64_t)(mod)))
  for (int i = 0; i < 3000; i++) {
    int64_t from = day(2024, 1, 1) + NEXT(700);
    int64_t to = from + NEXT(400);
    double rate = 1 + (double)NEXT(100000) / 100.0;
    double ramp = (i % 3 == 0) ? 0 : (double)NEXT(1200) / 10.0;
    double units = (double)NEXT(10000000) / 7.0;
    gops_grain grain = grains[i % 4];
    gops_staffing plan = plan_of(units, from, to, rate, ramp, NEXT(90));
    assert_int_equal(gops_staffing_solve(&plan), 0);
    double total = gops_staffing_cumulative(&plan, to);
    assert_true(total >= units);
    if (plan.people > 0) {
      assert_true((double)(plan.people - 1) * plan.per_person < units);
      assert_true(plan.people >= plan.fte - 1e-9);
      assert_true(plan.people < plan.fte + 1 + 1e-9);
      assert_true(plan.ready_people <= plan.people);
    }
    int64_t cursor = from, prev_people = 0, starts = 0;
    double sum = 0;
    gops_staffing_row row;
    while (gops_staffing_next(&plan, grain, &cursor, &row)) {
      assert_true(row.people >= prev_people);
      assert_int_equal(row.people - prev_people, row.starting);
      assert_true(row.ramping <= row.people);
      assert_true(row.capacity >= 0);
      if (row.has_hire_by) assert_int_equal(row.hire_by, row.period.first_day - plan.lead_days);
      prev_people = row.people;
      starts += row.starting;
      sum += row.capacity;
      assert_float_equal(row.cumulative, sum, 1e-6 * (1 + sum));
    }
    assert_int_equal(starts, plan.people);
    assert_true(row.cumulative == total);
  }
#undef NEXT
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_person_units),
      cmocka_unit_test(test_capacity),
      cmocka_unit_test(test_heads_rounding),
      cmocka_unit_test(test_issue_example),
      cmocka_unit_test(test_secondary_accounts),
      cmocka_unit_test(test_partial_periods),
      cmocka_unit_test(test_ramp),
      cmocka_unit_test(test_ramp_longer_than_window),
      cmocka_unit_test(test_zero_units),
      cmocka_unit_test(test_too_many),
      cmocka_unit_test(test_plans_sweep),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
