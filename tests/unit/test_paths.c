/*
** test_paths.c: cmocka tests of the paths core (every base and direction
** on ClickHouse's documented sequenceNextNode cases, anchors of several
** events, depths, the edges) and of the key sets the paths and the funnel
** table count by (ids, bytes, order, growth, failing allocations).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keys_core.h"
#include "paths_core.h"

static void *plain_realloc(void *p, uint64_t n) { return realloc(p, (size_t)n); }
static void plain_free(void *p) { free(p); }
static const gops_alloc alloc = {plain_realloc, plain_free};

/* ClickHouse's test_flow pages: Home 1, Gift 2, Exit 3, Basket 4. */
enum { HOME = 1, GIFT, EXIT, BASKET };
static const uint32_t user1[] = {HOME, GIFT, EXIT};
static const uint32_t user2[] = {HOME, HOME, GIFT, BASKET};
static const uint32_t user3[] = {GIFT, HOME, GIFT, BASKET};
static const uint32_t *const users[] = {user1, user2, user3};
static const size_t sizes[] = {3, 4, 4};

/* The event sequenceNextNode gives for each user (0 for NULL): the path's
** event next to the anchor, at depth 1. */
static void expect_next(gops_paths_direction d, gops_paths_base b, const uint32_t *anchor,
                        int m, const uint32_t want[3]) {
  for (int u = 0; u < 3; u++) {
    size_t from = 99, len = 99;
    int found = gops_path_find(users[u], sizes[u], anchor, m, d, b, 1, &from, &len);
    uint32_t got = found && len == 1 ? users[u][from] : 0;
    if (got != want[u]) fail_msg("user %d: got %u, want %u", u + 1, got, want[u]);
  }
}

/* The cases of ClickHouse's documentation of sequenceNextNode, with the
** base condition the anchor's first event. */
static void test_clickhouse_cases(void **state) {
  (void)state;
  const uint32_t home_gift[] = {HOME, GIFT}, basket_gift[] = {BASKET, GIFT};
  const uint32_t gift[] = {GIFT}, gift_home[] = {GIFT, HOME};
  /* forward, head: Home -> Gift */
  expect_next(GOPS_PATHS_FORWARD, GOPS_PATHS_HEAD, home_gift, 2, (uint32_t[]){EXIT, 0, 0});
  /* backward, tail: Basket <- Gift */
  expect_next(GOPS_PATHS_BACKWARD, GOPS_PATHS_TAIL, basket_gift, 2, (uint32_t[]){0, HOME, HOME});
  /* forward, first_match: Gift; Gift -> Home */
  expect_next(GOPS_PATHS_FORWARD, GOPS_PATHS_FIRST_MATCH, gift, 1,
              (uint32_t[]){EXIT, BASKET, HOME});
  expect_next(GOPS_PATHS_FORWARD, GOPS_PATHS_FIRST_MATCH, gift_home, 2,
              (uint32_t[]){0, 0, GIFT});
  /* backward, last_match: Gift; Gift <- Home */
  expect_next(GOPS_PATHS_BACKWARD, GOPS_PATHS_LAST_MATCH, gift, 1,
              (uint32_t[]){HOME, HOME, HOME});
  expect_next(GOPS_PATHS_BACKWARD, GOPS_PATHS_LAST_MATCH, gift_home, 2,
              (uint32_t[]){0, HOME, GIFT});
}

/* Deeper paths: cut short where the events end, in time order backward;
** the anchor at the very end (or start) gives an empty path, no match none. */
static void test_depth_and_edges(void **state) {
  (void)state;
  const uint32_t ev[] = {1, 2, 3, 4, 5, 2, 6};
  const uint32_t two[] = {2}, twothree[] = {2, 3}, six[] = {6}, nine[] = {9};
  size_t from, len;
  assert_int_equal(gops_path_find(ev, 7, two, 1, GOPS_PATHS_FORWARD, GOPS_PATHS_FIRST_MATCH, 3,
                                  &from, &len), 1);
  assert_int_equal(from, 2);
  assert_int_equal(len, 3);
  assert_int_equal(gops_path_find(ev, 7, two, 1, GOPS_PATHS_FORWARD, GOPS_PATHS_LAST_MATCH, 3,
                                  &from, &len), 1);
  assert_int_equal(from, 6);
  assert_int_equal(len, 1);
  assert_int_equal(gops_path_find(ev, 7, twothree, 2, GOPS_PATHS_FORWARD, GOPS_PATHS_FIRST_MATCH,
                                  20, &from, &len), 1);
  assert_int_equal(from, 3);
  assert_int_equal(len, 4);
  /* the run must follow the base: the last 2 is not followed by 3 */
  assert_int_equal(gops_path_find(ev, 7, twothree, 2, GOPS_PATHS_FORWARD, GOPS_PATHS_LAST_MATCH,
                                  3, &from, &len), 0);
  /* backward from the last 2: 3, 4, 5 before it, in time order */
  assert_int_equal(gops_path_find(ev, 7, two, 1, GOPS_PATHS_BACKWARD, GOPS_PATHS_LAST_MATCH, 3,
                                  &from, &len), 1);
  assert_int_equal(from, 2);
  assert_int_equal(len, 3);
  assert_int_equal(gops_path_find(ev, 7, two, 1, GOPS_PATHS_BACKWARD, GOPS_PATHS_FIRST_MATCH, 3,
                                  &from, &len), 1);
  assert_int_equal(from, 0);
  assert_int_equal(len, 1);
  /* at the end forward, at the start backward: empty */
  assert_int_equal(gops_path_find(ev, 7, six, 1, GOPS_PATHS_FORWARD, GOPS_PATHS_TAIL, 3, &from,
                                  &len), 1);
  assert_int_equal(len, 0);
  const uint32_t one[] = {1};
  assert_int_equal(gops_path_find(ev, 7, one, 1, GOPS_PATHS_BACKWARD, GOPS_PATHS_HEAD, 3, &from,
                                  &len), 1);
  assert_int_equal(len, 0);
  /* a backward run longer than what comes before the base */
  const uint32_t two_one_x[] = {2, 1, 1};
  assert_int_equal(gops_path_find(ev, 7, two_one_x, 3, GOPS_PATHS_BACKWARD,
                                  GOPS_PATHS_FIRST_MATCH, 3, &from, &len), 0);
  /* head and tail that are not the anchor; an anchor nobody did; no events */
  assert_int_equal(gops_path_find(ev, 7, two, 1, GOPS_PATHS_FORWARD, GOPS_PATHS_HEAD, 3, &from,
                                  &len), 0);
  assert_int_equal(gops_path_find(ev, 7, two, 1, GOPS_PATHS_BACKWARD, GOPS_PATHS_TAIL, 3, &from,
                                  &len), 0);
  assert_int_equal(gops_path_find(ev, 7, nine, 1, GOPS_PATHS_FORWARD, GOPS_PATHS_FIRST_MATCH, 3,
                                  &from, &len), 0);
  assert_int_equal(gops_path_find(ev, 0, one, 1, GOPS_PATHS_FORWARD, GOPS_PATHS_LAST_MATCH, 3,
                                  &from, &len), 0);
  /* a run longer than the events forward */
  const uint32_t five_two_six_x[] = {5, 2, 6, 1};
  assert_int_equal(gops_path_find(ev, 7, five_two_six_x, 4, GOPS_PATHS_FORWARD,
                                  GOPS_PATHS_FIRST_MATCH, 3, &from, &len), 0);
}

static void test_words(void **state) {
  (void)state;
  gops_paths_direction d;
  gops_paths_base b;
  assert_int_equal(gops_paths_parse_direction("Backward", &d), 0);
  assert_int_equal(d, GOPS_PATHS_BACKWARD);
  assert_int_equal(gops_paths_parse_direction("after", &d), -1);
  assert_int_equal(gops_paths_parse_base("LAST_MATCH", &b), 0);
  assert_int_equal(b, GOPS_PATHS_LAST_MATCH);
  assert_int_equal(gops_paths_parse_base("head", &b), 0);
  assert_int_equal(b, GOPS_PATHS_HEAD);
  assert_int_equal(gops_paths_parse_base("first", &b), -1);
}

/* ---- key sets ---- */

static void test_keys(void **state) {
  (void)state;
  gops_keys k;
  gops_keys_init(&k, &alloc);
  uint32_t a, b, c, again;
  int added;
  assert_int_equal(gops_keys_add(&k, "wechat", 6, &a, &added), GOPS_KEYS_OK);
  assert_int_equal(added, 1);
  assert_int_equal(gops_keys_add(&k, "weibo", 5, &b, &added), GOPS_KEYS_OK);
  assert_int_equal(gops_keys_add(&k, "", 0, &c, 0), GOPS_KEYS_OK);
  assert_int_equal(gops_keys_add(&k, "wechat", 6, &again, &added), GOPS_KEYS_OK);
  assert_int_equal(added, 0);
  assert_int_equal(again, a);
  assert_int_equal(a, 0);
  assert_int_equal(b, 1);
  assert_int_equal(c, 2);
  /* bytes, not C strings: a NUL inside counts */
  uint32_t nul;
  assert_int_equal(gops_keys_add(&k, "wechat\0", 7, &nul, 0), GOPS_KEYS_OK);
  assert_int_not_equal(nul, a);
  size_t n;
  assert_memory_equal(gops_keys_bytes(&k, b, &n), "weibo", 5);
  assert_int_equal(n, 5);
  assert_true(gops_keys_compare(&k, a, b) < 0);
  assert_true(gops_keys_compare(&k, c, a) < 0);
  assert_true(gops_keys_compare(&k, a, nul) < 0);
  assert_int_equal(gops_keys_compare(&k, b, b), 0);
  /* many keys: the table grows, every id stays */
  char name[32];
  for (int i = 0; i < 20000; i++) {
    snprintf(name, sizeof(name), "user %d", i);
    uint32_t id;
    assert_int_equal(gops_keys_add(&k, name, strlen(name), &id, 0), GOPS_KEYS_OK);
    assert_int_equal(id, (uint32_t)i + 4);
  }
  for (int i = 0; i < 20000; i += 997) {
    snprintf(name, sizeof(name), "user %d", i);
    uint32_t id;
    assert_int_equal(gops_keys_add(&k, name, strlen(name), &id, &added), GOPS_KEYS_OK);
    assert_int_equal(added, 0);
    assert_int_equal(id, (uint32_t)i + 4);
  }
  gops_keys_clear(&k);
  assert_int_equal(k.count, 0);
  gops_keys_clear(&k);
}

/* Only the empty key: the arena is never allocated, and its bytes are
** still a pointer to compare with (no offset into NULL: clang's UBSan). */
static void test_keys_only_empty(void **state) {
  (void)state;
  gops_keys k;
  gops_keys_init(&k, &alloc);
  uint32_t id;
  assert_int_equal(gops_keys_add(&k, "", 0, &id, 0), GOPS_KEYS_OK);
  assert_null(k.arena);
  size_t n = 1;
  assert_non_null(gops_keys_bytes(&k, id, &n));
  assert_int_equal(n, 0);
  assert_int_equal(gops_keys_compare(&k, id, id), 0);
  gops_keys_clear(&k);
}

/* Every allocation failing in turn: NOMEM, and nothing leaks after clear. */
static int budget;
static void *failing_realloc(void *p, uint64_t n) {
  if (budget-- <= 0) return 0;
  return realloc(p, (size_t)n);
}
static const gops_alloc failing = {failing_realloc, plain_free};

static void test_keys_nomem(void **state) {
  (void)state;
  for (int b = 0; b < 40; b++) {
    gops_keys k;
    gops_keys_init(&k, &failing);
    budget = b;
    int failed = 0;
    char name[32];
    for (int i = 0; i < 600 && !failed; i++) {
      snprintf(name, sizeof(name), "v%d", i);
      uint32_t id;
      failed = gops_keys_add(&k, name, strlen(name), &id, 0) != GOPS_KEYS_OK;
    }
    gops_keys_clear(&k);
    if (!failed) break;
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_clickhouse_cases),
      cmocka_unit_test(test_depth_and_edges),
      cmocka_unit_test(test_words),
      cmocka_unit_test(test_keys),
      cmocka_unit_test(test_keys_only_empty),
      cmocka_unit_test(test_keys_nomem),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
