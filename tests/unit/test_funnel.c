/*
** test_funnel.c: cmocka tests of the funnel core: every window_funnel mode
** on ClickHouse's own test cases, ties, windows at the edge, 64 steps,
** rows out of order, the streaming state, retention, stages and the
** median (the JSON arrays are text.h's: test_text.c).  A literal transcription of ClickHouse's loop over
** sorted events (reference_level) checks the state machine on random
** rows, in order and shuffled, in every mode.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "funnel_core.h"

static void *plain_realloc(void *p, uint64_t n) { return realloc(p, (size_t)n); }
static void plain_free(void *p) { free(p); }
static const gops_alloc alloc = {plain_realloc, plain_free};

#define SD GOPS_FUNNEL_STRICT_DEDUPLICATION
#define SO GOPS_FUNNEL_STRICT_ORDER
#define SI GOPS_FUNNEL_STRICT_INCREASE
#define ONCE GOPS_FUNNEL_STRICT_ONCE
#define RE GOPS_FUNNEL_ALLOW_REENTRY

typedef struct row {
  double ts;
  uint64_t mask;
} row;

static gops_funnel *new_funnel(int n, unsigned modes, double window, int times) {
  gops_funnel *f = malloc(gops_funnel_size(n, times));
  assert_non_null(f);
  gops_funnel_setup(f, n, modes, window, times, &alloc);
  return f;
}

/* The level of rows fed in the order given; times if not NULL. */
static int level_of(const row *rows, size_t n_rows, int n, unsigned modes,
                    double window, double *times) {
  gops_funnel *f = new_funnel(n, modes, window, times != 0);
  for (size_t i = 0; i < n_rows; i++) {
    assert_int_equal(gops_funnel_add(f, rows[i].ts, rows[i].mask), GOPS_FUNNEL_OK);
  }
  int level = -1;
  assert_int_equal(gops_funnel_finish(f, &level, times), GOPS_FUNNEL_OK);
  gops_funnel_release(f);
  free(f);
  return level;
}

/* Rows from (ts, event) pairs and conditions "event == c[i]". */
static size_t rows_from_events(const double *ts, const int *ev, size_t n_ev,
                               const int *conds, int n, row *out) {
  for (size_t i = 0; i < n_ev; i++) {
    out[i].ts = ts[i];
    out[i].mask = 0;
    for (int c = 0; c < n; c++) {
      if (ev[i] == conds[c]) out[i].mask |= 1ULL << c;
    }
  }
  return n_ev;
}

/* ---- ClickHouse's loop, transcribed, over (ts, cond) events ---- */

typedef struct event {
  double ts;
  int idx; /* 1-based condition; 0: a row meeting none (strict_order) */
} event;

static int compare_events(const void *a, const void *b) {
  const event *x = a, *y = b;
  if (x->ts != y->ts) return x->ts < y->ts ? -1 : 1;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

static int reference_level(const row *rows, size_t n_rows, int n, unsigned modes,
                           double window) {
  event *evs = malloc((n_rows * (size_t)(n + 1) + 1) * sizeof(event));
  size_t k = 0;
  for (size_t i = 0; i < n_rows; i++) {
    int has = 0;
    for (int c = n; c > 0; c--) {
      if (rows[i].mask & (1ULL << (c - 1))) {
        evs[k].ts = rows[i].ts;
        evs[k].idx = c;
        k++;
        has = 1;
      }
    }
    if ((modes & SO) && !has) {
      evs[k].ts = rows[i].ts;
      evs[k].idx = 0;
      k++;
    }
  }
  int result = -1;
  if (k == 0) {
    result = 0;
  } else if (!(modes & SO) && n == 1) {
    result = 1;
  }
  /* qsort is not stable, but equal (ts, idx) pairs are interchangeable. */
  qsort(evs, k, sizeof(event), compare_events);
  int has_ts[64] = {0};
  double first_ts[64], last_ts[64];
  int first_event = 0;
  for (size_t i = 0; i < k && result < 0; i++) {
    double ts = evs[i].ts;
    int e = evs[i].idx - 1;
    if ((modes & SO) && e == -1) {
      if (first_event) break;
      continue;
    } else if (e == 0) {
      has_ts[0] = 1;
      first_ts[0] = last_ts[0] = ts;
      first_event = 1;
    } else if ((modes & SD) && has_ts[e]) {
      for (int l = n; l > 0 && result < 0; l--) if (has_ts[l - 1]) result = l;
      if (result < 0) result = 0;
    } else if ((modes & SO) && first_event && !has_ts[e - 1]) {
      if (modes & RE) continue;
      for (int l = 0; l < n && result < 0; l++) if (!has_ts[l]) result = l;
    } else if (has_ts[e - 1]) {
      double first = first_ts[e - 1];
      int matched = ts <= first + window;
      if (modes & SI) matched = matched && last_ts[e - 1] < ts;
      if (matched) {
        has_ts[e] = 1;
        first_ts[e] = first;
        last_ts[e] = ts;
        if (e + 1 == n) result = n;
      }
    }
  }
  if (result < 0) {
    result = 0;
    for (int l = n; l > 0; l--) {
      if (has_ts[l - 1]) {
        result = l;
        break;
      }
    }
  }
  free(evs);
  return result;
}

/* ---- ClickHouse's test cases (00632_aggregation_window_funnel) ---- */

static void test_clickhouse_basic(void **state) {
  (void)state;
  double ts[9];
  int ev[9];
  row rows[9];
  for (int i = 0; i < 9; i++) ts[i] = i, ev[i] = 1000 + i;
  int c1[] = {1000}, c2[] = {1000, 1001}, c3[] = {1000, 1001, 1002},
      c4[] = {1000, 1001, 1002, 1008}, c5[] = {1003, 1004, 1005, 1006, 1007};
  rows_from_events(ts, ev, 9, c1, 1, rows);
  assert_int_equal(level_of(rows, 9, 1, 0, 10000, 0), 1);
  assert_int_equal(level_of(rows, 9, 1, 0, 1, 0), 1);
  rows_from_events(ts, ev, 9, c2, 2, rows);
  assert_int_equal(level_of(rows, 9, 2, 0, 10000, 0), 2);
  rows_from_events(ts, ev, 9, c3, 3, rows);
  assert_int_equal(level_of(rows, 9, 3, 0, 10000, 0), 3);
  rows_from_events(ts, ev, 9, c4, 4, rows);
  assert_int_equal(level_of(rows, 9, 4, 0, 10000, 0), 4);
  rows_from_events(ts, ev, 9, c5, 5, rows);
  assert_int_equal(level_of(rows, 9, 5, 0, 2, 0), 3);
  assert_int_equal(level_of(rows, 9, 5, 0, 3, 0), 4);
  assert_int_equal(level_of(rows, 9, 5, 0, 4, 0), 5);
  /* event <= 1007, event >= 1002, event <= 1006, event >= 1004 over
  ** 1001..1008 at 1..8, window 4: multi-condition rows, level 4. */
  for (int i = 0; i < 8; i++) {
    rows[i].ts = i + 1;
    int e = 1001 + i;
    rows[i].mask = (uint64_t)(e <= 1007) | (uint64_t)(e >= 1002) << 1 |
                   (uint64_t)(e <= 1006) << 2 | (uint64_t)(e >= 1004) << 3;
  }
  assert_int_equal(level_of(rows, 8, 4, 0, 4, 0), 4);
  /* event = 1008, event = 1001: the order of the steps counts. */
  int c6[] = {1008, 1001};
  rows_from_events(ts + 1, ev + 1, 8, c6, 2, rows);
  assert_int_equal(level_of(rows, 8, 2, 0, 10000, 0), 1);
}

static void test_clickhouse_strict_deduplication(void **state) {
  (void)state;
  double ts[] = {0, 10, 20, 30, 40, 50, 51, 60, 70, 80};
  int ev[] = {1000, 1001, 1002, 1003, 1004, 1005, 1005, 1006, 1007, 1008};
  int c[] = {1000, 1001, 1002, 1003, 1004, 1005, 1006};
  row rows[10];
  rows_from_events(ts, ev, 10, c, 7, rows);
  assert_int_equal(level_of(rows, 10, 7, SD, 10000, 0), 6);
  assert_int_equal(level_of(rows, 10, 7, 0, 10000, 0), 7);
}

/* funnel_test_strict_order: users 1 to 7, conditions a, b, c. */
static void test_clickhouse_strict_order(void **state) {
  (void)state;
  static const char *const users[] = {"abc", "adbc", "aabbcc", "aaaabbcc",
                                      "aabbdcc", "ccbbaa"};
  int want_default[] = {3, 3, 3, 3, 3, 1};
  int want_strict[] = {3, 1, 3, 3, 2, 1};
  row rows[16];
  for (int u = 0; u < 6; u++) {
    size_t n = strlen(users[u]);
    for (size_t i = 0; i < n; i++) {
      char e = users[u][i];
      rows[i].ts = (double)(i + 1);
      rows[i].mask = e == 'a' ? 1 : e == 'b' ? 2 : e == 'c' ? 4 : 0;
    }
    assert_int_equal(level_of(rows, n, 3, 0, 86400, 0), want_default[u]);
    assert_int_equal(level_of(rows, n, 3, SO, 86400, 0), want_strict[u]);
  }
  /* User 7: a, c, b within 10: strict_order stops at c. */
  row u7[] = {{1, 1}, {2, 4}, {3, 2}};
  assert_int_equal(level_of(u7, 3, 3, SO, 10, 0), 1);
  /* allow_reentry skips the early c: a, b, then... no c after b. */
  assert_int_equal(level_of(u7, 3, 3, SO | RE, 10, 0), 2);
  row u8[] = {{1, 1}, {2, 4}, {3, 2}, {4, 4}};
  assert_int_equal(level_of(u8, 4, 3, SO | RE, 10, 0), 3);
  assert_int_equal(level_of(u8, 4, 3, SO, 10, 0), 1);
}

/* funnel_test_non_null: NULL conditions are false (a is null ...). */
static void test_clickhouse_strict_increase(void **state) {
  (void)state;
  double ts[] = {0, 1, 1, 1, 2};
  int ev[] = {1000, 1001, 1002, 1003, 1004};
  int c[] = {1000, 1001, 1002, 1003, 1004};
  row rows[5];
  rows_from_events(ts, ev, 5, c, 5, rows);
  assert_int_equal(level_of(rows, 5, 5, 0, 10000, 0), 5);
  assert_int_equal(level_of(rows, 5, 5, SI, 10000, 0), 2);
  int same[] = {1004, 1004, 1004};
  rows_from_events(ts, ev, 5, same, 3, rows);
  assert_int_equal(level_of(rows, 5, 3, 0, 10000, 0), 3);
  assert_int_equal(level_of(rows, 5, 3, SI, 10000, 0), 1);
}

/* ---- ties, windows, order ---- */

static void test_ties(void **state) {
  (void)state;
  /* Two rows at one time, given step 2 first: ordered by condition. */
  row r1[] = {{5, 2}, {5, 1}, {6, 4}};
  assert_int_equal(level_of(r1, 3, 3, 0, 10, 0), 3);
  /* One row meeting steps 1, 2 and 3 serves all three. */
  row r2[] = {{5, 7}};
  assert_int_equal(level_of(r2, 1, 3, 0, 10, 0), 3);
  assert_int_equal(level_of(r2, 1, 3, SI, 10, 0), 1);
  /* ... but only one under strict_once. */
  assert_int_equal(level_of(r2, 1, 3, ONCE, 10, 0), 1);
  /* strict_deduplication: step 2 twice at one time (two rows). */
  row r3[] = {{1, 1}, {2, 2}, {2, 2}, {3, 4}};
  assert_int_equal(level_of(r3, 4, 3, SD, 10, 0), 2);
  assert_int_equal(level_of(r3, 4, 3, 0, 10, 0), 3);
  /* strict_order: a row meeting nothing at the same time as step 2
  ** comes first (condition 0), so it ends the chain before step 2. */
  row r4[] = {{1, 1}, {2, 2}, {2, 0}, {3, 4}};
  assert_int_equal(level_of(r4, 4, 3, SO, 10, 0), 1);
}

static void test_window_edge(void **state) {
  (void)state;
  row at[] = {{100, 1}, {150, 2}, {200, 4}};
  assert_int_equal(level_of(at, 3, 3, 0, 100, 0), 3);    /* 200 - 100 = window */
  assert_int_equal(level_of(at, 3, 3, 0, 99.999, 0), 2); /* just past */
  assert_int_equal(level_of(at, 3, 3, 0, 50, 0), 2);
  assert_int_equal(level_of(at, 3, 3, 0, 49, 0), 1);
  /* A later step 1 restarts the chain: its window counts from there. */
  row re[] = {{0, 1}, {5, 2}, {50, 1}, {55, 2}, {58, 4}};
  assert_int_equal(level_of(re, 5, 3, 0, 10, 0), 3);
  double times[3];
  assert_int_equal(level_of(re, 5, 3, 0, 10, times), 3);
  assert_true(times[0] == 50 && times[1] == 55 && times[2] == 58);
}

static void test_times(void **state) {
  (void)state;
  double times[4] = {-1, -1, -1, -1};
  row none[] = {{1, 2}, {2, 4}};
  assert_int_equal(level_of(none, 2, 3, 0, 10, times), 0);
  row two[] = {{1, 1}, {3, 2}, {4, 2}, {100, 4}};
  assert_int_equal(level_of(two, 4, 3, 0, 10, times), 2);
  assert_true(times[0] == 1 && times[1] == 4); /* the latest chain */
  assert_int_equal(level_of(two, 4, 3, ONCE, 10, times), 2);
  assert_true(times[0] == 1 && times[1] == 4);
  assert_int_equal(level_of(two, 4, 3, SD, 10, times), 2);
  assert_true(times[0] == 1 && times[1] == 3);
}

static void test_64_steps(void **state) {
  (void)state;
  row rows[64];
  for (int i = 0; i < 64; i++) {
    rows[i].ts = 1000 + 10 * i;
    rows[i].mask = 1ULL << i;
  }
  double times[64];
  assert_int_equal(level_of(rows, 64, 64, 0, 630, times), 64);
  for (int i = 0; i < 64; i++) assert_true(times[i] == 1000 + 10 * i);
  assert_int_equal(level_of(rows, 64, 64, 0, 629, 0), 63);
  assert_int_equal(level_of(rows, 64, 64, SO | SD | SI, 630, 0), 64);
  assert_int_equal(level_of(rows, 64, 64, ONCE, 630, times), 64);
  assert_true(times[63] == 1630);
  /* Backwards: out of order, the same answer. */
  row back[64];
  for (int i = 0; i < 64; i++) back[i] = rows[63 - i];
  assert_int_equal(level_of(back, 64, 64, 0, 630, 0), 64);
  /* One row meeting all 64. */
  row all[] = {{7, ~0ULL}};
  assert_int_equal(level_of(all, 1, 64, 0, 1, 0), 64);
  assert_int_equal(level_of(all, 1, 64, ONCE, 1, 0), 1);
}

static void test_out_of_order(void **state) {
  (void)state;
  row sorted[] = {{1, 1}, {2, 0}, {3, 2}, {4, 4}, {5, 2}};
  row shuffled[] = {{4, 4}, {1, 1}, {5, 2}, {3, 2}, {2, 0}};
  for (unsigned modes = 0; modes < 32; modes++) {
    if ((modes & RE) && !(modes & SO)) continue;
    assert_int_equal(level_of(shuffled, 5, 3, modes, 10, 0),
                     level_of(sorted, 5, 3, modes, 10, 0));
  }
}

/* In order, the state holds no rows past the replay rows; a row out of
** order after that is an error; default mode at its last step is final. */
static void test_streaming(void **state) {
  (void)state;
  gops_funnel *f = new_funnel(3, 0, 100, 0);
  for (int i = 0; i < 100000; i++) {
    assert_int_equal(gops_funnel_add(f, i * 100.0, (i % 2) ? 2 : 1), GOPS_FUNNEL_OK);
    assert_true(f->n_rows <= GOPS_FUNNEL_REPLAY_ROWS);
  }
  assert_true(f->committed);
  assert_true(f->rows == f->inline_rows);
  assert_int_equal(gops_funnel_add(f, 5.0, 1), GOPS_FUNNEL_LATE_ROW);
  int level;
  assert_int_equal(gops_funnel_finish(f, &level, 0), GOPS_FUNNEL_OK);
  assert_int_equal(level, 2);
  gops_funnel_release(f);
  free(f);

  /* The edge of the replay: after exactly GOPS_FUNNEL_REPLAY_ROWS rows in
  ** order a late row is still placed; after one more it is an error. */
  for (int extra = 0; extra <= 1; extra++) {
    f = new_funnel(2, 0, 1e9, 0);
    for (int i = 1; i <= GOPS_FUNNEL_REPLAY_ROWS + extra; i++) {
      assert_int_equal(gops_funnel_add(f, i, 1), GOPS_FUNNEL_OK);
    }
    assert_int_equal(f->committed, extra);
    gops_funnel_rc late = gops_funnel_add(f, 0, 2);
    assert_int_equal(late, extra ? GOPS_FUNNEL_LATE_ROW : GOPS_FUNNEL_OK);
    assert_int_equal(gops_funnel_finish(f, &level, 0), GOPS_FUNNEL_OK);
    assert_int_equal(level, 1); /* step 2 at 0 comes before every step 1 */
    gops_funnel_release(f);
    free(f);
  }

  f = new_funnel(2, 0, 10, 0);
  assert_int_equal(gops_funnel_add(f, 100, 1), GOPS_FUNNEL_OK);
  assert_int_equal(gops_funnel_add(f, 101, 2), GOPS_FUNNEL_OK);
  assert_int_equal(gops_funnel_add(f, 102, 1), GOPS_FUNNEL_OK); /* flushes 101 */
  assert_true(f->final);
  assert_int_equal(gops_funnel_add(f, 1, 1), GOPS_FUNNEL_OK); /* late, no matter */
  assert_int_equal(gops_funnel_finish(f, &level, 0), GOPS_FUNNEL_OK);
  assert_int_equal(level, 2);
  gops_funnel_release(f);
  free(f);

  /* Out of order within the replay rows: all buffered, then sorted. */
  f = new_funnel(2, 0, 10, 0);
  for (int i = 0; i < 500; i++) assert_int_equal(gops_funnel_add(f, 1000 + i * 100.0, 2), GOPS_FUNNEL_OK);
  assert_int_equal(gops_funnel_add(f, 995, 1), GOPS_FUNNEL_OK);
  assert_false(f->in_order);
  assert_int_equal(gops_funnel_finish(f, &level, 0), GOPS_FUNNEL_OK);
  assert_int_equal(level, 2);
  gops_funnel_release(f);
  free(f);
}

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned next_rand(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state >> 11);
}

/* Random rows (ties, repeats, multi-condition rows, rows meeting nothing)
** in every mode but strict_once, in order and shuffled, against the
** transcription of ClickHouse's loop. */
static void test_random_against_reference(void **state) {
  (void)state;
  row rows[40], shuffled[40];
  for (int trial = 0; trial < 4000; trial++) {
    int n = 1 + (int)(next_rand() % 5);
    size_t n_rows = next_rand() % 40;
    double t = 0;
    for (size_t i = 0; i < n_rows; i++) {
      t += next_rand() % 4; /* ties */
      rows[i].ts = t;
      rows[i].mask = 0;
      int kind = (int)(next_rand() % 10);
      if (kind < 7) rows[i].mask = 1ULL << (next_rand() % (unsigned)n);
      else if (kind < 9) rows[i].mask = next_rand() & ((1ULL << n) - 1);
    }
    memcpy(shuffled, rows, sizeof(rows));
    for (size_t i = n_rows; i > 1; i--) {
      size_t j = next_rand() % i;
      row tmp = shuffled[i - 1];
      shuffled[i - 1] = shuffled[j];
      shuffled[j] = tmp;
    }
    double window = 1 + next_rand() % 8;
    for (unsigned modes = 0; modes < 32; modes++) {
      if ((modes & ONCE) || ((modes & RE) && !(modes & SO))) continue;
      int want = reference_level(rows, n_rows, n, modes, window);
      assert_int_equal(level_of(rows, n_rows, n, modes, window, 0), want);
      assert_int_equal(level_of(shuffled, n_rows, n, modes, window, 0), want);
    }
    /* strict_once on rows meeting one condition each is the default. */
    int single = 1;
    for (size_t i = 0; i < n_rows; i++) {
      uint64_t m = rows[i].mask;
      if (m & (m - 1)) single = 0;
    }
    if (single) {
      assert_int_equal(level_of(shuffled, n_rows, n, ONCE, window, 0),
                       reference_level(rows, n_rows, n, 0, window));
    }
  }
}

/* strict_once: ClickHouse's own example, start, a, b, a, end, where a
** row may meet several conditions. */
static void test_strict_once(void **state) {
  (void)state;
  /* conditions: start, a, b-or-a... : cond1 = start, cond2 = a,
  ** cond3 = a or b, cond4 = end. */
  row rows[] = {{1, 1}, {2, 2 | 4}, {3, 4}, {4, 2 | 4}, {5, 8}};
  assert_int_equal(level_of(rows, 5, 4, ONCE, 100, 0), 4);
  assert_int_equal(level_of(rows, 5, 4, 0, 100, 0), 4);
  /* One row for cond2 and cond3, nothing else: 3 by default, 2 once. */
  row one[] = {{1, 1}, {2, 2 | 4}};
  assert_int_equal(level_of(one, 2, 3, 0, 100, 0), 3);
  assert_int_equal(level_of(one, 2, 3, ONCE, 100, 0), 2);
  assert_int_equal(level_of(one, 2, 3, ONCE | SO, 100, 0), 2);
  /* Out of the window chains drop but one stays. */
  row w[] = {{0, 1}, {1, 2}, {50, 1}, {51, 4}, {52, 2}, {53, 4}};
  assert_int_equal(level_of(w, 6, 3, ONCE, 10, 0), 3);
  assert_int_equal(level_of(w, 6, 3, ONCE | SD, 10, 0), 2);
  assert_int_equal(level_of(w, 6, 3, ONCE | SO, 10, 0), 3);
  /* strict_increase: a second step at the first step's time does not
  ** follow it (the chain's last time is the first step's). */
  row tie[] = {{1, 1}, {1, 2}}, later[] = {{1, 1}, {2, 2}};
  assert_int_equal(level_of(tie, 2, 2, ONCE | SI, 100, 0), 1);
  assert_int_equal(level_of(later, 2, 2, ONCE | SI, 100, 0), 2);
}

static int parse_modes(const char *text, unsigned *m) {
  gops_funnel_exclusion x[GOPS_FUNNEL_MAX_STEPS];
  int n = -1;
  int rc = gops_funnel_parse_modes(text, m, x, &n);
  if (rc == 0) assert_int_equal(n, 0);
  return rc;
}

static void test_modes(void **state) {
  (void)state;
  unsigned m = 99;
  assert_int_equal(parse_modes("strict_order", &m), 0);
  assert_int_equal(m, SO);
  assert_int_equal(parse_modes(" Strict_Order , allow_reentry,strict_once", &m), 0);
  assert_int_equal(m, SO | RE | ONCE);
  assert_int_equal(parse_modes("strict_deduplication,strict_increase", &m), 0);
  assert_int_equal(m, SD | SI);
  assert_int_equal(parse_modes("strict", &m), -1);
  assert_int_equal(parse_modes("", &m), -1);
  assert_int_equal(parse_modes("strict_order,", &m), -1);
  assert_int_equal(parse_modes("strict_orders", &m), -1);
  assert_int_equal(parse_modes("allow_reentry", &m), -2);
}

/* 'exclude F-T': any case and spaces, several, never with a mode. */
static void test_exclusion_modes(void **state) {
  (void)state;
  unsigned m = 99;
  gops_funnel_exclusion x[GOPS_FUNNEL_MAX_STEPS];
  int n = -1;
  assert_int_equal(gops_funnel_parse_modes("exclude 1-2", &m, x, &n), 0);
  assert_int_equal(m, 0);
  assert_int_equal(n, 1);
  assert_int_equal(x[0].from, 1);
  assert_int_equal(x[0].to, 2);
  assert_int_equal(gops_funnel_parse_modes(" EXCLUDE  2 - 13 ,exclude 1-3", &m, x, &n), 0);
  assert_int_equal(n, 2);
  assert_int_equal(x[0].from, 2);
  assert_int_equal(x[0].to, 13);
  assert_int_equal(x[1].from, 1);
  assert_int_equal(x[1].to, 3);
  /* ranges are the caller's to check: the numbers are read as written */
  assert_int_equal(gops_funnel_parse_modes("exclude 3-1", &m, x, &n), 0);
  assert_int_equal(x[0].from, 3);
  assert_int_equal(gops_funnel_parse_modes("exclude 1-2, strict_order", &m, x, &n), -3);
  const char *bad[] = {"exclude", "exclude 1", "exclude 1-", "exclude -2", "exclude 1-2-3",
                       "exclude1-2", "exclude 1-2x", "exclude a-b", "exclude 12345-1",
                       "exclude 1 2", "excludes 1-2"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_equal(gops_funnel_parse_modes(bad[i], &m, x, &n), -1);
  }
}

/* ---- chains ---- */

typedef struct chains_seen {
  int n;
  gops_funnel_chain chains[64];
} chains_seen;

static int collect_chain(void *ctx, const gops_funnel_chain *c) {
  chains_seen *s = ctx;
  if (s->n < 64) s->chains[s->n] = *c;
  s->n++;
  return 0;
}

static int deepest_chain_level(const row *rows, size_t n_rows, int n, double window,
                               const gops_funnel_exclusion *x, int n_x) {
  chains_seen seen = {0};
  gops_funnel_spec spec = {n, window, n_x, x};
  assert_int_equal(gops_funnel_chains((const gops_funnel_row *)rows, n_rows, sizeof(row), &spec,
                                      collect_chain, &seen), 0);
  int level = 0;
  for (int i = 0; i < seen.n && i < 64; i++) {
    if (seen.chains[i].level > level) level = seen.chains[i].level;
  }
  return level;
}

/* Without exclusions, the deepest chain is windowFunnel's level in the
** default mode, on random rows in time order (ties, repeats, rows meeting
** several conditions). */
static void test_chains_against_reference(void **state) {
  (void)state;
  row rows[40];
  for (int trial = 0; trial < 4000; trial++) {
    int n = 1 + (int)(next_rand() % 5);
    size_t n_rows = next_rand() % 40;
    double t = 0;
    for (size_t i = 0; i < n_rows; i++) {
      t += next_rand() % 4;
      rows[i].ts = t;
      int kind = (int)(next_rand() % 10);
      rows[i].mask = kind < 7 ? 1ULL << (next_rand() % (unsigned)n) : next_rand() & ((1ULL << n) - 1);
    }
    double window = 1 + next_rand() % 8;
    assert_int_equal(deepest_chain_level(rows, n_rows, n, window, 0, 0),
                     reference_level(rows, n_rows, n, 0, window));
  }
}

/* gops_funnel_walk_deepest() against every chain gops_funnel_chains()
** gives, on random rows (ties, rows meeting several steps, steps never
** met) cut at random times into ranges walked from the last: each range's
** deepest chain, of several the one that starts last, row for row.  The
** rows sit in a larger struct, as the funnel table's do. */
typedef struct wide_row {
  gops_funnel_row r;
  uint32_t value;
} wide_row;

static void test_walk_against_chains(void **state) {
  (void)state;
  wide_row rows[40];
  for (int trial = 0; trial < 20000; trial++) {
    int n = 1 + (int)(next_rand() % 5);
    size_t n_rows = next_rand() % 40;
    double t = 0;
    uint64_t present = 0;
    /* Some steps are never met, so that the walk cannot stop early. */
    uint64_t allowed = next_rand() % 3 ? (1ULL << n) - 1 : next_rand() & ((1ULL << n) - 1);
    for (size_t i = 0; i < n_rows; i++) {
      t += next_rand() % 4;
      rows[i].r.ts = t;
      int kind = (int)(next_rand() % 10);
      uint64_t mask = kind < 7 ? 1ULL << (next_rand() % (unsigned)n) : next_rand();
      rows[i].r.mask = mask & allowed;
      rows[i].value = (uint32_t)i;
      present |= rows[i].r.mask;
    }
    gops_funnel_spec spec = {n, (double)(next_rand() % 9), 0, 0};
    chains_seen all = {0};
    assert_int_equal(gops_funnel_chains(&rows[0].r, n_rows, sizeof(wide_row), &spec,
                                        collect_chain, &all), 0);
    assert_true(all.n <= 64);
    gops_funnel_walk walk;
    gops_funnel_walk_start(&walk, &rows[0].r, n_rows, sizeof(wide_row), &spec, present);
    size_t to = n_rows;
    while (to > 0) {
      /* A range's first row: where the time changes, or the first. */
      size_t from = to - 1 - next_rand() % to;
      while (from > 0 && rows[from - 1].r.ts == rows[from].r.ts) from--;
      gops_funnel_chain got;
      int level = gops_funnel_walk_deepest(&walk, from, &got);
      const gops_funnel_chain *want = 0;
      for (int i = 0; i < all.n; i++) {
        const gops_funnel_chain *c = &all.chains[i];
        if (c->row[0] >= from && c->row[0] < to && (!want || c->level >= want->level)) want = c;
      }
      assert_int_equal(level, want ? want->level : 0);
      assert_int_equal(got.level, level);
      for (int k = 0; k < level; k++) assert_int_equal(got.row[k], want->row[k]);
      to = from;
    }
  }
}

static int stop_walk(void *ctx, const gops_funnel_chain *c) {
  (void)ctx;
  (void)c;
  return 7;
}

/* One chain per time with a step-1 row; each step the first row at or
** after the step before (the same row may serve several), within the
** window; which row serves each step. */
static void test_chains_rows(void **state) {
  (void)state;
  /* steps a=1, b=2, c=4 */
  const row rows[] = {{0, 1}, {0, 1}, {5, 2}, {5, 2}, {6, 1}, {8, 6}, {20, 4}};
  chains_seen seen = {0};
  gops_funnel_spec spec = {3, 10, 0, 0};
  assert_int_equal(gops_funnel_chains((const gops_funnel_row *)rows, 7, sizeof(row), &spec,
                                      collect_chain, &seen), 0);
  assert_int_equal(seen.n, 2); /* from t=0 (row 0, not row 1) and from t=6 */
  assert_int_equal(seen.chains[0].level, 3);
  assert_int_equal(seen.chains[0].row[0], 0);
  assert_int_equal(seen.chains[0].row[1], 2);
  assert_int_equal(seen.chains[0].row[2], 5);
  /* from 6: b and c both by the row at 8 */
  assert_int_equal(seen.chains[1].level, 3);
  assert_int_equal(seen.chains[1].row[0], 4);
  assert_int_equal(seen.chains[1].row[1], 5);
  assert_int_equal(seen.chains[1].row[2], 5);
  /* a window of 4: from 0 to b at 5 is too late; from 6, b and c at 8 */
  spec.window = 4;
  seen.n = 0;
  gops_funnel_chains((const gops_funnel_row *)rows, 7, sizeof(row), &spec, collect_chain, &seen);
  assert_int_equal(seen.n, 2);
  assert_int_equal(seen.chains[0].level, 1);
  assert_int_equal(seen.chains[1].level, 3);
  /* the edge of the window is in it */
  spec.window = 2;
  seen.n = 0;
  gops_funnel_chains((const gops_funnel_row *)rows, 7, sizeof(row), &spec, collect_chain, &seen);
  assert_int_equal(seen.chains[1].level, 3);
  /* a step at the same time as the one before, from a row given earlier */
  const row same[] = {{3, 2}, {3, 1}};
  spec.n_steps = 2;
  seen.n = 0;
  gops_funnel_chains((const gops_funnel_row *)same, 2, sizeof(row), &spec, collect_chain, &seen);
  assert_int_equal(seen.n, 1);
  assert_int_equal(seen.chains[0].level, 2);
  assert_int_equal(seen.chains[0].row[1], 0);
  /* fn stops the walk */
  assert_int_equal(gops_funnel_chains((const gops_funnel_row *)rows, 7, sizeof(row), &spec,
                                      stop_walk, 0), 7);
}

/* Exclusions, PostHog's: strictly between the steps of a chain, or up to
** the end of its window when the chain stops short; the chain goes, the
** others stay. */
static void test_chains_exclusions(void **state) {
  (void)state;
  /* steps a=1, b=2, c=4; the exclusion x=8 (after two steps: x=4) */
  const gops_funnel_exclusion x12 = {1, 2}, x23 = {2, 3}, x13 = {1, 3};
  /* a b x c: cut in the middle (between 2 and 3), not between 1 and 2 */
  const row cut[] = {{0, 1}, {10, 2}, {15, 8}, {20, 4}};
  assert_int_equal(deepest_chain_level(cut, 4, 3, 100, &x23, 1), 0);
  assert_int_equal(deepest_chain_level(cut, 4, 3, 100, &x12, 1), 3);
  assert_int_equal(deepest_chain_level(cut, 4, 3, 100, &x13, 1), 0);
  assert_int_equal(deepest_chain_level(cut, 4, 3, 100, 0, 0), 3);
  /* back in after the exclusion: the later chain counts */
  const row again[] = {{0, 1}, {5, 4}, {10, 1}, {20, 2}};
  assert_int_equal(deepest_chain_level(again, 4, 2, 100, &x12, 1), 2);
  const row not_again[] = {{0, 1}, {5, 4}, {20, 2}};
  assert_int_equal(deepest_chain_level(not_again, 3, 2, 100, &x12, 1), 0);
  /* strictly between: at the time of step 1, or of step 2, it is not */
  const row edges[] = {{0, 1 | 4}, {10, 2}, {10, 4}};
  assert_int_equal(deepest_chain_level(edges, 3, 2, 100, &x12, 1), 2);
  const row inside[] = {{0, 1}, {9.5, 4}, {10, 2}};
  assert_int_equal(deepest_chain_level(inside, 3, 2, 100, &x12, 1), 0);
  /* the chain stops at step 1: an exclusion within its window removes it,
  ** one after the window does not */
  const row short1[] = {{0, 1}, {50, 4}};
  assert_int_equal(deepest_chain_level(short1, 2, 2, 100, &x12, 1), 0);
  assert_int_equal(deepest_chain_level(short1, 2, 2, 40, &x12, 1), 1);
  /* a chain that does not reach the exclusion's first step keeps it */
  const row early[] = {{0, 1}, {5, 8}, {200, 2}};
  assert_int_equal(deepest_chain_level(early, 3, 3, 100, &x23, 1), 1);
  /* two exclusions: the second removes the chain */
  const gops_funnel_exclusion two[] = {{1, 2}, {2, 3}};
  const row both[] = {{0, 1}, {10, 2}, {15, 16}, {20, 4}};
  assert_int_equal(deepest_chain_level(both, 4, 3, 100, two, 2), 0);
  const row first_only[] = {{0, 1}, {10, 2}, {15, 8}, {20, 4}};
  assert_int_equal(deepest_chain_level(first_only, 4, 3, 100, two, 2), 3);
}

/* window_funnel with exclusions: every row kept, the deepest chain's times. */
static void test_aggregate_exclusions(void **state) {
  (void)state;
  const gops_funnel_exclusion x = {1, 2};
  gops_funnel *f = new_funnel(2, 0, 100, 1);
  gops_funnel_exclude(f, &x, 1);
  /* out of order: a(0) x(5) a(10) b(20) a(30) b(35) */
  const row rows[] = {{20, 2}, {0, 1}, {10, 1}, {5, 4}, {35, 2}, {30, 1}};
  for (int i = 0; i < 6; i++) assert_int_equal(gops_funnel_add(f, rows[i].ts, rows[i].mask), 0);
  int level = -1;
  double times[2];
  assert_int_equal(gops_funnel_finish(f, &level, times), GOPS_FUNNEL_OK);
  assert_int_equal(level, 2);
  /* the last of the deepest chains: from 30 */
  assert_true(times[0] == 30 && times[1] == 35);
  gops_funnel_release(f);
  free(f);
}

/* The stable sort: random keys with ties, every size, against insertion
** sort; equal keys keep their order. */
typedef struct keyed {
  int key;
  int order;
} keyed;

static int keyed_before(const void *a, const void *b, void *ctx) {
  (void)ctx;
  return ((const keyed *)a)->key < ((const keyed *)b)->key;
}

static void test_stable_sort(void **state) {
  (void)state;
  keyed items[70], tmp[70], want[70];
  for (int n = 0; n <= 70; n++) {
    for (int i = 0; i < n; i++) items[i] = (keyed){(int)(next_rand() % 9), i};
    memcpy(want, items, sizeof(keyed) * (size_t)n);
    for (int i = 1; i < n; i++) {
      keyed x = want[i];
      int j = i;
      while (j > 0 && want[j - 1].key > x.key) want[j] = want[j - 1], j--;
      want[j] = x;
    }
    keyed *out = gops_stable_sort(items, tmp, (size_t)n, sizeof(keyed), keyed_before, 0);
    for (int i = 0; i < n; i++) {
      assert_int_equal(out[i].key, want[i].key);
      assert_int_equal(out[i].order, want[i].order);
    }
  }
  /* in order already: no copy */
  keyed sorted[3] = {{1, 0}, {1, 1}, {2, 2}};
  assert_ptr_equal(gops_stable_sort(sorted, tmp, 3, sizeof(keyed), keyed_before, 0), sorted);
}

static void test_bucket(void **state) {
  (void)state;
  const double edges[] = {60, 3600, 86400};
  assert_int_equal(gops_funnel_bucket(edges, 3, 0), 0);
  assert_int_equal(gops_funnel_bucket(edges, 3, 59.9), 0);
  assert_int_equal(gops_funnel_bucket(edges, 3, 60), 1);
  assert_int_equal(gops_funnel_bucket(edges, 3, 3599), 1);
  assert_int_equal(gops_funnel_bucket(edges, 3, 86400), 3);
  assert_int_equal(gops_funnel_bucket(edges, 3, 1e9), 3);
  assert_int_equal(gops_funnel_bucket(edges, 0, 5), 0);
}

static void test_retention(void **state) {
  (void)state;
  char out[2 * 64 + 2];
  assert_int_equal(gops_retention_format(0x5, 3, out), 7);
  assert_string_equal(out, "[1,0,1]");
  gops_retention_format(0x6, 3, out);
  assert_string_equal(out, "[0,0,0]");
  gops_retention_format(0x1, 1, out);
  assert_string_equal(out, "[1]");
  assert_int_equal(gops_retention_format(~0ULL, 64, out), 129);
}

static void test_stages(void **state) {
  (void)state;
  double counts[] = {1000, 400, 80};
  gops_stage s[3];
  assert_int_equal(gops_funnel_stages(counts, 3, s), 0);
  assert_true(isnan(s[0].step_rate) && isnan(s[0].drop_off));
  assert_true(s[0].overall_rate == 1.0);
  assert_true(s[1].step_rate == 0.4 && s[1].drop_off == 600);
  assert_true(s[2].step_rate == 0.2 && s[2].overall_rate == 0.08);
  double rising[] = {10, 5, 6};
  assert_int_equal(gops_funnel_stages(rising, 3, s), 3);
  /* counts that rise are rates all the same */
  gops_funnel_rates(rising, 3, s);
  assert_true(s[2].step_rate == 1.2 && s[2].drop_off == -1 && s[2].overall_rate == 0.6);
  double zero[] = {0, 0};
  assert_int_equal(gops_funnel_stages(zero, 2, s), 0);
  assert_true(isnan(s[1].step_rate) && isnan(s[1].overall_rate) && s[1].drop_off == 0);
}

static void test_median(void **state) {
  (void)state;
  double a[] = {5, 1, 3};
  assert_true(gops_median(a, 3) == 3);
  double b[] = {4, 1, 3, 2};
  assert_true(gops_median(b, 4) == 2.5);
  assert_true(isnan(gops_median(b, 0)));
}

static int compare_for_test(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The median by selection against the median of the sorted values, on
** shapes that trouble quickselects (sorted, reversed, all equal, few
** values, organ pipes, sawtooth) and random ones, of every size to 300. */
static void test_median_orders(void **state) {
  (void)state;
  enum { MAX = 300 };
  double v[MAX], sorted[MAX];
  uint64_t seed = 42;
  for (int shape = 0; shape < 7; shape++) {
    for (size_t n = 1; n <= MAX; n++) {
      for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        switch (shape) {
          case 0: v[i] = (double)i; break;
          case 1: v[i] = (double)(n - i); break;
          case 2: v[i] = 7; break;
          case 3: v[i] = (double)((seed >> 33) % 3); break;
          case 4: v[i] = (double)(i < n / 2 ? i : n - i); break;
          case 5: v[i] = (double)(i % 5); break;
          default: v[i] = (double)(seed >> 11) / 1e6; break;
        }
      }
      memcpy(sorted, v, n * sizeof(double));
      qsort(sorted, n, sizeof(double), compare_for_test);
      double want = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      double got = gops_median(v, n);
      if (got != want) fail_msg("shape %d, n %zu: median %g, want %g", shape, n, got, want);
      /* The values are only reordered. */
      qsort(v, n, sizeof(double), compare_for_test);
      assert_memory_equal(v, sorted, n * sizeof(double));
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_clickhouse_basic),
      cmocka_unit_test(test_clickhouse_strict_deduplication),
      cmocka_unit_test(test_clickhouse_strict_order),
      cmocka_unit_test(test_clickhouse_strict_increase),
      cmocka_unit_test(test_ties),
      cmocka_unit_test(test_window_edge),
      cmocka_unit_test(test_times),
      cmocka_unit_test(test_64_steps),
      cmocka_unit_test(test_out_of_order),
      cmocka_unit_test(test_streaming),
      cmocka_unit_test(test_random_against_reference),
      cmocka_unit_test(test_strict_once),
      cmocka_unit_test(test_modes),
      cmocka_unit_test(test_exclusion_modes),
      cmocka_unit_test(test_chains_against_reference),
      cmocka_unit_test(test_chains_rows),
      cmocka_unit_test(test_walk_against_chains),
      cmocka_unit_test(test_chains_exclusions),
      cmocka_unit_test(test_aggregate_exclusions),
      cmocka_unit_test(test_bucket),
      cmocka_unit_test(test_stable_sort),
      cmocka_unit_test(test_retention),
      cmocka_unit_test(test_stages),
      cmocka_unit_test(test_median),
      cmocka_unit_test(test_median_orders),
  };
  return cmocka_run_group_tests_name("funnel", tests, 0, 0);
}
