/*
** funnel.c: funnels and retention in SQL, with ClickHouse's semantics.
**
**   .load ./growthops
**   SELECT user_id, window_funnel(86400, ts, event = 'visit',
**          event = 'register', event = 'order') FROM events GROUP BY user_id;
**   SELECT user_id, window_funnel_steps(86400, ts, event,
**          '["visit","register","order"]') FROM events GROUP BY user_id;
**   SELECT window_funnel_times(86400, ts, event = 'visit', event = 'order')
**     FROM events WHERE user_id = 7;              -- '[1740787200,1740790800]'
**   SELECT retention(day = '2025-03-01', day = '2025-03-02') FROM ...;
**   SELECT * FROM funnel_stages('[["visitors",1000],["orders",80]]');
**   CREATE VIRTUAL TABLE f USING funnel(events, user_id, ts, event,
**          '["visit","register","order"]', 86400);
**
** Registers:
**   window_funnel(window, [mode,] ts, cond1, ..., condN)     aggregate
**       the deepest step reached, 0..N (N from 1 to 64)
**   window_funnel_times(window, [mode,] ts, cond1, ..., condN) aggregate
**       the deepest chain's step times, a JSON array ('[]' for none)
**   window_funnel_steps(window, [mode,] ts, event, steps)       aggregate
**       window_funnel with step i met by the rows whose event is the
**       i-th name of steps, a JSON array of names read from data
**   retention(cond1, ..., condN)                              aggregate
**       JSON array of 0/1: cond1, then cond1 AND cond_i, for i = 2..N
**   funnel_stages(stages)   table: step, name, users, step_rate,
**                           overall_rate, drop_off
**   funnel                  module: CREATE VIRTUAL TABLE x USING
**                           funnel(source, user, time, step, steps, window
**                           [, exclude=...] [, breakdown=column]
**                           [, attribution=first_touch|step] [, top=N]
**                           [, trend=day|week|month] [, buckets=...])
**
** Requirement 1: window_funnel and retention give ClickHouse's windowFunnel
** and retention on the same rows (funnel_core.h says how).
** Requirement 2: ts is a number (any unit, the window in the same unit) or
** ISO-8601 text (read as unix seconds, the window in seconds).  A NULL ts
** skips its row; any other ts is an error naming the value.
** Requirement 3: mode is text naming one or more modes, comma-separated;
** it is there when the 2nd argument is text that is not an ISO-8601 time
** (or a blob, which is an error).  Unknown modes (and 'strict', which
** ClickHouse refuses too) are errors that list the known ones.
** Requirement 4: the window is a positive number; NULL gives NULL.
** Requirement 5: a condition is true when it is a non-zero number (SQL's
** truth); NULL is false.
** Requirement 6: memory per group is bounded by the steps while rows come
** in time order (funnel_core.h); out of order, rows are buffered up to a
** bound that an error names.
** Requirement 7: funnel_stages counts never rise from one step to the
** next; an error names the step that does.
** Requirement 8: the funnel virtual table reads its source through
** identifiers checked at CREATE and gops_source_events() (source.h); it
** reads the database, so it is not declared innocuous.
** Requirement 9: window_funnel_steps takes its steps as data (a JSON
** array of 1 to 64 event names, e.g. built from a table of a campaign's
** funnel steps), read on the group's first row like window and mode; a row
** meets step i when its event equals the i-th name (a NULL event meets
** none); otherwise it is window_funnel, with the same funnel core.  NULL
** steps give NULL; anything but an array of names is an error naming the
** step at fault.
** Requirement 10: exclusions, PostHog's: the mode 'exclude F-T' (several,
** comma-separated, and no other mode) makes the last condition (name) an
** exclusion between steps F and T: a row meeting it strictly between
** those steps of a chain removes the chain (funnel_core.h: chains).  Steps
** out of range, or no condition left for a step, are errors naming the
** exclusion.
** The funnel table counts chains (funnel_core.h): a user's deepest chain
** is window_funnel's level; of several, the one that starts last gives the
** user's times and values.
** Requirement 11: exclude is a JSON array of [event, from_step, to_step]
** triples, the steps of the funnel, the earlier first: Requirement 10's
** rule, with the events compared as the steps are.
** Requirement 12: breakdown names a column of the source (checked at
** CREATE, read as CAST AS TEXT; NULL is '(none)'); a user counts under
** the value of the first step-1 row (first_touch: the earliest, then the
** smallest value, NULL first) or of the row that made each step (step);
** the top values by users at step 1 (then the smaller value) keep their
** rows, the others are 'other'; counts may rise from step to step with
** step, so the rates are not funnel_stages' (gops_funnel_rates).
** Requirement 13: trend gives a funnel per period of the chains' first
** step, every period from the first to the last with an entrant (by value:
** those with users there), at most GOPS_PERIODS_MAX of them.
** Requirement 14: median_seconds and time_to_convert, from the same
** chains: per step, the median of the times from the step before, and the
** users by bucket of buckets (1 to FUNNEL_MAX_EDGES increasing edges in
** seconds; minutes, hours, days by default), a JSON array.
*/
#include "source.h"

#include "funnel_core.h"
#include "keys_core.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Requirement 5. */
static int truthy(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return sqlite3_value_int64(v) != 0;
    case SQLITE_NULL:
      return 0;
    default:
      return sqlite3_value_double(v) != 0.0;
  }
}

/* ---- window_funnel and window_funnel_times ---- */

enum { AGG_FRESH = 0, AGG_READY, AGG_NULL, AGG_FAILED };

typedef struct funnel_agg {
  int status;
  int has_mode;
  int all_text; /* every ts so far was text: times come back as text */
  int any_ts;
  int n_conditions; /* the steps', then the exclusions' */
  /* window_funnel_steps: the step names; a row's event meets step i when
  ** it is names[i] (NULL for the aggregates of conditions). */
  gops_json_name *names;
  int n_names;
  gops_funnel f; /* last: its size depends on the steps */
} funnel_agg;

/* Frees what a group holds: the funnel's buffers and the step names. */
static void funnel_agg_release(funnel_agg *agg) {
  gops_funnel_release(&agg->f);
  gops_json_names_free(agg->names, agg->n_names, &gops_sqlite_alloc);
  agg->names = 0;
  agg->n_names = 0;
}

/* Requirement 3: the 2nd argument is a mode when it is a blob (an error
** then) or text that is neither an ISO-8601 time nor begins as one (with a
** digit, a sign or a point): text such as '1740787200' is a ts, and an
** error says so. */
static int is_mode(sqlite3_value *v) {
  double unused;
  switch (sqlite3_value_type(v)) {
    case SQLITE_BLOB:
      return 1;
    case SQLITE_TEXT: {
      if (gops_value_unix(v, &unused) == 0) return 0;
      const char *t = (const char *)sqlite3_value_text(v);
      if (t == 0) return 1; /* out of memory: the mode's reader says so */
      t = gops_skip_space(t, t + sqlite3_value_bytes(v));
      return !((*t >= '0' && *t <= '9') || *t == '+' || *t == '-' || *t == '.');
    }
    default:
      return 0;
  }
}

/* Requirement 10: the exclusions of a mode against the conditions: at
** least one step before them, and each between two of the steps. */
static int check_exclusions(sqlite3_value *mode, const char *fn, int n_conditions,
                            const gops_funnel_exclusion *excl, int n_excl, char **pzErr) {
  const int n_steps = n_conditions - n_excl;
  if (n_steps < 1) {
    char *shown = gops_value_for_message(mode);
    if (shown == 0) return SQLITE_NOMEM;
    int rc = gops_errorf(pzErr, "%s(): 2nd argument (mode) has %d exclusion%s: the steps come "
                         "first, then one condition for each exclusion, got %d condition%s, "
                         "for %s", fn, n_excl, n_excl == 1 ? "" : "s", n_conditions,
                         n_conditions == 1 ? "" : "s", shown);
    sqlite3_free(shown);
    return rc;
  }
  for (int j = 0; j < n_excl; j++) {
    if (excl[j].from >= 1 && excl[j].from < excl[j].to && excl[j].to <= n_steps) continue;
    return gops_errorf(pzErr, "%s(): 2nd argument (mode): 'exclude %d-%d' must name two of the "
                       "%d step%s, the earlier first", fn, excl[j].from, excl[j].to, n_steps,
                       n_steps == 1 ? "" : "s");
  }
  return SQLITE_OK;
}

/* Allocates the group's state for n_conditions, reads window and mode
** (when has_mode) and sets the funnel up: its steps are the conditions
** but for the exclusions' at the end.  Returns SQLITE_OK (status READY or
** NULL, *out set) or an error code with *pzErr. */
static int funnel_agg_setup(sqlite3_context *ctx, funnel_agg **out, sqlite3_value **argv,
                            const char *fn, int has_mode, int n_conditions, int with_times,
                            char **pzErr) {
  size_t size = offsetof(funnel_agg, f) + gops_funnel_size(n_conditions, with_times);
  funnel_agg *agg = sqlite3_aggregate_context(ctx, (int)size);
  if (agg == 0) return SQLITE_NOMEM;
  *out = agg;
  agg->has_mode = has_mode;
  agg->all_text = 1;

  /* Requirement 4. */
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    agg->status = AGG_NULL;
    return SQLITE_OK;
  }
  double window;
  int rc = gops_arg_number_within(argv[0], fn, 0, "window", 0, 1, INFINITY,
                                  "a positive number", &window, pzErr);
  if (rc != SQLITE_OK) return rc;
  unsigned modes = 0;
  gops_funnel_exclusion excl[GOPS_FUNNEL_MAX_STEPS];
  int n_excl = 0;
  if (has_mode) {
    if (sqlite3_value_type(argv[1]) != SQLITE_TEXT) {
      return gops_arg_error(argv[1], fn, 1, "mode", "text", pzErr);
    }
    const char *text = gops_value_word(argv[1]);
    int parsed = text ? gops_funnel_parse_modes(text, &modes, excl, &n_excl) : -1;
    if (parsed == -3) {
      return gops_arg_error(argv[1], fn, 1, "mode",
                            "exclusions alone: they are for the default mode", pzErr);
    }
    if (parsed == -2) {
      char *shown = gops_value_for_message(argv[1]);
      if (shown == 0) return SQLITE_NOMEM;
      rc = gops_errorf(pzErr,
                       "%s(): 2nd argument (mode) may have 'allow_reentry' only with "
                       "'strict_order', got %s",
                       fn, shown);
      sqlite3_free(shown);
      return rc;
    }
    if (parsed != 0) {
      return gops_arg_error(argv[1], fn, 1, "mode",
                            "one or more of " GOPS_FUNNEL_MODE_NAMES ", comma-separated",
                            pzErr);
    }
    rc = check_exclusions(argv[1], fn, n_conditions, excl, n_excl, pzErr);
    if (rc != SQLITE_OK) return rc;
  }
  gops_funnel_setup(&agg->f, n_conditions - n_excl, modes, window, with_times,
                    &gops_sqlite_alloc);
  gops_funnel_exclude(&agg->f, excl, n_excl);
  agg->n_conditions = n_conditions;
  agg->status = AGG_READY;
  return SQLITE_OK;
}

/* window_funnel(window, [mode,] ts, cond1, ..., condN) on a group's first
** row. */
static int funnel_agg_start(sqlite3_context *ctx, funnel_agg **out, int argc,
                            sqlite3_value **argv, const char *fn, int with_times,
                            char **pzErr) {
  int has_mode = argc >= 4 && is_mode(argv[1]);
  int n_steps = argc - 2 - has_mode;
  if (argc < 3) {
    return gops_errorf(pzErr, "%s(): needs a window, a ts and at least one condition", fn);
  }
  if (n_steps > GOPS_FUNNEL_MAX_STEPS) {
    return gops_errorf(pzErr, "%s(): takes 1 to %d conditions, got %d", fn,
                       GOPS_FUNNEL_MAX_STEPS, n_steps);
  }
  return funnel_agg_setup(ctx, out, argv, fn, has_mode, n_steps, with_times, pzErr);
}

/* window_funnel_steps(window, [mode,] ts, event, steps) on a group's first
** row: Requirement 9, the steps are a JSON array of step names. */
static int steps_agg_start(sqlite3_context *ctx, funnel_agg **out, int argc,
                           sqlite3_value **argv, const char *fn, char **pzErr) {
  const int has_mode = argc == 5;
  sqlite3_value *steps = argv[argc - 1];
  gops_json_name *names = 0;
  int n = 0;
  if (sqlite3_value_type(steps) != SQLITE_NULL) {
    gops_json_rc parsed = GOPS_JSON_NOT_ARRAY;
    gops_json_fault fault = {0, 0};
    if (sqlite3_value_type(steps) == SQLITE_TEXT) {
      const char *text = (const char *)sqlite3_value_text(steps);
      if (text == 0) return SQLITE_NOMEM;
      parsed = gops_json_names(text, (size_t)sqlite3_value_bytes(steps), 0, GOPS_FUNNEL_MAX_STEPS,
                               &gops_sqlite_alloc, &names, &n, &fault);
      if (parsed == GOPS_JSON_NOMEM) return SQLITE_NOMEM;
    }
    if (parsed != GOPS_JSON_OK || n == 0) {
      gops_json_names_free(names, n, &gops_sqlite_alloc);
      if (parsed == GOPS_JSON_TOO_MANY) {
        return gops_errorf(pzErr, "%s(): %s argument (steps) has more than %d steps", fn,
                           gops_ordinal(argc - 1), GOPS_FUNNEL_MAX_STEPS);
      }
      if (parsed == GOPS_JSON_BAD_ELEMENT) {
        return gops_errorf(pzErr, "%s(): %s argument (steps): step %lld must be a step name, "
                           "a JSON string", fn, gops_ordinal(argc - 1), (long long)fault.index + 1);
      }
      char *shown = gops_value_for_message(steps);
      if (shown == 0) return SQLITE_NOMEM;
      int rc = gops_errorf(pzErr, "%s(): %s argument (steps) must be a JSON array of 1 to %d "
                           "step names, e.g. '[\"install\",\"register\",\"use\"]', got %s",
                           fn, gops_ordinal(argc - 1), GOPS_FUNNEL_MAX_STEPS, shown);
      sqlite3_free(shown);
      return rc;
    }
  }
  int rc = funnel_agg_setup(ctx, out, argv, fn, has_mode, n ? n : 1, 0, pzErr);
  if (rc != SQLITE_OK) {
    gops_json_names_free(names, n, &gops_sqlite_alloc);
    return rc;
  }
  (*out)->names = names;
  (*out)->n_names = n;
  if (n == 0) (*out)->status = AGG_NULL; /* Requirement 4: NULL steps */
  return SQLITE_OK;
}

/* The steps a row's event meets: bit i when it is step i's name. */
static int steps_mask(const funnel_agg *agg, sqlite3_value *event, uint64_t *mask) {
  *mask = 0;
  if (sqlite3_value_type(event) == SQLITE_NULL) return SQLITE_OK;
  const char *text = (const char *)sqlite3_value_text(event);
  if (text == 0) return SQLITE_NOMEM;
  size_t n = (size_t)sqlite3_value_bytes(event);
  for (int i = 0; i < agg->n_names; i++) {
    const char *name = agg->names[i].name;
    if (strlen(name) == n && memcmp(name, text, n) == 0) *mask |= 1ULL << i;
  }
  return SQLITE_OK;
}

/* One row of window_funnel(_times) (by_name 0) or window_funnel_steps
** (by_name 1). */
static void funnel_step(sqlite3_context *ctx, int argc, sqlite3_value **argv,
                        const char *fn, int with_times, int by_name) {
  funnel_agg *agg = sqlite3_aggregate_context(ctx, 0);
  char *err = 0;
  if (agg == 0 || agg->status == AGG_FRESH) {
    int rc = by_name ? steps_agg_start(ctx, &agg, argc, argv, fn, &err)
                     : funnel_agg_start(ctx, &agg, argc, argv, fn, with_times, &err);
    if (rc != SQLITE_OK) {
      if (agg) agg->status = AGG_FAILED;
      if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
      else gops_result_error_take(ctx, err);
      return;
    }
  }
  if (agg->status != AGG_READY) return;

  /* Requirement 2. */
  int ts_at = 1 + agg->has_mode;
  sqlite3_value *v = argv[ts_at];
  double ts;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      ts = (double)sqlite3_value_int64(v);
      agg->all_text = 0;
      break;
    case SQLITE_FLOAT:
      ts = sqlite3_value_double(v);
      agg->all_text = 0;
      if (isfinite(ts)) break;
      goto bad_ts;
    case SQLITE_NULL:
      return;
    case SQLITE_TEXT:
      if (gops_value_unix(v, &ts) == 0) break;
      /* fall through */
    default:
      goto bad_ts;
  }
  agg->any_ts = 1;
  uint64_t mask = 0;
  if (by_name) {
    sqlite3_value *event = argv[ts_at + 1];
    if (sqlite3_value_type(event) == SQLITE_BLOB) {
      agg->status = AGG_FAILED;
      gops_result_errorf(ctx, "%s(): %s argument (event) must be an event name (text), got a blob",
                         fn, gops_ordinal(ts_at + 1));
      return;
    }
    if (steps_mask(agg, event, &mask) != SQLITE_OK) {
      agg->status = AGG_FAILED;
      sqlite3_result_error_nomem(ctx);
      return;
    }
  } else {
    const int n = agg->n_conditions;
    sqlite3_value **conds = argv + ts_at + 1;
    for (int i = 0; i < n; i++) {
      if (truthy(conds[i])) mask |= 1ULL << i;
    }
  }
  gops_funnel_rc rc = gops_funnel_add(&agg->f, ts, mask);
  if (rc == GOPS_FUNNEL_OK) return;
  agg->status = AGG_FAILED;
  switch (rc) {
    case GOPS_FUNNEL_TOO_MANY_ROWS:
      gops_result_errorf(ctx, "%s(): more than %d rows with a step in one group", fn,
                         GOPS_FUNNEL_MAX_ROWS);
      return;
    case GOPS_FUNNEL_LATE_ROW: {
      char *shown = gops_value_for_message(v);
      gops_result_errorf(ctx,
                         "%s(): the row with ts %s is out of time order after more than %d "
                         "rows in order; read the rows in time order (an index on (user, ts))",
                         fn, shown ? shown : "?", GOPS_FUNNEL_REPLAY_ROWS);
      sqlite3_free(shown);
      return;
    }
    case GOPS_FUNNEL_TOO_MANY_CHAINS:
      gops_result_errorf(ctx, "%s(): strict_once follows more than %d partial chains in one group",
                         fn, GOPS_FUNNEL_MAX_CHAINS);
      return;
    default:
      sqlite3_result_error_nomem(ctx);
      return;
  }
bad_ts:
  agg->status = AGG_FAILED;
  err = gops_value_for_message(v);
  if (err == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  gops_result_errorf(ctx, "%s(): %s argument (ts) must be a number or an ISO-8601 time, got %s",
                     fn, gops_ordinal(ts_at), err);
  sqlite3_free(err);
}

static void window_funnel_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  funnel_step(ctx, argc, argv, "window_funnel", 0, 0);
}

static void window_funnel_times_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  funnel_step(ctx, argc, argv, "window_funnel_times", 1, 0);
}

static void window_funnel_steps_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  funnel_step(ctx, argc, argv, "window_funnel_steps", 0, 1);
}

/* Finishes the group: 1 with *level (and times) set, 0 for NULL or an
** error already reported, -1 after setting an error now. */
static int funnel_finish(sqlite3_context *ctx, funnel_agg *agg, int *level, double *times,
                         const char *fn) {
  if (agg->status != AGG_READY) {
    funnel_agg_release(agg);
    return 0;
  }
  agg->status = AGG_FAILED; /* finished: nothing left to free */
  gops_funnel_rc rc = gops_funnel_finish(&agg->f, level, times);
  funnel_agg_release(agg);
  if (rc == GOPS_FUNNEL_OK) return 1;
  if (rc == GOPS_FUNNEL_TOO_MANY_CHAINS) {
    gops_result_errorf(ctx, "%s(): strict_once follows more than %d partial chains in one group",
                       fn, GOPS_FUNNEL_MAX_CHAINS);
  } else {
    sqlite3_result_error_nomem(ctx);
  }
  return -1;
}

static void window_funnel_final(sqlite3_context *ctx) {
  funnel_agg *agg = sqlite3_aggregate_context(ctx, 0);
  if (agg == 0) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  int status = agg->status, level = 0;
  if (funnel_finish(ctx, agg, &level, 0, "window_funnel") == 1) {
    sqlite3_result_int(ctx, level);
  } else if (status == AGG_NULL) {
    sqlite3_result_null(ctx);
  }
}

/* A time for JSON: a number as given, or, when every ts was text, text in
** SQLite's datetime() form, UTC, with milliseconds when there are any. */
static void append_time(sqlite3_str *out, double t, int as_text) {
  if (as_text) {
    int64_t day;
    double whole = floor(t);
    gops_day_from_unix(whole, &day);
    char date[GOPS_DATE_SIZE];
    gops_format_day(day, date);
    int64_t secs = (int64_t)(whole - (double)day * 86400.0);
    int ms = (int)llround((t - whole) * 1000.0);
    if (ms == 1000) ms = 999;
    sqlite3_str_appendf(out, "\"%s %02d:%02d:%02d", date, (int)(secs / 3600),
                        (int)(secs / 60 % 60), (int)(secs % 60));
    if (ms) sqlite3_str_appendf(out, ".%03d", ms);
    sqlite3_str_appendchar(out, 1, '"');
    return;
  }
  if (t == floor(t) && fabs(t) < 9007199254740992.0) {
    sqlite3_str_appendf(out, "%lld", (long long)t);
    return;
  }
  char buf[40];
  snprintf(buf, sizeof(buf), "%.15g", t);
  if (strtod(buf, 0) != t) snprintf(buf, sizeof(buf), "%.17g", t);
  sqlite3_str_appendall(out, buf);
}

static void window_funnel_times_final(sqlite3_context *ctx) {
  funnel_agg *agg = sqlite3_aggregate_context(ctx, 0);
  if (agg == 0) {
    sqlite3_result_text(ctx, "[]", 2, SQLITE_STATIC);
    return;
  }
  int status = agg->status, level = 0;
  double times[GOPS_FUNNEL_MAX_STEPS];
  int as_text = agg->all_text && agg->any_ts;
  int rc = funnel_finish(ctx, agg, &level, times, "window_funnel_times");
  if (rc != 1) {
    if (status == AGG_NULL) sqlite3_result_null(ctx);
    return;
  }
  sqlite3_str *out = sqlite3_str_new(0);
  sqlite3_str_appendchar(out, 1, '[');
  for (int i = 0; i < level; i++) {
    if (i) sqlite3_str_appendchar(out, 1, ',');
    append_time(out, times[i], as_text);
  }
  sqlite3_str_appendchar(out, 1, ']');
  int n = sqlite3_str_length(out);
  char *text = sqlite3_str_finish(out);
  if (text == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, text, n, sqlite3_free);
}

/* ---- retention ---- */

typedef struct retention_agg {
  int n; /* 0: not started; -1: failed */
  uint64_t seen;
} retention_agg;

static void retention_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  retention_agg *agg = sqlite3_aggregate_context(ctx, sizeof(*agg));
  if (agg == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (agg->n == 0) {
    if (argc < 1 || argc > GOPS_FUNNEL_MAX_STEPS) {
      agg->n = -1;
      gops_result_errorf(ctx, "retention(): takes 1 to %d conditions, got %d",
                         GOPS_FUNNEL_MAX_STEPS, argc);
      return;
    }
    agg->n = argc;
  }
  if (agg->n < 0) return;
  for (int i = 0; i < argc; i++) {
    if (truthy(argv[i])) agg->seen |= 1ULL << i;
  }
}

static void retention_final(sqlite3_context *ctx) {
  retention_agg *agg = sqlite3_aggregate_context(ctx, 0);
  if (agg == 0 || agg->n <= 0) return; /* no rows: NULL */
  char out[2 * GOPS_FUNNEL_MAX_STEPS + 2];
  size_t n = gops_retention_format(agg->seen, agg->n, out);
  sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
}

/* ---- funnel_stages(stages) ---- */

static int stages_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  static const char fn[] = "funnel_stages";
  static const char what[] = "a JSON array of [name, count] pairs";
  sqlite3_value *v = scan->args[0];
  if (gops_any_null(scan->args, 1)) return SQLITE_OK;
  if (sqlite3_value_type(v) != SQLITE_TEXT) return gops_arg_error(v, fn, 0, "stages", what, pzErr);
  const char *text = (const char *)sqlite3_value_text(v);
  if (text == 0) return SQLITE_NOMEM;
  gops_json_name *items = 0;
  gops_json_fault fault;
  int n = 0;
  switch (gops_json_names(text, (size_t)sqlite3_value_bytes(v), 1, GOPS_FUNNEL_MAX_STEPS,
                          &gops_sqlite_alloc, &items, &n, &fault)) {
    case GOPS_JSON_OK:
      break;
    case GOPS_JSON_NOMEM:
      return SQLITE_NOMEM;
    case GOPS_JSON_TOO_MANY:
      return gops_errorf(pzErr, "%s(): 1st argument (stages) has more than %d steps", fn,
                         GOPS_FUNNEL_MAX_STEPS);
    case GOPS_JSON_BAD_ELEMENT:
    case GOPS_JSON_RANGE:
      return gops_errorf(pzErr,
                         "%s(): 1st argument (stages): step %lld must be a [text, "
                         "non-negative number] pair",
                         fn, (long long)fault.index + 1);
    default:
      return gops_arg_error(v, fn, 0, "stages", what, pzErr);
  }
  double counts[GOPS_FUNNEL_MAX_STEPS];
  gops_stage stages[GOPS_FUNNEL_MAX_STEPS];
  int rc = SQLITE_OK;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    counts[i] = items[i].number;
    if (counts[i] < 0) {
      rc = gops_errorf(pzErr,
                       "%s(): 1st argument (stages): step %d ('%q') must have a "
                       "non-negative count, got %.15g",
                       fn, i + 1, items[i].name, counts[i]);
    }
  }
  int rising = rc == SQLITE_OK ? gops_funnel_stages(counts, n, stages) : 0;
  if (rising) {
    int k = rising - 1;
    rc = gops_errorf(pzErr,
                     "%s(): 1st argument (stages): step %d ('%q') has more users (%.15g) "
                     "than step %d ('%q') (%.15g)",
                     fn, k + 1, items[k].name, counts[k], k, items[k - 1].name, counts[k - 1]);
  }
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    gops_rows_int(rows, i + 1);
    gops_rows_text(rows, items[i].name, -1);
    gops_rows_count(rows, stages[i].users);
    gops_rows_double(rows, stages[i].step_rate);
    gops_rows_double(rows, stages[i].overall_rate);
    gops_rows_count(rows, stages[i].drop_off); /* NULL for step 1 */
  }
  gops_json_names_free(items, n, &gops_sqlite_alloc);
  return rc == SQLITE_OK ? gops_rows_status(rows) : rc;
}

const gops_table gops_funnel_stages_table = {
    .name = "funnel_stages",
    .columns = "step INTEGER, name TEXT, users, step_rate REAL, overall_rate REAL, drop_off",
    .args = {"stages"},
    .n_required = 1,
    .compute = stages_compute,
};

/* ---- CREATE VIRTUAL TABLE x USING funnel(source, user, time, step, steps, window, ...) ---- */

/* time_to_convert's bucket edges: at most this many; a breakdown's top
** values: at most FUNNEL_TOP_MAX. */
#define FUNNEL_MAX_EDGES 32
#define FUNNEL_TOP_MAX 1000
#define FUNNEL_TOP_DEFAULT 10

enum { ATTRIBUTION_FIRST_TOUCH, ATTRIBUTION_STEP };

/* What the CREATE arguments after the source's names say. */
typedef struct funnel_config {
  gops_json_name *steps;
  int n_steps;
  double window; /* seconds */
  /* Requirement 11: the exclusions' events (their steps in excl[]). */
  gops_json_name *exclusions;
  int n_exclusions;
  gops_funnel_exclusion excl[GOPS_FUNNEL_MAX_STEPS];
  /* Requirement 12: the breakdown's column (quoted), or NULL. */
  char *breakdown;
  int attribution;
  int top;
  /* Requirement 13: a funnel per period of the first step. */
  int trend;
  gops_grain grain;
  /* Requirement 14: time_to_convert's buckets. */
  double edges[FUNNEL_MAX_EDGES];
  int n_edges;
} funnel_config;

/* The source's names, in CREATE order (gops_source: name[0] the table). */
enum { SOURCE_TABLE, SOURCE_USER, SOURCE_TIME, SOURCE_STEP, N_SOURCE_NAMES };
/* The HIDDEN arguments. */
enum { ARG_SINCE, ARG_UNTIL };
/* The options, in the descriptor's order. */
enum { OPTION_EXCLUDE, OPTION_BREAKDOWN, OPTION_ATTRIBUTION, OPTION_TOP, OPTION_TREND,
       OPTION_BUCKETS };
/* The shapes: the plain funnel, by value, by period, by period and value. */
enum { SHAPE_PLAIN, SHAPE_BREAKDOWN, SHAPE_TREND, SHAPE_TREND_BREAKDOWN };

#define FUNNEL_STEP_COLUMNS                                                         \
  "step INTEGER, name TEXT, users INTEGER, step_rate REAL, overall_rate REAL, "     \
  "drop_off INTEGER, median_seconds REAL, time_to_convert TEXT"

static int read_exclusions(const gops_create *create, funnel_config *c, char **pzErr) {
  const int at = create->option_at[OPTION_EXCLUDE];
  int rc = gops_source_names(create->option[OPTION_EXCLUDE], create->module, at, "exclude", 2,
                             GOPS_FUNNEL_MAX_STEPS,
                             "a JSON array of [event, from_step, to_step] triples, such as "
                             "'[[\"refund\", 1, 3]]'", &c->exclusions, &c->n_exclusions, pzErr);
  if (rc != SQLITE_OK) {
    return rc;
  } else if (c->n_steps + c->n_exclusions > GOPS_FUNNEL_MAX_STEPS) {
    rc = gops_errorf(pzErr, "%s: %s argument (exclude) has %d exclusions for %d steps: steps and "
                     "exclusions are %d at most", create->module, gops_ordinal(at),
                     c->n_exclusions, c->n_steps, GOPS_FUNNEL_MAX_STEPS);
  }
  for (int j = 0; rc == SQLITE_OK && j < c->n_exclusions; j++) {
    const gops_json_name *x = &c->exclusions[j];
    int from = (int)x->number, to = (int)x->number2;
    if (x->number == from && x->number2 == to && from >= 1 && from < to && to <= c->n_steps) {
      c->excl[j].from = from;
      c->excl[j].to = to;
      continue;
    }
    rc = gops_errorf(pzErr, "%s: %s argument (exclude): exclusion %d ('%q' between steps %.15g "
                     "and %.15g) must name two of the %d step%s, the earlier first",
                     create->module, gops_ordinal(at), j + 1, x->name, x->number, x->number2,
                     c->n_steps, c->n_steps == 1 ? "" : "s");
  }
  return rc;
}

/* Requirement 14: 1 to 32 increasing positive numbers of seconds. */
static int read_buckets(const gops_create *create, funnel_config *c, char **pzErr) {
  const int at = create->option_at[OPTION_BUCKETS];
  char *text = gops_source_unquote(create->option[OPTION_BUCKETS]);
  if (text == 0) return SQLITE_NOMEM;
  int64_t count = 0;
  gops_json_fault fault;
  gops_json_rc parsed = gops_json_numbers(text, strlen(text), c->edges, FUNNEL_MAX_EDGES, &count,
                                          &fault);
  int ok = parsed == GOPS_JSON_OK && count >= 1 && count <= FUNNEL_MAX_EDGES;
  for (int64_t i = 0; ok && i < count; i++) ok = c->edges[i] > (i ? c->edges[i - 1] : 0);
  int rc = ok ? SQLITE_OK
              : gops_source_arg_error(create->module, at, "buckets",
                                      "a JSON array of 1 to " STRINGIFY(FUNNEL_MAX_EDGES)
                                      " increasing positive numbers of seconds, such as "
                                      "'[60, 3600, 86400]'", text, pzErr);
  c->n_edges = (int)count;
  sqlite3_free(text);
  return rc;
}

/* An option that only a breakdown takes, given without one. */
static int needs_breakdown(const gops_create *create, int option, char **pzErr) {
  return gops_errorf(pzErr, "%s: %s argument (%s) is an option of a breakdown: give breakdown=column "
                     "too", create->module, gops_ordinal(create->option_at[option]),
                     gops_funnel_table.options[option]);
}

static int funnel_configure(gops_create *create, void *config, char **pzErr) {
  funnel_config *c = config;
  int rc = gops_source_names(create->argv[4], create->module, 4, "steps", 0,
                             GOPS_FUNNEL_MAX_STEPS,
                             "a JSON array of 1 to " STRINGIFY(GOPS_FUNNEL_MAX_STEPS)
                             " step names, such as '[\"visit\",\"order\"]'",
                             &c->steps, &c->n_steps, pzErr);
  if (rc == SQLITE_OK) {
    rc = gops_source_number(create->argv[5], create->module, 5, "window", 1,
                            "a positive number of seconds", &c->window, pzErr);
  }
  if (rc == SQLITE_OK && create->option[OPTION_EXCLUDE]) rc = read_exclusions(create, c, pzErr);
  if (rc == SQLITE_OK && create->option[OPTION_BREAKDOWN]) {
    rc = gops_source_column(create, create->option[OPTION_BREAKDOWN],
                            create->option_at[OPTION_BREAKDOWN], "breakdown", &c->breakdown, pzErr);
  }
  c->attribution = ATTRIBUTION_FIRST_TOUCH;
  if (rc == SQLITE_OK && create->option[OPTION_ATTRIBUTION]) {
    static const char *const words[] = {"first_touch", "step"};
    char *word = gops_source_unquote(create->option[OPTION_ATTRIBUTION]);
    if (word == 0) return SQLITE_NOMEM;
    c->attribution = gops_word_find(word, words, 2);
    if (c->attribution < 0) {
      rc = gops_source_arg_error(create->module, create->option_at[OPTION_ATTRIBUTION],
                                 "attribution", "'first_touch' or 'step'", word, pzErr);
    } else if (c->breakdown == 0) {
      rc = needs_breakdown(create, OPTION_ATTRIBUTION, pzErr);
    }
    sqlite3_free(word);
  }
  c->top = FUNNEL_TOP_DEFAULT;
  if (rc == SQLITE_OK && create->option[OPTION_TOP]) {
    int64_t top = 0;
    rc = gops_source_count(create->option[OPTION_TOP], create->module,
                           create->option_at[OPTION_TOP], "top", FUNNEL_TOP_MAX,
                           "a whole number from 1 to " STRINGIFY(FUNNEL_TOP_MAX), &top, pzErr);
    if (rc == SQLITE_OK && c->breakdown == 0) rc = needs_breakdown(create, OPTION_TOP, pzErr);
    c->top = (int)top;
  }
  if (rc == SQLITE_OK && create->option[OPTION_TREND]) {
    char *grain = gops_source_unquote(create->option[OPTION_TREND]);
    if (grain == 0) return SQLITE_NOMEM;
    if (gops_grain_parse(grain, &c->grain) != 0 || c->grain > GOPS_GRAIN_MONTH) {
      rc = gops_source_arg_error(create->module, create->option_at[OPTION_TREND], "trend",
                                 "'day', 'week' or 'month'", grain, pzErr);
    }
    c->trend = 1;
    sqlite3_free(grain);
  }
  if (rc == SQLITE_OK && create->option[OPTION_BUCKETS]) {
    rc = read_buckets(create, c, pzErr);
  } else if (rc == SQLITE_OK) {
    /* Minutes, hours, days. */
    static const double edges[] = {60, 3600, 86400};
    memcpy(c->edges, edges, sizeof(edges));
    c->n_edges = 3;
  }
  if (rc == SQLITE_OK) {
    create->shape = c->trend ? (c->breakdown ? SHAPE_TREND_BREAKDOWN : SHAPE_TREND)
                                              : (c->breakdown ? SHAPE_BREAKDOWN : SHAPE_PLAIN);
  }
  return rc;
}

static void funnel_release(void *config) {
  funnel_config *c = config;
  gops_json_names_free(c->steps, c->n_steps, &gops_sqlite_alloc);
  gops_json_names_free(c->exclusions, c->n_exclusions, &gops_sqlite_alloc);
  sqlite3_free(c->breakdown);
}

/* A row of the current user: its time, the steps and exclusions it meets,
** and its breakdown value (an id of tally.values + 1; 0 for NULL). */
typedef struct funnel_row {
  gops_funnel_row r; /* first: the chains read the rows through it */
  uint32_t value;
} funnel_row;

/* The seconds from one step to the next of the users a cell (group, step)
** counts, for its median. */
typedef struct funnel_gaps {
  double *seconds;
  size_t n, cap;
} funnel_gaps;

/* What one scan of the source adds up.  A group is a period of the first
** step (0 without a trend) and a breakdown value (0 without one); each
** has n_steps cells. */
typedef struct funnel_tally {
  const funnel_config *config;
  int n_steps;
  /* The current user: its value (bytes in key_bytes) and rows. */
  int open_user;
  gops_user user;
  unsigned char *key_bytes;
  int key_cap;
  funnel_row *rows, *spare;
  size_t n_rows, cap;
  uint64_t present; /* the OR of the rows' masks */
  /* With exclusions: the chain kept for the period at hand. */
  int has_best;
  int32_t best_period;
  gops_funnel_chain best;
  /* Without: each period's deepest chain, the last period first. */
  gops_funnel_chain *period_best;
  int32_t *best_periods;
  size_t n_period_best, period_best_cap;
  size_t touch; /* the next step-1 row to look at for a first touch */
  gops_keys values; /* the breakdown's values */
  /* Over a log: what each event name gives (gops_event_run.names), its
  ** steps and value, for codes below memo_n (with a breakdown, a name of a
  ** step or an exclusion has the value MEMO_NO_VALUE until an event of it
  ** comes). */
  struct { uint64_t mask; uint32_t value; } *memo;
  uint32_t memo_n;
  uint32_t n_valueless; /* names of the memo with MEMO_NO_VALUE */
  gops_keys groups; /* (period, value) pairs: 8 bytes each */
  uint32_t last_key[2]; /* the group group_of() gave last, when there is one */
  uint64_t last_group;
  double *users;    /* [group * n_steps + step] */
  double *buckets;  /* [(group * n_steps + step) * (n_edges + 1) + bucket] */
  size_t groups_cap;
  funnel_gaps *gaps; /* [group * n_steps + step] */
  size_t n_gaps;     /* in all cells */
  int any_period;
  int32_t first_period, last_period;
  gops_period_span span; /* of the period period_of() gave last */
  const gops_scan *scan;
  char **pzErr;
} funnel_tally;

/* The period of a time (0 without a trend).  A user's chains mostly start
** in the period of the one before: its span is kept in *span. */
static int32_t period_of(const funnel_config *c, gops_period_span *span, double ts) {
  if (!c->trend) return 0;
  gops_period_span_follow(span, ts, c->grain);
  return (int32_t)span->ordinal;
}

/* Rows at equal times: the one with the smaller breakdown value first
** (NULL before any), so that a step and a first touch take the smallest
** value of their time, as ClickHouse's breakdown does. */
static int row_before(const funnel_tally *t, const funnel_row *a, const funnel_row *b) {
  if (a->r.ts != b->r.ts) return a->r.ts < b->r.ts;
  if (a->value == b->value || b->value == 0) return 0;
  if (a->value == 0) return 1;
  return gops_keys_compare(&t->values, a->value - 1, b->value - 1) < 0;
}

static int before_row(const void *a, const void *b, void *ctx) {
  return row_before(ctx, a, b);
}

/* Sorts the user's rows (spare holds as many): they come in the order of
** the source's time column, which ISO text with an offset, or numbers and
** text mixed, do not keep. */
static void sort_user_rows(funnel_tally *t) {
  /* Most often they come in order (always over a log, but for the values
  ** at equal times): looked at here first, without a call per row. */
  size_t i = 1;
  while (i < t->n_rows && t->rows[i - 1].r.ts < t->rows[i].r.ts) i++;
  if (i >= t->n_rows) return;
  funnel_row *sorted =
      gops_stable_sort(t->rows, t->spare, t->n_rows, sizeof(funnel_row), before_row, t);
  if (sorted != t->rows) {
    t->spare = t->rows;
    t->rows = sorted;
  }
}

/* The group of (period, value), its cells zeroed when new. */
static int group_of(funnel_tally *t, int32_t period, uint32_t value, uint64_t *group) {
  uint32_t key[2] = {(uint32_t)period, value}, id;
  /* Most chains fall in the group of the one before. */
  if (t->groups.count && t->last_key[0] == key[0] && t->last_key[1] == key[1]) {
    *group = t->last_group;
    return SQLITE_OK;
  }
  const size_t n = (size_t)t->n_steps, nb = (size_t)t->config->n_edges + 1;
  /* Room for a new group before it is added: a group the cells do not
  ** hold would be freed by tally_clear() past their end. */
  if (t->groups.count >= t->groups_cap) {
    size_t cap = t->groups_cap ? t->groups_cap * 2 : 16;
    double *users = sqlite3_realloc64(t->users, cap * n * sizeof(double));
    if (users) t->users = users;
    double *buckets = users ? sqlite3_realloc64(t->buckets, cap * n * nb * sizeof(double)) : 0;
    if (buckets) t->buckets = buckets;
    funnel_gaps *gaps = buckets ? sqlite3_realloc64(t->gaps, cap * n * sizeof(funnel_gaps)) : 0;
    if (gaps == 0) return SQLITE_NOMEM;
    t->gaps = gaps;
    t->groups_cap = cap;
  }
  int added;
  if (gops_keys_add(&t->groups, key, sizeof(key), &id, &added) != GOPS_KEYS_OK) return SQLITE_NOMEM;
  assert(id < t->groups_cap);
  if (added) {
    memset(t->users + id * n, 0, n * sizeof(double));
    memset(t->buckets + id * n * nb, 0, n * nb * sizeof(double));
    memset(t->gaps + id * n, 0, n * sizeof(funnel_gaps));
  }
  *group = id;
  t->last_key[0] = key[0];
  t->last_key[1] = key[1];
  t->last_group = id;
  return SQLITE_OK;
}

/* A user's chain counts in its period: at each step it reached, in the
** group of the step's value (Requirement 12). */
static int tally_chain(funnel_tally *t, int32_t period, const gops_funnel_chain *chain) {
  const funnel_config *c = t->config;
  const size_t n = (size_t)t->n_steps, nb = (size_t)c->n_edges + 1;
  if (!t->any_period || period < t->first_period) t->first_period = period;
  if (!t->any_period || period > t->last_period) t->last_period = period;
  t->any_period = 1;
  if ((int64_t)t->last_period - t->first_period >= GOPS_PERIODS_MAX) {
    return gops_errorf(t->pzErr, "%s: the first steps in \"%w\" span more than %d periods of a %s",
                       t->scan->module, t->scan->source->name[SOURCE_TABLE], GOPS_PERIODS_MAX,
                       gops_grain_name(c->grain));
  }
  uint32_t value = 0;
  if (c->breakdown && c->attribution == ATTRIBUTION_FIRST_TOUCH) {
    /* The first step-1 row of the period, excluded chains' too. */
    while (!(t->rows[t->touch].r.mask & 1) ||
           period_of(c, &t->span, t->rows[t->touch].r.ts) < period) {
      t->touch++;
      assert(t->touch <= chain->row[0]); /* the chain's own start is one */
    }
    value = t->rows[t->touch].value;
  }
  uint64_t group = 0;
  for (int k = 0; k < chain->level; k++) {
    const funnel_row *row = &t->rows[chain->row[k]];
    if (c->attribution == ATTRIBUTION_STEP) value = row->value;
    if (k == 0 || c->attribution == ATTRIBUTION_STEP) {
      int rc = group_of(t, period, value, &group);
      if (rc != SQLITE_OK) return rc;
    }
    const uint64_t cell = group * n + (uint64_t)k;
    t->users[cell] += 1;
    if (k == 0) continue;
    double seconds = row->r.ts - t->rows[chain->row[k - 1]].r.ts;
    t->buckets[cell * nb + (uint64_t)gops_funnel_bucket(c->edges, c->n_edges, seconds)] += 1;
    funnel_gaps *g = &t->gaps[cell];
    if (g->n == g->cap) {
      size_t cap = g->cap ? g->cap * 2 : 16;
      double *more = sqlite3_realloc64(g->seconds, cap * sizeof(double));
      if (more == 0) return SQLITE_NOMEM;
      g->seconds = more;
      g->cap = cap;
    }
    g->seconds[g->n++] = seconds;
    t->n_gaps++;
  }
  return SQLITE_OK;
}

/* gops_funnel_chains()' fn: keeps the deepest chain of each period (of
** several, the one that starts last), and counts it when the next period
** begins. */
static int keep_chain(void *ctx, const gops_funnel_chain *chain) {
  funnel_tally *t = ctx;
  int32_t period = period_of(t->config, &t->span, t->rows[chain->row[0]].r.ts);
  if (t->has_best && period != t->best_period) {
    int rc = tally_chain(t, t->best_period, &t->best);
    if (rc != SQLITE_OK) return rc;
    t->has_best = 0;
  }
  if (!t->has_best || chain->level >= t->best.level) {
    /* Only the rows it has: a chain is GOPS_FUNNEL_MAX_STEPS rows long. */
    t->best.level = chain->level;
    memcpy(t->best.row, chain->row, (size_t)chain->level * sizeof(chain->row[0]));
    t->best_period = period;
    t->has_best = 1;
  }
  return SQLITE_OK;
}

/* With exclusions: every chain, each period's deepest counted. */
static int tally_excluding(funnel_tally *t, const gops_funnel_spec *spec) {
  t->has_best = 0;
  int rc = gops_funnel_chains(&t->rows[0].r, t->n_rows, sizeof(funnel_row), spec, keep_chain, t);
  if (rc == SQLITE_OK && t->has_best) rc = tally_chain(t, t->best_period, &t->best);
  return rc;
}

/* Without exclusions: each period's deepest chain, found from the last
** start back (gops_funnel_walk), counted in the order of the periods. */
static int tally_deepest(funnel_tally *t, const gops_funnel_spec *spec) {
  const funnel_config *c = t->config;
  gops_funnel_walk walk;
  gops_funnel_walk_start(&walk, &t->rows[0].r, t->n_rows, sizeof(funnel_row), spec, t->present);
  if (!c->trend) {
    gops_funnel_chain best;
    return gops_funnel_walk_deepest(&walk, 0, &best) ? tally_chain(t, 0, &best) : SQLITE_OK;
  }
  t->n_period_best = 0;
  size_t to = t->n_rows;
  for (;;) {
    while (to > 0 && !(t->rows[to - 1].r.mask & 1)) to--;
    if (to == 0) break;
    /* The period of the last start left, and the first of its rows. */
    int32_t period = period_of(c, &t->span, t->rows[to - 1].r.ts);
    size_t from = to - 1;
    while (from > 0 && t->rows[from - 1].r.ts >= t->span.lo) from--;
    if (t->n_period_best == t->period_best_cap) {
      size_t cap = t->period_best_cap ? t->period_best_cap * 2 : 8;
      gops_funnel_chain *chains = sqlite3_realloc64(t->period_best, cap * sizeof(*chains));
      if (chains) t->period_best = chains;
      int32_t *periods = chains ? sqlite3_realloc64(t->best_periods, cap * sizeof(*periods)) : 0;
      if (periods == 0) return SQLITE_NOMEM;
      t->best_periods = periods;
      t->period_best_cap = cap;
    }
    int level = gops_funnel_walk_deepest(&walk, from, &t->period_best[t->n_period_best]);
    assert(level > 0); /* rows[to - 1] starts a chain */
    (void)level;
    t->best_periods[t->n_period_best++] = period;
    to = from;
  }
  int rc = SQLITE_OK;
  for (size_t i = t->n_period_best; rc == SQLITE_OK && i-- > 0;) {
    rc = tally_chain(t, t->best_periods[i], &t->period_best[i]);
  }
  return rc;
}

/* The current user's rows are all read: their chains, counted. */
static int tally_user_done(funnel_tally *t) {
  const funnel_config *c = t->config;
  t->open_user = 0;
  if (t->n_rows == 0) return SQLITE_OK;
  sort_user_rows(t);
  gops_funnel_spec spec = {c->n_steps, c->window, c->n_exclusions, c->excl};
  t->touch = 0;
  int rc = c->n_exclusions ? tally_excluding(t, &spec) : tally_deepest(t, &spec);
  t->n_rows = 0;
  t->present = 0;
  return rc;
}

/* A row of a user other than the current one (users compare as values, 7
** and 7.0 alike): close the current, keep this one's value. */
static int tally_next_user(funnel_tally *t, const gops_user *user) {
  int rc = t->open_user ? tally_user_done(t) : SQLITE_OK;
  if (rc != SQLITE_OK) return rc;
  rc = gops_user_copy(&t->user, user, &t->key_bytes, &t->key_cap);
  t->open_user = rc == SQLITE_OK;
  return rc;
}

/* The steps and exclusions an event meets, from its more values. */
static int event_mask(const funnel_tally *t, sqlite3_value *const *more, uint64_t *mask) {
  const funnel_config *c = t->config;
  const char *step = (const char *)sqlite3_value_text(more[0]);
  if (step == 0) return SQLITE_NOMEM; /* the query's WHERE keeps no NULL */
  *mask = 0;
  for (int k = 0; k < c->n_steps; k++) {
    if (strcmp(step, c->steps[k].name) == 0) *mask |= 1ULL << k;
  }
  for (int j = 0; j < c->n_exclusions; j++) {
    if (strcmp(step, c->exclusions[j].name) == 0) *mask |= 1ULL << (c->n_steps + j);
  }
  return SQLITE_OK;
}

/* An event's breakdown value (0: none), from its more values: a value is
** one of the breakdown's once an event of the scan has it, so that only
** those rank among the top ones. */
static int event_value(funnel_tally *t, sqlite3_value *const *more, uint32_t *value,
                       char **pzErr) {
  const funnel_config *c = t->config;
  *value = 0;
  if (c->breakdown && sqlite3_value_type(more[1]) != SQLITE_NULL) {
    const unsigned char *text = sqlite3_value_text(more[1]);
    int n = sqlite3_value_bytes(more[1]);
    if (text == 0) return SQLITE_NOMEM;
    uint32_t id;
    switch (gops_keys_add(&t->values, text, (size_t)n, &id, 0)) {
      case GOPS_KEYS_OK:
        break;
      case GOPS_KEYS_FULL:
        return gops_errorf(pzErr, "%s: column \"%w\" of \"%w\" has more values than a breakdown "
                           "takes (%u)", t->scan->module, c->breakdown,
                           t->scan->source->name[SOURCE_TABLE], GOPS_KEYS_MAX);
      default:
        return SQLITE_NOMEM;
    }
    *value = id + 1;
  }
  return SQLITE_OK;
}

/* Room for n more rows of the current user. */
static int rows_room(funnel_tally *t, size_t n, char **pzErr) {
  if (t->n_rows + n <= t->cap) return SQLITE_OK;
  if (t->n_rows + n > GOPS_FUNNEL_MAX_ROWS) {
    return gops_errorf(pzErr, "%s: more than %d rows of one user in \"%w\"", t->scan->module,
                       GOPS_FUNNEL_MAX_ROWS, t->scan->source->name[SOURCE_TABLE]);
  }
  size_t cap = t->cap ? t->cap * 2 : 64;
  while (cap < t->n_rows + n) cap *= 2;
  if (cap > GOPS_FUNNEL_MAX_ROWS) cap = GOPS_FUNNEL_MAX_ROWS;
  funnel_row *rows = sqlite3_realloc64(t->rows, cap * sizeof(funnel_row));
  if (rows) t->rows = rows;
  funnel_row *spare = rows ? sqlite3_realloc64(t->spare, cap * sizeof(funnel_row)) : 0;
  if (spare == 0) return SQLITE_NOMEM;
  t->spare = spare;
  t->cap = cap;
  return SQLITE_OK;
}

static void add_row(funnel_tally *t, double ts, uint64_t mask, uint32_t value) {
  assert(t->n_rows < t->cap);
  funnel_row *row = &t->rows[t->n_rows++];
  row->r.ts = ts;
  row->r.mask = mask;
  row->value = value;
  t->present |= mask;
}

/* gops_source_events()' fn: a row of the source, into the user's rows. */
static int tally_event(void *ctx, const gops_event *e, char **pzErr) {
  funnel_tally *t = ctx;
  if (!t->open_user || !gops_user_same(&t->user, &e->user)) {
    int rc = tally_next_user(t, &e->user);
    if (rc != SQLITE_OK) return rc;
  }
  uint64_t mask;
  uint32_t value;
  int rc = event_mask(t, e->more, &mask);
  if (rc == SQLITE_OK) rc = event_value(t, e->more, &value, pzErr);
  if (rc == SQLITE_OK) rc = rows_room(t, 1, pzErr);
  if (rc == SQLITE_OK) add_row(t, e->ts, mask, value);
  return rc;
}

/* A memo's value before an event of its name has come. */
#define MEMO_NO_VALUE UINT32_MAX

/* What each name of the log gives (codes 0 .. run->n_names), its steps
** worked out at the first run (a name the where drops, none), its value
** when an event of it comes (tally_run): a name of the dictionary that no
** event of the scan has is no value of the breakdown. */
static int memo_names(funnel_tally *t, const gops_event_run *run) {
  if (run->n_names < t->memo_n) return SQLITE_OK;
  void *memo = sqlite3_realloc64(t->memo, ((uint64_t)run->n_names + 1) * sizeof(*t->memo));
  if (memo == 0) return SQLITE_NOMEM;
  t->memo = memo;
  for (uint32_t name = t->memo_n; name <= run->n_names; name++) {
    t->memo[name].mask = 0;
    t->memo[name].value = 0;
    if (run->kept && !run->kept[name]) continue;
    int rc = event_mask(t, run->more + (size_t)name * (size_t)run->n_more, &t->memo[name].mask);
    if (rc != SQLITE_OK) return rc;
    if (t->config->breakdown && t->memo[name].mask) {
      t->memo[name].value = MEMO_NO_VALUE;
      t->n_valueless++;
    }
  }
  t->memo_n = run->n_names + 1;
  return SQLITE_OK;
}

/* add_row()'s work for the events of a run, with the row and the mask in
** locals; with_values (a constant: a loop each way, the usual one testing
** nothing more) while a name may still have no value. */
static inline int run_rows(funnel_tally *t, const gops_event_run *run, const int with_values,
                           char **pzErr) {
  funnel_row *row = t->rows + t->n_rows;
  int rc = SQLITE_OK;
  for (uint32_t k = 0; k < run->n; k++) {
    /* A row that meets no step and no exclusion plays no part. */
    const uint16_t name = run->names[k];
    if (t->memo[name].mask == 0) continue;
    if (with_values && t->memo[name].value == MEMO_NO_VALUE) {
      /* The first event of its name in the scan. */
      rc = event_value(t, run->more + (size_t)name * (size_t)run->n_more, &t->memo[name].value,
                       pzErr);
      if (rc != SQLITE_OK) break;
      t->n_valueless--;
    }
    row->r.ts = run->ts[k];
    row->r.mask = t->memo[name].mask;
    row->value = t->memo[name].value;
    row++;
  }
  t->n_rows = (size_t)(row - t->rows);
  assert(t->n_rows <= t->cap);
  return rc;
}

/* gops_source_events()' runs: a user of a log, all of its rows at once. */
static int tally_run(void *ctx, const gops_event_run *run, char **pzErr) {
  funnel_tally *t = ctx;
  /* Each run is a user of its own: the user need not be kept, as it is
  ** for rows (tally_event). */
  int rc = t->open_user ? tally_user_done(t) : SQLITE_OK;
  t->open_user = 1;
  if (rc == SQLITE_OK) rc = memo_names(t, run);
  if (rc == SQLITE_OK) rc = rows_room(t, run->n, pzErr);
  if (rc != SQLITE_OK) return rc;
  const funnel_config *c = t->config;
  uint64_t present = 0;
  for (uint32_t k = 0; k < run->n; k++) {
    assert(run->names[k] <= run->n_names);
    present |= t->memo[run->names[k]].mask;
  }
  if (!(present & 2) && !c->breakdown && !c->trend && !c->n_exclusions) {
    /* A user who meets no step 2 reaches step 1 at most, and without a
    ** breakdown, a trend or an exclusion, nothing but whether it does
    ** counts: it is counted now, with no row kept. */
    if (!(present & 1)) return SQLITE_OK;
    uint64_t group;
    rc = group_of(t, 0, 0, &group);
    if (rc == SQLITE_OK) t->users[group * (uint64_t)t->n_steps] += 1;
    return rc;
  }
  rc = t->n_valueless ? run_rows(t, run, 1, pzErr) : run_rows(t, run, 0, pzErr);
  if (rc == SQLITE_OK) t->present |= present;
  return rc;
}

static void tally_clear(funnel_tally *t) {
  /* The groups' cells first, while their count is known. */
  for (size_t cell = 0; t->gaps && cell < (size_t)t->groups.count * (size_t)t->n_steps; cell++) {
    sqlite3_free(t->gaps[cell].seconds);
  }
  sqlite3_free(t->memo);
  sqlite3_free(t->key_bytes);
  sqlite3_free(t->rows);
  sqlite3_free(t->spare);
  gops_keys_clear(&t->values);
  gops_keys_clear(&t->groups);
  sqlite3_free(t->users);
  sqlite3_free(t->buckets);
  sqlite3_free(t->gaps);
  sqlite3_free(t->period_best);
  sqlite3_free(t->best_periods);
}

/* ---- the rows of the result ---- */

/* Where the groups go: a row set (period, label) each, in order. */
typedef struct funnel_out {
  int32_t period;
  int label;      /* the rank of a top value; top: 'other'; top + 1: '(none)' */
  uint32_t value; /* a top value's id + 1 */
  double *users;  /* n_steps */
  double *buckets;
  double *medians;
} funnel_out;

static int compare_outs(const void *a, const void *b) {
  const funnel_out *x = a, *y = b;
  if (x->period != y->period) return x->period < y->period ? -1 : 1;
  return (x->label > y->label) - (x->label < y->label);
}

/* The medians, cell by cell of the row sets (out_of[group]: its row set).
** A row set's cell most often has one group's gaps: its median is taken
** where they are; the gaps of several (the values past the top ones) are
** gathered first. */
static int tally_medians(const funnel_tally *t, const uint32_t *out_of, funnel_out *outs,
                         uint32_t n_outs) {
  const size_t n = (size_t)t->n_steps, n_cells = (size_t)n_outs * n;
  if (t->n_gaps == 0) return SQLITE_OK;
  /* Per cell of the row sets: its gaps, the one group's cell they are in
  ** (SIZE_MAX: several groups'; unset while it has none), and where the
  ** gaps of several go in spare. */
  size_t *total = sqlite3_malloc64(n_cells * 3 * sizeof(size_t));
  if (total == 0) return SQLITE_NOMEM;
  size_t *only = total + n_cells, *next = only + n_cells;
  memset(total, 0, n_cells * sizeof(size_t));
  const size_t n_group_cells = (size_t)t->groups.count * n;
  for (size_t cell = 0; cell < n_group_cells; cell++) {
    const size_t gaps = t->gaps[cell].n, out = (size_t)out_of[cell / n] * n + cell % n;
    if (gaps == 0) continue;
    only[out] = total[out] ? SIZE_MAX : cell;
    total[out] += gaps;
  }
  size_t gathered = 0;
  for (size_t out = 0; out < n_cells; out++) {
    if (total[out] == 0 || only[out] != SIZE_MAX) continue;
    next[out] = gathered;
    gathered += total[out];
  }
  double *spare = gathered ? sqlite3_malloc64(gathered * sizeof(double)) : 0;
  if (gathered && spare == 0) {
    sqlite3_free(total);
    return SQLITE_NOMEM;
  }
  for (size_t cell = 0; cell < n_group_cells; cell++) {
    const size_t gaps = t->gaps[cell].n, out = (size_t)out_of[cell / n] * n + cell % n;
    if (gaps == 0 || only[out] != SIZE_MAX) continue;
    memcpy(spare + next[out], t->gaps[cell].seconds, gaps * sizeof(double));
    next[out] += gaps;
  }
  for (size_t out = 0, from = 0; out < n_cells; out++) {
    if (total[out] == 0) continue;
    double *values;
    if (only[out] == SIZE_MAX) {
      values = spare + from;
      from += total[out];
      assert(next[out] == from);
    } else {
      values = t->gaps[only[out]].seconds;
    }
    outs[out / n].medians[out % n] = gops_median(values, total[out]);
  }
  sqlite3_free(spare);
  sqlite3_free(total);
  return SQLITE_OK;
}

/* Requirement 12: the values ranked by their users at step 1 (more first,
** then the smaller value), label[id + 1] the rank of the top ones, top
** for the others ('other'), top + 1 for NULL ('(none)'). */
typedef struct value_rank {
  uint32_t id;
  double users;
  const gops_keys *values;
} value_rank;

static int compare_ranks(const void *a, const void *b) {
  const value_rank *x = a, *y = b;
  if (x->users != y->users) return x->users > y->users ? -1 : 1;
  return gops_keys_compare(x->values, x->id, y->id);
}

static int rank_values(funnel_tally *t, int *label) {
  const funnel_config *c = t->config;
  const uint32_t n_values = t->values.count;
  value_rank *ranks = sqlite3_malloc64(((uint64_t)n_values + 1) * sizeof(value_rank));
  if (ranks == 0) return SQLITE_NOMEM;
  for (uint32_t v = 0; v < n_values; v++) ranks[v] = (value_rank){v, 0, &t->values};
  for (uint32_t g = 0; g < t->groups.count; g++) {
    size_t n;
    uint32_t key[2];
    memcpy(key, gops_keys_bytes(&t->groups, g, &n), sizeof(key));
    if (key[1]) ranks[key[1] - 1].users += t->users[(size_t)g * (size_t)t->n_steps];
  }
  qsort(ranks, n_values, sizeof(value_rank), compare_ranks);
  label[0] = c->top + 1;
  for (uint32_t r = 0; r < n_values; r++) {
    label[ranks[r].id + 1] = r < (uint32_t)c->top ? (int)r : c->top;
  }
  sqlite3_free(ranks);
  return SQLITE_OK;
}

/* One row set: a row per step of (period, label). */
static int emit_steps(const funnel_tally *t, const funnel_out *o, gops_rows *rows) {
  const funnel_config *c = t->config;
  const int n = t->n_steps;
  gops_stage stages[GOPS_FUNNEL_MAX_STEPS];
  gops_funnel_rates(o->users, n, stages);
  for (int k = 0; k < n; k++) {
    if (c->trend) gops_rows_period(rows, o->period, c->grain);
    if (c->breakdown) {
      if (o->label == c->top + 1) {
        gops_rows_text(rows, "(none)", -1);
      } else if (o->label == c->top) {
        gops_rows_text(rows, "other", -1);
      } else {
        size_t len;
        const unsigned char *b = gops_keys_bytes(&t->values, o->value - 1, &len);
        gops_rows_text(rows, (const char *)b, (int)len);
      }
    }
    gops_rows_int(rows, k + 1);
    gops_rows_text(rows, c->steps[k].name, -1);
    gops_rows_count(rows, stages[k].users);
    gops_rows_double(rows, stages[k].step_rate);
    gops_rows_double(rows, stages[k].overall_rate);
    gops_rows_count(rows, stages[k].drop_off);
    gops_rows_double(rows, o->medians[k]);
    if (k == 0) {
      gops_rows_null(rows);
      continue;
    }
    /* Requirement 14: users by bucket of the time from the step before. */
    sqlite3_str *json = sqlite3_str_new(0);
    const int nb = c->n_edges + 1;
    for (int b = 0; b < nb; b++) {
      sqlite3_str_appendf(json, "%s%lld", b ? "," : "[", (long long)o->buckets[k * nb + b]);
    }
    sqlite3_str_appendchar(json, 1, ']');
    int len = sqlite3_str_length(json);
    char *text = sqlite3_str_finish(json);
    if (text == 0) return SQLITE_NOMEM;
    gops_rows_text(rows, text, len);
    sqlite3_free(text);
  }
  return gops_rows_status(rows);
}

/* The groups merged into their row sets, the medians taken, the rows
** written: by period (every one from the first to the last with a first
** step, when there is a trend), then by value (the top ones in their
** order, 'other', '(none)'), then by step. */
static int tally_rows(funnel_tally *t, gops_rows *rows) {
  const funnel_config *c = t->config;
  const size_t n = (size_t)t->n_steps, nb = (size_t)c->n_edges + 1;
  const uint32_t n_groups = t->groups.count;
  int *label = c->breakdown ? sqlite3_malloc64(((uint64_t)t->values.count + 1) * sizeof(int)) : 0;
  uint32_t *out_of = sqlite3_malloc64(((uint64_t)n_groups + 1) * sizeof(uint32_t));
  gops_keys keys;
  gops_keys_init(&keys, &gops_sqlite_alloc);
  int rc = out_of && (label || !c->breakdown) ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK && c->breakdown) rc = rank_values(t, label);
  for (uint32_t g = 0; rc == SQLITE_OK && g < n_groups; g++) {
    size_t len;
    uint32_t key[2];
    memcpy(key, gops_keys_bytes(&t->groups, g, &len), sizeof(key));
    if (c->breakdown) key[1] = (uint32_t)label[key[1]];
    if (gops_keys_add(&keys, key, sizeof(key), &out_of[g], 0) != GOPS_KEYS_OK) rc = SQLITE_NOMEM;
  }
  /* One more: the row set of zeros, for a period nobody entered in. */
  const uint32_t n_outs = keys.count + 1;
  funnel_out *outs = rc == SQLITE_OK ? sqlite3_malloc64(n_outs * sizeof(funnel_out)) : 0;
  double *cells = outs ? sqlite3_malloc64((uint64_t)n_outs * n * (nb + 2) * sizeof(double)) : 0;
  if (rc == SQLITE_OK && cells == 0) rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK) {
    memset(cells, 0, (size_t)n_outs * n * (nb + 1) * sizeof(double));
    for (uint32_t o = 0; o < n_outs; o++) {
      outs[o].users = cells + (size_t)o * n;
      outs[o].buckets = cells + (size_t)n_outs * n + (size_t)o * n * nb;
      outs[o].medians = cells + (size_t)n_outs * n * (nb + 1) + (size_t)o * n;
      for (size_t k = 0; k < n; k++) outs[o].medians[k] = NAN;
      outs[o].period = 0;
      outs[o].label = 0;
      outs[o].value = 0;
    }
    for (uint32_t g = 0; g < n_groups; g++) {
      size_t len;
      uint32_t key[2];
      memcpy(key, gops_keys_bytes(&t->groups, g, &len), sizeof(key));
      funnel_out *o = &outs[out_of[g]];
      o->period = (int32_t)key[0];
      o->label = c->breakdown ? label[key[1]] : 0;
      o->value = key[1];
      for (size_t k = 0; k < n; k++) o->users[k] += t->users[g * n + k];
      for (size_t k = 0; k < n * nb; k++) o->buckets[k] += t->buckets[g * n * nb + k];
    }
    rc = tally_medians(t, out_of, outs, n_outs);
    funnel_out zeros = outs[n_outs - 1];
    qsort(outs, n_outs - 1, sizeof(funnel_out), compare_outs);
    /* Every period of the run with a trend; the one period 0 without. */
    int64_t first = c->trend ? t->first_period : 0, last = c->trend ? t->last_period : 0;
    if (c->trend && !t->any_period) last = first - 1;
    uint32_t o = 0;
    for (int64_t p = first; rc == SQLITE_OK && p <= last; p++) {
      int any = 0;
      for (; rc == SQLITE_OK && o < n_outs - 1 && outs[o].period == p; o++, any = 1) {
        rc = emit_steps(t, &outs[o], rows);
      }
      if (!any && !c->breakdown && rc == SQLITE_OK) {
        zeros.period = (int32_t)p;
        rc = emit_steps(t, &zeros, rows);
      }
    }
    assert(rc != SQLITE_OK || o == n_outs - 1);
  }
  sqlite3_free(cells);
  sqlite3_free(outs);
  gops_keys_clear(&keys);
  sqlite3_free(out_of);
  sqlite3_free(label);
  return rc;
}

static int funnel_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  const funnel_config *c = scan->config;
  gops_events_query q = {.by_user = 1};
  int empty;
  int rc = gops_source_range(scan, ARG_SINCE, q.range, &empty, pzErr);
  if (rc != SQLITE_OK || empty) return rc;

  /* Only the rows of the steps and exclusions, by user and time. */
  const char *step = scan->source->quoted[SOURCE_STEP];
  const int n_names = c->n_steps + c->n_exclusions;
  const char *names[2 * GOPS_FUNNEL_MAX_STEPS];
  sqlite3_str *where = sqlite3_str_new(0);
  sqlite3_str_appendf(where, "CAST(%s AS TEXT) IN (", step);
  for (int k = 0; k < n_names; k++) {
    names[k] = k < c->n_steps ? c->steps[k].name : c->exclusions[k - c->n_steps].name;
    sqlite3_str_appendf(where, "%s?%d", k ? ", " : "", k + 1);
  }
  sqlite3_str_appendall(where, ")");
  char *where_sql = sqlite3_str_finish(where);
  char *more = c->breakdown ? sqlite3_mprintf("CAST(%s AS TEXT), CAST(%s AS TEXT)", step, c->breakdown)
                            : sqlite3_mprintf("CAST(%s AS TEXT)", step);
  q.more = more;
  q.where = where_sql;
  q.texts = names;
  q.n_texts = n_names;
  q.runs = tally_run;
  funnel_tally t;
  memset(&t, 0, sizeof(t));
  t.config = c;
  t.n_steps = c->n_steps;
  t.scan = scan;
  t.pzErr = pzErr;
  gops_keys_init(&t.values, &gops_sqlite_alloc);
  gops_keys_init(&t.groups, &gops_sqlite_alloc);
  rc = more && where_sql ? gops_source_events(scan, &q, tally_event, &t, pzErr) : SQLITE_NOMEM;
  if (rc == SQLITE_OK && t.open_user) rc = tally_user_done(&t);
  if (rc == SQLITE_OK) rc = tally_rows(&t, rows);
  tally_clear(&t);
  sqlite3_free(more);
  sqlite3_free(where_sql);
  return rc;
}

/* Requirement 8: reads the database, so not innocuous. */
const gops_table gops_funnel_table = {
    .name = "funnel",
    .columns = FUNNEL_STEP_COLUMNS,
    .args = {"since", "until"},
    .create_args = {"source", "user", "time", "step", "steps", "window"},
    .n_create_required = 6,
    .n_source_names = N_SOURCE_NAMES,
    .options = {"exclude", "breakdown", "attribution", "top", "trend", "buckets"},
    .shapes = {{.columns = "value TEXT, " FUNNEL_STEP_COLUMNS},
               {.columns = "period TEXT, " FUNNEL_STEP_COLUMNS, .sorted_by = {1u << 0, 1u << 1}},
               {.columns = "period TEXT, value TEXT, " FUNNEL_STEP_COLUMNS, .sorted_by = {1u << 0}}},
    .sorted_by = {1u << 0},
    .config_size = sizeof(funnel_config),
    .configure = funnel_configure,
    .release = funnel_release,
    .compute = funnel_compute,
};

static const gops_function funnel_functions[] = {
    {.name = "window_funnel", .n_arg = -1, .flags = GOPS_PURE,
     .xStep = window_funnel_step, .xFinal = window_funnel_final},
    {.name = "window_funnel_times", .n_arg = -1, .flags = GOPS_PURE,
     .xStep = window_funnel_times_step, .xFinal = window_funnel_times_final},
    {.name = "window_funnel_steps", .n_arg = 4, .flags = GOPS_PURE,
     .xStep = window_funnel_steps_step, .xFinal = window_funnel_final},
    {.name = "window_funnel_steps", .n_arg = 5, .flags = GOPS_PURE,
     .xStep = window_funnel_steps_step, .xFinal = window_funnel_final},
    {.name = "retention", .n_arg = -1, .flags = GOPS_PURE,
     .xStep = retention_step, .xFinal = retention_final},
};

int gops_funnel_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, funnel_functions, (int)(sizeof(funnel_functions) / sizeof(funnel_functions[0])),
      pzErrMsg);
}
