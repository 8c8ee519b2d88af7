/*
** test_lifecycle.c: cmocka tests of the lifecycle core (each stage, the
** edges of the run, bad input), the cohort core (first time and recurring,
** "in period k" and "in period k or later", empty cohorts) and the period
** ordinals of the calendar core the tables index periods with; the
** stickiness counts (daily, weekly and monthly active users, bad input).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calendar_core.h"
#include "lifecycle_core.h"

#define N 6

static void assert_stage(const gops_lifecycle_row *r, int64_t n, int64_t ret,
                         int64_t res, int64_t dor) {
  assert_int_equal(r->new_users, n);
  assert_int_equal(r->returning, ret);
  assert_int_equal(r->resurrecting, res);
  assert_int_equal(r->dormant, dor);
}

/* One user, active in periods 0, 1, 3 of 0..5: new, returning, dormant,
** resurrecting, dormant. */
static void test_lifecycle_one_user(void **state) {
  (void)state;
  gops_lifecycle_row rows[N];
  memset(rows, 0, sizeof(rows));
  const int64_t p[] = {0, 1, 3};
  assert_int_equal(gops_lifecycle_add(rows, N, p, 3), 0);
  assert_stage(&rows[0], 1, 0, 0, 0);
  assert_stage(&rows[1], 0, 1, 0, 0);
  assert_stage(&rows[2], 0, 0, 0, 1);
  assert_stage(&rows[3], 0, 0, 1, 0);
  assert_stage(&rows[4], 0, 0, 0, 1);
  assert_stage(&rows[5], 0, 0, 0, 0);
}

/* Several users; active in the last period: not dormant anywhere. */
static void test_lifecycle_users(void **state) {
  (void)state;
  gops_lifecycle_row rows[N];
  memset(rows, 0, sizeof(rows));
  const int64_t a[] = {5};          /* new in the last period */
  const int64_t b[] = {2, 3, 4, 5}; /* new, then returning to the end */
  const int64_t c[] = {0, 5};       /* new, dormant, resurrecting at the end */
  assert_int_equal(gops_lifecycle_add(rows, N, a, 1), 0);
  assert_int_equal(gops_lifecycle_add(rows, N, b, 4), 0);
  assert_int_equal(gops_lifecycle_add(rows, N, c, 2), 0);
  assert_stage(&rows[0], 1, 0, 0, 0);
  assert_stage(&rows[1], 0, 0, 0, 1);
  assert_stage(&rows[2], 1, 0, 0, 0);
  assert_stage(&rows[3], 0, 1, 0, 0);
  assert_stage(&rows[4], 0, 1, 0, 0);
  assert_stage(&rows[5], 1, 1, 1, 0);
  /* No periods: nothing. One period run. */
  assert_int_equal(gops_lifecycle_add(rows, N, a, 0), 0);
  gops_lifecycle_row one[1];
  memset(one, 0, sizeof(one));
  const int64_t z[] = {0};
  assert_int_equal(gops_lifecycle_add(one, 1, z, 1), 0);
  assert_stage(&one[0], 1, 0, 0, 0);
}

/* Last active in period n-2: dormant in the final period of the run.
** Users {1, 4} (new, dormant, resurrecting, dormant) and {4} over 0..5;
** then {0} over a run of two periods. */
static void test_lifecycle_dormant_at_the_end(void **state) {
  (void)state;
  static const int64_t want[N][4] = {
      {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 0, 0}, {1, 0, 1, 0}, {0, 0, 0, 2}};
  gops_lifecycle_row rows[N];
  memset(rows, 0, sizeof(rows));
  assert_int_equal(gops_lifecycle_add(rows, N, (const int64_t[]){1, 4}, 2), 0);
  assert_int_equal(gops_lifecycle_add(rows, N, (const int64_t[]){4}, 1), 0);
  for (int p = 0; p < N; p++) assert_stage(&rows[p], want[p][0], want[p][1], want[p][2], want[p][3]);
  gops_lifecycle_row two[2];
  memset(two, 0, sizeof(two));
  assert_int_equal(gops_lifecycle_add(two, 2, (const int64_t[]){0}, 1), 0);
  assert_stage(&two[1], 0, 0, 0, 1);
}

static void test_lifecycle_bad_input(void **state) {
  (void)state;
  gops_lifecycle_row rows[N];
  memset(rows, 0, sizeof(rows));
  const int64_t unsorted[] = {2, 1};
  const int64_t repeated[] = {1, 1};
  const int64_t outside[] = {1, 6};
  const int64_t negative[] = {-1};
  assert_int_equal(gops_lifecycle_add(rows, N, unsorted, 2), -1);
  assert_int_equal(gops_lifecycle_add(rows, N, repeated, 2), -1);
  assert_int_equal(gops_lifecycle_add(rows, N, outside, 2), -1);
  assert_int_equal(gops_lifecycle_add(rows, N, negative, 1), -1);
  for (int i = 0; i < N; i++) assert_stage(&rows[i], 0, 0, 0, 0);
}

typedef struct table {
  int64_t size[N];
  int64_t users[N * (N + 1) / 2];
  int64_t after[N * (N + 1) / 2];
  gops_cohort_table t;
} table;

static void table_init(table *x, gops_retention type) {
  memset(x, 0, sizeof(*x));
  x->t.n_periods = N;
  x->t.type = type;
  x->t.size = x->size;
  x->t.users = x->users;
  x->t.on_or_after = x->after;
}

static int64_t users(table *x, int64_t c, int64_t k) {
  return x->users[gops_cohort_cell(N, c, k)];
}

static int64_t after(table *x, int64_t c, int64_t k) {
  return x->after[gops_cohort_cell(N, c, k)];
}

static void test_cohort_cells(void **state) {
  (void)state;
  assert_int_equal(gops_cohort_cells(N), 21);
  assert_int_equal(gops_cohort_cells(1), 1);
  assert_int_equal(gops_cohort_cell(N, 0, 0), 0);
  assert_int_equal(gops_cohort_cell(N, 0, 5), 5);
  assert_int_equal(gops_cohort_cell(N, 1, 0), 6);
  assert_int_equal(gops_cohort_cell(N, 2, 0), 11);
  assert_int_equal(gops_cohort_cell(N, 5, 0), 20);
  assert_int_equal(gops_cohort_cells(1000), 500500);
}

/* First time: a starts in 0 and again in 2, returns in 1 and 3; b starts
** in 0, returns in 0 (period 0 is the cohort anyway) and 4; c starts in 2
** and never returns; d returns but never starts. */
static void test_cohort_first_time(void **state) {
  (void)state;
  table x;
  table_init(&x, GOPS_RETENTION_FIRST_TIME);
  const int64_t as[] = {0, 2}, ar[] = {1, 3};
  const int64_t bs[] = {0}, br[] = {0, 4};
  const int64_t cs[] = {2};
  const int64_t dr[] = {1, 2, 3};
  assert_int_equal(gops_cohort_add(&x.t, as, 2, ar, 2), 0);
  assert_int_equal(gops_cohort_add(&x.t, bs, 1, br, 2), 0);
  assert_int_equal(gops_cohort_add(&x.t, cs, 1, 0, 0), 0);
  assert_int_equal(gops_cohort_add(&x.t, 0, 0, dr, 3), 0);
  gops_cohort_finish(&x.t);
  assert_int_equal(x.size[0], 2);
  assert_int_equal(x.size[1], 0);
  assert_int_equal(x.size[2], 1);
  /* cohort 0: k = 0 .. 5 */
  const int64_t u0[] = {2, 1, 0, 1, 1, 0}, a0[] = {2, 2, 2, 2, 1, 0};
  for (int k = 0; k < 6; k++) {
    assert_int_equal(users(&x, 0, k), u0[k]);
    assert_int_equal(after(&x, 0, k), a0[k]);
  }
  /* cohort 1 is empty; cohort 2 is c alone, never back */
  for (int k = 0; k < 5; k++) assert_int_equal(users(&x, 1, k), 0);
  assert_int_equal(users(&x, 2, 0), 1);
  assert_int_equal(after(&x, 2, 0), 1);
  for (int k = 1; k < 4; k++) {
    assert_int_equal(users(&x, 2, k), 0);
    assert_int_equal(after(&x, 2, k), 0);
  }
}

/* Recurring: a is in cohorts 0 and 2; its returns before period 2 do not
** count for cohort 2. */
static void test_cohort_recurring(void **state) {
  (void)state;
  table x;
  table_init(&x, GOPS_RETENTION_RECURRING);
  const int64_t as[] = {0, 2}, ar[] = {1, 3, 5};
  assert_int_equal(gops_cohort_add(&x.t, as, 2, ar, 3), 0);
  gops_cohort_finish(&x.t);
  assert_int_equal(x.size[0], 1);
  assert_int_equal(x.size[2], 1);
  const int64_t u0[] = {1, 1, 0, 1, 0, 1}, a0[] = {1, 1, 1, 1, 1, 1};
  for (int k = 0; k < 6; k++) {
    assert_int_equal(users(&x, 0, k), u0[k]);
    assert_int_equal(after(&x, 0, k), a0[k]);
  }
  const int64_t u2[] = {1, 1, 0, 1}, a2[] = {1, 1, 1, 1};
  for (int k = 0; k < 4; k++) {
    assert_int_equal(users(&x, 2, k), u2[k]);
    assert_int_equal(after(&x, 2, k), a2[k]);
  }
}

static void test_cohort_bad_input(void **state) {
  (void)state;
  table x;
  table_init(&x, GOPS_RETENTION_FIRST_TIME);
  const int64_t ok[] = {0}, bad[] = {3, 3}, outside[] = {6};
  assert_int_equal(gops_cohort_add(&x.t, bad, 2, ok, 1), -1);
  assert_int_equal(gops_cohort_add(&x.t, ok, 1, bad, 2), -1);
  assert_int_equal(gops_cohort_add(&x.t, outside, 1, 0, 0), -1);
  assert_int_equal(x.size[0], 0);
  assert_int_equal(x.users[0], 0);
}

static void test_retention_parse(void **state) {
  (void)state;
  gops_retention t;
  assert_int_equal(gops_retention_parse("first_time", &t), 0);
  assert_int_equal(t, GOPS_RETENTION_FIRST_TIME);
  assert_int_equal(gops_retention_parse("Recurring", &t), 0);
  assert_int_equal(t, GOPS_RETENTION_RECURRING);
  assert_int_equal(gops_retention_parse("first", &t), -1);
  assert_int_equal(gops_retention_parse("recurrings", &t), -1);
  assert_int_equal(gops_retention_parse("", &t), -1);
}

static int64_t day(int y, int m, int d) { return gops_days_from_civil(y, m, d); }

static void test_period_ordinals(void **state) {
  (void)state;
  /* Consecutive periods have consecutive ordinals, and back. */
  for (int g = GOPS_GRAIN_DAY; g <= GOPS_GRAIN_YEAR; g++) {
    gops_grain grain = (gops_grain)g;
    int64_t d = day(1899, 12, 25);
    int64_t prev = gops_period_ordinal(d, grain);
    while (d < day(2101, 1, 10)) {
      assert_int_equal(gops_period_ordinal_first(prev, grain),
                       gops_period_first(d, grain));
      d = gops_period_next(d, grain);
      int64_t o = gops_period_ordinal(d, grain);
      assert_int_equal(o, prev + 1);
      prev = o;
    }
  }
  assert_int_equal(gops_period_ordinal(0, GOPS_GRAIN_WEEK), 0);
  assert_int_equal(gops_period_ordinal(day(1970, 1, 5), GOPS_GRAIN_WEEK), 1);
  assert_int_equal(gops_period_ordinal(day(1970, 1, 4), GOPS_GRAIN_WEEK), 0);
  assert_int_equal(gops_period_ordinal(day(1969, 12, 28), GOPS_GRAIN_WEEK), -1);
  assert_int_equal(gops_period_ordinal(day(2025, 3, 1), GOPS_GRAIN_MONTH), 2025 * 12 + 2);
  assert_int_equal(gops_period_ordinal(GOPS_DAY_MIN, GOPS_GRAIN_MONTH), 0);
  assert_int_equal(gops_period_ordinal_first(0, GOPS_GRAIN_QUARTER), GOPS_DAY_MIN);
  assert_int_equal(gops_period_ordinal(GOPS_DAY_MAX, GOPS_GRAIN_YEAR), 9999);
  /* The week of 2024-12-30 is 2025-W01. */
  char key[GOPS_KEY_SIZE];
  int64_t w = gops_period_ordinal(day(2025, 1, 1), GOPS_GRAIN_WEEK);
  gops_period_key(gops_period_ordinal_first(w, GOPS_GRAIN_WEEK), GOPS_GRAIN_WEEK, key);
  assert_string_equal(key, "2025-W01");
  assert_int_equal(gops_period_ordinal_first(w, GOPS_GRAIN_WEEK), day(2024, 12, 30));
}

/* Daily, weekly (7 days) and "monthly" (here 3 days) active users of two
** users over 10 days: a covering ends at the window's end, at the next
** active day, or at the end of the run. */
static void test_stickiness(void **state) {
  (void)state;
  gops_stickiness_day days[11];
  memset(days, 0, sizeof(days));
  const int64_t a[] = {0, 1, 5}, b[] = {2};
  assert_int_equal(gops_stickiness_add(days, 10, a, 3, 3), 0);
  assert_int_equal(gops_stickiness_add(days, 10, b, 1, 3), 0);
  gops_stickiness_finish(days, 10);
  static const int64_t dau[10] = {1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
  static const int64_t wau[10] = {1, 1, 2, 2, 2, 2, 2, 2, 2, 1};
  static const int64_t mau[10] = {1, 1, 2, 2, 1, 1, 1, 1, 0, 0};
  for (int d = 0; d < 10; d++) {
    assert_int_equal(days[d].dau, dau[d]);
    assert_int_equal(days[d].wau, wau[d]);
    assert_int_equal(days[d].mau, mau[d]);
  }
}

/* A window below one day, or days not strictly increasing within the
** run: -1, and nothing added. */
static void test_stickiness_bad_input(void **state) {
  (void)state;
  gops_stickiness_day days[11], zero[11];
  memset(days, 0, sizeof(days));
  memset(zero, 0, sizeof(zero));
  const int64_t one[] = {4}, twice[] = {3, 3}, back[] = {5, 2}, past[] = {10}, before[] = {-1};
  assert_int_equal(gops_stickiness_add(days, 10, one, 1, 0), -1);
  assert_int_equal(gops_stickiness_add(days, 10, twice, 2, 30), -1);
  assert_int_equal(gops_stickiness_add(days, 10, back, 2, 30), -1);
  assert_int_equal(gops_stickiness_add(days, 10, past, 1, 30), -1);
  assert_int_equal(gops_stickiness_add(days, 10, before, 1, 30), -1);
  assert_memory_equal(days, zero, sizeof(days));
  assert_int_equal(gops_stickiness_add(days, 10, one, 1, 1), 0);
  gops_stickiness_finish(days, 10);
  assert_true(days[4].dau == 1 && days[4].mau == 1 && days[5].mau == 0 && days[5].wau == 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lifecycle_one_user),
      cmocka_unit_test(test_lifecycle_users),
      cmocka_unit_test(test_lifecycle_dormant_at_the_end),
      cmocka_unit_test(test_lifecycle_bad_input),
      cmocka_unit_test(test_cohort_cells),
      cmocka_unit_test(test_cohort_first_time),
      cmocka_unit_test(test_cohort_recurring),
      cmocka_unit_test(test_cohort_bad_input),
      cmocka_unit_test(test_retention_parse),
      cmocka_unit_test(test_period_ordinals),
      cmocka_unit_test(test_stickiness),
      cmocka_unit_test(test_stickiness_bad_input),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
