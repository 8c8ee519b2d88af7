/*
** lifecycle_core.h: lifecycle stages and retention cohorts in plain C (no
** SQLite).
**
** Both take, one user at a time, the periods in which the user was active
** as indexes 0 .. n_periods-1 of a run of consecutive calendar periods
** (period ordinals minus the first one, see gops_period_ordinal()), sorted
** and without repeats, and add the user to caller-owned counters.  Nothing
** here allocates memory.
**
** Lifecycle (PostHog's definitions), for each period p:
**   new           first active period of the user is p
**   returning     active in p and in p - 1
**   resurrecting  active in p, not in p - 1, and active before p - 1
**   dormant       active in p - 1, not in p (a positive count)
**
** Cohorts (PostHog's retention table): a user belongs to the cohort of the
** period of the first start event ("first time") or to the cohort of every
** period with a start event ("recurring").  For cohort c and k >= 1,
** users(c, k) counts the cohort's users with a return event in period
** c + k, and on_or_after(c, k) those with one in c + k or later; for k = 0
** both are the cohort's size (every user is in period 0 of the cohort).
**
** Stickiness, from each user's active days (day indexes of a run of days):
**   dau       users active that day
**   wau, mau  users active that day or the window - 1 days before (WAU: 7
**             days; MAU: 28 by default, the caller's choice): each active
**             day covers the days from it to the window's end or to the
**             user's next active day, whichever comes first, so a running
**             sum of where coverings begin and end gives every day at once
** and PostHog's stickiness, per week or month: how many users were active
** on exactly 1, 2, ... of its days.
*/
#ifndef GROWTHOPS_LIFECYCLE_CORE_H
#define GROWTHOPS_LIFECYCLE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar_core.h"

/* The counts of one period of a lifecycle. */
typedef struct gops_lifecycle_row {
  int64_t new_users;
  int64_t returning;
  int64_t resurrecting;
  int64_t dormant;
} gops_lifecycle_row;

/* Adds a user active in periods[0..n-1] to rows[0..n_periods-1] (zeroed
** by the caller before the first user).  Dormant is counted only in the
** periods of the run: a user last active in the final period is not
** dormant anywhere.  Returns 0, or -1 (and adds nothing) when periods is
** not strictly increasing within 0 .. n_periods-1. */
int gops_lifecycle_add(gops_lifecycle_row *rows, int64_t n_periods,
                       const int64_t *periods, size_t n);

typedef enum gops_retention {
  GOPS_RETENTION_FIRST_TIME, /* the cohort of the first start event */
  GOPS_RETENTION_RECURRING   /* a cohort for every period with a start event */
} gops_retention;

/* Retention type from its name ('first_time' or 'recurring'),
** case-insensitive.  Returns 0, or -1 for an unknown name. */
int gops_retention_parse(const char *name, gops_retention *type);

/*
** A cohort table over n_periods periods: cohort c (0 .. n_periods-1) has
** n_periods - c cells k = 0 .. n_periods-1-c, stored in one triangle of
** gops_cohort_cells(n_periods) cells; cell (c, k) is at
** gops_cohort_cell(n_periods, c, k).  The caller allocates and zeroes
** size[n_periods], users[cells] and on_or_after[cells].
*/
typedef struct gops_cohort_table {
  int64_t n_periods;
  gops_retention type;
  int64_t *size;
  int64_t *users;
  int64_t *on_or_after; /* complete after gops_cohort_finish() */
} gops_cohort_table;

/* n_periods * (n_periods + 1) / 2; n_periods must be at most 3,000,000,000. */
uint64_t gops_cohort_cells(int64_t n_periods);
uint64_t gops_cohort_cell(int64_t n_periods, int64_t cohort, int64_t k);

/* Adds a user with start events in the periods starts[0..n_starts-1] and
** return events in returns[0..n_returns-1].  A user with no start event
** is in no cohort; return events before a cohort's period do not count
** for it.  Returns 0, or -1 (adding nothing) when either list is not
** strictly increasing within 0 .. n_periods-1. */
int gops_cohort_add(gops_cohort_table *t, const int64_t *starts,
                    size_t n_starts, const int64_t *returns, size_t n_returns);

/* Turns the counts of last return periods kept in on_or_after into
** "in period k or later" counts; call once, after the last user. */
void gops_cohort_finish(gops_cohort_table *t);

/* One day of a stickiness run: after gops_stickiness_finish(), the
** counts; before, wau and mau hold where coverings begin and end. */
typedef struct gops_stickiness_day {
  int64_t dau, wau, mau;
} gops_stickiness_day;

/* Adds a user active on days[0..n-1] to days_out[0..n_days] (n_days + 1
** entries, zeroed by the caller: the last takes coverings that end past
** the run).  Returns 0, or -1 (adding nothing) when days is not strictly
** increasing within 0 .. n_days-1 or mau_days is below 1. */
int gops_stickiness_add(gops_stickiness_day *days_out, int64_t n_days, const int64_t *days,
                        size_t n, int64_t mau_days);
/* The running sums: call once, after the last user. */
void gops_stickiness_finish(gops_stickiness_day *days_out, int64_t n_days);

/* The most days of a week or month. */
#define GOPS_ACTIVE_DAYS_MAX 31

/* Adds a user active on the days (day numbers of calendar_core.h, in
** order, each once) days[0..n-1] to counts[(p - first) * (GOPS_ACTIVE_DAYS_MAX
** + 1) + k]: users active on exactly k days of period p (period ordinals
** of grain, week or month; p from first to first + n_periods - 1).
** Returns 0, or -1 (adding nothing) for days out of order or out of the
** periods. */
int gops_active_days_add(int64_t *counts, int64_t first, int64_t n_periods, gops_grain grain,
                         const int64_t *days, size_t n);

#endif
