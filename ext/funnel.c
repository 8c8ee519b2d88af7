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
** Requirement 8: the funnel virtual table reads its source through
** identifiers checked at CREATE (source.h); it reads the database, so it
** is not declared innocuous.
** Requirement 9: window_funnel_steps takes its steps as data (a JSON
** array of 1 to 64 event names, e.g. built from a table of a campaign's
** funnel steps), read on the group's first row like window and mode; a row
** meets step i when its event equals the i-th name (a NULL event meets
** none); otherwise it is window_funnel, with the same funnel core.  NULL
** steps give NULL; anything but an array of names is an error naming the
** step at fault.
*/
#include "events.h"

#include "funnel_core.h"

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
  int rc = gops_arg_number_within(argv[0], fn, 0, "window", 0, 1, INFINITY,
                                  "a positive number", &window, pzErr);
  if (rc != SQLITE_OK) return rc;
  unsigned modes = 0;
  if (has_mode) {
    if (sqlite3_value_type(argv[1]) != SQLITE_TEXT) {
      return gops_arg_error(argv[1], fn, 1, "mode", "text", pzErr);
    }
    const char *text = gops_value_word(argv[1]);
    int parsed = text ? gops_funnel_parse_modes(text, &modes) : -1;
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
  }
  gops_funnel_setup(&agg->f, n_steps, modes, window, with_times, &gops_sqlite_alloc);
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

/* ---- CREATE VIRTUAL TABLE x USING funnel(source, user, time, step, steps, window) ---- */

/* What the CREATE arguments after the source's names say. */
typedef struct funnel_config {
  gops_json_name *steps;
  int n_steps;
  double window; /* seconds */
} funnel_config;

/* The source's names, in CREATE order (gops_source: name[0] the table). */
enum { SOURCE_TABLE, SOURCE_USER, SOURCE_TIME, SOURCE_STEP, N_SOURCE_NAMES };
/* The HIDDEN arguments. */
enum { ARG_SINCE, ARG_UNTIL };

static int funnel_configure(const gops_create *create, void *config, char **pzErr) {
  funnel_config *c = config;
  char *steps = gops_source_unquote(create->argv[4]);
  if (steps == 0) return SQLITE_NOMEM;
  gops_json_fault fault;
  gops_json_rc parsed = gops_json_names(steps, strlen(steps), 0, GOPS_FUNNEL_MAX_STEPS,
                                        &gops_sqlite_alloc, &c->steps, &c->n_steps, &fault);
  int rc = SQLITE_OK;
  if (parsed == GOPS_JSON_NOMEM) {
    rc = SQLITE_NOMEM;
  } else if (parsed != GOPS_JSON_OK || c->n_steps == 0) {
    rc = gops_source_arg_error(create->module, 4, "steps",
                               "a JSON array of 1 to " STRINGIFY(GOPS_FUNNEL_MAX_STEPS)
                               " step names, such as '[\"visit\",\"order\"]'",
                               steps, pzErr);
  }
  sqlite3_free(steps);
  if (rc != SQLITE_OK) return rc;
  return gops_source_number(create->argv[5], create->module, 5, "window", 1,
                            "a positive number of seconds", &c->window, pzErr);
}

static void funnel_release(void *config) {
  funnel_config *c = config;
  gops_json_names_free(c->steps, c->n_steps, &gops_sqlite_alloc);
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

/* What one scan of the source adds up. */
typedef struct funnel_tally {
  const gops_scan *scan;
  const funnel_config *config;
  gops_funnel *machine;   /* the current user's */
  int open_user;
  double users[GOPS_FUNNEL_MAX_STEPS];
  doubles gaps[GOPS_FUNNEL_MAX_STEPS]; /* seconds from step k-1 to step k */
} funnel_tally;

/* The current user's rows are done: count the steps reached and their
** times. */
static int tally_user_done(funnel_tally *t) {
  int level = 0;
  double times[GOPS_FUNNEL_MAX_STEPS];
  gops_funnel_rc rc = gops_funnel_finish(t->machine, &level, times);
  gops_funnel_release(t->machine);
  t->open_user = 0;
  if (rc != GOPS_FUNNEL_OK) return SQLITE_NOMEM;
  for (int k = 0; k < level; k++) {
    t->users[k] += 1;
    if (k > 0 && doubles_push(&t->gaps[k], times[k] - times[k - 1]) != SQLITE_OK) {
      return SQLITE_NOMEM;
    }
  }
  return SQLITE_OK;
}

/* The events of a user other than the current one (users compare as
** values, 7 and 7.0 alike: events.h): close the current, open this one. */
static int tally_next_user(funnel_tally *t) {
  int rc = t->open_user ? tally_user_done(t) : SQLITE_OK;
  if (rc != SQLITE_OK) return rc;
  gops_funnel_setup(t->machine, t->config->n_steps, 0, t->config->window, 1,
                    &gops_sqlite_alloc);
  t->open_user = 1;
  return SQLITE_OK;
}

static void tally_clear(funnel_tally *t) {
  if (t->open_user) gops_funnel_release(t->machine);
  for (int k = 0; k < GOPS_FUNNEL_MAX_STEPS; k++) sqlite3_free(t->gaps[k].v);
  sqlite3_free(t->machine);
}

/* The since/until arguments as unix seconds, [range[0], range[1]).
** Returns 1 to go on, 0 when one is NULL (no rows: a comparison with NULL
** is never true), -1 on an error. */
static int read_range(const gops_scan *scan, double range[2], char **pzErr, int *rc) {
  static const char *const names[] = {"since", "until"};
  range[0] = -INFINITY;
  range[1] = INFINITY;
  for (int i = ARG_SINCE; i <= ARG_UNTIL; i++) {
    sqlite3_value *v = scan->args[i];
    if (v == 0) continue;
    if (sqlite3_value_type(v) == SQLITE_NULL) return 0;
    if (gops_value_unix(v, &range[i]) != 0) {
      char *shown = gops_value_for_message(v);
      *rc = shown ? gops_errorf(pzErr, "%s: %s must be an ISO-8601 time or unix seconds, got %s",
                                scan->module, names[i], shown)
                  : SQLITE_NOMEM;
      sqlite3_free(shown);
      return -1;
    }
  }
  return 1;
}

/* A run of one user's step events, by time (events.h), into the tally. */
static int tally_run(void *ctx, const gops_events_run *run, char **pzErr) {
  funnel_tally *t = ctx;
  const gops_scan *scan = t->scan;
  const char *source = scan->source->name[SOURCE_TABLE];
  if (!run->same_user) {
    int rc = tally_next_user(t);
    if (rc != SQLITE_OK) return rc;
    if (run->whole) gops_funnel_in_order(t->machine); /* nothing kept for a replay */
  }
  for (size_t i = 0; i < run->n; i++) {
    gops_funnel_rc rc = run->whole
                            ? gops_funnel_add_ordered(t->machine, run->ts, run->flags, run->n)
                            : gops_funnel_add(t->machine, run->ts[i], run->flags[i]);
    if (run->whole) i = run->n;
    switch (rc) {
      case GOPS_FUNNEL_OK:
        break;
      case GOPS_FUNNEL_LATE_ROW:
        return gops_errorf(pzErr, "%s: the times of \"%w\" do not sort as times (numbers and "
                           "text mixed?)", scan->module, source);
      case GOPS_FUNNEL_TOO_MANY_ROWS:
        /* Rows that do not sort as times are all buffered, up to the bound. */
        return gops_errorf(pzErr, "%s: more than %d rows of one user out of time order in "
                           "\"%w\" (numbers and text mixed?)", scan->module,
                           GOPS_FUNNEL_MAX_ROWS, source);
      default:
        return SQLITE_NOMEM;
    }
  }
  return SQLITE_OK;
}

static int funnel_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  const funnel_config *c = scan->config;
  const int n = c->n_steps;
  double range[2];
  int rc = SQLITE_OK;
  int go = read_range(scan, range, pzErr, &rc);
  if (go <= 0) return rc;

  /* Only the funnel's steps, each user's by time. */
  const char *names[GOPS_FUNNEL_MAX_STEPS];
  for (int k = 0; k < n; k++) names[k] = c->steps[k].name;
  gops_events_want want = {.user = SOURCE_USER, .time = SOURCE_TIME, .event = SOURCE_STEP,
                           .names = names, .n_names = n, .flagged_only = 1, .in_order = 1,
                           .since = range[0], .until = range[1]};
  funnel_tally t;
  memset(&t, 0, sizeof(t));
  t.scan = scan;
  t.config = c;
  t.machine = sqlite3_malloc64(gops_funnel_size(n, 1));
  rc = t.machine ? gops_source_events(scan, &want, tally_run, &t, pzErr) : SQLITE_NOMEM;
  if (rc == SQLITE_OK && t.open_user) rc = tally_user_done(&t);
  if (rc == SQLITE_OK) {
    gops_stage stages[GOPS_FUNNEL_MAX_STEPS];
    /* A user counts at every step up to the deepest reached. */
    int rising = gops_funnel_stages(t.users, n, stages);
    assert(rising == 0);
    (void)rising;
    for (int k = 0; k < n; k++) {
      gops_rows_int(rows, k + 1);
      gops_rows_text(rows, c->steps[k].name, -1);
      gops_rows_count(rows, stages[k].users);
      gops_rows_double(rows, stages[k].step_rate);
      gops_rows_double(rows, stages[k].overall_rate);
      gops_rows_count(rows, stages[k].drop_off);
      gops_rows_double(rows, gops_median(t.gaps[k].v, t.gaps[k].n));
    }
    rc = gops_rows_status(rows);
  }
  tally_clear(&t);
  return rc;
}

/* Requirement 8: reads the database, so not innocuous. */
const gops_table gops_funnel_table = {
    .name = "funnel",
    .columns = "step INTEGER, name TEXT, users INTEGER, step_rate REAL, "
               "overall_rate REAL, drop_off INTEGER, median_seconds REAL",
    .args = {"since", "until"},
    .create_args = {"source", "user", "time", "step", "steps", "window"},
    .n_create_required = 6,
    .n_source_names = N_SOURCE_NAMES,
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
