/*
** kpi.c: KPI targets in SQL: splitting goals down the calendar,
** attainment, progress, status, payout and weighted scores.
**
**   .load ./growthops
**   SELECT * FROM kpi_split(3000, '2025-06-01', '2025-06-30', 'week');
**   SELECT kpi_attainment(9200, 10000);                 -- 0.92
**   SELECT kpi_progress(41000, 1000, 100000);           -- 0.404...
**   SELECT kpi_status(0.075, 0.10, 0.08);               -- 'below floor'
**   SELECT kpi_payout(0.92, '[[0.6,0],[1,1],[1.5,1.2]]');
**   SELECT kpi_score(score, weight) FROM kpis;
**
** Registers:
**   kpi_split(total, from_date, to_date, grain [, method])
**       table: key, first_day, last_day, days, share, target, target_whole
**   kpi_attainment(actual, target [, direction])     real
**   kpi_progress(current, baseline, target)          real
**   kpi_status(actual, target [, floor [, direction]])
**                                    'met', 'behind' or 'below floor'
**   kpi_payout(attainment [, curve])                 real
**   kpi_score(score, weight)         aggregate and window function
**
** Requirement 1: kpi_split walks the periods of periods(); method is
** 'days' (default), 'even', 'ramp' or a JSON array of weights, one per
** period.  Shares sum to 1; target_whole sums exactly to round(total), by
** largest-remainder rounding (kpi_core.h), also for negative totals and
** totals smaller than the number of periods.
** Requirement 2: NULL in, NULL out (an empty table for kpi_split), except
** where an optional argument's NULL means its default: kpi_split's method
** ('days') and kpi_status's floor (no floor).
** Requirement 3: division by zero gives NULL (kpi_attainment with target
** 0, kpi_progress with target = baseline, kpi_score with no weight);
** never NaN or Inf.
** Requirement 4: every error names the function and the argument; JSON
** errors (weights, curves) also name the element that is wrong.
** Requirement 5: sizes from input are bounded: |total| <= 1e15, curves of
** at most GOPS_KPI_CURVE_MAX points, weights exactly one per period (and
** periods at most GOPS_PERIODS_MAX, as periods()).
** Requirement 6: a parsed payout curve and a direction are kept with the
** statement (sqlite3_set_auxdata), so constants are read once per query.
** Requirement 7: kpi_score is a window function too; xValue and xFinal
** share one compute, xInverse undoes xStep exactly for the same rows.
*/
#include "kpi_core.h"
#include "table.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* ---- shared ----------------------------------------------------------- */

/* What the JSON arguments must be ("must be " + what, for the messages). */
#define METHODS_WHAT "'days', 'even', 'ramp' or a JSON array of weights"
#define CURVE_WHAT "a JSON array of [attainment, payout] points"

/* Reads an optional direction; NULL is not accepted here (callers give
** NULL out first). */
static int read_direction(sqlite3_context *ctx, sqlite3_value **argv, int index0,
                          const char *fn, gops_kpi_direction *out, char **pzErr) {
  /* Requirement 6: a constant direction is read once per statement; the
  ** auxdata points at one of these, so nothing is allocated or freed. */
  static const gops_kpi_direction known[] = {GOPS_KPI_HIGHER, GOPS_KPI_LOWER};
  const gops_kpi_direction *cached = sqlite3_get_auxdata(ctx, index0);
  if (cached) {
    *out = *cached;
    return SQLITE_OK;
  }
  sqlite3_value *v = argv[index0];
  if (gops_kpi_direction_parse(gops_value_word(v), out) == 0) {
    sqlite3_set_auxdata(ctx, index0, (void *)&known[*out == GOPS_KPI_LOWER], 0);
    return SQLITE_OK;
  }
  return gops_arg_error(v, fn, index0, "direction", "'higher' or 'lower'", pzErr);
}

/* The message for a JSON argument the text module refused (Requirement
** 4): "fn(): 2nd argument (curve): point 2 must be <element_what>, got
** '[1]'" for an element, "fn(): 2nd argument (curve) must be <array_what>,
** got '...'" for the whole text. */
static int json_error(sqlite3_value *v, const char *fn, int index0, const char *name,
                      const char *element, const char *element_what,
                      const char *array_what, int pair, gops_json_rc rc,
                      const gops_json_fault *fault, char **pzErr) {
  const char *text = (const char *)sqlite3_value_text(v);
  size_t n = (size_t)sqlite3_value_bytes(v);
  const char *ord = gops_ordinal(index0);
  long long at = (long long)fault->index + 1;
  char shown[GOPS_JSON_SNIPPET_SIZE];
  if (text) gops_json_snippet(text, n, fault->at, pair, shown);
  switch (rc) {
    case GOPS_JSON_NOMEM:
      return SQLITE_NOMEM;
    case GOPS_JSON_BAD_ELEMENT:
    case GOPS_JSON_RANGE:
      return gops_errorf(pzErr, "%s(): %s argument (%s): %s %lld must be %s, got %s", fn, ord,
                         name, element, at,
                         rc == GOPS_JSON_RANGE ? "a number within a double's range"
                                               : element_what,
                         shown);
    case GOPS_JSON_NO_SEPARATOR:
      return gops_errorf(pzErr,
                         "%s(): %s argument (%s): %s %lld must be followed by ',' or ']', got %s",
                         fn, ord, name, element, at, shown);
    case GOPS_JSON_TOO_MANY:
      return gops_errorf(pzErr, "%s(): %s argument (%s) holds more than %lld %ss", fn, ord,
                         name, (long long)fault->index, element);
    default: {
      char *value = gops_value_for_message(v);
      if (value == 0) return SQLITE_NOMEM;
      int result =
          rc == GOPS_JSON_TRAILING
              ? gops_errorf(pzErr, "%s(): %s argument (%s) has text after the closing ']', got %s",
                            fn, ord, name, value)
              : gops_errorf(pzErr, "%s(): %s argument (%s) must be %s, got %s", fn, ord, name,
                            array_what, value);
      sqlite3_free(value);
      return result;
    }
  }
}

/* ---- kpi_split -------------------------------------------------------- */

#define SPLIT "kpi_split"

/* 1 if the method is text that (after white space) opens a JSON array. */
static int is_array(sqlite3_value *v) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return 0;
  const char *t = (const char *)sqlite3_value_text(v);
  const char *end = t + sqlite3_value_bytes(v);
  if (t == 0) return 0;
  t = gops_skip_space(t, end);
  return t < end && *t == '[';
}

/* The weights from a JSON array, one per period (Requirement 5). */
static int read_weights(sqlite3_value *v, gops_kpi_part *parts, int64_t n,
                        double *weights, char **pzErr) {
  int64_t count;
  gops_json_fault fault;
  const char *text = (const char *)sqlite3_value_text(v);
  if (text == 0) return SQLITE_NOMEM;
  gops_json_rc rc =
      gops_json_numbers(text, (size_t)sqlite3_value_bytes(v), weights, n, &count, &fault);
  if (rc != GOPS_JSON_OK) {
    return json_error(v, SPLIT, 4, "method", "weight", "a number", METHODS_WHAT, 0, rc,
                      &fault, pzErr);
  }
  if (count != n) {
    return gops_errorf(pzErr, "%s(): 5th argument (method) holds %lld weight%s for %lld period%s",
                       SPLIT, (long long)count, count == 1 ? "" : "s", (long long)n,
                       n == 1 ? "" : "s");
  }
  for (int64_t i = 0; i < n; i++) parts[i].weight = weights[i];
  return SQLITE_OK;
}

static int split_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  sqlite3_value **args = scan->args;
  /* Requirement 2: NULL in a required argument, an empty table. */
  if (gops_any_null(args, 4)) return SQLITE_OK;
  double total;
  int64_t from, to;
  gops_grain grain;
  int rc = gops_arg_number_within(args[0], SPLIT, 0, "total", -GOPS_KPI_TOTAL_MAX, 0,
                                  GOPS_KPI_TOTAL_MAX, "a number between -1e15 and 1e15",
                                  &total, pzErr);
  if (rc == SQLITE_OK) rc = gops_read_range_at(args, 1, SPLIT, &from, &to, &grain, pzErr);
  if (rc != SQLITE_OK) return rc;

  gops_kpi_method method = GOPS_KPI_DAYS;
  sqlite3_value *m = args[4];
  int given = m && sqlite3_value_type(m) != SQLITE_NULL;
  int json = given && is_array(m);
  if (given && !json && gops_kpi_method_parse(gops_value_word(m), &method) != 0) {
    return gops_arg_error(m, SPLIT, 4, "method", METHODS_WHAT, pzErr);
  }

  /* One allocation: the parts, the rounding's scratch and, for JSON, the
  ** weights as parsed. */
  int64_t n = gops_period_count(from, to, grain);
  assert(n >= 1 && n <= GOPS_PERIODS_MAX); /* gops_read_range_at */
  size_t each = sizeof(gops_kpi_part) + sizeof(gops_kpi_rank) + sizeof(double);
  char *mem = sqlite3_malloc64((sqlite3_uint64)n * each);
  if (mem == 0) return SQLITE_NOMEM;
  gops_kpi_part *parts = (gops_kpi_part *)mem;
  gops_kpi_rank *scratch = (gops_kpi_rank *)(parts + n);
  double *weights = (double *)(scratch + n);

  gops_period p;
  int64_t cursor = from, i = 0;
  while (gops_period_walk(&cursor, to, grain, &p)) {
    parts[i].weight = gops_kpi_method_weight(method, i, p.days);
    i++;
  }
  if (json) rc = read_weights(m, parts, n, weights, pzErr);
  if (rc == SQLITE_OK) {
    int64_t bad;
    int status = gops_kpi_split(total, parts, n, scratch, &bad);
    switch (status) {
      case GOPS_KPI_OK:
        break;
      case GOPS_KPI_NEGATIVE:
        rc = gops_errorf(pzErr,
                         "%s(): 5th argument (method): weight %lld must not be negative, got %.15g",
                         SPLIT, (long long)bad + 1, parts[bad].weight);
        break;
      default:
        assert(status == GOPS_KPI_ALL_ZERO); /* the total was checked above */
        rc = gops_errorf(pzErr, "%s(): 5th argument (method) has no weight above 0", SPLIT);
        break;
    }
  }
  cursor = from;
  i = 0;
  while (rc == SQLITE_OK && gops_period_walk(&cursor, to, grain, &p)) {
    gops_rows_text(rows, p.key, -1);
    gops_rows_day(rows, p.first_day);
    gops_rows_day(rows, p.last_day);
    gops_rows_int(rows, p.days);
    gops_rows_double(rows, parts[i].share);
    gops_rows_double(rows, parts[i].target);
    gops_rows_int(rows, parts[i].whole);
    i++;
  }
  sqlite3_free(mem);
  return rc == SQLITE_OK ? gops_rows_status(rows) : rc;
}

const gops_table gops_kpi_split_table = {
    .name = SPLIT,
    .columns = "key TEXT, first_day TEXT, last_day TEXT, days INTEGER, share REAL, "
               "target REAL, target_whole INTEGER",
    .args = {"total", "from_date", "to_date", "grain", "method"},
    .n_required = 4,
    .compute = split_compute,
};

/* ---- kpi_attainment, kpi_progress ------------------------------------- */

static void attainment_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char fn[] = "kpi_attainment";
  static const char *const names[] = {"actual", "target"};
  double v[2];
  gops_kpi_direction direction = GOPS_KPI_HIGHER;
  if (argc > 2 && sqlite3_value_type(argv[2]) == SQLITE_NULL) return;
  if (gops_read_numbers(ctx, argv, 2, fn, names, v) <= 0) return;
  char *err = 0;
  if (argc > 2 && read_direction(ctx, argv, 2, fn, &direction, &err) != SQLITE_OK) {
    gops_result_error_take(ctx, err);
    return;
  }
  /* Requirement 3: a zero divisor gives NaN, which becomes NULL. */
  gops_result_double(ctx, gops_kpi_attainment(v[0], v[1], direction));
}

static void progress_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const names[] = {"current", "baseline", "target"};
  double v[3];
  (void)argc;
  if (gops_read_numbers(ctx, argv, 3, "kpi_progress", names, v) <= 0) return;
  gops_result_double(ctx, gops_kpi_progress(v[0], v[1], v[2]));
}

/* ---- kpi_status ------------------------------------------------------- */

static void status_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char fn[] = "kpi_status";
  static const char *const names[] = {"actual", "target", "floor"};
  /* Requirement 2: a NULL floor means no floor; any other NULL, NULL. */
  int has_floor = argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL;
  double v[3] = {0, 0, 0};
  gops_kpi_direction direction = GOPS_KPI_HIGHER;
  if (argc > 3 && sqlite3_value_type(argv[3]) == SQLITE_NULL) return;
  if (gops_read_numbers(ctx, argv, has_floor ? 3 : 2, fn, names, v) <= 0) return;
  char *err = 0;
  if (argc > 3 && read_direction(ctx, argv, 3, fn, &direction, &err) != SQLITE_OK) {
    gops_result_error_take(ctx, err);
    return;
  }
  if (has_floor && gops_kpi_floor_misplaced(v[1], v[2], direction)) {
    gops_result_errorf(ctx,
                       "%s(): 3rd argument (floor) %.15g must not be %s the 2nd "
                       "(target) %.15g when %s is better",
                       fn, v[2], direction == GOPS_KPI_LOWER ? "below" : "above",
                       v[1], direction == GOPS_KPI_LOWER ? "lower" : "higher");
    return;
  }
  const char *name =
      gops_kpi_status_name(gops_kpi_status_of(v[0], v[1], has_floor, v[2], direction));
  sqlite3_result_text(ctx, name, -1, SQLITE_STATIC);
}

/* ---- kpi_payout ------------------------------------------------------- */

typedef struct curve {
  int64_t n;
  double *x, *y; /* point into the same allocation */
} curve;

/* The default curve: in proportion to completion, capped at 100%. */
static const double default_x[] = {0.0, 1.0};
static const double default_y[] = {0.0, 1.0};

/* Parses and checks a curve (Requirement 4); *out is sqlite3_malloc'ed. */
static int read_curve(sqlite3_value *v, curve **out, char **pzErr) {
  static const char fn[] = "kpi_payout";
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    return gops_arg_error(v, fn, 1, "curve", CURVE_WHAT, pzErr);
  }
  const char *text = (const char *)sqlite3_value_text(v);
  if (text == 0) return SQLITE_NOMEM;
  curve *c = sqlite3_malloc64(sizeof(curve) + 2 * GOPS_KPI_CURVE_MAX * sizeof(double));
  if (c == 0) return SQLITE_NOMEM;
  c->x = (double *)(c + 1);
  c->y = c->x + GOPS_KPI_CURVE_MAX;
  gops_json_fault fault;
  int64_t bad;
  gops_json_rc parsed = gops_json_pairs(text, (size_t)sqlite3_value_bytes(v), c->x, c->y,
                                        GOPS_KPI_CURVE_MAX, &c->n, &fault);
  int rc = SQLITE_ERROR;
  if (parsed != GOPS_JSON_OK) {
    rc = json_error(v, fn, 1, "curve", "point", "a pair of numbers [attainment, payout]",
                    CURVE_WHAT, 1, parsed, &fault, pzErr);
  } else if (c->n == 0) {
    rc = gops_errorf(pzErr, "%s(): 2nd argument (curve) must hold at least one point", fn);
  } else if ((bad = gops_kpi_curve_check(c->x, c->n)) != 0) {
    rc = gops_errorf(pzErr,
                     "%s(): 2nd argument (curve): point %lld has a lower attainment (%.15g) "
                     "than point %lld (%.15g)",
                     fn, (long long)bad + 1, c->x[bad], (long long)bad, c->x[bad - 1]);
  } else {
    *out = c;
    return SQLITE_OK;
  }
  sqlite3_free(c);
  return rc;
}

static void payout_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const names[] = {"attainment"};
  double a;
  char *err = 0;
  if (argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_NULL) return;
  if (gops_read_numbers(ctx, argv, 1, "kpi_payout", names, &a) <= 0) return;
  if (argc == 1) {
    gops_result_double(ctx, gops_kpi_payout(default_x, default_y, 2, a));
    return;
  }
  /* Requirement 6: parse a curve once per statement. */
  curve *c = sqlite3_get_auxdata(ctx, 1);
  if (c == 0) {
    int rc = read_curve(argv[1], &c, &err);
    if (rc != SQLITE_OK) {
      if (rc == SQLITE_NOMEM) {
        sqlite3_result_error_nomem(ctx);
      } else {
        gops_result_error_take(ctx, err);
      }
      return;
    }
    sqlite3_set_auxdata(ctx, 1, c, sqlite3_free);
    c = sqlite3_get_auxdata(ctx, 1); /* NULL if SQLite freed it already */
    if (c == 0) {
      /* Not kept (out of memory or not a constant): parse for this row. */
      if (read_curve(argv[1], &c, &err) != SQLITE_OK) {
        gops_result_error_take(ctx, err);
        return;
      }
      gops_result_double(ctx, gops_kpi_payout(c->x, c->y, c->n, a));
      sqlite3_free(c);
      return;
    }
  }
  gops_result_double(ctx, gops_kpi_payout(c->x, c->y, c->n, a));
}

/* ---- kpi_score -------------------------------------------------------- */

/* Reads (score, weight) of one row: 1 to count it, 0 to skip it (NULL),
** -1 after setting an error. */
static int score_row(sqlite3_context *ctx, sqlite3_value **argv, double *score,
                     double *weight) {
  static const char fn[] = "kpi_score";
  static const char *const names[] = {"score", "weight"};
  double v[2];
  int got = gops_read_numbers(ctx, argv, 2, fn, names, v);
  if (got <= 0) return got;
  if (v[1] < 0) {
    char *err = 0;
    gops_arg_error(argv[1], fn, 1, "weight", "a number >= 0", &err);
    gops_result_error_take(ctx, err);
    return -1;
  }
  *score = v[0];
  *weight = v[1];
  return 1;
}

/* xStep (sign 1) and xInverse (sign -1): the same rows are read and
** skipped both ways, so a row leaving the frame undoes exactly its step. */
static void score_update(sqlite3_context *ctx, sqlite3_value **argv, int sign) {
  double score, weight;
  if (score_row(ctx, argv, &score, &weight) <= 0) return;
  gops_kpi_mean *m = sqlite3_aggregate_context(ctx, sizeof(*m));
  if (m == 0) {
    sqlite3_result_error_nomem(ctx);
  } else if (sign > 0) {
    gops_kpi_mean_add(m, score, weight);
  } else {
    gops_kpi_mean_remove(m, score, weight);
  }
}

static void score_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  score_update(ctx, argv, 1);
}

static void score_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  score_update(ctx, argv, -1);
}

/* Requirement 7: the one compute behind xValue and xFinal. */
static void score_value(sqlite3_context *ctx) {
  gops_kpi_mean *m = sqlite3_aggregate_context(ctx, 0);
  if (m == 0) return; /* no row: NULL */
  gops_result_double(ctx, gops_kpi_mean_value(m));
}

/* ---- registration ----------------------------------------------------- */

static const gops_function kpi_functions[] = {
    {.name = "kpi_attainment", .n_arg = 2, .flags = GOPS_PURE, .xFunc = attainment_func},
    {.name = "kpi_attainment", .n_arg = 3, .flags = GOPS_PURE, .xFunc = attainment_func},
    {.name = "kpi_progress", .n_arg = 3, .flags = GOPS_PURE, .xFunc = progress_func},
    {.name = "kpi_status", .n_arg = 2, .flags = GOPS_PURE, .xFunc = status_func},
    {.name = "kpi_status", .n_arg = 3, .flags = GOPS_PURE, .xFunc = status_func},
    {.name = "kpi_status", .n_arg = 4, .flags = GOPS_PURE, .xFunc = status_func},
    {.name = "kpi_payout", .n_arg = 1, .flags = GOPS_PURE, .xFunc = payout_func},
    {.name = "kpi_payout", .n_arg = 2, .flags = GOPS_PURE, .xFunc = payout_func},
    {.name = "kpi_score", .n_arg = 2, .flags = GOPS_PURE, .xStep = score_step,
     .xFinal = score_value, .xValue = score_value, .xInverse = score_inverse},
};

int gops_kpi_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, kpi_functions, (int)(sizeof(kpi_functions) / sizeof(kpi_functions[0])),
      pzErrMsg);
}
