/*
** test_text.c: cmocka tests of the text module: white space, words, the
** number scanner in both grammars (range, length, hex, inf and nan), and
** the JSON arrays: every element a weight, a curve point, a step name or
** a stage can be, and for each way of being wrong the kind, the element and
** the place reported, and what a message shows of it.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

static void *plain_realloc(void *p, uint64_t n) { return realloc(p, (size_t)n); }
static void plain_free(void *p) { free(p); }
static const gops_alloc alloc = {plain_realloc, plain_free};

/* The tests run with assertions on: make check is no place for NDEBUG
** (configure --disable-assertions is for release builds). */
static void test_assertions_on(void **state) {
  (void)state;
#ifdef NDEBUG
  fail_msg("built with NDEBUG: the tests need the assertions (do not configure "
           "--disable-assertions for make check)");
#endif
}

static void test_space_and_words(void **state) {
  (void)state;
  for (int c = 0; c < 256; c++) {
    int want = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
    assert_int_equal(gops_is_space(c), want);
  }
  const char *t = " \t\v x";
  assert_ptr_equal(gops_skip_space(t, t + strlen(t)), t + 4);
  assert_ptr_equal(gops_skip_space(t, t + 2), t + 2);
  assert_true(gops_word_equal("Week", 4, "week"));
  assert_true(gops_word_equal("weekly", 4, "week"));  /* only n bytes */
  assert_false(gops_word_equal("wee", 3, "week"));
  assert_false(gops_word_equal("weeks", 5, "week"));
  assert_false(gops_word_equal("w\0ek", 4, "week"));
  static const char *const words[] = {"day", "week", "month"};
  assert_int_equal(gops_word_find("MONTH", words, 3), 2);
  assert_int_equal(gops_word_find("day", words, 3), 0);
  assert_int_equal(gops_word_find("days", words, 3), -1);
  assert_int_equal(gops_word_find("", words, 3), -1);
  assert_int_equal(gops_word_find(0, words, 3), -1);
  /* Letter case is ASCII's only: no locale, no folding of other bytes. */
  assert_int_equal(gops_word_find("D\xc3\x84Y", words, 3), -1);
}

static gops_number_rc scan(const char *text, gops_number_grammar g, double *out,
                           size_t *used) {
  const char *p = text;
  gops_number_rc rc = gops_scan_number(&p, text + strlen(text), g, out);
  *used = (size_t)(p - text);
  return rc;
}

static void test_numbers(void **state) {
  (void)state;
  static const struct {
    const char *text;
    gops_number_rc json, sql;
    double value;
    size_t used; /* for an OK read */
  } cases[] = {
      {"0", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 0, 1},
      {"-0.25e1", GOPS_NUMBER_OK, GOPS_NUMBER_OK, -2.5, 7},
      {"3E+2]", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 300, 4},
      {"1e-2,", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 0.01, 4},
      {"12x", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 12, 2}, /* what follows: the caller's */
      {"+1", GOPS_NUMBER_NONE, GOPS_NUMBER_OK, 1, 2},
      {".5", GOPS_NUMBER_NONE, GOPS_NUMBER_OK, 0.5, 2},
      {"5.", GOPS_NUMBER_NONE, GOPS_NUMBER_OK, 5, 2},
      {"01", GOPS_NUMBER_NONE, GOPS_NUMBER_OK, 1, 2},
      {".", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      {"-", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      {"1e", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      {"1e+", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      {"e5", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      {"NaN", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      {"inf", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      {"Infinity", GOPS_NUMBER_NONE, GOPS_NUMBER_NONE, 0, 0},
      /* 0x10 reads as 0 followed by x10: refused by what follows */
      {"0x10", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 0, 1},
      {"1e999", GOPS_NUMBER_RANGE, GOPS_NUMBER_RANGE, 0, 0},
      {"-1e309", GOPS_NUMBER_RANGE, GOPS_NUMBER_RANGE, 0, 0},
      /* underflow: the nearest double, a subnormal or 0, as SQLite reads it */
      {"1e-320", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 1e-320, 6},
      {"4.9e-324", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 4.9e-324, 8},
      {"1e-400", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 0, 6},
      {"2.2250738585072014e-308", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 2.2250738585072014e-308, 23},
      {"0e-400", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 0, 6},
      {"1.7976931348623157e308", GOPS_NUMBER_OK, GOPS_NUMBER_OK, 1.7976931348623157e308, 22},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    for (int g = 0; g < 2; g++) {
      double d = -1;
      size_t used;
      gops_number_rc want = g == 0 ? cases[i].json : cases[i].sql;
      gops_number_rc rc = scan(cases[i].text, (gops_number_grammar)g, &d, &used);
      if (rc != want || (rc == GOPS_NUMBER_OK && (d != cases[i].value || used != cases[i].used)) ||
          (rc != GOPS_NUMBER_OK && used != 0)) {
        fail_msg("'%s' (%s): rc %d, %.17g after %zu", cases[i].text, g ? "sql" : "json", rc, d,
                 used);
      }
    }
  }
  /* At most GOPS_NUMBER_MAX characters: longer is out of range, not cut. */
  char big[GOPS_NUMBER_MAX + 8];
  memset(big, '1', GOPS_NUMBER_MAX);
  big[GOPS_NUMBER_MAX] = 0;
  double d;
  size_t used;
  assert_int_equal(scan(big, GOPS_NUMBER_JSON, &d, &used), GOPS_NUMBER_OK);
  strcat(big, "1");
  assert_int_equal(scan(big, GOPS_NUMBER_JSON, &d, &used), GOPS_NUMBER_RANGE);
  /* The text needs no terminator: only n bytes are read. */
  const char *t = "125";
  const char *p = t;
  assert_int_equal(gops_scan_number(&p, t + 2, GOPS_NUMBER_SQL, &d), GOPS_NUMBER_OK);
  assert_true(d == 12 && p == t + 2);

  /* Wholly one number, white space around it. */
  assert_int_equal(gops_text_number(" \t-1.5e3\n", 9, &d), GOPS_NUMBER_OK);
  assert_true(d == -1500);
  assert_int_equal(gops_text_number("60", 2, &d), GOPS_NUMBER_OK);
  assert_int_equal(gops_text_number("12\0" "5", 4, &d), GOPS_NUMBER_NONE);
  assert_int_equal(gops_text_number("0x10", 4, &d), GOPS_NUMBER_NONE);
  assert_int_equal(gops_text_number("1 2", 3, &d), GOPS_NUMBER_NONE);
  assert_int_equal(gops_text_number("", 0, &d), GOPS_NUMBER_NONE);
  assert_int_equal(gops_text_number("  ", 2, &d), GOPS_NUMBER_NONE);
  assert_int_equal(gops_text_number("'60'", 4, &d), GOPS_NUMBER_NONE);
  assert_int_equal(gops_text_number("1e-320", 6, &d), GOPS_NUMBER_OK);
  assert_true(d == 1e-320);
}

/* A reader's result: its kind, the element and what a message shows. */
typedef struct outcome {
  gops_json_rc rc;
  int64_t index;
  char shown[GOPS_JSON_SNIPPET_SIZE];
} outcome;

static outcome numbers(const char *text, size_t n) {
  double out[8];
  int64_t count;
  gops_json_fault f;
  outcome o;
  o.rc = gops_json_numbers(text, n, out, 8, &count, &f);
  o.index = f.index;
  gops_json_snippet(text, n, f.at, 0, o.shown);
  return o;
}

static void expect_numbers(const char *text, gops_json_rc rc, int64_t index, const char *shown) {
  outcome o = numbers(text, strlen(text));
  if (o.rc != rc || (rc != GOPS_JSON_OK && (o.index != index || strcmp(o.shown, shown) != 0))) {
    fail_msg("'%s': rc %d, element %lld, shown %s", text, o.rc, (long long)o.index, o.shown);
  }
}

static void test_json_numbers(void **state) {
  (void)state;
  double out[8];
  int64_t count;
  gops_json_fault f;
  const char *t = " [1, 2.5 ,-0.25e1,0,\n\t3E+2, 1e-2]  ";
  assert_int_equal(gops_json_numbers(t, strlen(t), out, 8, &count, &f), GOPS_JSON_OK);
  assert_int_equal(count, 6);
  assert_true(out[0] == 1 && out[1] == 2.5 && out[2] == -2.5 && out[3] == 0);
  assert_true(out[4] == 300 && out[5] == 0.01);
  assert_int_equal(gops_json_numbers("[]", 2, out, 8, &count, &f), GOPS_JSON_OK);
  assert_int_equal(count, 0);
  /* More elements than room: counted, not stored. */
  t = "[1,2,3,4,5,6,7,8,9,10]";
  assert_int_equal(gops_json_numbers(t, strlen(t), out, 3, &count, &f), GOPS_JSON_OK);
  assert_int_equal(count, 10);
  assert_true(out[2] == 3);
  /* Only the given length is read. */
  assert_int_equal(gops_json_numbers("[1]xyz", 3, out, 8, &count, &f), GOPS_JSON_OK);

  expect_numbers("1, 2", GOPS_JSON_NOT_ARRAY, 0, "'1'");
  expect_numbers("", GOPS_JSON_NOT_ARRAY, 0, "the end");
  expect_numbers("[1, x]", GOPS_JSON_BAD_ELEMENT, 1, "'x'");
  expect_numbers("[1, NaN]", GOPS_JSON_BAD_ELEMENT, 1, "'NaN'");
  expect_numbers("[Infinity]", GOPS_JSON_BAD_ELEMENT, 0, "'Infinity'");
  expect_numbers("[1, 2, 1e999]", GOPS_JSON_RANGE, 2, "'1e999'");
  expect_numbers("[1, 2, -1e999]", GOPS_JSON_RANGE, 2, "'-1e999'");
  expect_numbers("[01]", GOPS_JSON_BAD_ELEMENT, 0, "'01'");
  expect_numbers("[+1]", GOPS_JSON_BAD_ELEMENT, 0, "'+1'");
  expect_numbers("[.5]", GOPS_JSON_BAD_ELEMENT, 0, "'.5'");
  expect_numbers("[1.]", GOPS_JSON_BAD_ELEMENT, 0, "'1.'");
  expect_numbers("[1e]", GOPS_JSON_BAD_ELEMENT, 0, "'1e'");
  expect_numbers("[1x]", GOPS_JSON_BAD_ELEMENT, 0, "'1x'");
  expect_numbers("[0x10]", GOPS_JSON_BAD_ELEMENT, 0, "'0x10'");
  expect_numbers("[\"1\"]", GOPS_JSON_BAD_ELEMENT, 0, "'\"1\"'");
  expect_numbers("[1,]", GOPS_JSON_BAD_ELEMENT, 1, "']'");
  expect_numbers("[,1]", GOPS_JSON_BAD_ELEMENT, 0, "','");
  expect_numbers("[1 2]", GOPS_JSON_NO_SEPARATOR, 0, "'2'");
  expect_numbers("[1, 2", GOPS_JSON_NO_SEPARATOR, 1, "the end");
  expect_numbers("[1,", GOPS_JSON_BAD_ELEMENT, 1, "the end");
  expect_numbers("[", GOPS_JSON_BAD_ELEMENT, 0, "the end");
  expect_numbers("[1] 2", GOPS_JSON_TRAILING, 0, "'2'");
  expect_numbers("[] x", GOPS_JSON_TRAILING, 0, "'x'");
  expect_numbers("[[1]]", GOPS_JSON_BAD_ELEMENT, 0, "'[1'");
  expect_numbers("[1, abcdefghijklmnopqrstuvwxyz0123]", GOPS_JSON_BAD_ELEMENT, 1,
                 "'abcdefghijklmnopqrstuvwx...'");
  /* JSON's white space only: a vertical tab is not. */
  expect_numbers("[1,\v2]", GOPS_JSON_BAD_ELEMENT, 1, "'\v2'");
  /* A NUL byte is a character like any other, and a message shows it. */
  outcome o = numbers("[1]\0junk", 8);
  assert_int_equal(o.rc, GOPS_JSON_TRAILING);
  assert_string_equal(o.shown, "char(0) || 'junk'");
  o = numbers("[1\0" "5]", 5);
  assert_int_equal(o.rc, GOPS_JSON_BAD_ELEMENT);
  assert_string_equal(o.shown, "'1' || char(0) || '5'");
  /* A number longer than GOPS_NUMBER_MAX characters is refused, not cut. */
  char big[200] = "[1";
  for (int i = 0; i < 70; i++) strcat(big, "0");
  strcat(big, "]");
  assert_int_equal(numbers(big, strlen(big)).rc, GOPS_JSON_RANGE);
}

static outcome pairs(const char *text) {
  double x[4], y[4];
  int64_t count;
  gops_json_fault f;
  outcome o;
  size_t n = strlen(text);
  o.rc = gops_json_pairs(text, n, x, y, 4, &count, &f);
  o.index = f.index;
  gops_json_snippet(text, n, f.at, 1, o.shown);
  return o;
}

static void expect_pairs(const char *text, gops_json_rc rc, int64_t index, const char *shown) {
  outcome o = pairs(text);
  if (o.rc != rc || o.index != index || (shown && strcmp(o.shown, shown) != 0)) {
    fail_msg("'%s': rc %d, element %lld, shown %s", text, o.rc, (long long)o.index, o.shown);
  }
}

static void test_json_pairs(void **state) {
  (void)state;
  double x[4], y[4];
  int64_t count;
  gops_json_fault f;
  const char *t = "[[0,0], [ 1 , 1 ],[1.5,1.2]]";
  assert_int_equal(gops_json_pairs(t, strlen(t), x, y, 4, &count, &f), GOPS_JSON_OK);
  assert_int_equal(count, 3);
  assert_true(x[1] == 1 && y[1] == 1 && x[2] == 1.5 && y[2] == 1.2);
  assert_int_equal(gops_json_pairs("[ ]", 3, x, y, 4, &count, &f), GOPS_JSON_OK);
  assert_int_equal(count, 0);
  /* White space after '[' (a curve the schema once refused). */
  t = "[ [0,0],[1,1]]";
  assert_int_equal(gops_json_pairs(t, strlen(t), x, y, 4, &count, &f), GOPS_JSON_OK);
  assert_int_equal(count, 2);

  expect_pairs("{}", GOPS_JSON_NOT_ARRAY, 0, 0);
  expect_pairs("[[0,0],[1]]", GOPS_JSON_BAD_ELEMENT, 1, "'[1]'");
  expect_pairs("[[1,2,3]]", GOPS_JSON_BAD_ELEMENT, 0, "'[1,2,3]'");
  expect_pairs("[1, 2]", GOPS_JSON_BAD_ELEMENT, 0, "'1'");
  expect_pairs("[[0,0],[1,1e999]]", GOPS_JSON_RANGE, 1, "'[1,1e999]'");
  expect_pairs("[[0,0] [1,1]]", GOPS_JSON_NO_SEPARATOR, 0, "'[1,1]'");
  expect_pairs("[[0,0]]]", GOPS_JSON_TRAILING, 0, "']'");
  expect_pairs("[[0,0],[1,1],[2,2],[3,3],[4,4]]", GOPS_JSON_TOO_MANY, 4, 0);
}

/* Every allocation of gops_json_names fails in turn: no leak, NOMEM; and
** no leak on any error (blocks counted). */
static int fail_at, calls, live;
static void *failing_realloc(void *p, uint64_t n) {
  if (++calls == fail_at) return 0;
  void *q = realloc(p, (size_t)n);
  if (q && !p) live++;
  return q;
}
static void counted_free(void *p) {
  if (p) live--;
  free(p);
}
static const gops_alloc failing = {failing_realloc, counted_free};

static void test_json_names(void **state) {
  (void)state;
  gops_json_name *items;
  gops_json_fault f;
  int n;
  const char *steps = " [\"visit\", \"re\\\"g\\u00e9\", \"\\ud83d\\ude00\"] ";
  assert_int_equal(gops_json_names(steps, strlen(steps), 0, 64, &alloc, &items, &n, &f),
                   GOPS_JSON_OK);
  assert_int_equal(n, 3);
  assert_string_equal(items[0].name, "visit");
  assert_string_equal(items[1].name, "re\"g\xc3\xa9");
  assert_string_equal(items[2].name, "\xf0\x9f\x98\x80");
  gops_json_names_free(items, n, &alloc);

  /* The edges of the surrogate ranges: U+D7FF, U+10000, U+10FFFF, U+E000. */
  const char *edges = "[\"\\ud7ff\", \"\\ud800\\udc00\", \"\\udbff\\udfff\", \"\\ue000\"]";
  assert_int_equal(gops_json_names(edges, strlen(edges), 0, 64, &alloc, &items, &n, &f),
                   GOPS_JSON_OK);
  assert_int_equal(n, 4);
  assert_string_equal(items[0].name, "\xed\x9f\xbf");
  assert_string_equal(items[1].name, "\xf0\x90\x80\x80");
  assert_string_equal(items[2].name, "\xf4\x8f\xbf\xbf");
  assert_string_equal(items[3].name, "\xee\x80\x80");
  gops_json_names_free(items, n, &alloc);

  const char *stages = "[[\"visitors\", 1000], [\"orders\", 8e1], [\"x\", -0.5]]";
  assert_int_equal(gops_json_names(stages, strlen(stages), 1, 64, &alloc, &items, &n, &f),
                   GOPS_JSON_OK);
  assert_int_equal(n, 3);
  assert_true(items[1].number == 80 && items[2].number == -0.5);
  gops_json_names_free(items, n, &alloc);

  assert_int_equal(gops_json_names("[]", 2, 1, 64, &alloc, &items, &n, &f), GOPS_JSON_OK);
  assert_int_equal(n, 0);
  assert_null(items);

  static const struct {
    const char *text;
    int with_number;
    gops_json_rc rc;
    int64_t index;
  } wrong[] = {
      {"", 0, GOPS_JSON_NOT_ARRAY, 0},
      {"{}", 0, GOPS_JSON_NOT_ARRAY, 0},
      {"[\"a\",]", 0, GOPS_JSON_BAD_ELEMENT, 1},
      {"[\"a\" \"b\"]", 0, GOPS_JSON_NO_SEPARATOR, 0},
      {"[1]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"a\"] x", 0, GOPS_JSON_TRAILING, 0},
      {"[[\"a\", 1], [\"b\"]]", 1, GOPS_JSON_BAD_ELEMENT, 1},
      {"[x\"a\", 1]]", 1, GOPS_JSON_BAD_ELEMENT, 0},
      {"[[\"a\", \"1\"]]", 1, GOPS_JSON_BAD_ELEMENT, 0},
      {"[[\"a\", 01]]", 1, GOPS_JSON_BAD_ELEMENT, 0},
      {"[[\"a\", 1e999]]", 1, GOPS_JSON_RANGE, 0},
      {"[[\"a\", NaN]]", 1, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"\\u0000\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"\\ud800\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"\\udc00\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"\\udfff\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"\\udbff\\ue000\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"\\u12\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"\\x\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"a\tb\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"a\\\"]", 0, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"a\"", 0, GOPS_JSON_NO_SEPARATOR, 0},
      {"[[\"a\", 1, 2]]", 1, GOPS_JSON_BAD_ELEMENT, 0},
      {"[\"a\",\"b\",\"c\"]", 0, GOPS_JSON_TOO_MANY, 2},
  };
  for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
    fail_at = 0;
    live = 0;
    gops_json_rc rc = gops_json_names(wrong[i].text, strlen(wrong[i].text), wrong[i].with_number,
                                      2, &failing, &items, &n, &f);
    if (rc != wrong[i].rc || f.index != wrong[i].index || items != 0 || n != 0 || live != 0) {
      fail_msg("'%s': rc %d, element %lld (want %d, %lld), %d blocks left", wrong[i].text, rc,
               (long long)f.index, wrong[i].rc, (long long)wrong[i].index, live);
    }
  }
  /* A NUL byte inside a string is refused, not a cut. */
  assert_int_equal(gops_json_names("[\"a\0b\"]", 7, 0, 2, &alloc, &items, &n, &f),
                   GOPS_JSON_BAD_ELEMENT);
}

static void test_json_names_nomem(void **state) {
  (void)state;
  const char *t = "[[\"a\", 1], [\"b\", 2], [\"c\", 3]]";
  gops_json_name *items;
  gops_json_fault f;
  int n;
  for (fail_at = 1;; fail_at++) {
    calls = 0;
    live = 0;
    gops_json_rc rc = gops_json_names(t, strlen(t), 1, 8, &failing, &items, &n, &f);
    if (rc == GOPS_JSON_OK) {
      assert_int_equal(n, 3);
      gops_json_names_free(items, n, &failing);
      assert_int_equal(live, 0);
      break;
    }
    assert_int_equal(rc, GOPS_JSON_NOMEM);
    assert_null(items);
    assert_int_equal(live, 0);
  }
  assert_int_equal(fail_at, 5); /* the array and three names, then none fails */
}

/* [string, number, number] triples: the exclusions of the funnel table. */
static void test_json_triples(void **state) {
  (void)state;
  gops_json_name *items = 0;
  int n = 0;
  gops_json_fault f;
  const char *t = "[[\"refund\", 1, 3], [ \"x\" ,2,2.5 ]]";
  assert_int_equal(gops_json_names(t, strlen(t), 2, 8, &alloc, &items, &n, &f), GOPS_JSON_OK);
  assert_int_equal(n, 2);
  assert_string_equal(items[0].name, "refund");
  assert_true(items[0].number == 1 && items[0].number2 == 3);
  assert_true(items[1].number == 2 && items[1].number2 == 2.5);
  gops_json_names_free(items, n, &alloc);
  const char *wrong[] = {"[[\"a\", 1]]", "[[\"a\", 1, 2, 3]]", "[[\"a\", 1, \"2\"]]", "[\"a\"]"};
  for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
    assert_int_equal(gops_json_names(wrong[i], strlen(wrong[i]), 2, 8, &alloc, &items, &n, &f),
                     GOPS_JSON_BAD_ELEMENT);
    assert_int_equal(f.index, 0);
    assert_null(items);
  }
}

/* JSON strings written: quotes and backslashes escaped, control
** characters as \u00XX, a NUL too, UTF-8 as it is. */
static void test_json_string(void **state) {
  (void)state;
  char out[64];
  size_t n = gops_json_string("a\"b\\c", 5, out);
  assert_int_equal(n, 9);
  assert_memory_equal(out, "\"a\\\"b\\\\c\"", 9);
  n = gops_json_string("\n\x01\0z", 4, out);
  assert_memory_equal(out, "\"\\u000a\\u0001\\u0000z\"", n);
  assert_int_equal(n, 21);
  n = gops_json_string("\xe6\xb8\xa0\xe9\x81\x93", 6, out);
  assert_memory_equal(out, "\"\xe6\xb8\xa0\xe9\x81\x93\"", n);
  assert_int_equal(gops_json_string("", 0, out), 2);
  assert_true(gops_json_string_size(4) >= 21);
}

static void test_snippet(void **state) {
  (void)state;
  char out[GOPS_JSON_SNIPPET_SIZE];
  const char *t = "[1, 2, x]";
  gops_json_snippet(t, strlen(t), 7, 0, out);
  assert_string_equal(out, "'x'");
  gops_json_snippet(t, strlen(t), 99, 0, out);
  assert_string_equal(out, "the end");
  /* Cut on a UTF-8 boundary: 新 is 3 bytes; 24 bytes hold 8 of them. */
  const char *cn = "[新新新新新新新新新新]";
  gops_json_snippet(cn, strlen(cn), 1, 0, out);
  assert_string_equal(out, "'新新新新新新新新...'");
  /* At most four NUL bytes shown; then cut. */
  const char nuls[] = "[1\0\0\0\0\0" "2]";
  gops_json_snippet(nuls, sizeof(nuls) - 1, 1, 0, out);
  assert_string_equal(out, "'1' || char(0) || char(0) || char(0) || char(0) || '...'");
}

/* The words of SQL text as SQLite's tokenizer splits them. */
static void test_sql_words(void **state) {
  (void)state;
  const char *sql = "CHECK (1--'\n AND edit(x) /*'*/ \"a\"\"b\" [c d] `e` 'f''g' x$1 \xe6\x96\xb0)";
  const char *p = sql, *end = sql + strlen(sql);
  const char *want[] = {"CHECK", "(", "1", "AND", "edit", "(", "x", ")", "a\"\"b", "c d", "e", "f''g", "x$1",
                        "\xe6\x96\xb0", ")"};
  const char quotes[] = {0, 0, 0, 0, 0, 0, 0, 0, '"', '"', '`', '\'', 0, 0, 0};
  gops_sql_word w;
  size_t n = 0;
  while (gops_sql_next_word(&p, end, &w)) {
    assert_true(n < sizeof(want) / sizeof(want[0]));
    assert_int_equal(w.len, strlen(want[n]));
    assert_memory_equal(w.text, want[n], w.len);
    assert_int_equal(w.quote, quotes[n]);
    n++;
  }
  assert_int_equal(n, sizeof(want) / sizeof(want[0]));
  assert_true(gops_sql_word_is(&(gops_sql_word){"AND", 3, 0}, "and"));
  assert_false(gops_sql_word_is(&(gops_sql_word){"and", 3, '"'}, "and"));
  /* an unclosed comment or string ends the text */
  const char *open = "x /* y";
  p = open;
  assert_true(gops_sql_next_word(&p, open + strlen(open), &w));
  assert_false(gops_sql_next_word(&p, open + strlen(open), &w));
  open = "'abc";
  p = open;
  assert_true(gops_sql_next_word(&p, open + strlen(open), &w));
  assert_int_equal(w.len, 3);
}

static gops_sql_vtab_rc module_of(const char *sql, char *out) {
  gops_sql_word m;
  gops_sql_vtab_rc rc = gops_sql_virtual_module(sql, strlen(sql), &m);
  out[0] = 0;
  if (rc == GOPS_SQL_VIRTUAL) {
    memcpy(out, m.text, m.len);
    out[m.len] = 0;
  }
  return rc;
}

/* The module of a CREATE VIRTUAL TABLE however its words are spaced. */
static void test_virtual_module(void **state) {
  (void)state;
  char m[64];
  assert_int_equal(module_of("CREATE VIRTUAL TABLE t USING fts5(a)", m), GOPS_SQL_VIRTUAL);
  assert_string_equal(m, "fts5");
  assert_int_equal(module_of("CREATE  VIRTUAL TABLE zz USING zipfile/*'*/('/tmp/x.zip')", m), GOPS_SQL_VIRTUAL);
  assert_string_equal(m, "zipfile");
  assert_int_equal(module_of("create/**/virtual--x\n table if not exists \"main\".\"t t\" using \"zipfile\"", m),
                   GOPS_SQL_VIRTUAL);
  assert_string_equal(m, "zipfile");
  assert_int_equal(module_of("CREATE VIRTUAL TABLE [t] USING 'zipfile'(x)", m), GOPS_SQL_VIRTUAL);
  assert_string_equal(m, "zipfile");
  assert_int_equal(module_of("CREATE TABLE t(a)", m), GOPS_SQL_NOT_VIRTUAL);
  assert_int_equal(module_of("CREATE TABLE \"CREATE VIRTUAL TABLE x USING fts5\"(a)", m), GOPS_SQL_NOT_VIRTUAL);
  assert_int_equal(module_of("", m), GOPS_SQL_NOT_VIRTUAL);
  assert_int_equal(module_of("CREATE VIRTUAL TABLE t", m), GOPS_SQL_UNREADABLE);
  assert_int_equal(module_of("CREATE VIRTUAL TABLE t USING (x)", m), GOPS_SQL_UNREADABLE);
  assert_int_equal(module_of("CREATE VIRTUAL VIEW t USING fts5", m), GOPS_SQL_UNREADABLE);
}

static void term(const char *text, size_t n, const char *want) {
  char out[256];
  assert_true(gops_term_text_size(n) <= sizeof(out));
  size_t len = gops_term_text(text, n, out);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(out, want, len);
}

/* Control characters as visible escapes; everything else as it is. */
static void test_term_text(void **state) {
  (void)state;
  term("plain 厦门 é", strlen("plain 厦门 é"), "plain 厦门 é");
  term("a\x1b]52;c;QQ==\x07z", 14, "a\\x1b]52;c;QQ==\\x07z");
  term("\t\n\r\x7f", 4, "\\x09\\x0a\\x0d\\x7f");
  term("a\0b", 3, "a\\x00b");
  term("\xc2\x85\xc2\x9b", 4, "\\u0085\\u009b");                           /* C1: NEL, CSI */
  term("\xe2\x80\xae\xe2\x81\xa6\xd8\x9c", 8, "\\u202e\\u2066\\u061c"); /* bidi */
  term("\x9b\xff\xc0\xaf", 4, "\\x9b\\xff\\xc0\\xaf");                   /* not UTF-8, overlong */
  term("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");                             /* a surrogate */
  term("\xe6\x96", 2, "\\xe6\\x96");                                      /* cut short */
  term("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80");                        /* U+1F600 */
  term("", 0, "");
  /* the most a byte becomes */
  term("\x01\x01", 2, "\\x01\\x01");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_assertions_on),
      cmocka_unit_test(test_space_and_words),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_json_numbers),
      cmocka_unit_test(test_json_pairs),
      cmocka_unit_test(test_json_names),
      cmocka_unit_test(test_json_names_nomem),
      cmocka_unit_test(test_json_triples),
      cmocka_unit_test(test_json_string),
      cmocka_unit_test(test_snippet),
      cmocka_unit_test(test_sql_words),
      cmocka_unit_test(test_virtual_module),
      cmocka_unit_test(test_term_text),
  };
  return cmocka_run_group_tests_name("text", tests, 0, 0);
}
