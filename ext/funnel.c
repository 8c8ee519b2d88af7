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
**                           funnel(source, user, time, step, steps, window)
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
** Requirement 9: window_funnel_steps takes its steps as data (a JSON
** array of 1 to 64 event names, e.g. built from a table of a campaign's
** funnel steps), read on the group's first row like window and mode; a row
** meets step i when its event equals the i-th name (a NULL event meets
** none); otherwise it is window_funnel, with the same funnel core.  NULL
** steps give NULL; anything but an array of names is an error naming the
** step at fault.
** Requirement 8: the funnel virtual table reads its source through
** identifiers checked at CREATE (source.h); it reads the database, so it
** is not declared innocuous.
*/
#include "source.h"
#include "tvf.h"

#include "funnel_core.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *funnel_realloc(void *p, uint64_t n) { return sqlite3_realloc64(p, n); }
static void funnel_free(void *p) { sqlite3_free(p); }
static const gops_funnel_alloc sqlite_alloc = {funnel_realloc, funnel_free};

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
  /* window_funnel_steps: the step names, a row's event meets step i when
  ** it is names[i] (NULL for the aggregates of conditions). */
  gops_json_item *names;
  int n_names;
  gops_funnel f; /* last: its size depends on the steps */
} funnel_agg;

/* Frees what a group holds: the funnel's buffers and the step names. */
static void funnel_agg_release(funnel_agg *agg) {
  gops_funnel_release(&agg->f);
  gops_json_items_free(agg->names, agg->n_names, &sqlite_alloc);
  agg->names = 0;
  agg->n_names = 0;
}

/* Allocates the group's state for n_steps, reads window and mode (when
** has_mode) and sets the funnel up.  Returns SQLITE_OK (status READY or
** NULL, *out set) or an error code with *pzErr. */
static int funnel_agg_setup(sqlite3_context *ctx, funnel_agg **out, sqlite3_value **argv,
                            const char *fn, int has_mode, int n_steps, int with_times,
                            char **pzErr) {
  size_t size = offsetof(funnel_agg, f) + gops_funnel_size(n_steps, with_times);
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
  int rc = gops_arg_number(argv[0], fn, 0, "window", &window, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (!(window > 0)) {
    char *shown = gops_value_for_message(argv[0]);
    if (shown == 0) return SQLITE_NOMEM;
    *pzErr = sqlite3_mprintf("%s(): 1st argument (window) must be a positive number, got %s",
                             fn, shown);
    sqlite3_free(shown);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  unsigned modes = 0;
  if (has_mode) {
    const char *text;
    rc = gops_arg_text(argv[1], fn, 1, "mode", &text, pzErr);
    if (rc != SQLITE_OK) return rc;
    int parsed = gops_funnel_parse_modes(text, &modes);
    if (parsed != 0) {
      char *shown = gops_value_for_message(argv[1]);
      if (shown == 0) return SQLITE_NOMEM;
      if (parsed == -2) {
        *pzErr = sqlite3_mprintf(
            "%s(): 2nd argument (mode) may have 'allow_reentry' only with 'strict_order', got %s",
            fn, shown);
      } else {
        *pzErr = sqlite3_mprintf(
            "%s(): 2nd argument (mode) must be one or more of " GOPS_FUNNEL_MODE_NAMES
            ", comma-separated, got %s",
            fn, shown);
      }
      sqlite3_free(shown);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
  }
  gops_funnel_setup(&agg->f, n_steps, modes, window, with_times, &sqlite_alloc);
  agg->status = AGG_READY;
  return SQLITE_OK;
}

/* window_funnel(window, [mode,] ts, cond1, ..., condN) on a group's first
** row. */
static int funnel_agg_start(sqlite3_context *ctx, funnel_agg **out, int argc,
                            sqlite3_value **argv, const char *fn, int with_times,
                            char **pzErr) {
  /* Requirement 3: is the 2nd argument a mode? */
  int has_mode = 0;
  double unused;
  if (argc >= 4) {
    int t = sqlite3_value_type(argv[1]);
    has_mode = t == SQLITE_BLOB || (t == SQLITE_TEXT && gops_value_unix(argv[1], &unused) != 0);
  }
  int n_steps = argc - 2 - has_mode;
  if (argc < 3) {
    *pzErr = sqlite3_mprintf("%s(): needs a window, a ts and at least one condition", fn);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (n_steps > GOPS_FUNNEL_MAX_STEPS) {
    *pzErr = sqlite3_mprintf("%s(): takes 1 to %d conditions, got %d", fn,
                             GOPS_FUNNEL_MAX_STEPS, n_steps);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  return funnel_agg_setup(ctx, out, argv, fn, has_mode, n_steps, with_times, pzErr);
}

/* window_funnel_steps(window, [mode,] ts, event, steps) on a group's first
** row: Requirement 9, the steps are a JSON array of step names. */
static int steps_agg_start(sqlite3_context *ctx, funnel_agg **out, int argc,
                           sqlite3_value **argv, const char *fn, char **pzErr) {
  const int has_mode = argc == 5;
  sqlite3_value *steps = argv[argc - 1];
  gops_json_item *names = 0;
  int n = 0;
  if (sqlite3_value_type(steps) != SQLITE_NULL) {
    int bad = 0, parsed = 1;
    if (sqlite3_value_type(steps) == SQLITE_TEXT) {
      const char *text = (const char *)sqlite3_value_text(steps);
      if (text == 0) return SQLITE_NOMEM;
      parsed = gops_json_items(text, (size_t)sqlite3_value_bytes(steps), 0,
                               GOPS_FUNNEL_MAX_STEPS, &sqlite_alloc, &names, &n, &bad);
      if (parsed == 1) return SQLITE_NOMEM;
    }
    if (parsed != 0 || n == 0) {
      gops_json_items_free(names, n, &sqlite_alloc);
      if (parsed == 2) {
        *pzErr = sqlite3_mprintf("%s(): %s argument (steps) has more than %d steps", fn,
                                 gops_ordinal(argc - 1), GOPS_FUNNEL_MAX_STEPS);
      } else if (parsed == -1 && bad > 0) {
        *pzErr = sqlite3_mprintf("%s(): %s argument (steps): step %d must be a step name, "
                                 "a JSON string", fn, gops_ordinal(argc - 1), bad);
      } else {
        char *shown = gops_value_for_message(steps);
        if (shown == 0) return SQLITE_NOMEM;
        *pzErr = sqlite3_mprintf("%s(): %s argument (steps) must be a JSON array of 1 to %d "
                                 "step names, e.g. '[\"install\",\"register\",\"use\"]', got %s",
                                 fn, gops_ordinal(argc - 1), GOPS_FUNNEL_MAX_STEPS, shown);
        sqlite3_free(shown);
      }
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
  }
  int rc = funnel_agg_setup(ctx, out, argv, fn, has_mode, n ? n : 1, 0, pzErr);
  if (rc != SQLITE_OK) {
    gops_json_items_free(names, n, &sqlite_alloc);
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
    const int n = agg->f.n_steps;
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

/* A count as a cell: an integer when it is whole. */
static int rows_number(gops_rows *rows, double v) {
  if (v == floor(v) && fabs(v) < 9007199254740992.0) return gops_rows_int(rows, (sqlite3_int64)v);
  return gops_rows_double(rows, v);
}

static int stages_compute(sqlite3_value **args, gops_rows *rows, char **pzErr) {
  static const char fn[] = "funnel_stages";
  static const char what[] = "a JSON array of [name, count] pairs";
  if (gops_any_null(args, 1)) return SQLITE_OK;
  if (sqlite3_value_type(args[0]) != SQLITE_TEXT) {
    char *shown = gops_value_for_message(args[0]);
    if (shown == 0) return SQLITE_NOMEM;
    *pzErr = sqlite3_mprintf("%s(): 1st argument (stages) must be %s, got %s", fn, what, shown);
    sqlite3_free(shown);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  const char *text = (const char *)sqlite3_value_text(args[0]);
  if (text == 0) return SQLITE_NOMEM;
  gops_json_item *items = 0;
  int n = 0, bad = 0;
  int rc = gops_json_items(text, (size_t)sqlite3_value_bytes(args[0]), 1,
                           GOPS_FUNNEL_MAX_STEPS, &sqlite_alloc, &items, &n, &bad);
  if (rc == 1) return SQLITE_NOMEM;
  if (rc == 2) {
    *pzErr = sqlite3_mprintf("%s(): 1st argument (stages) has more than %d steps", fn,
                             GOPS_FUNNEL_MAX_STEPS);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  if (rc != 0) {
    if (bad > 0) {
      *pzErr = sqlite3_mprintf("%s(): 1st argument (stages): step %d must be a [text, "
                               "non-negative number] pair", fn, bad);
    } else {
      char *shown = gops_value_for_message(args[0]);
      if (shown == 0) return SQLITE_NOMEM;
      *pzErr = sqlite3_mprintf("%s(): 1st argument (stages) must be %s, got %s", fn, what, shown);
      sqlite3_free(shown);
    }
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  double counts[GOPS_FUNNEL_MAX_STEPS];
  gops_stage stages[GOPS_FUNNEL_MAX_STEPS];
  rc = SQLITE_OK;
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    counts[i] = items[i].count;
    if (counts[i] < 0) {
      *pzErr = sqlite3_mprintf("%s(): 1st argument (stages): step %d ('%q') must have a "
                               "non-negative count, got %.15g", fn, i + 1, items[i].name,
                               counts[i]);
      rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
  }
  int rising = rc == SQLITE_OK ? gops_funnel_stages(counts, n, stages) : 0;
  if (rising) {
    int k = rising - 1;
    *pzErr = sqlite3_mprintf("%s(): 1st argument (stages): step %d ('%q') has more users "
                             "(%.15g) than step %d ('%q') (%.15g)", fn, k + 1,
                             items[k].name, counts[k], k, items[k - 1].name, counts[k - 1]);
    rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  for (int i = 0; i < n && rc == SQLITE_OK; i++) {
    rc = gops_rows_int(rows, i + 1);
    if (rc == SQLITE_OK) rc = gops_rows_text(rows, items[i].name, -1);
    if (rc == SQLITE_OK) rc = rows_number(rows, stages[i].users);
    if (rc == SQLITE_OK) rc = gops_rows_double(rows, stages[i].step_rate);
    if (rc == SQLITE_OK) rc = gops_rows_double(rows, stages[i].overall_rate);
    if (rc == SQLITE_OK) {
      rc = isnan(stages[i].drop_off) ? gops_rows_null(rows) : rows_number(rows, stages[i].drop_off);
    }
  }
  gops_json_items_free(items, n, &sqlite_alloc);
  return rc;
}

static const gops_tvf stages_tvf = {
    .name = "funnel_stages",
    .schema = "CREATE TABLE x(step INTEGER, name TEXT, users, step_rate REAL, "
              "overall_rate REAL, drop_off, stages HIDDEN)",
    .n_columns = 6,
    .n_args = 1,
    .n_required = 1,
    .arg_names = {"stages"},
    .compute = stages_compute,
};

/* ---- CREATE VIRTUAL TABLE x USING funnel(source, user, time, step, steps, window) ---- */

#define FUNNEL_COL_SINCE 7
#define FUNNEL_COL_UNTIL 8

typedef struct funnel_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  char *source, *user, *time, *step; /* unquoted identifiers */
  gops_json_item *names;
  int n_steps;
  double window; /* seconds */
} funnel_vtab;

typedef struct funnel_out {
  double users, step_rate, overall_rate, drop_off, median;
} funnel_out;

typedef struct funnel_cursor {
  sqlite3_vtab_cursor base;
  int row;
  funnel_out out[GOPS_FUNNEL_MAX_STEPS];
  sqlite3_value *since, *until;
} funnel_cursor;

static void funnel_vtab_free(funnel_vtab *vt) {
  if (vt == 0) return;
  sqlite3_free(vt->source);
  sqlite3_free(vt->user);
  sqlite3_free(vt->time);
  sqlite3_free(vt->step);
  gops_json_items_free(vt->names, vt->n_steps, &sqlite_alloc);
  sqlite3_free(vt);
}

static int funnel_connect_common(sqlite3 *db, int argc, const char *const *argv,
                                 sqlite3_vtab **ppVtab, char **pzErr, int check) {
  static const char module[] = "funnel";
  static const char *const arg_names[] = {"source", "user", "time", "step"};
  *ppVtab = 0;
  if (argc != 9) {
    *pzErr = sqlite3_mprintf("funnel: takes 6 arguments (source, user, time, step, steps, "
                             "window), got %d", argc - 3);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  funnel_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (vt == 0) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  char **ids[] = {&vt->source, &vt->user, &vt->time, &vt->step};
  int rc = SQLITE_OK;
  for (int i = 0; i < 4; i++) {
    *ids[i] = gops_source_identifier(argv[3 + i], module, i, arg_names[i], pzErr);
    if (*ids[i] == 0) {
      rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
      goto fail;
    }
  }
  char *steps = gops_source_unquote(argv[7]);
  if (steps == 0) {
    rc = SQLITE_NOMEM;
    goto fail;
  }
  int bad = 0;
  int parsed = gops_json_items(steps, strlen(steps), 0, GOPS_FUNNEL_MAX_STEPS, &sqlite_alloc,
                               &vt->names, &vt->n_steps, &bad);
  if (parsed == 1) {
    sqlite3_free(steps);
    rc = SQLITE_NOMEM;
    goto fail;
  }
  if (parsed != 0 || vt->n_steps == 0) {
    *pzErr = sqlite3_mprintf("funnel: 5th argument (steps) must be a JSON array of 1 to %d "
                             "step names, such as '[\"visit\",\"order\"]', got '%.40q'",
                             GOPS_FUNNEL_MAX_STEPS, steps);
    sqlite3_free(steps);
    rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    goto fail;
  }
  sqlite3_free(steps);
  {
    char *end = 0;
    const char *w = argv[8];
    double window = strtod(w, &end);
    while (end && (*end == ' ' || *end == '\t')) end++;
    if (end == w || end == 0 || *end != 0 || !(window > 0) || !isfinite(window)) {
      *pzErr = sqlite3_mprintf("funnel: 6th argument (window) must be a positive number of "
                               "seconds, got %.40Q", w);
      rc = *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
      goto fail;
    }
    vt->window = window;
  }
  if (check) {
    const char *columns[] = {vt->user, vt->time, vt->step};
    rc = gops_source_columns(db, module, vt->source, columns, 3, pzErr);
    if (rc != SQLITE_OK) goto fail;
  }
  rc = sqlite3_declare_vtab(db,
                            "CREATE TABLE x(step INTEGER, name TEXT, users INTEGER, "
                            "step_rate REAL, overall_rate REAL, drop_off INTEGER, "
                            "median_seconds REAL, since HIDDEN, until HIDDEN)");
  if (rc != SQLITE_OK) goto fail;
  /* Requirement 8: not innocuous (it reads the database). */
  *ppVtab = &vt->base;
  return SQLITE_OK;
fail:
  funnel_vtab_free(vt);
  return rc;
}

static int funnel_create(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  (void)aux;
  return funnel_connect_common(db, argc, argv, ppVtab, pzErr, 1);
}

static int funnel_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                          sqlite3_vtab **ppVtab, char **pzErr) {
  (void)aux;
  return funnel_connect_common(db, argc, argv, ppVtab, pzErr, 0);
}

static int funnel_disconnect(sqlite3_vtab *base) {
  funnel_vtab_free((funnel_vtab *)base);
  return SQLITE_OK;
}

/* idxNum: bit 1 = since given, bit 2 = until given (argv in that order). */
static int funnel_best_index(sqlite3_vtab *base, sqlite3_index_info *info) {
  (void)base;
  int at[2] = {-1, -1};
  for (int k = 0; k < info->nConstraint; k++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[k];
    if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (c->iColumn == FUNNEL_COL_SINCE) at[0] = k;
    if (c->iColumn == FUNNEL_COL_UNTIL) at[1] = k;
  }
  int idx = 0, argv_index = 0;
  for (int i = 0; i < 2; i++) {
    if (at[i] < 0) continue;
    idx |= 1 << i;
    info->aConstraintUsage[at[i]].argvIndex = ++argv_index;
    info->aConstraintUsage[at[i]].omit = 1;
  }
  info->idxNum = idx;
  info->estimatedCost = 1e6 / (1 + argv_index);
  info->estimatedRows = 8;
  return SQLITE_OK;
}

static int funnel_open(sqlite3_vtab *base, sqlite3_vtab_cursor **ppCursor) {
  (void)base;
  funnel_cursor *cur = sqlite3_malloc(sizeof(*cur));
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static int funnel_close(sqlite3_vtab_cursor *base) {
  funnel_cursor *cur = (funnel_cursor *)base;
  sqlite3_value_free(cur->since);
  sqlite3_value_free(cur->until);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* A growable array of doubles (the seconds between two steps). */
typedef struct doubles {
  double *v;
  size_t n, cap;
} doubles;

static int doubles_push(doubles *d, double x) {
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 256;
    double *v = sqlite3_realloc64(d->v, cap * sizeof(double));
    if (v == 0) return SQLITE_NOMEM;
    d->v = v;
    d->cap = cap;
  }
  d->v[d->n++] = x;
  return SQLITE_OK;
}

/* The previous row's user, to tell where a user's rows end. */
typedef struct user_key {
  int type;
  sqlite3_int64 i;
  char *text;
  int n, cap;
} user_key;

static int user_same(const user_key *k, sqlite3_stmt *stmt) {
  int type = sqlite3_column_type(stmt, 0);
  if (type != k->type) return 0;
  if (type == SQLITE_INTEGER) return sqlite3_column_int64(stmt, 0) == k->i;
  const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(stmt, 0)
                                      : (const void *)sqlite3_column_text(stmt, 0);
  int n = sqlite3_column_bytes(stmt, 0);
  return n == k->n && (n == 0 || memcmp(p, k->text, (size_t)n) == 0);
}

static int user_set(user_key *k, sqlite3_stmt *stmt) {
  k->type = sqlite3_column_type(stmt, 0);
  if (k->type == SQLITE_INTEGER) {
    k->i = sqlite3_column_int64(stmt, 0);
    return SQLITE_OK;
  }
  const void *p = k->type == SQLITE_BLOB ? sqlite3_column_blob(stmt, 0)
                                         : (const void *)sqlite3_column_text(stmt, 0);
  int n = sqlite3_column_bytes(stmt, 0);
  if (n > k->cap) {
    char *t = sqlite3_realloc64(k->text, (sqlite3_uint64)n);
    if (t == 0) return SQLITE_NOMEM;
    k->text = t;
    k->cap = n;
  }
  if (n) memcpy(k->text, p, (size_t)n);
  k->n = n;
  return SQLITE_OK;
}

/* One user's rows are done: count the steps reached and their times. */
static int funnel_user_done(gops_funnel *f, double *users, doubles *gaps) {
  int level = 0;
  double times[GOPS_FUNNEL_MAX_STEPS];
  gops_funnel_rc rc = gops_funnel_finish(f, &level, times);
  gops_funnel_release(f);
  if (rc != GOPS_FUNNEL_OK) return SQLITE_NOMEM;
  for (int k = 0; k < level; k++) {
    users[k] += 1;
    if (k > 0 && doubles_push(&gaps[k], times[k] - times[k - 1]) != SQLITE_OK) return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

static int funnel_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc,
                         sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  funnel_cursor *cur = (funnel_cursor *)base;
  funnel_vtab *vt = (funnel_vtab *)base->pVtab;
  const int n = vt->n_steps;
  sqlite3_value_free(cur->since);
  sqlite3_value_free(cur->until);
  cur->since = cur->until = 0;
  cur->row = 0;

  /* The time range, as unix seconds: [since, until). */
  double range[2] = {-INFINITY, INFINITY};
  int next = 0;
  char *err = 0;
  int rc = SQLITE_OK;
  for (int i = 0; i < 2; i++) {
    if (!(idxNum & (1 << i))) continue;
    sqlite3_value *v = argv[next++];
    sqlite3_value **keep = i == 0 ? &cur->since : &cur->until;
    *keep = sqlite3_value_dup(v);
    if (*keep == 0) return SQLITE_NOMEM;
    if (sqlite3_value_type(v) == SQLITE_NULL) continue;
    if (gops_value_unix(v, &range[i]) != 0) {
      char *shown = gops_value_for_message(v);
      err = sqlite3_mprintf("funnel: %s must be an ISO-8601 time or unix seconds, got %s",
                            i == 0 ? "since" : "until", shown ? shown : "?");
      sqlite3_free(shown);
      rc = err ? SQLITE_ERROR : SQLITE_NOMEM;
      goto done;
    }
  }

  /* The source query: only the funnel's steps, by user and time; the range
  ** is pushed down loosely (a second either side, on numbers and text
  ** alike) and applied exactly below. */
  sqlite3_str *sql = sqlite3_str_new(vt->db);
  sqlite3_str_appendf(sql, "SELECT \"%w\", \"%w\", CAST(\"%w\" AS TEXT) FROM \"%w\" WHERE CAST(\"%w\" AS TEXT) IN (",
                      vt->user, vt->time, vt->step, vt->source, vt->step);
  for (int k = 0; k < n; k++) sqlite3_str_appendf(sql, "%s?%d", k ? ", " : "", k + 1);
  sqlite3_str_appendall(sql, ")");
  const char *as_seconds =
      "CASE WHEN typeof(\"%w\") IN ('integer', 'real') THEN \"%w\" "
      "ELSE (julianday(\"%w\") - 2440587.5) * 86400.0 END";
  if (isfinite(range[0])) {
    sqlite3_str_appendall(sql, " AND ");
    sqlite3_str_appendf(sql, as_seconds, vt->time, vt->time, vt->time);
    sqlite3_str_appendf(sql, " >= ?%d", n + 1);
  }
  if (isfinite(range[1])) {
    sqlite3_str_appendall(sql, " AND ");
    sqlite3_str_appendf(sql, as_seconds, vt->time, vt->time, vt->time);
    sqlite3_str_appendf(sql, " <= ?%d", n + 2);
  }
  sqlite3_str_appendf(sql, " ORDER BY 1, 2");
  char *text = sqlite3_str_finish(sql);
  if (text == 0) return SQLITE_NOMEM;
  sqlite3_stmt *stmt = 0;
  rc = sqlite3_prepare_v2(vt->db, text, -1, &stmt, 0);
  sqlite3_free(text);
  if (rc != SQLITE_OK) {
    err = sqlite3_mprintf("funnel: %s", sqlite3_errmsg(vt->db));
    goto done;
  }
  for (int k = 0; k < n; k++) sqlite3_bind_text(stmt, k + 1, vt->names[k].name, -1, SQLITE_STATIC);
  if (isfinite(range[0])) sqlite3_bind_double(stmt, n + 1, range[0] - 1);
  if (isfinite(range[1])) sqlite3_bind_double(stmt, n + 2, range[1] + 1);

  gops_funnel *f = sqlite3_malloc64(gops_funnel_size(n, 1));
  double users[GOPS_FUNNEL_MAX_STEPS] = {0};
  doubles gaps[GOPS_FUNNEL_MAX_STEPS];
  memset(gaps, 0, sizeof(gaps));
  user_key key = {0};
  int open_user = 0;
  if (f == 0) rc = SQLITE_NOMEM;
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_OK;
    if (sqlite3_column_type(stmt, 0) == SQLITE_NULL) continue;
    sqlite3_value *tv = sqlite3_column_value(stmt, 1);
    if (sqlite3_value_type(tv) == SQLITE_NULL) continue;
    double ts;
    if (gops_value_unix(tv, &ts) != 0) {
      char *shown = gops_value_for_message(tv);
      err = sqlite3_mprintf("funnel: column \"%w\" of \"%w\" must hold ISO-8601 times or unix "
                            "seconds, got %s", vt->time, vt->source, shown ? shown : "?");
      sqlite3_free(shown);
      rc = SQLITE_ERROR;
      break;
    }
    if (ts < range[0] || ts >= range[1]) continue;
    if (!open_user || !user_same(&key, stmt)) {
      if (open_user) rc = funnel_user_done(f, users, gaps);
      if (rc == SQLITE_OK) rc = user_set(&key, stmt);
      if (rc != SQLITE_OK) break;
      gops_funnel_setup(f, n, 0, vt->window, 1, &sqlite_alloc);
      open_user = 1;
    }
    const char *step = (const char *)sqlite3_column_text(stmt, 2);
    uint64_t mask = 0;
    for (int k = 0; step && k < n; k++) {
      if (strcmp(step, vt->names[k].name) == 0) mask |= 1ULL << k;
    }
    gops_funnel_rc frc = gops_funnel_add(f, ts, mask);
    if (frc == GOPS_FUNNEL_LATE_ROW) {
      err = sqlite3_mprintf("funnel: the times of \"%w\" do not sort as times (numbers and "
                            "text mixed?)", vt->source);
      rc = SQLITE_ERROR;
    } else if (frc == GOPS_FUNNEL_TOO_MANY_ROWS) {
      /* Rows that do not sort as times are all buffered, up to the bound. */
      err = sqlite3_mprintf("funnel: more than %d rows of one user out of time order in \"%w\" "
                            "(numbers and text mixed?)", GOPS_FUNNEL_MAX_ROWS, vt->source);
      rc = err ? SQLITE_ERROR : SQLITE_NOMEM;
    } else if (frc != GOPS_FUNNEL_OK) {
      rc = SQLITE_NOMEM;
    }
  }
  if (rc == SQLITE_DONE) {
    rc = open_user ? funnel_user_done(f, users, gaps) : SQLITE_OK;
    open_user = 0;
  } else if (rc != SQLITE_OK && err == 0 && rc != SQLITE_NOMEM) {
    err = sqlite3_mprintf("funnel: %s", sqlite3_errmsg(vt->db));
  }
  if (open_user) gops_funnel_release(f);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_OK) {
    gops_stage stages[GOPS_FUNNEL_MAX_STEPS];
    gops_funnel_stages(users, n, stages); /* counts never rise here */
    for (int k = 0; k < n; k++) {
      cur->out[k].users = stages[k].users;
      cur->out[k].step_rate = stages[k].step_rate;
      cur->out[k].overall_rate = stages[k].overall_rate;
      cur->out[k].drop_off = stages[k].drop_off;
      cur->out[k].median = gops_median(gaps[k].v, gaps[k].n);
    }
  }
  for (int k = 0; k < n; k++) sqlite3_free(gaps[k].v);
  sqlite3_free(key.text);
  sqlite3_free(f);
done:
  if (rc != SQLITE_OK && err) {
    sqlite3_free(vt->base.zErrMsg);
    vt->base.zErrMsg = err;
  }
  return rc;
}

static int funnel_next(sqlite3_vtab_cursor *base) {
  ((funnel_cursor *)base)->row++;
  return SQLITE_OK;
}

static int funnel_eof(sqlite3_vtab_cursor *base) {
  funnel_cursor *cur = (funnel_cursor *)base;
  return cur->row >= ((funnel_vtab *)base->pVtab)->n_steps;
}

static void result_count(sqlite3_context *ctx, double v) {
  if (isnan(v)) return;
  sqlite3_result_int64(ctx, (sqlite3_int64)v);
}

static int funnel_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i) {
  funnel_cursor *cur = (funnel_cursor *)base;
  funnel_vtab *vt = (funnel_vtab *)base->pVtab;
  const funnel_out *o = &cur->out[cur->row];
  switch (i) {
    case 0: sqlite3_result_int(ctx, cur->row + 1); break;
    case 1: sqlite3_result_text(ctx, vt->names[cur->row].name, -1, SQLITE_TRANSIENT); break;
    case 2: result_count(ctx, o->users); break;
    case 3: gops_result_double(ctx, o->step_rate); break;
    case 4: gops_result_double(ctx, o->overall_rate); break;
    case 5: result_count(ctx, o->drop_off); break;
    case 6: gops_result_double(ctx, o->median); break;
    case FUNNEL_COL_SINCE: if (cur->since) sqlite3_result_value(ctx, cur->since); break;
    case FUNNEL_COL_UNTIL: if (cur->until) sqlite3_result_value(ctx, cur->until); break;
  }
  return SQLITE_OK;
}

static int funnel_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *pRowid) {
  *pRowid = ((funnel_cursor *)base)->row + 1;
  return SQLITE_OK;
}

static const sqlite3_module funnel_module = {
    .xCreate = funnel_create,
    .xConnect = funnel_connect,
    .xBestIndex = funnel_best_index,
    .xDisconnect = funnel_disconnect,
    .xDestroy = funnel_disconnect,
    .xOpen = funnel_open,
    .xClose = funnel_close,
    .xFilter = funnel_filter,
    .xNext = funnel_next,
    .xEof = funnel_eof,
    .xColumn = funnel_column,
    .xRowid = funnel_rowid,
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
  int rc = gops_register_functions(
      db, funnel_functions, (int)(sizeof(funnel_functions) / sizeof(funnel_functions[0])),
      pzErrMsg);
  if (rc == SQLITE_OK) rc = gops_tvf_register(db, &stages_tvf, pzErrMsg);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_module(db, "funnel", &funnel_module, 0);
    if (rc != SQLITE_OK && pzErrMsg) {
      *pzErrMsg = sqlite3_mprintf("growthops: cannot register funnel: %s", sqlite3_errstr(rc));
    }
  }
  return rc;
}
