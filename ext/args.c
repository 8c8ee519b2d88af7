/*
** args.c: registration, messages and argument reading shared by every
** binding.  See growthops_internal.h for what it offers.
*/
#include "growthops_internal.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- registration ------------------------------------------------------ */

int gops_register_functions(sqlite3 *db, const gops_function *functions,
                            int n, char **pzErrMsg) {
  for (int i = 0; i < n; i++) {
    const gops_function *f = &functions[i];
    int rc;
    /* One kind each: scalar, aggregate, or window (an aggregate with
    ** xValue and xInverse). */
    assert((f->xFunc != 0) != (f->xStep != 0 && f->xFinal != 0));
    assert((f->xValue != 0) == (f->xInverse != 0));
    if (f->xFunc) {
      rc = sqlite3_create_function_v2(db, f->name, f->n_arg, f->flags, 0,
                                      f->xFunc, 0, 0, 0);
    } else if (f->xValue) {
      rc = sqlite3_create_window_function(db, f->name, f->n_arg, f->flags, 0,
                                          f->xStep, f->xFinal, f->xValue,
                                          f->xInverse, 0);
    } else {
      rc = sqlite3_create_function_v2(db, f->name, f->n_arg, f->flags, 0, 0,
                                      f->xStep, f->xFinal, 0);
    }
    if (rc != SQLITE_OK) {
      if (pzErrMsg) {
        *pzErrMsg = sqlite3_mprintf("growthops: cannot register %s(): %s",
                                    f->name, sqlite3_errstr(rc));
      }
      return rc;
    }
  }
  return SQLITE_OK;
}

static void *sqlite_realloc(void *p, uint64_t n) { return sqlite3_realloc64(p, n); }
static void sqlite_free(void *p) { sqlite3_free(p); }
const gops_alloc gops_sqlite_alloc = {sqlite_realloc, sqlite_free};

/* ---- messages ------------------------------------------------------------ */

const char *gops_ordinal(int index0) {
  static const char *const names[] = {
      "1st",  "2nd",  "3rd",  "4th",  "5th",  "6th",  "7th",  "8th",
      "9th",  "10th", "11th", "12th", "13th", "14th", "15th", "16th",
      "17th", "18th", "19th", "20th", "21st", "22nd", "23rd", "24th",
      "25th", "26th", "27th", "28th", "29th", "30th", "31st", "32nd",
      "33rd", "34th", "35th", "36th", "37th", "38th", "39th", "40th",
      "41st", "42nd", "43rd", "44th", "45th", "46th", "47th", "48th",
      "49th", "50th", "51st", "52nd", "53rd", "54th", "55th", "56th",
      "57th", "58th", "59th", "60th", "61st", "62nd", "63rd", "64th",
      "65th", "66th", "67th", "68th"};
  int n = (int)(sizeof(names) / sizeof(names[0]));
  return (index0 >= 0 && index0 < n) ? names[index0] : "nth";
}

int gops_errorf(char **pzErr, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  *pzErr = sqlite3_vmprintf(format, ap);
  va_end(ap);
  return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
}

void gops_result_error_take(sqlite3_context *ctx, char *message) {
  if (message == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, message, -1);
  sqlite3_free(message);
}

void gops_result_errorf(sqlite3_context *ctx, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  char *message = sqlite3_vmprintf(format, ap);
  va_end(ap);
  gops_result_error_take(ctx, message);
}

void gops_result_double(sqlite3_context *ctx, double value) {
  if (isfinite(value)) {
    sqlite3_result_double(ctx, value);
  } else {
    sqlite3_result_null(ctx);
  }
}

/* The longest text shown of a value, in bytes. */
#define SHOWN_MAX 40

char *gops_value_for_message(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return sqlite3_mprintf("NULL");
    case SQLITE_BLOB:
      return sqlite3_mprintf("a blob");
    default: {
      const unsigned char *t = sqlite3_value_text(v);
      int n = sqlite3_value_bytes(v);
      if (t == 0) return 0;
      int cut = n > SHOWN_MAX;
      if (cut) {
        /* Cut on a UTF-8 boundary so the message stays valid text. */
        n = SHOWN_MAX;
        while (n > 0 && (t[n] & 0xC0) == 0x80) n--;
      }
      /* A NUL byte shows as SQL writes it, 'a' || char(0) || 'b': shown,
      ** not cut short. */
      sqlite3_str *out = sqlite3_str_new(0);
      int quoted = 0;
      for (int i = 0; i < n; i++) {
        if (t[i] == 0) {
          sqlite3_str_appendall(out, quoted ? "' || char(0)" : i ? " || char(0)" : "char(0)");
          quoted = 0;
          continue;
        }
        if (!quoted) sqlite3_str_appendall(out, i ? " || '" : "'");
        quoted = 1;
        sqlite3_str_appendchar(out, t[i] == '\'' ? 2 : 1, (char)t[i]);
      }
      if (n == 0) sqlite3_str_appendall(out, "''");
      if (cut) sqlite3_str_appendall(out, quoted ? "..." : " || '...");
      if (quoted || cut) sqlite3_str_appendchar(out, 1, '\'');
      return sqlite3_str_finish(out);
    }
  }
}

/* Formats "fn(): 1st argument (name) must be <what>, got <value>". */
int gops_arg_error(sqlite3_value *v, const char *fn, int index0,
                   const char *name, const char *what, char **pzErr) {
  char *shown = gops_value_for_message(v);
  if (shown == 0) return SQLITE_NOMEM;
  int rc = gops_errorf(pzErr, "%s(): %s argument (%s) must be %s, got %s", fn,
                       gops_ordinal(index0), name, what, shown);
  sqlite3_free(shown);
  return rc;
}

/* ---- numbers ------------------------------------------------------------- */

int gops_arg_number(sqlite3_value *v, const char *fn, int index0,
                    const char *name, double *out, char **pzErr) {
  double d;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      d = sqlite3_value_double(v);
      break;
    case SQLITE_TEXT: {
      /* Wholly a number, as SQLite's CAST would read all of it. */
      const char *t = (const char *)sqlite3_value_text(v);
      if (t == 0) return SQLITE_NOMEM;
      switch (gops_text_number(t, (size_t)sqlite3_value_bytes(v), &d)) {
        case GOPS_NUMBER_OK:
          break;
        case GOPS_NUMBER_RANGE:
          return gops_arg_error(v, fn, index0, name,
                                "a number within a double's range", pzErr);
        default:
          return gops_arg_error(v, fn, index0, name, "a number", pzErr);
      }
      break;
    }
    default:
      return gops_arg_error(v, fn, index0, name, "a number", pzErr);
  }
  if (!isfinite(d)) return gops_arg_error(v, fn, index0, name, "a finite number", pzErr);
  *out = d;
  return SQLITE_OK;
}

int gops_arg_number_within(sqlite3_value *v, const char *fn, int index0,
                           const char *name, double lo, int lo_open,
                           double hi, const char *what, double *out,
                           char **pzErr) {
  int rc = gops_arg_number(v, fn, index0, name, out, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (*out < lo || (lo_open && *out == lo) || *out > hi) {
    return gops_arg_error(v, fn, index0, name, what, pzErr);
  }
  return SQLITE_OK;
}

int gops_arg_int64(sqlite3_value *v, const char *fn, int index0,
                   const char *name, int64_t *out, char **pzErr) {
  if (sqlite3_value_type(v) == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(v);
    return SQLITE_OK;
  }
  double d;
  int rc = gops_arg_number(v, fn, index0, name, &d, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (d != floor(d) || fabs(d) > 9007199254740992.0) {
    return gops_arg_error(v, fn, index0, name, "a whole number", pzErr);
  }
  *out = (int64_t)d;
  return SQLITE_OK;
}

int gops_read_numbers(sqlite3_context *ctx, sqlite3_value **args, int n,
                      const char *fn, const char *const *names, double *out) {
  for (int i = 0; i < n; i++) {
    if (sqlite3_value_type(args[i]) == SQLITE_NULL) return 0;
  }
  for (int i = 0; i < n; i++) {
    char *err = 0;
    if (gops_arg_number(args[i], fn, i, names[i], &out[i], &err) != SQLITE_OK) {
      gops_result_error_take(ctx, err); /* err NULL: out of memory */
      return -1;
    }
  }
  return 1;
}

/* ---- times and dates ------------------------------------------------------ */

int gops_value_unix(sqlite3_value *v, double *out) {
  double secs;
  int64_t day;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      secs = sqlite3_value_double(v);
      break;
    case SQLITE_TEXT: {
      const char *t = (const char *)sqlite3_value_text(v);
      if (t == 0 ||
          gops_parse_iso8601(t, (size_t)sqlite3_value_bytes(v), &secs) != 0) {
        return -1;
      }
      break;
    }
    default:
      return -1;
  }
  if (gops_day_from_unix(secs, &day) != 0) return -1;
  *out = secs;
  return 0;
}

int gops_arg_unix(sqlite3_value *v, const char *fn, int index0,
                  const char *name, double *out, char **pzErr) {
  int64_t day;
  int type = sqlite3_value_type(v);
  if (gops_value_unix(v, out) == 0) return SQLITE_OK;
  if (type == SQLITE_TEXT && sqlite3_value_text(v) == 0) return SQLITE_NOMEM;
  if ((type == SQLITE_INTEGER || type == SQLITE_FLOAT) &&
      gops_day_from_unix(sqlite3_value_double(v), &day) != 0) {
    return gops_arg_error(v, fn, index0, name,
                          "a date between 0000-01-01 and 9999-12-31", pzErr);
  }
  return gops_arg_error(v, fn, index0, name, "an ISO-8601 date or unix seconds",
                        pzErr);
}

int gops_arg_day(sqlite3_value *v, const char *fn, int index0,
                 const char *name, int64_t *out, char **pzErr) {
  double secs;
  int rc = gops_arg_unix(v, fn, index0, name, &secs, pzErr);
  if (rc != SQLITE_OK) return rc;
  gops_day_from_unix(secs, out);
  return SQLITE_OK;
}

/* ---- words ------------------------------------------------------------------ */

const char *gops_value_word(sqlite3_value *v) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) return 0;
  const char *t = (const char *)sqlite3_value_text(v);
  if (t == 0 || strlen(t) != (size_t)sqlite3_value_bytes(v)) return 0;
  return t;
}

int gops_arg_text(sqlite3_value *v, const char *fn, int index0,
                  const char *name, const char **out, char **pzErr) {
  *out = gops_value_word(v);
  if (*out) return SQLITE_OK;
  if (sqlite3_value_type(v) == SQLITE_TEXT && sqlite3_value_text(v) == 0) return SQLITE_NOMEM;
  return gops_arg_error(v, fn, index0, name,
                        sqlite3_value_type(v) == SQLITE_TEXT ? "text without a NUL byte" : "text",
                        pzErr);
}

int gops_arg_grain(sqlite3_value *v, const char *fn, int index0,
                   const char *name, gops_grain *out, char **pzErr) {
  if (gops_grain_parse(gops_value_word(v), out) == 0) return SQLITE_OK;
  return gops_arg_error(v, fn, index0, name, GOPS_GRAIN_NAMES, pzErr);
}

/* ---- ranges of the planning tables ------------------------------------------ */

int gops_check_dates(int64_t from, int64_t to, const char *fn,
                     int from_index0, char **pzErr) {
  if (from <= to) return SQLITE_OK;
  char a[GOPS_DATE_SIZE], b[GOPS_DATE_SIZE];
  gops_format_day(from, a);
  gops_format_day(to, b);
  return gops_errorf(pzErr, "%s(): %s argument (from_date) %s is after the %s (to_date) %s",
                     fn, gops_ordinal(from_index0), a, gops_ordinal(from_index0 + 1),
                     b);
}

int gops_check_periods(int64_t from, int64_t to, gops_grain grain,
                       const char *fn, char **pzErr) {
  /* A week can begin before 0000-01-01, which no date can name. */
  if (gops_period_first(from, grain) < GOPS_DAY_MIN) {
    return gops_errorf(pzErr, "%s(): the range's first %s begins before 0000-01-01",
                       fn, gops_grain_name(grain));
  }
  if (gops_period_count(from, to, grain) <= GOPS_PERIODS_MAX) return SQLITE_OK;
  return gops_errorf(pzErr, "%s(): the range holds more than %d periods of a %s", fn,
                     GOPS_PERIODS_MAX, gops_grain_name(grain));
}

int gops_read_range_at(sqlite3_value **args, int index0, const char *fn,
                       int64_t *from, int64_t *to, gops_grain *grain,
                       char **pzErr) {
  int rc = gops_arg_day(args[index0], fn, index0, "from_date", from, pzErr);
  if (rc == SQLITE_OK)
    rc = gops_arg_day(args[index0 + 1], fn, index0 + 1, "to_date", to, pzErr);
  if (rc == SQLITE_OK)
    rc = gops_arg_grain(args[index0 + 2], fn, index0 + 2, "grain", grain, pzErr);
  if (rc == SQLITE_OK) rc = gops_check_dates(*from, *to, fn, index0, pzErr);
  if (rc == SQLITE_OK) rc = gops_check_periods(*from, *to, *grain, fn, pzErr);
  return rc;
}

int gops_read_range(sqlite3_value **args, const char *fn, int64_t *from,
                    int64_t *to, gops_grain *grain, char **pzErr) {
  return gops_read_range_at(args, 0, fn, from, to, grain, pzErr);
}

int gops_any_null(sqlite3_value **args, int n) {
  for (int i = 0; i < n; i++) {
    if (args[i] == 0 || sqlite3_value_type(args[i]) == SQLITE_NULL) return 1;
  }
  return 0;
}
