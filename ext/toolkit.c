/*
** toolkit.c: what the SQL toolkit (schemas/, sql/) needs from C.
**
**   .load ./growthops
**   SELECT raise_error('users.csv row 7 column 新关注人数: not a number: ''x''');
**   SELECT raise_error(CASE WHEN count(*) = 0 THEN 'no rows' END) FROM t;
**   SELECT 1 WHERE script_guard('monday.sql');
**   SELECT script_param('monday.sql', ':week', :week, 'week', '2025-08-25');
**
**   SELECT '<td>' || html_escape(name) || '</td>' FROM people;
**
** Registers:
**   raise_error(message)  fails the statement with exactly that message;
**                         NULL gives NULL (so a CASE without ELSE is an
**                         assertion: NULL when all is well)
**   script_guard(script)  NULL when the database may be read by the
**                         toolkit's scripts, else an error saying why and
**                         what to do (see "The guard" below)
**   script_param(script, name, value, shape [, default [, choices]])
**                         the parameter checked and normalised, else an
**                         error showing the right ".parameter set" line
**   html_escape(value)    the value as text that HTML shows as written, in
**                         an element or in a quoted attribute
**   term_text(value)      the value as text a terminal shows as written:
**                         control characters as visible escapes
**
** SQLite's RAISE() takes only a literal message (before 3.48): the imports
** of sql/import/ name the file's row and column in their errors, which needs
** a message computed by the query.
**
** Every script of sql/scripts/ and sql/reports/ begins with the same
** preamble (docs/toolkit.md): PRAGMA trusted_schema=OFF, PRAGMA
** foreign_keys=ON, .bail on, then script_guard(), then each parameter
** through script_param().
**
** The guard: script_guard() refuses a database (its main database and any
** attached one, not temp) where
**   - trusted_schema is ON or foreign keys are off (the preamble's pragmas
**     did not take: run inside a transaction, or not run);
**   - a view, or the triggers of a table or view, cannot be prepared under
**     trusted_schema=OFF because they call an unsafe function (the shell's
**     edit() runs a command, writefile() writes a file): each view is
**     prepared as SELECT, each table and each view with triggers as INSERT,
**     UPDATE and DELETE, none of them run; of the views that fail, the one
**     that reads none of the others is named;
**   - the triggers of a table or view call a function this program does
**     not have (written for another program: in growthops-import, which
**     runs in Python, the sqlite3 shell's edit() is such a function; a
**     view that calls one is merely broken);
**   - a write to a table calls a function that is not innocuous: SQLite
**     3.40 runs a CHECK constraint's functions on every write, even under
**     trusted_schema=OFF.  What a write calls is SQLite's answer, never a
**     reading of the CREATE text: EXPLAIN of each table's INSERT, UPDATE
**     and DELETE (every table of every schema but temp, whatever its
**     name), whose Function opcodes name each function called;
**   - a virtual table of a module not known to read only the database and
**     the names it is given (source.h's list: fts3/4/5, rtree, geopoly,
**     funnel, lifecycle, stickiness, paths), the module read as SQLite's
**     grammar reads the CREATE text (text.h), and any table SQLite lists as
**     virtual that the text does not show as one:
**     a stranger's zipfile table named "targets" would write a file, a
**     cohorts table named "events" would run its conditions;
**   - PRAGMA foreign_key_check finds rows whose parent is missing.
**
** Requirement 1: raise_error()'s error text is the message, unchanged
** (UTF-8), but for a NUL byte, which would end it: each shows as \0.  An
** empty message is an error naming the argument.
** Requirement 2: NULL in, NULL out for raise_error(); a blob is an error
** naming the argument.
** Requirement 3: raise_error() and script_param() work in views and
** triggers under trusted_schema=OFF (innocuous: they read nothing but their
** arguments); not deterministic, so that SQLite never evaluates them ahead
** of the row that asks for them.
** Requirement 4: script_guard() prepares SQL of the database: direct-only,
** refused in views and triggers whatever trusted_schema says.
** Requirement 5: script_param() messages start with the script's name, name
** the parameter, show what it got (a number as a number: the shell stores an
** unquoted 2026-02-16 as 2008) and end with the line that sets it right.
** Its messages and script_guard()'s show what the database holds as
** term_text() does (Requirement 9).
**
** html_escape() is the one escaping function of the HTML report
** (sql/reports/report.sql): every value the page takes from the database
** goes through it, since a database file may come from anyone.
** Requirement 6: & < > " ' become &amp; &lt; &gt; &quot; &#39;, so that the
** text can stand in an element or in an attribute quoted either way; a NUL
** becomes U+FFFD (HTML has no NUL character); everything else, UTF-8
** included, is unchanged.
** Requirement 7: NULL gives NULL; a number gives its text; a blob is an
** error naming the argument (it is not text to show).
** Requirement 8: pure (deterministic and innocuous); the result is checked
** against SQLITE_LIMIT_LENGTH (a too-long result is SQLite's "string or
** blob too big").
**
** term_text() is the one function through which the scripts print a
** database's text (names, titles, duties, notes) to the terminal, since a
** name holding ESC ] 52 ... BEL asks some terminals to fill the clipboard,
** others to set the title or hide text, and a newline forges a line of
** the report.
** Requirement 9: C0 controls (tab and newline included), DEL, C1 controls,
** bytes that are not UTF-8 and the bidirectional controls become \xHH or
** \uHHHH (text.h's gops_term_text()); everything else is unchanged.
** Requirement 10: NULL gives NULL; a number gives its text; a blob's bytes
** are escaped as text's.
** Requirement 11: pure (deterministic and innocuous, so the scripts may
** call it in views); the result is checked against SQLITE_LIMIT_LENGTH.
*/
#include "growthops_internal.h"
#include "table/source.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void raise_error_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_NULL: /* Requirement 2 */
      return;
    case SQLITE_BLOB: {
      char *shown = gops_value_for_message(argv[0]);
      if (shown == 0) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
      gops_result_errorf(ctx, "raise_error(): 1st argument (message) must be text, got %s", shown);
      sqlite3_free(shown);
      return;
    }
    default: { /* Requirement 1 */
      const char *text = (const char *)sqlite3_value_text(argv[0]);
      int n = sqlite3_value_bytes(argv[0]);
      if (text == 0) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
      if (n == 0) {
        char *err = 0;
        gops_arg_error(argv[0], "raise_error", 0, "message", "text that is not empty", &err);
        gops_result_error_take(ctx, err);
        return;
      }
      if (memchr(text, 0, (size_t)n) == 0) {
        sqlite3_result_error(ctx, text, n);
        return;
      }
      /* An error message ends at a NUL byte: show each as \0 instead. */
      sqlite3_str *shown = sqlite3_str_new(0);
      for (int i = 0; i < n; i++) {
        if (text[i]) sqlite3_str_appendchar(shown, 1, text[i]);
        else sqlite3_str_append(shown, "\\0", 2);
      }
      gops_result_error_take(ctx, sqlite3_str_finish(shown));
      return;
    }
  }
}

/*
** script_param()
*/

typedef enum { SHAPE_DATE, SHAPE_WEEK, SHAPE_MONTH, SHAPE_ID, SHAPE_FLAG, SHAPE_COUNT } param_shape;

static const struct {
  const char *name;
  const char *what;    /* "must be <what>" */
  const char *example; /* the fix line's value when there is no good default */
  int quoted;          /* text: the shell needs it quoted twice */
} shapes[] = {
    [SHAPE_DATE] = {"date", "a date 'YYYY-MM-DD'", "2025-08-31", 1},
    [SHAPE_WEEK] = {"week", "a week: a day of it 'YYYY-MM-DD' or its key 'YYYY-Www'", "2025-08-25", 1},
    [SHAPE_MONTH] = {"month", "a month 'YYYY-MM'", "2025-08", 1},
    [SHAPE_ID] = {"id", "a whole number", "1", 0},
    [SHAPE_FLAG] = {"flag", "0 or 1", "1", 0},
    [SHAPE_COUNT] = {"count", "a whole number, 1 or more", "2", 0},
};
#define SHAPE_NAMES "'date', 'week', 'month', 'id', 'flag' or 'count'"
#define N_SHAPES ((int)(sizeof(shapes) / sizeof(shapes[0])))

/* The largest list of ids a message shows before "...". */
#define CHOICES_SHOWN 10

/* A checked value: text (dates, weeks, months) or an integer. */
typedef struct checked {
  int is_text;
  char text[GOPS_KEY_SIZE];
  int64_t number;
} checked;

/* A whole number from an integer or a real without a fraction. */
static int whole_number(sqlite3_value *v, int64_t *out) {
  if (sqlite3_value_type(v) == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(v);
    return 0;
  }
  if (sqlite3_value_type(v) == SQLITE_FLOAT) {
    double d = sqlite3_value_double(v);
    if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(int64_t)d) {
      *out = (int64_t)d;
      return 0;
    }
  }
  return -1;
}

/* 0 if v has the shape (the normalised value in *out), else -1. */
static int check_shape(sqlite3_value *v, param_shape shape, checked *out) {
  memset(out, 0, sizeof(*out));
  if (shape == SHAPE_DATE || shape == SHAPE_WEEK || shape == SHAPE_MONTH) {
    if (sqlite3_value_type(v) != SQLITE_TEXT) return -1;
    const char *t = (const char *)sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    int64_t day;
    if (t == 0) return -1;
    out->is_text = 1;
    switch (shape) {
      case SHAPE_DATE:
        if (gops_period_parse_key(t, n, GOPS_GRAIN_DAY, &day) != 0) return -1;
        gops_format_day(day, out->text);
        return 0;
      case SHAPE_WEEK:
        /* A day of the week or the week's key: the week's Monday. */
        if (gops_period_parse_key(t, n, GOPS_GRAIN_DAY, &day) != 0 &&
            gops_period_parse_key(t, n, GOPS_GRAIN_WEEK, &day) != 0) {
          return -1;
        }
        day = gops_period_first(day, GOPS_GRAIN_WEEK);
        if (day < GOPS_DAY_MIN) return -1;
        gops_format_day(day, out->text);
        return 0;
      default:
        if (gops_period_parse_key(t, n, GOPS_GRAIN_MONTH, &day) != 0) return -1;
        gops_period_key(day, GOPS_GRAIN_MONTH, out->text);
        return 0;
    }
  }
  if (whole_number(v, &out->number) != 0) return -1;
  if (shape == SHAPE_FLAG && out->number != 0 && out->number != 1) return -1;
  if (shape == SHAPE_COUNT && out->number < 1) return -1;
  return 0;
}

/* What the message shows of a value: a number as a number, text quoted. */
static char *shown_value(sqlite3_value *v) {
  int type = sqlite3_value_type(v);
  if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
    return sqlite3_mprintf("the number %s", (const char *)sqlite3_value_text(v));
  }
  return gops_value_for_message(v);
}

/* The line that sets the parameter right: ".parameter set :week
** "'2025-08-25'"", or for a setting (a name without ':') the row of
** settings. */
static char *fix_line(const char *name, param_shape shape, const char *example) {
  if (name[0] == ':') {
    if (shapes[shape].quoted) return sqlite3_mprintf(".parameter set %s \"'%s'\"", name, example);
    return sqlite3_mprintf(".parameter set %s %s", name, example);
  }
  return sqlite3_mprintf("INSERT OR REPLACE INTO settings(name, value) VALUES ('%q', '%q')",
                         name, example);
}

/* The ids of choices: whole numbers separated by commas (spaces around
** them allowed), as group_concat() writes them; NULL: none.  Returns the
** count, -1 if the text is not such a list, -2 out of memory; *ids is
** sqlite3_malloc'ed. */
static int read_choices(sqlite3_value *v, int64_t **ids) {
  *ids = 0;
  if (sqlite3_value_type(v) == SQLITE_NULL) return 0;
  int type = sqlite3_value_type(v);
  if (type != SQLITE_TEXT && type != SQLITE_INTEGER) return -1;
  const char *t = (const char *)sqlite3_value_text(v);
  if (t == 0) return -2;
  if (strlen(t) != (size_t)sqlite3_value_bytes(v)) return -1;
  int count = 1;
  for (const char *p = t; *p; p++) count += (*p == ',');
  *ids = sqlite3_malloc64(sizeof(int64_t) * (size_t)count);
  if (*ids == 0) return -2;
  const char *p = t;
  for (int i = 0; i < count; i++) {
    while (*p == ' ') p++;
    const char *digits = p + (*p == '-');
    char *end = 0;
    long long id = strtoll(p, &end, 10);
    if (!(*digits >= '0' && *digits <= '9') || end == p) break;
    p = end;
    while (*p == ' ') p++;
    if (*p != (i == count - 1 ? 0 : ',')) break;
    (*ids)[i] = (int64_t)id;
    if (i == count - 1) return count;
    p++;
  }
  sqlite3_free(*ids);
  *ids = 0;
  return -1;
}

/* "1, 2, 3" (at most CHOICES_SHOWN, then "..."); n > 0. */
static char *list_choices(const int64_t *ids, int n) {
  assert(n > 0);
  sqlite3_str *s = sqlite3_str_new(0);
  for (int i = 0; i < n && i < CHOICES_SHOWN; i++) {
    sqlite3_str_appendf(s, "%s%lld", i ? ", " : "", (long long)ids[i]);
  }
  if (n > CHOICES_SHOWN) sqlite3_str_appendall(s, ", ...");
  return sqlite3_str_finish(s);
}

/* An error whose message holds text of the database (a name, a value):
** the message as a terminal shows it as written (term_text()), then taken
** as gops_result_error_take() takes it. */
static void term_error_take(sqlite3_context *ctx, char *message) {
  if (message == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  size_t n = strlen(message);
  char *shown = sqlite3_malloc64(gops_term_text_size(n) + 1);
  if (shown) shown[gops_term_text(message, n, shown)] = 0;
  sqlite3_free(message);
  gops_result_error_take(ctx, shown);
}

/* The first argument of script_param() and script_guard(): the name of the
** script its messages begin with, a file name such as 'monday.sql' (ASCII
** letters, digits, '_', '-' and '.', at most SCRIPT_NAME_MAX bytes), so that
** what a message starts with is always a script's name. */
#define SCRIPT_NAME_MAX 64
static int read_script_name(sqlite3_value *v, const char *fn, const char **out, char **pzErr) {
  int rc = gops_arg_text(v, fn, 0, "script", out, pzErr);
  if (rc != SQLITE_OK) return rc;
  int n = sqlite3_value_bytes(v);
  int ok = n > 0 && n <= SCRIPT_NAME_MAX;
  for (int i = 0; ok && i < n; i++) {
    unsigned char c = (unsigned char)(*out)[i];
    ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
  }
  if (ok) return SQLITE_OK;
  return gops_arg_error(v, fn, 0, "script",
                        "a script's file name such as 'monday.sql' (letters, digits, '_', '-', '.')", pzErr);
}

static void script_param_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const fn = "script_param";
  static const char *const arg_names[] = {"script", "name", "value", "shape", "default", "choices"};
  const char *script, *name, *shape_name;
  char *err = 0;
  if (read_script_name(argv[0], fn, &script, &err) != SQLITE_OK) {
    gops_result_error_take(ctx, err);
    return;
  }
  for (int i = 1; i < 4; i++) {
    if (i == 2) continue;
    if (gops_arg_text(argv[i], fn, i, arg_names[i], i == 1 ? &name : &shape_name, &err) != SQLITE_OK) {
      gops_result_error_take(ctx, err);
      return;
    }
  }
  int shape = 0;
  while (shape < N_SHAPES && !gops_word_equal(shape_name, strlen(shape_name), shapes[shape].name)) shape++;
  if (shape == N_SHAPES) {
    gops_arg_error(argv[3], fn, 3, "shape", SHAPE_NAMES, &err);
    gops_result_error_take(ctx, err);
    return;
  }
  if (name[0] == 0) {
    gops_arg_error(argv[1], fn, 1, "name", "a parameter ':name' or a setting's name", &err);
    gops_result_error_take(ctx, err);
    return;
  }
  sqlite3_value *dflt = argc > 4 ? argv[4] : 0;
  int64_t *ids = 0;
  int n_ids = 0;
  if (shape == SHAPE_ID) {
    if (argc < 6) {
      gops_result_errorf(ctx, "%s(): an 'id' needs its 6th argument (choices): the ids that exist, e.g. "
                         "(SELECT group_concat(campaign_id) FROM campaigns)", fn);
      return;
    }
    n_ids = read_choices(argv[5], &ids);
    if (n_ids == -2) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    if (n_ids < 0) {
      gops_arg_error(argv[5], fn, 5, "choices", "whole numbers separated by commas, as group_concat() writes them",
                     &err);
      gops_result_error_take(ctx, err);
      return;
    }
  }

  /* The value, else its default; neither: NULL (an optional parameter). */
  int from_default = sqlite3_value_type(argv[2]) == SQLITE_NULL;
  sqlite3_value *v = from_default ? dflt : argv[2];
  if (v == 0 || sqlite3_value_type(v) == SQLITE_NULL) {
    sqlite3_free(ids);
    return;
  }
  checked got, good_default;
  int ok = check_shape(v, (param_shape)shape, &got) == 0;
  int in_choices = 0;
  if (ok && shape == SHAPE_ID) {
    for (int i = 0; i < n_ids; i++) in_choices |= ids[i] == got.number;
  }
  if (ok && (shape != SHAPE_ID || in_choices)) {
    sqlite3_free(ids);
    if (got.is_text) {
      sqlite3_result_text(ctx, got.text, -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_result_int64(ctx, got.number);
    }
    return;
  }

  /* Requirement 5.  The example of the fix line: the default when it is
  ** good, else the first id that exists, else the shape's own example. */
  char example[32];
  if (dflt && !from_default && check_shape(dflt, (param_shape)shape, &good_default) == 0 &&
      (shape != SHAPE_ID || n_ids > 0)) {
    if (good_default.is_text) {
      sqlite3_snprintf(sizeof(example), example, "%s", good_default.text);
    } else {
      sqlite3_snprintf(sizeof(example), example, "%lld", (long long)good_default.number);
    }
    if (shape == SHAPE_ID) {
      int found = 0;
      for (int i = 0; i < n_ids; i++) found |= ids[i] == good_default.number;
      if (!found) sqlite3_snprintf(sizeof(example), example, "%lld", (long long)ids[0]);
    }
  } else if (shape == SHAPE_ID && n_ids > 0) {
    sqlite3_snprintf(sizeof(example), example, "%lld", (long long)ids[0]);
  } else {
    sqlite3_snprintf(sizeof(example), example, "%s", shapes[shape].example);
  }
  char *fix = fix_line(name, (param_shape)shape, example);
  char *message = 0;
  if (ok) {
    /* A whole number that names no row: "no campaign 9". */
    const char *noun = name[0] == ':' ? name + 1 : name;
    if (n_ids == 0) {
      message = sqlite3_mprintf("%s: no %s %lld in this database (it has none)", script, noun,
                                (long long)got.number);
    } else {
      char *listed = list_choices(ids, n_ids);
      if (fix && listed) {
        message = sqlite3_mprintf("%s: no %s %lld in this database (there are %s): %s", script, noun,
                                  (long long)got.number, listed, fix);
      }
      sqlite3_free(listed);
    }
  } else {
    char *shown = shown_value(v);
    int type = sqlite3_value_type(v);
    int number_for_text = shapes[shape].quoted && (type == SQLITE_INTEGER || type == SQLITE_FLOAT);
    if (fix && shown) {
      message = sqlite3_mprintf(
          "%s: %s must be %s, got %s%s%s: %s", script, name, shapes[shape].what, shown,
          number_for_text ? " (in the shell an unquoted date is arithmetic: quote it twice)" : "",
          from_default ? " (not set: its default)" : "", fix);
    }
    sqlite3_free(shown);
  }
  sqlite3_free(fix);
  sqlite3_free(ids);
  term_error_take(ctx, message);
}

/*
** script_guard()
*/

/* A view that fails under trusted_schema=OFF, and why. */
typedef struct failed_view {
  char *name;
  char *sql;
  char *reason;
} failed_view;

/* A function SQLite may call from a table's definition under any setting:
** innocuous (pragma_function_list), by name and number of arguments (-1:
** any), as EXPLAIN names it ("abs(1)"). */
typedef struct innocuous_function {
  char *name;
  int narg;
} innocuous_function;

typedef struct guard {
  sqlite3 *db;
  const char *script;
  char *message; /* the refusal, sqlite3_mprintf'ed */
  int nomem;
  innocuous_function *innocuous; /* what a table's definition may call */
  int n_innocuous;
  failed_view *views; /* of the schema being checked */
  int n_views;
  char *indirect; /* a table whose writes fail through another's trigger */
  char *called;   /* a table whose writes call a function not innocuous
                  ** through a trigger or a foreign-key action */
} guard;

static void guard_refuse(guard *g, const char *format, ...) {
  if (g->message || g->nomem) return;
  va_list ap;
  va_start(ap, format);
  char *text = sqlite3_vmprintf(format, ap);
  va_end(ap);
  if (text == 0) {
    g->nomem = 1;
    return;
  }
  g->message = sqlite3_mprintf("%s: %s", g->script, text);
  sqlite3_free(text);
  if (g->message == 0) g->nomem = 1;
}

static int guard_done(const guard *g) { return g->message != 0 || g->nomem; }

/* sqlite3_mprintf("%s") that marks the guard out of memory. */
static char *guard_strdup(guard *g, const char *text) {
  char *copy = sqlite3_mprintf("%s", text ? text : "");
  if (copy == 0) g->nomem = 1;
  return copy;
}

/* Prepares sql (never steps it).  Returns the reason it cannot be used
** under trusted_schema=OFF ("unsafe use of edit()"), or, for a write
** (writes set), because its triggers or CHECKs call a function this
** program does not have ("no such function: edit" from a trigger,
** "unknown function: edit()" from a CHECK: written for another program,
** such as the sqlite3 shell, whose edit() runs a command; growthops-import
** runs in Python, which has no edit()), sqlite3_mprintf'ed; or NULL:
** prepared, or failed for another reason (a broken view cannot run
** anything either, and is not the guard's business). */
static char *unsafe_use(guard *g, const char *sql, int writes) {
  if (sql == 0) {
    g->nomem = 1;
    return 0;
  }
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(g->db, sql, -1, &stmt, 0);
  char *reason = 0;
  if (rc == SQLITE_NOMEM) {
    g->nomem = 1;
  } else if (rc != SQLITE_OK) {
    const char *why = sqlite3_errmsg(g->db);
    if (strncmp(why, "unsafe use of ", 14) == 0 ||
        (writes && (strncmp(why, "no such function: ", 18) == 0 || strncmp(why, "unknown function: ", 18) == 0))) {
      reason = guard_strdup(g, why);
    }
  }
  sqlite3_finalize(stmt);
  return reason;
}

/* Runs a query of the guard's own (sqlite3_mprintf'ed; freed here); each
** row goes to on_row until it returns non-zero.  An error of the query
** becomes the refusal. */
static void guard_query(guard *g, char *sql, int (*on_row)(guard *, sqlite3_stmt *, void *),
                        void *arg) {
  if (guard_done(g) || sql == 0) {
    if (sql == 0) g->nomem = 1;
    sqlite3_free(sql);
    return;
  }
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(g->db, sql, -1, &stmt, 0);
  sqlite3_free(sql);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (on_row(g, stmt, arg) || guard_done(g)) {
        rc = SQLITE_DONE;
        break;
      }
    }
  }
  if (rc == SQLITE_NOMEM) {
    g->nomem = 1;
  } else if (rc != SQLITE_DONE && rc != SQLITE_OK) {
    guard_refuse(g, "cannot read the database: %s", sqlite3_errmsg(g->db));
  }
  sqlite3_finalize(stmt);
}

/* A virtual table is refused unless its module is one of the safe ones
** (source.h).  The module is read from the CREATE text as SQLite's own
** grammar reads it (text.h): the stored text may be anything a prepared
** file holds, such as "CREATE  VIRTUAL TABLE" with two spaces or comments
** between the words. */
static int refuse_virtual_table(guard *g, const char *schema, const char *name, const char *sql) {
  gops_sql_word module;
  gops_sql_vtab_rc v = gops_sql_virtual_module(sql, strlen(sql), &module);
  assert(v != GOPS_SQL_NOT_VIRTUAL);
  if (v == GOPS_SQL_VIRTUAL && gops_source_safe_module(module.text, module.len)) return 0;
  guard_refuse(g,
               "the table %s.%s of this database is a virtual table of the module %.*s, which can read or "
               "write files or run SQL named in the database: the toolkit's scripts stop here and ran "
               "nothing. Drop it (DROP TABLE \"%w\") if the file is not yours; create such tables in temp "
               "(CREATE VIRTUAL TABLE temp.x ...) in a session of your own",
               schema, name, v == GOPS_SQL_VIRTUAL ? (int)module.len : 1, v == GOPS_SQL_VIRTUAL ? module.text : "?",
               name);
  return 1;
}

/* The refusal of a table whose own definition calls fn[0..len-1]. */
static void refuse_definition(guard *g, const char *schema, const char *name, size_t len, const char *fn) {
  guard_refuse(g,
               "the table %s.%s of this database calls %.*s() in its definition (in a CHECK constraint "
               "SQLite runs it on every write even under PRAGMA trusted_schema=OFF): it could run a "
               "command or write a file, so the toolkit's scripts stop here and ran nothing. Drop the "
               "table or its constraint if the file is not yours",
               schema, name, (int)len, fn);
}

/* 1 if EXPLAIN's P4 of a Function opcode ("abs(1)") is a function a
** table's definition may call. */
static int is_innocuous(const guard *g, const char *p4, size_t *name_len) {
  const char *open = strrchr(p4, '(');
  *name_len = open ? (size_t)(open - p4) : strlen(p4);
  if (open == 0) return 0;
  int narg = atoi(open + 1);
  for (int i = 0; i < g->n_innocuous; i++) {
    const innocuous_function *f = &g->innocuous[i];
    if (f->narg == narg && strlen(f->name) == *name_len && sqlite3_strnicmp(f->name, p4, (int)*name_len) == 0) {
      return 1;
    }
  }
  return 0;
}

/* SQLite 3.40 runs the functions of a table's CHECK constraints on every
** write whatever trusted_schema says (views and triggers it refuses), so
** the guard asks SQLite what a write calls, never reads the CREATE text
** for it: EXPLAIN of the INSERT, UPDATE and DELETE of unsafe_write() lists
** the program SQLite compiled, which evaluates every CHECK, DEFAULT,
** generated column and index expression of the table, then the programs
** of the triggers and foreign-key actions it codes (their addresses start
** again at 0).  Each Function or PureFunc opcode names the function it
** calls; one that pragma_function_list does not call innocuous (or does
** not list) refuses the table when it is in the table's own program, and
** is kept in g->called when it is in a trigger's or an action's (the table
** written there is refused by its own name when the guard reaches it). */
static int refuse_unsafe_call(guard *g, const char *schema, const char *name, int is_view,
                              char *const *writes) {
  for (int i = 0; i < 3 && !guard_done(g); i++) {
    if (writes[i] == 0) continue;
    char *sql = sqlite3_mprintf("EXPLAIN %s", writes[i]);
    sqlite3_stmt *stmt = 0;
    int rc = sql ? sqlite3_prepare_v2(g->db, sql, -1, &stmt, 0) : SQLITE_NOMEM;
    sqlite3_free(sql);
    int own = 1, last = -1;
    while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      int addr = sqlite3_column_int(stmt, 0);
      if (addr <= last) own = 0;
      last = addr;
      const char *opcode = (const char *)sqlite3_column_text(stmt, 1);
      const char *p4 = (const char *)sqlite3_column_text(stmt, 5);
      size_t len;
      if (opcode == 0 || (strcmp(opcode, "Function") != 0 && strcmp(opcode, "PureFunc") != 0)) continue;
      if (p4 == 0) { /* EXPLAIN could not show the function's name: out of memory */
        g->nomem = 1;
        break;
      }
      if (is_innocuous(g, p4, &len)) continue;
      if (own && !is_view) {
        refuse_definition(g, schema, name, len, p4);
      } else if (g->called == 0) {
        g->called = sqlite3_mprintf("the writes to the %s %s.%s call %.*s() through a trigger or a "
                                    "foreign-key action: it could run a command or write a file, so the "
                                    "toolkit's scripts stop here and ran nothing. Drop the triggers that "
                                    "write there if the file is not yours",
                                    is_view ? "view" : "table", schema, name, (int)len, p4);
        if (g->called == 0) g->nomem = 1;
      }
      break;
    }
    if (sqlite3_finalize(stmt) == SQLITE_NOMEM || rc == SQLITE_NOMEM) g->nomem = 1;
  }
  return guard_done(g);
}

/* The first reason the INSERT, UPDATE or DELETE that code a table's (or
** view's) triggers, defaults and foreign-key actions cannot be prepared
** under trusted_schema=OFF, or NULL; when they all prepare, what their
** programs call (refuse_unsafe_call()). */
static char *unsafe_write(guard *g, const char *schema, const char *name, int is_view) {
  /* UPDATE sets every column that can be set, so that every UPDATE OF
  ** trigger is coded. */
  sqlite3_str *set = sqlite3_str_new(g->db);
  char *columns_sql = sqlite3_mprintf("SELECT name FROM pragma_table_xinfo(%Q, %Q) WHERE hidden IN (0, 1)",
                                      name, schema);
  sqlite3_stmt *stmt = 0;
  int rc = columns_sql ? sqlite3_prepare_v2(g->db, columns_sql, -1, &stmt, 0) : SQLITE_NOMEM;
  int n = 0;
  while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const char *c = (const char *)sqlite3_column_text(stmt, 0);
    if (c) sqlite3_str_appendf(set, "%s\"%w\" = \"%w\"", n++ ? ", " : "", c, c);
  }
  if (rc == SQLITE_NOMEM) g->nomem = 1;
  sqlite3_finalize(stmt);
  sqlite3_free(columns_sql);
  char *assignments = sqlite3_str_finish(set);
  if (assignments == 0 && n > 0) g->nomem = 1;

  char *statements[3] = {
      sqlite3_mprintf("INSERT INTO \"%w\".\"%w\" DEFAULT VALUES", schema, name),
      n > 0 && assignments ? sqlite3_mprintf("UPDATE \"%w\".\"%w\" SET %s WHERE 0", schema, name, assignments) : 0,
      sqlite3_mprintf("DELETE FROM \"%w\".\"%w\" WHERE 0", schema, name),
  };
  sqlite3_free(assignments);
  char *reason = 0;
  for (int i = 0; i < 3 && reason == 0 && !g->nomem; i++) {
    if (i == 1 && n == 0) continue;
    reason = unsafe_use(g, statements[i], 1);
  }
  if (reason == 0 && !g->nomem) refuse_unsafe_call(g, schema, name, is_view, statements);
  for (int i = 0; i < 3; i++) sqlite3_free(statements[i]);
  return reason;
}

/* 1 if sql names (case-insensitively, as a word) name: called as a
** function (followed by "(") if call, else in any use. */
static int mentions(const char *sql, const char *name, size_t len, int call) {
  gops_sql_word w, next;
  const char *end = sql ? sql + strlen(sql) : 0;
  if (sql == 0 || !gops_sql_next_word(&sql, end, &w)) return 0;
  for (int more = 1; more;) {
    more = gops_sql_next_word(&sql, end, &next);
    if (w.quote != '\'' && w.len == len && sqlite3_strnicmp(w.text, name, (int)len) == 0 &&
        (!call || (more && next.quote == 0 && next.len == 1 && next.text[0] == '('))) {
      return 1;
    }
    w = next;
  }
  return 0;
}

static int calls_function(const char *sql, const char *fn, size_t fn_len) {
  return mentions(sql, fn, fn_len, 1);
}

/* What SQLite's reason names: the function of "unsafe use of edit()", or
** of "no such function: edit" or "unknown function: edit()" (is_unknown),
** or the table of 'unsafe use of virtual table "weekly"'.  0 if none. */
typedef struct unsafe_thing {
  const char *name;
  size_t len;
  int is_table;
  int is_unknown;
} unsafe_thing;

static int read_reason(const char *reason, unsafe_thing *u) {
  static const char prefix[] = "unsafe use of ", table[] = "virtual table \"";
  static const char no_such[] = "no such function: ", unknown[] = "unknown function: ";
  u->is_table = 0;
  u->is_unknown = 1;
  if (strncmp(reason, no_such, sizeof(no_such) - 1) == 0) {
    u->name = reason + sizeof(no_such) - 1;
    u->len = strlen(u->name);
    return u->len > 0;
  }
  if (strncmp(reason, unknown, sizeof(unknown) - 1) == 0) {
    u->name = reason + sizeof(unknown) - 1;
    const char *end = strstr(u->name, "()");
    u->len = end ? (size_t)(end - u->name) : 0;
    return u->len > 0;
  }
  u->is_unknown = 0;
  if (strncmp(reason, prefix, sizeof(prefix) - 1) != 0) return 0;
  const char *p = reason + sizeof(prefix) - 1;
  const char *end;
  u->is_table = strncmp(p, table, sizeof(table) - 1) == 0;
  if (u->is_table) {
    p += sizeof(table) - 1;
    end = strrchr(p, '"');
  } else {
    end = strstr(p, "()");
  }
  if (end == 0 || (end == p && !u->is_table)) return 0; /* a table may be named "", a function not */
  u->name = p;
  u->len = (size_t)(end - p);
  return 1;
}

/* Why such a view or trigger is refused, for the messages. */
static const char *danger(const char *reason) {
  unsafe_thing u;
  if (read_reason(reason, &u) && u.is_table) {
    return "reads a virtual table SQLite does not trust there could run SQL or read files named in the database";
  }
  if (read_reason(reason, &u) && u.is_unknown) {
    return "calls a function of another program could run a command or write a file";
  }
  return "calls an unsafe function could run a command or write a file";
}

typedef struct trigger_search {
  unsafe_thing what;
  char *found; /* the trigger that calls (or reads) it */
} trigger_search;

static int find_trigger(guard *g, sqlite3_stmt *row, void *arg) {
  trigger_search *t = arg;
  if (!mentions((const char *)sqlite3_column_text(row, 1), t->what.name, t->what.len, !t->what.is_table)) {
    return 0;
  }
  t->found = guard_strdup(g, (const char *)sqlite3_column_text(row, 0));
  return 1;
}

/* A table (or view) whose writes cannot be prepared: refused by the name of
** its own trigger that calls the unsafe function (or reads the table), or
** by its own definition (sql) when that calls a function this program does
** not have; when none of its own does (a foreign-key cascade or another
** table's trigger codes it), kept to be named only if no table, view or
** trigger is found to blame (a fallback: the culprit is always found so
** far). */
static void refuse_triggers(guard *g, const char *schema, const char *name, const char *sql, int is_view,
                            char *reason) {
  trigger_search t = {{0}, 0};
  int known = read_reason(reason, &t.what);
  int unknown_function = known && t.what.is_unknown;
  if (known) {
    guard_query(g,
                sqlite3_mprintf("SELECT name, sql FROM \"%w\".sqlite_schema WHERE type = 'trigger' AND "
                                "tbl_name = %Q ORDER BY name",
                                schema, name),
                find_trigger, &t);
  }
  if (t.found && unknown_function) {
    guard_refuse(g,
                 "the trigger %s on the %s %s.%s calls %.*s(), a function this program does not have (%s): "
                 "a trigger written for another program, where such a function can run a command or write a "
                 "file (the sqlite3 shell's edit() and writefile() do), so the toolkit's scripts stop here and "
                 "ran nothing. Drop it (DROP TRIGGER \"%w\") if the file is not yours",
                 t.found, is_view ? "view" : "table", schema, name, (int)t.what.len, t.what.name, reason, t.found);
    sqlite3_free(t.found);
  } else if (unknown_function && !is_view && calls_function(sql, t.what.name, t.what.len)) {
    guard_refuse(g,
                 "the table %s.%s of this database calls %.*s() in its definition, a function this program "
                 "does not have (%s): a table written for another program, where such a function can run a "
                 "command or write a file (the sqlite3 shell's edit() and writefile() do), so the toolkit's "
                 "scripts stop here and ran nothing. Drop the table or its constraint if the file is not yours",
                 schema, name, (int)t.what.len, t.what.name, reason);
  } else if (known && !t.found && !is_view && !t.what.is_table && calls_function(sql, t.what.name, t.what.len)) {
    /* a default SQLite refuses under trusted_schema=OFF (the text only
    ** names it: the table is refused either way) */
    refuse_definition(g, schema, name, t.what.len, t.what.name);
  } else if (t.found) {
    guard_refuse(g,
                 "the trigger %s on the %s %s.%s does not work under PRAGMA trusted_schema=OFF (%s): a "
                 "trigger that %s when a script writes there, so the toolkit's scripts stop here and ran "
                 "nothing. Drop it (DROP TRIGGER \"%w\") if the file is not yours",
                 t.found, is_view ? "view" : "table", schema, name, reason, danger(reason), t.found);
    sqlite3_free(t.found);
  } else if (g->indirect == 0 && !g->nomem) {
    g->indirect = sqlite3_mprintf("the writes to the %s %s.%s do not work %s (%s): a trigger that %s when "
                                  "a script writes there, so the toolkit's scripts stop here and ran "
                                  "nothing. Drop the triggers that write there if the file is not yours",
                                  is_view ? "view" : "table", schema, name,
                                  unknown_function ? "in this program" : "under PRAGMA trusted_schema=OFF",
                                  reason, danger(reason));
    if (g->indirect == 0) g->nomem = 1;
  }
  sqlite3_free(reason);
}

/* 1 if the CREATE VIEW text names (as a word) another view that failed. */
static int reads_failed_view(const guard *g, const failed_view *v) {
  gops_sql_word w;
  const char *p = v->sql, *end = v->sql ? v->sql + strlen(v->sql) : 0;
  while (p && gops_sql_next_word(&p, end, &w)) {
    if (w.quote == '\'') continue;
    for (int i = 0; i < g->n_views; i++) {
      const failed_view *o = &g->views[i];
      if (o != v && strlen(o->name) == w.len && sqlite3_strnicmp(w.text, o->name, (int)w.len) == 0) return 1;
    }
  }
  return 0;
}

/* The views that failed: the first that reads none of the others is the
** one to drop (a view that reads it fails with it). */
static void refuse_views(guard *g, const char *schema) {
  if (g->n_views == 0 || guard_done(g)) return;
  const failed_view *culprit = &g->views[0];
  for (int i = 0; i < g->n_views; i++) {
    if (!reads_failed_view(g, &g->views[i])) {
      culprit = &g->views[i];
      break;
    }
  }
  guard_refuse(g,
               "the view %s.%s of this database does not work under PRAGMA trusted_schema=OFF (%s): a "
               "view that %s when a script reads it, so the toolkit's scripts stop here and ran nothing. "
               "Drop it (DROP VIEW \"%w\") if the file is not yours%s; the toolkit's own views are in "
               "sql/views.sql",
               schema, culprit->name, culprit->reason, danger(culprit->reason), culprit->name,
               g->n_views > 1 ? ", and the views that read it" : "");
}

static void free_views(guard *g) {
  for (int i = 0; i < g->n_views; i++) {
    sqlite3_free(g->views[i].name);
    sqlite3_free(g->views[i].sql);
    sqlite3_free(g->views[i].reason);
  }
  sqlite3_free(g->views);
  g->views = 0;
  g->n_views = 0;
}

/* What check_schema_object() checks: the virtual tables (first), or the
** rest. */
typedef struct guard_check {
  const char *schema;
  int virtual_tables;
} guard_check;

static int check_schema_object(guard *g, sqlite3_stmt *row, void *arg) {
  const guard_check *check = arg;
  const char *schema = check->schema;
  const char *type = (const char *)sqlite3_column_text(row, 0);
  const char *name = (const char *)sqlite3_column_text(row, 1);
  const char *sql = (const char *)sqlite3_column_text(row, 2);
  int has_triggers = sqlite3_column_int(row, 3);
  if (type == 0 || name == 0) {
    g->nomem = 1;
    return 1;
  }
  int is_virtual = strcmp(type, "table") == 0 && gops_sql_virtual_module(sql ? sql : "", sql ? strlen(sql) : 0,
                                                                          &(gops_sql_word){0}) != GOPS_SQL_NOT_VIRTUAL;
  if (check->virtual_tables) return is_virtual ? refuse_virtual_table(g, schema, name, sql) : 0;
  if (is_virtual) return 0;
  if (strcmp(type, "view") == 0) {
    char *select = sqlite3_mprintf("SELECT * FROM \"%w\".\"%w\"", schema, name);
    char *reason = unsafe_use(g, select, 0);
    sqlite3_free(select);
    if (reason) {
      failed_view *grown = sqlite3_realloc64(g->views, sizeof(failed_view) * (size_t)(g->n_views + 1));
      if (grown == 0) {
        sqlite3_free(reason);
        g->nomem = 1;
        return 1;
      }
      g->views = grown;
      g->views[g->n_views++] = (failed_view){guard_strdup(g, name), guard_strdup(g, sql), reason};
      return 0;
    }
    char *write_reason = has_triggers ? unsafe_write(g, schema, name, 1) : 0;
    if (write_reason) refuse_triggers(g, schema, name, sql, 1, write_reason);
    return 0;
  }
  char *write_reason = unsafe_write(g, schema, name, 0);
  if (write_reason) refuse_triggers(g, schema, name, sql, 0, write_reason);
  return 0;
}

/* A table SQLite calls virtual that the guard did not read as one. */
static int check_virtual_listed(guard *g, sqlite3_stmt *row, void *arg) {
  const char *name = (const char *)sqlite3_column_text(row, 0);
  const char *sql = (const char *)sqlite3_column_text(row, 1);
  if (name == 0) {
    g->nomem = 1;
    return 1;
  }
  if (gops_sql_virtual_module(sql ? sql : "", sql ? strlen(sql) : 0, &(gops_sql_word){0}) != GOPS_SQL_NOT_VIRTUAL) {
    return 0;
  }
  guard_refuse(g,
               "the table %s.%s of this database is a virtual table whose definition the toolkit cannot "
               "read: the toolkit's scripts stop here and ran nothing. Drop it (DROP TABLE \"%w\") if the "
               "file is not yours",
               (const char *)arg, name, name);
  return 1;
}

/* The first foreign-key violation of a schema, with the number of rows of
** that table and key. */
static int check_foreign_keys(guard *g, sqlite3_stmt *row, void *arg) {
  (void)arg;
  const char *schema = (const char *)sqlite3_column_text(row, 0);
  const char *table = (const char *)sqlite3_column_text(row, 1);
  const char *parent = (const char *)sqlite3_column_text(row, 2);
  const char *columns = (const char *)sqlite3_column_text(row, 3);
  sqlite3_int64 rows = sqlite3_column_int64(row, 4);
  if (schema == 0 || table == 0 || parent == 0) {
    g->nomem = 1;
    return 1;
  }
  int several = columns && strchr(columns, ',') != 0;
  guard_refuse(g,
               "foreign keys: %lld row%s of %s.%s whose %s%s%s is not in %s (PRAGMA foreign_key_check): the "
               "reports would count them wrongly; correct or delete them, then run the script again",
               (long long)rows, rows == 1 ? "" : "s", schema, table, several ? "(" : "",
               columns ? columns : "parent key", several ? ")" : "", parent);
  return 1;
}

static int check_database(guard *g, sqlite3_stmt *row, void *arg) {
  (void)arg;
  const char *schema = (const char *)sqlite3_column_text(row, 0);
  if (schema == 0) {
    g->nomem = 1;
    return 1;
  }
  if (strcmp(schema, "temp") == 0) return 0;
  char *s = guard_strdup(g, schema);
  if (s == 0) return 1;
  /* Virtual tables first (a view over one fails because of it), then the
  ** views, then the tables, then the foreign keys.  Every table is
  ** checked, whatever its name: a prepared file may hold a table named
  ** sqlite_x (SQLite loads it; only CREATE TABLE refuses the name), and
  ** SQLite's own sqlite_sequence and sqlite_stat1 can be written (and
  ** rewritten with writable_schema) like any other. */
  for (int pass = 0; pass < 2; pass++) {
    guard_check check = {s, pass == 0};
    guard_query(g,
                sqlite3_mprintf("SELECT s.type, s.name, s.sql, EXISTS (SELECT 1 FROM \"%w\".sqlite_schema t "
                                "WHERE t.type = 'trigger' AND t.tbl_name = s.name) FROM \"%w\".sqlite_schema s "
                                "WHERE s.type IN ('table', 'view') ORDER BY s.type DESC, s.name",
                                s, s),
                check_schema_object, &check);
  }
  /* SQLite's own word on which tables are virtual, once every virtual
  ** table the text shows is of a safe module (pragma_table_list connects
  ** them). */
  guard_query(g,
              sqlite3_mprintf("SELECT l.name, s.sql FROM pragma_table_list l JOIN \"%w\".sqlite_schema s "
                              "ON s.name = l.name WHERE l.schema = %Q AND l.type = 'virtual'",
                              s, s),
              check_virtual_listed, s);
  refuse_views(g, s);
  free_views(g);
  if (g->indirect) guard_refuse(g, "%s", g->indirect);
  if (g->called) guard_refuse(g, "%s", g->called);
  sqlite3_free(g->indirect);
  sqlite3_free(g->called);
  g->indirect = g->called = 0;
  guard_query(g,
              sqlite3_mprintf("SELECT %Q, c.\"table\", c.parent, (SELECT group_concat(f.\"from\", ', ') "
                              "FROM pragma_foreign_key_list(c.\"table\", %Q) f WHERE f.id = c.fkid), "
                              "count(*) FROM pragma_foreign_key_check(NULL, %Q) c "
                              "GROUP BY c.\"table\", c.fkid ORDER BY c.\"table\", c.fkid LIMIT 1",
                              s, s, s),
              check_foreign_keys, 0);
  sqlite3_free(s);
  return guard_done(g);
}

static int collect_innocuous(guard *g, sqlite3_stmt *row, void *arg) {
  (void)arg;
  innocuous_function *grown =
      sqlite3_realloc64(g->innocuous, sizeof(innocuous_function) * (size_t)(g->n_innocuous + 1));
  if (grown == 0) {
    g->nomem = 1;
    return 1;
  }
  g->innocuous = grown;
  g->innocuous[g->n_innocuous].name = guard_strdup(g, (const char *)sqlite3_column_text(row, 0));
  g->innocuous[g->n_innocuous].narg = sqlite3_column_int(row, 1);
  if (g->innocuous[g->n_innocuous].name) g->n_innocuous++;
  return g->nomem;
}

static void script_guard_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  char *err = 0;
  guard g = {.db = sqlite3_context_db_handle(ctx)};
  if (read_script_name(argv[0], "script_guard", &g.script, &err) != SQLITE_OK) {
    gops_result_error_take(ctx, err);
    return;
  }
  int trusted = 1, foreign_keys = 0;
  sqlite3_db_config(g.db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &trusted);
  sqlite3_db_config(g.db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &foreign_keys);
  if (trusted) {
    guard_refuse(&g, "PRAGMA trusted_schema is ON: run the script whole, it begins with PRAGMA "
                     "trusted_schema=OFF, so that the database's views and triggers cannot call unsafe "
                     "functions");
  } else if (!foreign_keys) {
    guard_refuse(&g, "foreign keys are off: the script's PRAGMA foreign_keys=ON did not take (it does "
                     "nothing inside a transaction); COMMIT or ROLLBACK first, then run the script whole");
  }
  guard_query(&g, sqlite3_mprintf("SELECT DISTINCT name, narg FROM pragma_function_list WHERE (flags & %d) <> 0",
                                  SQLITE_INNOCUOUS),
              collect_innocuous, 0);
  guard_query(&g, sqlite3_mprintf("SELECT name FROM pragma_database_list ORDER BY seq"), check_database, 0);
  for (int i = 0; i < g.n_innocuous; i++) sqlite3_free(g.innocuous[i].name);
  sqlite3_free(g.innocuous);
  if (g.nomem) {
    sqlite3_free(g.message);
    sqlite3_result_error_nomem(ctx);
  } else if (g.message) {
    term_error_take(ctx, g.message); /* it names tables, views and triggers of the database */
  }
}

/*
** html_escape()
*/

static void html_escape_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return; /* Requirement 7 */
  if (type == SQLITE_BLOB) {
    char *shown = gops_value_for_message(argv[0]);
    if (shown == 0) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    gops_result_errorf(ctx, "html_escape(): 1st argument (value) must be text or a number, got %s",
                       shown);
    sqlite3_free(shown);
    return;
  }
  const unsigned char *text = sqlite3_value_text(argv[0]);
  if (text == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int n = sqlite3_value_bytes(argv[0]);
  /* Requirement 8: the shell's length limit applies to what we build. */
  sqlite3_str *out = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  int plain = 0; /* start of the run of bytes copied as they are */
  for (int i = 0; i < n; i++) {
    const char *entity;
    switch (text[i]) { /* Requirement 6 */
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      case '\0': entity = "\xef\xbf\xbd"; break; /* U+FFFD */
      default: continue;
    }
    sqlite3_str_append(out, (const char *)text + plain, i - plain);
    sqlite3_str_appendall(out, entity);
    plain = i + 1;
  }
  sqlite3_str_append(out, (const char *)text + plain, n - plain);
  int rc = sqlite3_str_errcode(out);
  int length = sqlite3_str_length(out);
  char *escaped = sqlite3_str_finish(out);
  if (rc == SQLITE_TOOBIG) {
    sqlite3_free(escaped);
    sqlite3_result_error_toobig(ctx);
  } else if (rc != SQLITE_OK || (escaped == 0 && length > 0)) {
    sqlite3_free(escaped);
    sqlite3_result_error_nomem(ctx);
  } else if (escaped == 0) {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
  } else {
    sqlite3_result_text(ctx, escaped, length, sqlite3_free);
  }
}

/*
** term_text()
*/

static void term_text_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return; /* Requirement 10 */
  /* a blob's bytes are escaped as text's: the shell prints both as they are */
  const char *text = type == SQLITE_BLOB ? (const char *)sqlite3_value_blob(argv[0])
                                         : (const char *)sqlite3_value_text(argv[0]);
  size_t n = (size_t)sqlite3_value_bytes(argv[0]);
  if (text == 0 && n > 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  char *out = sqlite3_malloc64(gops_term_text_size(n) + 1);
  if (out == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  size_t len = n ? gops_term_text(text, n, out) : 0;
  /* Requirement 11: SQLite checks the length against SQLITE_LIMIT_LENGTH */
  sqlite3_result_text64(ctx, out, len, sqlite3_free, SQLITE_UTF8);
}

static const gops_function toolkit_functions[] = {
    /* Requirement 3 */
    {.name = "raise_error", .n_arg = 1, .flags = SQLITE_UTF8 | SQLITE_INNOCUOUS, .xFunc = raise_error_func},
    {.name = "script_param", .n_arg = 4, .flags = SQLITE_UTF8 | SQLITE_INNOCUOUS, .xFunc = script_param_func},
    {.name = "script_param", .n_arg = 5, .flags = SQLITE_UTF8 | SQLITE_INNOCUOUS, .xFunc = script_param_func},
    {.name = "script_param", .n_arg = 6, .flags = SQLITE_UTF8 | SQLITE_INNOCUOUS, .xFunc = script_param_func},
    /* Requirement 4 */
    {.name = "script_guard", .n_arg = 1, .flags = SQLITE_UTF8 | SQLITE_DIRECTONLY, .xFunc = script_guard_func},
    /* Requirement 8 */
    {.name = "html_escape", .n_arg = 1, .flags = GOPS_PURE, .xFunc = html_escape_func},
    /* Requirement 11 */
    {.name = "term_text", .n_arg = 1, .flags = GOPS_PURE, .xFunc = term_text_func},
};

int gops_toolkit_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, toolkit_functions,
      (int)(sizeof(toolkit_functions) / sizeof(toolkit_functions[0])), pzErrMsg);
}
