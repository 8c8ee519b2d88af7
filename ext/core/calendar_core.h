/*
** calendar_core.h: the planning calendar in plain C (no SQLite).
**
** Days are counted as whole days since 1970-01-01 (day 0), in the
** proleptic Gregorian calendar, years 0000 to 9999 as SQLite's own date
** functions accept them.  A "period" is one day, ISO week (Monday first),
** month, quarter or year.  Every planning table of growthops (periods,
** growth_path, kpi_split, staffing_plan, lifecycle, cohorts) walks the
** calendar through these routines.
*/
#ifndef GROWTHOPS_CALENDAR_CORE_H
#define GROWTHOPS_CALENDAR_CORE_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

typedef enum gops_grain {
  GOPS_GRAIN_DAY,
  GOPS_GRAIN_WEEK,
  GOPS_GRAIN_MONTH,
  GOPS_GRAIN_QUARTER,
  GOPS_GRAIN_YEAR
} gops_grain;

/* The text every error message lists as the known grains. */
#define GOPS_GRAIN_NAMES "'day', 'week', 'month', 'quarter' or 'year'"

/* The first and last day a date may name: 0000-01-01 and 9999-12-31. */
#define GOPS_DAY_MIN (-719528)
#define GOPS_DAY_MAX 2932896

/* Longest period key plus its terminator: "2025-03-01". */
#define GOPS_KEY_SIZE 12
/* "YYYY-MM-DD" plus its terminator. */
#define GOPS_DATE_SIZE 11

/* Grain from its name ('day', 'week', ...), case-insensitive.
** Returns 0 on success, -1 for an unknown name. */
int gops_grain_parse(const char *name, gops_grain *grain);
const char *gops_grain_name(gops_grain grain);

int64_t gops_days_from_civil(int year, int month, int day);
void gops_civil_from_days(int64_t days, int *year, int *month, int *day);
int gops_days_in_month(int year, int month);
int gops_is_leap_year(int year);
/* 1 = Monday ... 7 = Sunday. */
int gops_iso_weekday(int64_t days);
/* ISO-8601 week-numbering year and week (1..53) of a day. */
void gops_iso_week(int64_t days, int *iso_year, int *week);

/* Parses ISO-8601 text: 'YYYY-MM-DD', optionally followed by 'T' or a
** space and 'HH:MM', 'HH:MM:SS' or 'HH:MM:SS.fff', optionally followed by
** 'Z' or an offset '+HH:MM' / '-HH:MM' (converted to UTC).  Surrounding
** spaces are allowed.  On success stores the UTC instant as unix seconds
** and returns 0; returns -1 for anything else, including impossible dates
** such as '2025-02-30'.  The fraction of a second is truncated, never
** rounded: digits after the ninth are dropped, and the instant is the
** largest double not after the time written, so '23:59:59.9999999' is
** still in its day (and '9999-12-31T23:59:59.99999' a valid time). */
int gops_parse_iso8601(const char *text, size_t n, double *unix_seconds);

/* The UTC day of an instant in unix seconds, floor(unix_seconds / 86400)
** exactly (a time before midnight, however close, is the day before); -1
** if it is not finite or falls outside the years 0000 to 9999, else 0. */
int gops_day_from_unix(double unix_seconds, int64_t *days);

/* First and last day of the period of the given grain containing day. */
int64_t gops_period_first(int64_t days, gops_grain grain);
int64_t gops_period_last(int64_t days, gops_grain grain);
/* First day of the period after the one containing day. */
int64_t gops_period_next(int64_t days, gops_grain grain);

/* 'YYYY-MM-DD' into out (GOPS_DATE_SIZE bytes). */
void gops_format_day(int64_t days, char *out);
/* The period key into out (GOPS_KEY_SIZE bytes): '2025-03-01',
** '2025-W09', '2025-03', '2025-Q1' or '2025'. */
void gops_period_key(int64_t days, gops_grain grain, char *out);

/* How many periods of the grain touch the days first..last (first <= last). */
int64_t gops_period_count(int64_t first, int64_t last, gops_grain grain);

/* The ordinal of the period holding a day: consecutive periods of a grain
** have consecutive ordinals (days since 1970-01-01; ISO weeks since the
** week of Monday 1970-01-05, which is 1; months and quarters since year 0;
** years), so the difference of two ordinals counts the periods between
** them.  gops_period_ordinal_first() gives the first day of an ordinal's
** period back.  The lifecycle and cohort tables index periods this way. */
int64_t gops_period_ordinal(int64_t days, gops_grain grain);
int64_t gops_period_ordinal_first(int64_t ordinal, gops_grain grain);

/* The period of a grain holding an instant in unix seconds, as its ordinal
** and the half-open range [lo, hi) of unix seconds it covers, clipped to
** the years 0000 to 9999: a time t lies in it exactly when lo <= t < hi
** (lo and hi are whole days times 86400, exact as doubles), so a reader of
** many times in a row keeps the last span and computes a new one only for
** a time outside it.  A zeroed span holds no time. */
typedef struct gops_period_span {
  int64_t ordinal; /* gops_period_ordinal() of the instant's day */
  double lo, hi;
} gops_period_span;
/* The span of the period holding unix_seconds into *span; -1 (and *span
** untouched) if the time is not finite or falls outside the years 0000 to
** 9999, as gops_day_from_unix() says, else 0. */
int gops_period_span_of(double unix_seconds, gops_grain grain, gops_period_span *span);
static inline int gops_period_span_holds(const gops_period_span *span, double unix_seconds) {
  return span->lo <= unix_seconds && unix_seconds < span->hi;
}
/* *span made the span of the period holding unix_seconds, kept when it
** holds it already: 1 when it was looked up, 0 when kept.  For a reader of
** times in order; the time must lie within the calendar (as the tables'
** source readers check). */
static inline int gops_period_span_follow(gops_period_span *span, double unix_seconds,
                                          gops_grain grain) {
  if (gops_period_span_holds(span, unix_seconds)) return 0;
  int bad = gops_period_span_of(unix_seconds, grain, span);
  assert(bad == 0);
  (void)bad;
  return 1;
}

/* One period of a range, clipped to it. */
typedef struct gops_period {
  char key[GOPS_KEY_SIZE];
  int64_t first_day;   /* clipped to the range */
  int64_t last_day;    /* clipped to the range */
  int64_t days;        /* last_day - first_day + 1 */
} gops_period;

/* Walks the periods touching first..last in order:
**   gops_period p; int64_t cursor = first;
**   while (gops_period_walk(&cursor, last, grain, &p)) { ... }
** Returns 1 while it filled p, 0 when the range is done. */
int gops_period_walk(int64_t *cursor, int64_t last, gops_grain grain,
                     gops_period *period);

/* Reads a period key of the grain, exactly as gops_period_key() writes it
** ('2025-03-01', '2025-W09', '2025-03', '2025-Q1', '2025'; no spaces), and
** stores the period's first day.  Returns -1 for anything else, also for a
** key of a period that does not exist ('2025-02-30', '2025-W53': 2025 has
** 52 ISO weeks). */
int gops_period_parse_key(const char *text, size_t n, gops_grain grain,
                          int64_t *first_day);

#endif
