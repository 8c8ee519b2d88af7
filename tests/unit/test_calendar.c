/*
** test_calendar.c: cmocka tests of the calendar core: day numbers, leap
** years, ISO weeks (week 53, weeks across year ends), quarter and year
** ends, ISO-8601 parsing (fractions of a second truncated, never rounded
** into the next second or day), days of unix seconds just before midnight,
** the periods' spans of unix seconds, and the period walk.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calendar_core.h"

static int64_t day_of(const char *iso) {
  double secs;
  assert_int_equal(gops_parse_iso8601(iso, strlen(iso), &secs), 0);
  int64_t day;
  assert_int_equal(gops_day_from_unix(secs, &day), 0);
  return day;
}

static void assert_key(const char *iso, gops_grain grain, const char *key) {
  char out[GOPS_KEY_SIZE];
  gops_period_key(day_of(iso), grain, out);
  assert_string_equal(out, key);
}

static void assert_first_last(const char *iso, gops_grain grain,
                              const char *first, const char *last) {
  char a[GOPS_DATE_SIZE], b[GOPS_DATE_SIZE];
  gops_format_day(gops_period_first(day_of(iso), grain), a);
  gops_format_day(gops_period_last(day_of(iso), grain), b);
  assert_string_equal(a, first);
  assert_string_equal(b, last);
}

static void test_day_numbers(void **state) {
  (void)state;
  assert_int_equal(gops_days_from_civil(1970, 1, 1), 0);
  assert_int_equal(gops_days_from_civil(2000, 3, 1), 11017);
  assert_int_equal(gops_days_from_civil(0, 1, 1), GOPS_DAY_MIN);
  assert_int_equal(gops_days_from_civil(9999, 12, 31), GOPS_DAY_MAX);
  /* Every day of 1600..2400 round-trips. */
  for (int64_t d = gops_days_from_civil(1600, 1, 1);
       d <= gops_days_from_civil(2400, 12, 31); d++) {
    int y, m, dd;
    gops_civil_from_days(d, &y, &m, &dd);
    assert_int_equal(gops_days_from_civil(y, m, dd), d);
  }
}

static void test_leap_years(void **state) {
  (void)state;
  assert_true(gops_is_leap_year(2024));
  assert_true(gops_is_leap_year(2000));
  assert_false(gops_is_leap_year(1900));
  assert_false(gops_is_leap_year(2025));
  assert_int_equal(gops_days_in_month(2024, 2), 29);
  assert_int_equal(gops_days_in_month(2100, 2), 28);
  assert_first_last("2024-02-10", GOPS_GRAIN_MONTH, "2024-02-01", "2024-02-29");
  assert_first_last("2025-02-10", GOPS_GRAIN_MONTH, "2025-02-01", "2025-02-28");
}

static void test_iso_weeks(void **state) {
  (void)state;
  assert_int_equal(gops_iso_weekday(day_of("2025-03-03")), 1); /* Monday */
  assert_int_equal(gops_iso_weekday(day_of("2025-03-09")), 7); /* Sunday */
  assert_key("2025-03-01", GOPS_GRAIN_WEEK, "2025-W09");
  /* 2020 has 53 ISO weeks; 2021-01-03 still belongs to 2020-W53. */
  assert_key("2020-12-31", GOPS_GRAIN_WEEK, "2020-W53");
  assert_key("2021-01-03", GOPS_GRAIN_WEEK, "2020-W53");
  assert_key("2021-01-04", GOPS_GRAIN_WEEK, "2021-W01");
  /* 2024-12-30 (a Monday) starts 2025-W01. */
  assert_key("2024-12-30", GOPS_GRAIN_WEEK, "2025-W01");
  assert_key("2026-12-31", GOPS_GRAIN_WEEK, "2026-W53");
  assert_first_last("2025-01-01", GOPS_GRAIN_WEEK, "2024-12-30", "2025-01-05");
  /* Before 1970 too: 1969-12-31 was a Wednesday. */
  assert_int_equal(gops_iso_weekday(-1), 3);
  assert_first_last("1969-12-31", GOPS_GRAIN_WEEK, "1969-12-29", "1970-01-04");
}

static void test_quarters_and_years(void **state) {
  (void)state;
  assert_key("2025-03-31", GOPS_GRAIN_QUARTER, "2025-Q1");
  assert_key("2025-04-01", GOPS_GRAIN_QUARTER, "2025-Q2");
  assert_key("2025-12-31", GOPS_GRAIN_QUARTER, "2025-Q4");
  assert_first_last("2025-11-15", GOPS_GRAIN_QUARTER, "2025-10-01", "2025-12-31");
  assert_first_last("2025-05-15", GOPS_GRAIN_QUARTER, "2025-04-01", "2025-06-30");
  assert_first_last("2024-07-04", GOPS_GRAIN_YEAR, "2024-01-01", "2024-12-31");
  assert_key("2024-07-04", GOPS_GRAIN_YEAR, "2024");
  assert_key("2024-07-04", GOPS_GRAIN_MONTH, "2024-07");
  assert_key("2024-07-04", GOPS_GRAIN_DAY, "2024-07-04");
  assert_first_last("2024-12-31", GOPS_GRAIN_DAY, "2024-12-31", "2024-12-31");
}

/* The hand-written formatting: every width and the ends of the range. */
static void test_format(void **state) {
  (void)state;
  char out[GOPS_KEY_SIZE];
  gops_format_day(GOPS_DAY_MIN, out);
  assert_string_equal(out, "0000-01-01");
  gops_format_day(GOPS_DAY_MAX, out);
  assert_string_equal(out, "9999-12-31");
  gops_format_day(gops_days_from_civil(987, 6, 5), out);
  assert_string_equal(out, "0987-06-05");
  assert_key("0000-01-03", GOPS_GRAIN_WEEK, "0000-W01");
  assert_key("0042-10-01", GOPS_GRAIN_QUARTER, "0042-Q4");
  assert_key("0007-02-28", GOPS_GRAIN_MONTH, "0007-02");
  assert_key("0100-12-31", GOPS_GRAIN_YEAR, "0100");
  assert_key("9999-12-31", GOPS_GRAIN_WEEK, "9999-W52");
  /* Only the weeks reach outside the years 0000 to 9999. */
  assert_true(gops_period_first(GOPS_DAY_MIN, GOPS_GRAIN_WEEK) < GOPS_DAY_MIN);
  assert_true(gops_period_last(GOPS_DAY_MAX, GOPS_GRAIN_WEEK) > GOPS_DAY_MAX);
  assert_int_equal(gops_period_first(GOPS_DAY_MIN, GOPS_GRAIN_MONTH), GOPS_DAY_MIN);
  assert_int_equal(gops_period_last(GOPS_DAY_MAX, GOPS_GRAIN_QUARTER), GOPS_DAY_MAX);
}

static void test_parse(void **state) {
  (void)state;
  double s;
  assert_int_equal(gops_parse_iso8601("1970-01-02", 10, &s), 0);
  assert_true(s == 86400.0);
  const char *t = "2025-03-01T08:30:15.5Z";
  assert_int_equal(gops_parse_iso8601(t, strlen(t), &s), 0);
  assert_true(s == gops_days_from_civil(2025, 3, 1) * 86400.0 + 8 * 3600 + 30 * 60 + 15.5);
  /* Beijing midnight is 16:00 UTC the day before. */
  t = "2025-03-01 00:00:00+08:00";
  assert_int_equal(gops_parse_iso8601(t, strlen(t), &s), 0);
  assert_true(s == gops_days_from_civil(2025, 2, 28) * 86400.0 + 16 * 3600);
  t = "2025-03-01 10:00";
  assert_int_equal(gops_parse_iso8601(t, strlen(t), &s), 0);
  const char *bad[] = {"", "2025", "2025-3-1", "2025-02-29", "2024-02-30",
                       "2025-13-01", "2025-00-10", "2025-03-01x", "abc",
                       "2025-03-01T25:00", "2025-03-01T10", "2025-03-01T10:00:00.",
                       "2025-03-01T10:00+8", "２０２５-03-01"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_equal(gops_parse_iso8601(bad[i], strlen(bad[i]), &s), -1);
  }
  assert_int_equal(gops_parse_iso8601("2024-02-29", 10, &s), 0);
  int64_t d;
  assert_int_equal(gops_day_from_unix(1e300, &d), -1);
  assert_int_equal(gops_day_from_unix(-1.0, &d), 0);
  assert_int_equal(d, -1);
}

/* Parses iso, which must be valid; its unix seconds. */
static double secs_of(const char *iso) {
  double secs;
  assert_int_equal(gops_parse_iso8601(iso, strlen(iso), &secs), 0);
  return secs;
}

static void test_fraction_truncated(void **state) {
  (void)state;
  /* 100 ns before midnight: the nearest double is midnight itself. */
  double s = secs_of("2025-01-01T23:59:59.9999999");
  assert_true(s < gops_days_from_civil(2025, 1, 2) * 86400.0);
  assert_true(floor(s) == gops_days_from_civil(2025, 1, 1) * 86400.0 + 86399);
  assert_int_equal(day_of("2025-01-01T23:59:59.9999999"), gops_days_from_civil(2025, 1, 1));
  assert_int_equal(day_of("2025-01-02T07:59:59.99999999+08:00"),
                   gops_days_from_civil(2025, 1, 1));
  /* The last instant there is, not an error. */
  assert_int_equal(day_of("9999-12-31T23:59:59.99999"), GOPS_DAY_MAX);
  assert_int_equal(day_of("9999-12-31T23:59:59.999999999999"), GOPS_DAY_MAX);
  /* Before 1970 the same: the fraction does not carry into the next day. */
  assert_int_equal(day_of("1969-12-31T23:59:59.99999999999999"), -1);
  assert_int_equal(day_of("0000-01-01T00:00:00.5"), GOPS_DAY_MIN);
  /* Digits after the ninth are dropped; the seconds do not move. */
  assert_true(floor(secs_of("2025-01-01T10:00:58.9999999999999")) ==
              gops_days_from_civil(2025, 1, 1) * 86400.0 + 36058);
  assert_true(secs_of("1970-01-01T00:00:00.123456789999") == 0.123456789);
  /* Exact fractions stay exact. */
  assert_true(secs_of("2025-03-01T08:30:15.25Z") ==
              gops_days_from_civil(2025, 3, 1) * 86400.0 + 8 * 3600 + 30 * 60 + 15.25);
}

static void test_day_before_midnight(void **state) {
  (void)state;
  int64_t d;
  /* The smallest negative time is before 1970-01-01 (its quotient by
  ** 86400 underflows to -0). */
  assert_int_equal(gops_day_from_unix(-4.9e-324, &d), 0);
  assert_int_equal(d, -1);
  assert_int_equal(gops_day_from_unix(-0.0, &d), 0);
  assert_int_equal(d, 0);
  /* Every midnight, the doubles just before and after it, and the last
  ** second of its day, over the whole range (the day is a product put
  ** right, not a quotient: it must land on each side of a midnight). */
  for (int64_t k = GOPS_DAY_MIN + 1; k <= GOPS_DAY_MAX; k++) {
    double midnight = (double)k * 86400.0;
    assert_int_equal(gops_day_from_unix(midnight, &d), 0);
    assert_int_equal(d, k);
    assert_int_equal(gops_day_from_unix(nextafter(midnight, -INFINITY), &d), 0);
    assert_int_equal(d, k - 1);
    assert_int_equal(gops_day_from_unix(nextafter(midnight, INFINITY), &d), 0);
    assert_int_equal(d, k);
    assert_int_equal(gops_day_from_unix(midnight + 86399.5, &d), 0);
    assert_int_equal(d, k);
  }
  assert_int_equal(gops_day_from_unix(GOPS_DAY_MIN * 86400.0, &d), 0);
  assert_int_equal(gops_day_from_unix(nextafter(GOPS_DAY_MIN * 86400.0, -INFINITY), &d), -1);
  assert_int_equal(gops_day_from_unix((GOPS_DAY_MAX + 1) * 86400.0, &d), -1);
}

static void test_grains(void **state) {
  (void)state;
  gops_grain g;
  assert_int_equal(gops_grain_parse("Week", &g), 0);
  assert_int_equal(g, GOPS_GRAIN_WEEK);
  assert_int_equal(gops_grain_parse("fortnight", &g), -1);
  assert_int_equal(gops_grain_parse(0, &g), -1);
  assert_string_equal(gops_grain_name(GOPS_GRAIN_QUARTER), "quarter");
}

static void test_walk(void **state) {
  (void)state;
  int64_t from = day_of("2025-01-15"), to = day_of("2025-03-31");
  assert_int_equal(gops_period_count(from, to, GOPS_GRAIN_MONTH), 3);
  gops_period p;
  int64_t cursor = from, total = 0;
  int n = 0;
  const char *keys[] = {"2025-01", "2025-02", "2025-03"};
  const int64_t days[] = {17, 28, 31};
  while (gops_period_walk(&cursor, to, GOPS_GRAIN_MONTH, &p)) {
    assert_string_equal(p.key, keys[n]);
    assert_int_equal(p.days, days[n]);
    total += p.days;
    n++;
  }
  assert_int_equal(n, 3);
  assert_int_equal(total, to - from + 1);
  /* Counts agree with the walk for every grain over ten years. */
  for (int g = GOPS_GRAIN_DAY; g <= GOPS_GRAIN_YEAR; g++) {
    from = day_of("2019-12-30");
    to = day_of("2029-07-04");
    cursor = from;
    n = 0;
    while (gops_period_walk(&cursor, to, (gops_grain)g, &p)) n++;
    assert_int_equal(n, gops_period_count(from, to, (gops_grain)g));
  }
  assert_int_equal(gops_period_count(day_of("2025-12-29"), day_of("2026-01-04"),
                                     GOPS_GRAIN_WEEK), 1);
  assert_int_equal(gops_period_count(day_of("2025-12-31"), day_of("2026-01-01"),
                                     GOPS_GRAIN_QUARTER), 2);
}

static void assert_parse_key(const char *key, gops_grain grain, const char *first) {
  int64_t day;
  assert_int_equal(gops_period_parse_key(key, strlen(key), grain, &day), 0);
  char out[GOPS_DATE_SIZE];
  gops_format_day(day, out);
  assert_string_equal(out, first);
}

static void test_parse_key(void **state) {
  (void)state;
  assert_parse_key("2025-03-01", GOPS_GRAIN_DAY, "2025-03-01");
  assert_parse_key("2025-W09", GOPS_GRAIN_WEEK, "2025-02-24");
  assert_parse_key("2025-W01", GOPS_GRAIN_WEEK, "2024-12-30");
  assert_parse_key("2026-W53", GOPS_GRAIN_WEEK, "2026-12-28");
  assert_parse_key("2020-W53", GOPS_GRAIN_WEEK, "2020-12-28");
  assert_parse_key("2025-02", GOPS_GRAIN_MONTH, "2025-02-01");
  assert_parse_key("2025-Q4", GOPS_GRAIN_QUARTER, "2025-10-01");
  assert_parse_key("2025", GOPS_GRAIN_YEAR, "2025-01-01");
  assert_parse_key("0300-03-01", GOPS_GRAIN_DAY, "0300-03-01");
  assert_parse_key("0000-W01", GOPS_GRAIN_WEEK, "0000-01-03");
  assert_parse_key("9999-W52", GOPS_GRAIN_WEEK, "9999-12-27");
  /* Every key written over 1998-2031 reads back as its period's first day. */
  for (int g = GOPS_GRAIN_DAY; g <= GOPS_GRAIN_YEAR; g++) {
    for (int64_t d = gops_days_from_civil(1998, 1, 1); d <= gops_days_from_civil(2031, 12, 31); d++) {
      char key[GOPS_KEY_SIZE];
      int64_t first;
      gops_period_key(d, (gops_grain)g, key);
      assert_int_equal(gops_period_parse_key(key, strlen(key), (gops_grain)g, &first), 0);
      assert_int_equal(first, gops_period_first(d, (gops_grain)g));
    }
  }
  int64_t day;
  const struct { const char *key; gops_grain grain; } bad[] = {
      {"2025-02-29", GOPS_GRAIN_DAY}, {"0300-02-29", GOPS_GRAIN_DAY}, {"2025-3-01", GOPS_GRAIN_DAY},
      {" 2025-03-01", GOPS_GRAIN_DAY}, {"2025-03-01 ", GOPS_GRAIN_DAY}, {"2025-03-01T00:00", GOPS_GRAIN_DAY},
      {"2025-W53", GOPS_GRAIN_WEEK}, {"2025-W00", GOPS_GRAIN_WEEK}, {"2025-W9", GOPS_GRAIN_WEEK},
      {"2025-09", GOPS_GRAIN_WEEK}, {"2025-w09", GOPS_GRAIN_WEEK}, {"2025-13", GOPS_GRAIN_MONTH},
      {"2025-00", GOPS_GRAIN_MONTH}, {"2025-08-01", GOPS_GRAIN_MONTH}, {"2025-Q5", GOPS_GRAIN_QUARTER},
      {"2025-Q0", GOPS_GRAIN_QUARTER}, {"25", GOPS_GRAIN_YEAR}, {"20250", GOPS_GRAIN_YEAR},
      {"", GOPS_GRAIN_DAY}, {"2008", GOPS_GRAIN_MONTH},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_equal(gops_period_parse_key(bad[i].key, strlen(bad[i].key), bad[i].grain, &day), -1);
  }
  /* The length is the key's: a key followed by more bytes is not a key. */
  assert_int_equal(gops_period_parse_key("2025-03-01", 7, GOPS_GRAIN_MONTH, &day), 0);
  assert_int_equal(gops_period_parse_key("2025-03", 6, GOPS_GRAIN_MONTH, &day), -1);
}

/* The span of a period, in unix seconds, holds exactly the times whose day
** is in the period: its bounds are midnights, the time just before lo and
** hi itself are outside it, and the next period's span begins at hi. */
static void assert_span(double t, gops_grain grain) {
  gops_period_span span;
  int64_t day;
  assert_int_equal(gops_day_from_unix(t, &day), 0);
  assert_int_equal(gops_period_span_of(t, grain, &span), 0);
  assert_int_equal(span.ordinal, gops_period_ordinal(day, grain));
  int64_t first = gops_period_first(day, grain), next = gops_period_next(day, grain);
  assert_true(span.lo == (double)(first < GOPS_DAY_MIN ? GOPS_DAY_MIN : first) * 86400.0);
  assert_true(span.hi == (double)(next > GOPS_DAY_MAX + 1 ? GOPS_DAY_MAX + 1 : next) * 86400.0);
  assert_true(gops_period_span_holds(&span, t));
  assert_true(gops_period_span_holds(&span, span.lo));
  assert_false(gops_period_span_holds(&span, nextafter(span.lo, -INFINITY)));
  assert_false(gops_period_span_holds(&span, span.hi));
  double last = nextafter(span.hi, -INFINITY);
  assert_true(gops_period_span_holds(&span, last));
  assert_int_equal(gops_day_from_unix(last, &day), 0);
  assert_int_equal(gops_period_ordinal(day, grain), span.ordinal);
  gops_period_span after;
  if (gops_period_span_of(span.hi, grain, &after) == 0) {
    assert_int_equal(after.ordinal, span.ordinal + 1);
    assert_true(after.lo == span.hi);
  } else {
    assert_true(span.hi == (double)(GOPS_DAY_MAX + 1) * 86400.0);
  }
}

static void test_period_spans(void **state) {
  (void)state;
  for (int g = GOPS_GRAIN_DAY; g <= GOPS_GRAIN_YEAR; g++) {
    const gops_grain grain = (gops_grain)g;
    for (int64_t k = GOPS_DAY_MIN; k <= GOPS_DAY_MAX; k += 97) {
      assert_span((double)k * 86400.0, grain);
      assert_span((double)k * 86400.0 + 43200.5, grain);
    }
    assert_span((double)GOPS_DAY_MAX * 86400.0 + 86399.5, grain);
    assert_span(-0.5, grain);
    assert_span(-4.9e-324, grain);
    assert_span(0.0, grain);
  }
  gops_period_span span;
  /* 1969-12-31T23:59:59.5 is in 1970-W01, which began on Monday 1969-12-29. */
  assert_int_equal(gops_period_span_of(-0.5, GOPS_GRAIN_WEEK, &span), 0);
  assert_int_equal(span.ordinal, 0);
  assert_true(span.lo == -3 * 86400.0 && span.hi == 4 * 86400.0);
  assert_int_equal(gops_period_span_of(-0.5, GOPS_GRAIN_DAY, &span), 0);
  assert_true(span.lo == -86400.0 && span.hi == 0.0);
  /* Monday 2025-03-10 00:00:00 UTC begins a week; the second before ends one. */
  assert_int_equal(gops_period_span_of(1741564800.0, GOPS_GRAIN_WEEK, &span), 0);
  assert_true(span.lo == 1741564800.0 && span.hi == 1741564800.0 + 7 * 86400.0);
  assert_int_equal(gops_period_span_of(1741564799.0, GOPS_GRAIN_WEEK, &span), 0);
  assert_true(span.hi == 1741564800.0);
  /* The calendar's first and last weeks are clipped to it. */
  assert_int_equal(gops_period_span_of(GOPS_DAY_MIN * 86400.0, GOPS_GRAIN_WEEK, &span), 0);
  assert_true(span.lo == GOPS_DAY_MIN * 86400.0);
  assert_int_equal(gops_period_span_of(GOPS_DAY_MAX * 86400.0, GOPS_GRAIN_WEEK, &span), 0);
  assert_true(span.hi == (GOPS_DAY_MAX + 1) * 86400.0);
  /* Outside the calendar, or not a number: -1, the span untouched. */
  const double bad[] = {NAN, INFINITY, -INFINITY, (GOPS_DAY_MAX + 1) * 86400.0,
                        nextafter(GOPS_DAY_MIN * 86400.0, -INFINITY)};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_equal(gops_period_span_of(bad[i], GOPS_GRAIN_WEEK, &span), -1);
    assert_true(span.hi == (GOPS_DAY_MAX + 1) * 86400.0);
  }
  /* A zeroed span holds no time. */
  const gops_period_span none = {0};
  assert_false(gops_period_span_holds(&none, 0.0));
  assert_false(gops_period_span_holds(&none, -0.0));
  assert_false(gops_period_span_holds(&none, NAN));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_day_numbers), cmocka_unit_test(test_leap_years),
      cmocka_unit_test(test_iso_weeks),   cmocka_unit_test(test_quarters_and_years),
      cmocka_unit_test(test_parse),       cmocka_unit_test(test_grains),
      cmocka_unit_test(test_walk),        cmocka_unit_test(test_format),
      cmocka_unit_test(test_parse_key),
      cmocka_unit_test(test_fraction_truncated),
      cmocka_unit_test(test_day_before_midnight),
      cmocka_unit_test(test_period_spans),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
