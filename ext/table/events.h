/*
** events.h: reading a source's events, the one step every table over
** events (funnel, lifecycle, cohorts) takes to read its source.
**
** A table says what it wants (gops_events_want): which of its source's
** names are the user, the time and the event column; event names whose
** rows get a flag bit each, and conditions (SQL over the source's rows)
** that get the next bits; whether to keep only the rows with a flag;
** a time range; whether each user's events must come together, in time
** order.  gops_source_events() reads them and hands them over a run of
** one user's events at a time.  Every run's times are valid instants:
** a row whose user or time is NULL is skipped, a time that is neither
** ISO-8601 text nor unix seconds is an error naming it.
**
** Two ways to the same events:
**   - the packed way: when the source is an event log (log.h) and the
**     names are its user, time and event columns, the events come from
**     its packed blocks and pending records, never from rows.  Event names
**     are matched once per name of the log's dictionary, and so are the
**     conditions that name no column but the event column (evaluated with
**     that column set to the name: they must not depend on anything else
**     of a row, random() included).  Each user comes once, with all of its
**     events in time order.
**   - the rows way, for any other source, and for a log when a condition
**     names another column: one query of the source (only the rows of the
**     event names when that is all that is wanted; the time range pushed
**     down loosely and applied exactly here), each run the rows of one user
**     that come one after another (in order: ORDER BY user, time, which is
**     time order unless a source mixes numbers and text).
*/
#ifndef GROWTHOPS_EVENTS_H
#define GROWTHOPS_EVENTS_H

#include "source.h"

typedef struct gops_events_want {
  /* Indexes in the scan's source names: the user, the time, and the event
  ** column (0: none: no names asked for, and no event column read). */
  int user, time, event;
  /* Flag bit k (k < n_names): the event is names[k], compared as text. */
  const char *const *names;
  int n_names;
  /* Flag bit n_names + i: (conditions[i]) IS TRUE over the row. */
  const char *const *conditions;
  int n_conditions;
  int flagged_only; /* only events with some flag */
  int in_order;     /* each user's events together, by time */
  double since, until; /* only times in [since, until): -INFINITY, INFINITY for all */
} gops_events_want;

/* A run of one user's events. */
typedef struct gops_events_run {
  const gops_user *user;
  int same_user; /* the same user as the run before */
  size_t n;
  const double *ts;      /* unix seconds */
  const uint64_t *flags; /* the bits the want asked for */
  /* 1 when these are all of the user's events (of the want), in time
  ** order: the packed way. */
  int whole;
} gops_events_run;

/* Takes a run; SQLITE_OK to go on, or an error code with *pzErr set. */
typedef int (*gops_events_fn)(void *ctx, const gops_events_run *run, char **pzErr);

/* Reads the scan's source as want says, handing each run to fn.  SQLITE_OK,
** or an error code with *pzErr set ("funnel: no such column: ts", fn's
** own). */
int gops_source_events(const gops_scan *scan, const gops_events_want *want, gops_events_fn fn,
                       void *ctx, char **pzErr);

/* "module: a time in "table" must be ISO-8601 text or unix seconds, got
** VALUE", the message every reader of events gives (SQLITE_ERROR or
** SQLITE_NOMEM). */
int gops_events_bad_time(const char *module, const char *table, sqlite3_value *v, char **pzErr);

#endif
