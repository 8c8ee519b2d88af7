/*
** calendar_core.c: day arithmetic, ISO-8601 parsing and the periods of
** the planning calendar.  See calendar_core.h for what it offers.
**
** Day numbers use the civil-from-days algorithm: years are shifted to
** start in March so that the leap day falls at the end of a year, and
** 400-year eras make every step integer arithmetic.
*/
#include "calendar_core.h"
#include "text.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <string.h>

static const char *const grain_names[] = {"day", "week", "month", "quarter",
                                          "year"};

int gops_grain_parse(const char *name, gops_grain *grain) {
  int i = gops_word_find(name, grain_names, 5);
  if (i < 0) return -1;
  *grain = (gops_grain)i;
  return 0;
}

const char *gops_grain_name(gops_grain grain) {
  return grain_names[grain];
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

int64_t gops_days_from_civil(int year, int month, int day) {
  int64_t y = (int64_t)year - (month <= 2);
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;                          /* [0, 399] */
  int64_t mp = (month + 9) % 12;                        /* March = 0 */
  int64_t doy = (153 * mp + 2) / 5 + day - 1;           /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

void gops_civil_from_days(int64_t days, int *year, int *month, int *day) {
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *year = (int)(yoe + era * 400 + (m <= 2));
  *month = (int)m;
  *day = (int)d;
}

int gops_is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int gops_days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && gops_is_leap_year(year)) return 29;
  return days[month - 1];
}

int gops_iso_weekday(int64_t days) {
  /* 1970-01-01 was a Thursday (4). */
  int64_t w = floor_div(days + 3, 7);
  return (int)(days + 3 - w * 7) + 1;
}

void gops_iso_week(int64_t days, int *iso_year, int *week) {
  /* The ISO year is the year of the Thursday of the same week. */
  int64_t thursday = days - gops_iso_weekday(days) + 4;
  int y, m, d;
  gops_civil_from_days(thursday, &y, &m, &d);
  *iso_year = y;
  *week = (int)((thursday - gops_days_from_civil(y, 1, 1)) / 7) + 1;
}

/* Reads exactly n digits at *p; returns -1 if any is not a digit. */
static int read_digits(const char **p, const char *end, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (*p >= end || !isdigit((unsigned char)**p)) return -1;
    v = v * 10 + (**p - '0');
    (*p)++;
  }
  return v;
}

static int expect(const char **p, const char *end, char c) {
  if (*p < end && **p == c) {
    (*p)++;
    return 1;
  }
  return 0;
}

/* The fraction of a second after the '.', to the nanosecond: further
** digits are dropped, never rounded.  Returns -1 if there is no digit. */
static int read_nanoseconds(const char **p, const char *end, int32_t *nanos) {
  if (*p >= end || !isdigit((unsigned char)**p)) return -1;
  int32_t v = 0;
  for (int i = 0; i < 9; i++) {
    v *= 10;
    if (*p < end && isdigit((unsigned char)**p)) {
      v += **p - '0';
      (*p)++;
    }
  }
  while (*p < end && isdigit((unsigned char)**p)) (*p)++;
  *nanos = v;
  return 0;
}

/* whole + nanos / 1e9, truncated: the largest double not above it (up to
** the last bit of the fraction itself), so a fraction never carries into
** the next second, and 23:59:59.9999999 stays in its day however coarse
** the doubles are at that date. */
static double add_fraction(int64_t whole, int32_t nanos) {
  assert(nanos >= 0 && nanos < 1000000000);
  double w = (double)whole, f = nanos / 1e9;
  double sum = w + f;
  /* Fast two-sum (|w| >= |f| unless w is 0, when sum is exact): the part
  ** of f the addition lost; below 0 means it rounded up. */
  if (whole != 0 && f - (sum - w) < 0) sum = nextafter(sum, -INFINITY);
  return sum;
}

int gops_parse_iso8601(const char *text, size_t n, double *unix_seconds) {
  const char *p = text, *end = text + n;
  while (p < end && isspace((unsigned char)*p)) p++;
  while (end > p && isspace((unsigned char)end[-1])) end--;

  int year = read_digits(&p, end, 4);
  if (year < 0 || !expect(&p, end, '-')) return -1;
  int month = read_digits(&p, end, 2);
  if (month < 1 || month > 12 || !expect(&p, end, '-')) return -1;
  int day = read_digits(&p, end, 2);
  if (day < 1 || day > gops_days_in_month(year, month)) return -1;

  /* Whole seconds are counted exactly, the fraction added once at the end. */
  int64_t seconds = gops_days_from_civil(year, month, day) * 86400;
  int32_t nanos = 0;
  if (p < end) {
    if (*p != 'T' && *p != ' ') return -1;
    p++;
    int hh = read_digits(&p, end, 2);
    if (hh < 0 || hh > 23 || !expect(&p, end, ':')) return -1;
    int mm = read_digits(&p, end, 2);
    if (mm < 0 || mm > 59) return -1;
    int ss = 0;
    if (expect(&p, end, ':')) {
      ss = read_digits(&p, end, 2);
      if (ss < 0 || ss > 59) return -1;
      if (expect(&p, end, '.') && read_nanoseconds(&p, end, &nanos) != 0) return -1;
    }
    seconds += hh * 3600 + mm * 60 + ss;
    if (p < end && (*p == 'Z' || *p == 'z')) {
      p++;
    } else if (p < end && (*p == '+' || *p == '-')) {
      int sign = (*p == '-') ? -1 : 1;
      p++;
      int oh = read_digits(&p, end, 2);
      if (oh < 0 || oh > 14 || !expect(&p, end, ':')) return -1;
      int om = read_digits(&p, end, 2);
      if (om < 0 || om > 59) return -1;
      /* Local time minus its offset is UTC. */
      seconds -= sign * (oh * 3600 + om * 60);
    }
    if (p != end) return -1;
  }
  *unix_seconds = add_fraction(seconds, nanos);
  return 0;
}

int gops_day_from_unix(double unix_seconds, int64_t *days) {
  if (!isfinite(unix_seconds)) return -1;
  /* A product rather than a quotient (readers of events call this for
  ** most events).  1.0 / 86400.0 rounds up, so the product is never below
  ** the quotient and the day never too early; it may be a day late, put
  ** right here, as it is for a tiny negative time (its product is -0, the
  ** instant still before midnight).  d * 86400 is exact (|d| < 2^22). */
  double d = floor(unix_seconds * (1.0 / 86400.0));
  if (d * 86400.0 > unix_seconds) d -= 1.0;
  if (d < (double)GOPS_DAY_MIN || d > (double)GOPS_DAY_MAX) return -1;
  assert(d * 86400.0 <= unix_seconds && unix_seconds < (d + 1.0) * 86400.0);
  *days = (int64_t)d;
  return 0;
}

int64_t gops_period_first(int64_t days, gops_grain grain) {
  int y, m, d;
  switch (grain) {
    case GOPS_GRAIN_DAY:
      return days;
    case GOPS_GRAIN_WEEK:
      return days - gops_iso_weekday(days) + 1;
    case GOPS_GRAIN_MONTH:
      gops_civil_from_days(days, &y, &m, &d);
      return gops_days_from_civil(y, m, 1);
    case GOPS_GRAIN_QUARTER:
      gops_civil_from_days(days, &y, &m, &d);
      return gops_days_from_civil(y, ((m - 1) / 3) * 3 + 1, 1);
    case GOPS_GRAIN_YEAR:
    default:
      gops_civil_from_days(days, &y, &m, &d);
      return gops_days_from_civil(y, 1, 1);
  }
}

int64_t gops_period_next(int64_t days, gops_grain grain) {
  int y, m, d;
  switch (grain) {
    case GOPS_GRAIN_DAY:
      return days + 1;
    case GOPS_GRAIN_WEEK:
      return gops_period_first(days, grain) + 7;
    case GOPS_GRAIN_MONTH:
      gops_civil_from_days(days, &y, &m, &d);
      return m == 12 ? gops_days_from_civil(y + 1, 1, 1)
                     : gops_days_from_civil(y, m + 1, 1);
    case GOPS_GRAIN_QUARTER:
      gops_civil_from_days(days, &y, &m, &d);
      m = ((m - 1) / 3) * 3 + 4;
      return m > 12 ? gops_days_from_civil(y + 1, 1, 1)
                    : gops_days_from_civil(y, m, 1);
    case GOPS_GRAIN_YEAR:
    default:
      gops_civil_from_days(days, &y, &m, &d);
      return gops_days_from_civil(y + 1, 1, 1);
  }
}

int64_t gops_period_last(int64_t days, gops_grain grain) {
  return gops_period_next(days, grain) - 1;
}

/* Writes v as exactly n decimal digits (the keys are formatted by hand:
** snprintf was most of the cost of periods() over ten years of days). */
static char *put_digits(char *out, unsigned v, int n) {
  for (int i = n - 1; i >= 0; i--) {
    out[i] = (char)('0' + v % 10u);
    v /= 10u;
  }
  return out + n;
}

void gops_format_day(int64_t days, char *out) {
  int y, m, d;
  gops_civil_from_days(days, &y, &m, &d);
  out = put_digits(out, (unsigned)y % 10000u, 4);
  *out++ = '-';
  out = put_digits(out, (unsigned)m % 100u, 2);
  *out++ = '-';
  out = put_digits(out, (unsigned)d % 100u, 2);
  *out = 0;
}

void gops_period_key(int64_t days, gops_grain grain, char *out) {
  int y, m, d, week;
  switch (grain) {
    case GOPS_GRAIN_DAY:
      gops_format_day(days, out);
      return;
    case GOPS_GRAIN_WEEK:
      gops_iso_week(days, &y, &week);
      out = put_digits(out, (unsigned)y % 10000u, 4);
      *out++ = '-';
      *out++ = 'W';
      out = put_digits(out, (unsigned)week % 100u, 2);
      break;
    case GOPS_GRAIN_MONTH:
      gops_civil_from_days(days, &y, &m, &d);
      out = put_digits(out, (unsigned)y % 10000u, 4);
      *out++ = '-';
      out = put_digits(out, (unsigned)m % 100u, 2);
      break;
    case GOPS_GRAIN_QUARTER:
      gops_civil_from_days(days, &y, &m, &d);
      out = put_digits(out, (unsigned)y % 10000u, 4);
      *out++ = '-';
      *out++ = 'Q';
      out = put_digits(out, (unsigned)(m - 1) / 3u % 4u + 1u, 1);
      break;
    case GOPS_GRAIN_YEAR:
    default:
      gops_civil_from_days(days, &y, &m, &d);
      out = put_digits(out, (unsigned)y % 10000u, 4);
      break;
  }
  *out = 0;
}

int64_t gops_period_count(int64_t first, int64_t last, gops_grain grain) {
  int y1, m1, d1, y2, m2, d2;
  switch (grain) {
    case GOPS_GRAIN_DAY:
      return last - first + 1;
    case GOPS_GRAIN_WEEK:
      return (gops_period_first(last, grain) - gops_period_first(first, grain)) /
                 7 + 1;
    default:
      gops_civil_from_days(first, &y1, &m1, &d1);
      gops_civil_from_days(last, &y2, &m2, &d2);
      if (grain == GOPS_GRAIN_MONTH) return (y2 - y1) * 12 + (m2 - m1) + 1;
      if (grain == GOPS_GRAIN_QUARTER)
        return (y2 - y1) * 4 + ((m2 - 1) / 3 - (m1 - 1) / 3) + 1;
      return y2 - y1 + 1;
  }
}

int gops_period_walk(int64_t *cursor, int64_t last, gops_grain grain,
                     gops_period *period) {
  if (*cursor > last) return 0;
  int64_t first = *cursor;
  int64_t next = gops_period_next(first, grain);
  period->first_day = first;
  period->last_day = next - 1 < last ? next - 1 : last;
  period->days = period->last_day - period->first_day + 1;
  assert(period->days >= 1 && period->days <= 366);
  gops_period_key(first, grain, period->key);
  *cursor = next;
  return 1;
}

int64_t gops_period_ordinal(int64_t days, gops_grain grain) {
  int y, m, d;
  switch (grain) {
    case GOPS_GRAIN_DAY:
      return days;
    case GOPS_GRAIN_WEEK:
      /* 1970-01-01 was a Thursday: days + 3 counts from a Monday. */
      return floor_div(days + 3, 7);
    default:
      gops_civil_from_days(days, &y, &m, &d);
      if (grain == GOPS_GRAIN_MONTH) return (int64_t)y * 12 + (m - 1);
      if (grain == GOPS_GRAIN_QUARTER) return (int64_t)y * 4 + (m - 1) / 3;
      return y;
  }
}

int64_t gops_period_ordinal_first(int64_t ordinal, gops_grain grain) {
  switch (grain) {
    case GOPS_GRAIN_DAY:
      return ordinal;
    case GOPS_GRAIN_WEEK:
      return ordinal * 7 - 3;
    case GOPS_GRAIN_MONTH:
      return gops_days_from_civil((int)floor_div(ordinal, 12),
                                  (int)(ordinal - floor_div(ordinal, 12) * 12) + 1, 1);
    case GOPS_GRAIN_QUARTER:
      return gops_days_from_civil((int)floor_div(ordinal, 4),
                                  (int)(ordinal - floor_div(ordinal, 4) * 4) * 3 + 1, 1);
    case GOPS_GRAIN_YEAR:
    default:
      return gops_days_from_civil((int)ordinal, 1, 1);
  }
}

int gops_period_span_of(double unix_seconds, gops_grain grain, gops_period_span *span) {
  int64_t day;
  if (gops_day_from_unix(unix_seconds, &day) != 0) return -1;
  const int64_t ordinal = gops_period_ordinal(day, grain);
  int64_t first = gops_period_ordinal_first(ordinal, grain);
  int64_t next = gops_period_ordinal_first(ordinal + 1, grain);
  assert(first <= day && day < next);
  /* A week may begin before 0000-01-01 or end after 9999-12-31: clipped,
  ** a span holds only the times gops_day_from_unix() accepts. */
  if (first < GOPS_DAY_MIN) first = GOPS_DAY_MIN;
  if (next > GOPS_DAY_MAX + 1) next = GOPS_DAY_MAX + 1;
  span->ordinal = ordinal;
  span->lo = (double)first * 86400.0;
  span->hi = (double)next * 86400.0;
  return 0;
}

int gops_period_parse_key(const char *text, size_t n, gops_grain grain,
                          int64_t *first_day) {
  const char *p = text, *end = text + n;
  int year = read_digits(&p, end, 4), month = 1, day = 1;
  if (year < 0) return -1;
  int64_t first;
  switch (grain) {
    case GOPS_GRAIN_DAY:
    case GOPS_GRAIN_MONTH:
      if (!expect(&p, end, '-')) return -1;
      month = read_digits(&p, end, 2);
      if (month < 1 || month > 12) return -1;
      if (grain == GOPS_GRAIN_DAY) {
        if (!expect(&p, end, '-')) return -1;
        day = read_digits(&p, end, 2);
        if (day < 1 || day > gops_days_in_month(year, month)) return -1;
      }
      first = gops_days_from_civil(year, month, day);
      break;
    case GOPS_GRAIN_WEEK: {
      if (!expect(&p, end, '-') || !expect(&p, end, 'W')) return -1;
      int week = read_digits(&p, end, 2);
      /* Week 1 holds 4 January; the year has a week 53 when 28 December,
      ** always in its last week, falls in one. */
      int64_t jan4 = gops_days_from_civil(year, 1, 4);
      int iso_year, last_week;
      gops_iso_week(gops_days_from_civil(year, 12, 28), &iso_year, &last_week);
      if (week < 1 || week > last_week) return -1;
      first = gops_period_first(jan4, GOPS_GRAIN_WEEK) + (int64_t)(week - 1) * 7;
      break;
    }
    case GOPS_GRAIN_QUARTER: {
      if (!expect(&p, end, '-') || !expect(&p, end, 'Q')) return -1;
      int quarter = read_digits(&p, end, 1);
      if (quarter < 1 || quarter > 4) return -1;
      first = gops_days_from_civil(year, (quarter - 1) * 3 + 1, 1);
      break;
    }
    case GOPS_GRAIN_YEAR:
    default:
      first = gops_days_from_civil(year, 1, 1);
      break;
  }
  if (p != end) return -1;
  /* Week 1 of 0000 begins on 0000-01-03: every key names a writable day. */
  assert(first >= GOPS_DAY_MIN && first <= GOPS_DAY_MAX);
  *first_day = first;
  return 0;
}
