/*
** args.c: registration and argument reading shared by every binding.
** See growthops_internal.h for what it offers.
*/
#include "growthops_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int gops_register_functions(sqlite3 *db, const gops_function *functions,
                            int n, char **pzErrMsg) {
  for (int i = 0; i < n; i++) {
    const gops_function *f = &functions[i];
    int rc;
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
      if (n > 40) {
        /* Cut on a UTF-8 boundary so the message stays valid text. */
        n = 40;
        while (n > 0 && (t[n] & 0xC0) == 0x80) n--;
        return sqlite3_mprintf("'%.*q...'", n, (const char *)t);
      }
      return sqlite3_mprintf("'%q'", (const char *)t);
    }
  }
}

/* Formats "fn(): 1st argument (name) must be <what>, got <value>". */
static int arg_error(sqlite3_value *v, const char *fn, int index0,
                     const char *name, const char *what, char **pzErr) {
  char *shown = gops_value_for_message(v);
  if (shown == 0) return SQLITE_NOMEM;
  *pzErr = sqlite3_mprintf("%s(): %s argument (%s) must be %s, got %s", fn,
                           gops_ordinal(index0), name, what, shown);
  sqlite3_free(shown);
  return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
}

/* SQLite's white space (sqlite3Isspace): what its CAST skips around a
** number, and what gops_parse_iso8601() skips around a date. */
static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* A text that is wholly a number (as SQLite's CAST would read all of it),
** white space around it allowed, and no NUL inside it. */
static int text_to_number(sqlite3_value *v, double *out) {
  const char *t = (const char *)sqlite3_value_text(v);
  if (t == 0) return -1;
  if (strlen(t) != (size_t)sqlite3_value_bytes(v)) return -1;
  while (is_space(*t)) t++;
  if (*t == 0) return -1;
  char *end = 0;
  double d = strtod(t, &end);
  if (end == 0 || end == t) return -1;
  const char *rest = end;
  while (is_space(*rest)) rest++;
  if (*rest != 0) return -1;
  /* strtod also reads "nan", "inf" and hex: only plain decimals count. */
  for (const char *p = t; p < end; p++) {
    if (strchr("0123456789+-.eE", *p) == 0) return -1;
  }
  *out = d;
  return 0;
}

int gops_arg_number(sqlite3_value *v, const char *fn, int index0,
                    const char *name, double *out, char **pzErr) {
  double d;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      d = sqlite3_value_double(v);
      break;
    case SQLITE_TEXT:
      if (text_to_number(v, &d) == 0) break;
      /* fall through */
    default:
      return arg_error(v, fn, index0, name, "a number", pzErr);
  }
  if (!isfinite(d)) return arg_error(v, fn, index0, name, "a finite number", pzErr);
  *out = d;
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
    return arg_error(v, fn, index0, name, "a whole number", pzErr);
  }
  *out = (int64_t)d;
  return SQLITE_OK;
}

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
    return arg_error(v, fn, index0, name,
                     "a date between 0000-01-01 and 9999-12-31", pzErr);
  }
  return arg_error(v, fn, index0, name, "an ISO-8601 date or unix seconds", pzErr);
}

int gops_arg_day(sqlite3_value *v, const char *fn, int index0,
                 const char *name, int64_t *out, char **pzErr) {
  double secs;
  int rc = gops_arg_unix(v, fn, index0, name, &secs, pzErr);
  if (rc != SQLITE_OK) return rc;
  gops_day_from_unix(secs, out);
  return SQLITE_OK;
}

int gops_arg_grain(sqlite3_value *v, const char *fn, int index0,
                   const char *name, gops_grain *out, char **pzErr) {
  if (sqlite3_value_type(v) == SQLITE_TEXT &&
      gops_grain_parse((const char *)sqlite3_value_text(v), out) == 0) {
    return SQLITE_OK;
  }
  return arg_error(v, fn, index0, name, GOPS_GRAIN_NAMES, pzErr);
}

int gops_arg_text(sqlite3_value *v, const char *fn, int index0,
                  const char *name, const char **out, char **pzErr) {
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    return arg_error(v, fn, index0, name, "text", pzErr);
  }
  *out = (const char *)sqlite3_value_text(v);
  return *out ? SQLITE_OK : SQLITE_NOMEM;
}

int gops_arg_error(sqlite3_value *v, const char *fn, int index0,
                   const char *name, const char *what, char **pzErr) {
  return arg_error(v, fn, index0, name, what, pzErr);
}
