/*
** fuzz_sql.c: a libFuzzer harness that calls every function and virtual
** table growthops registers with arguments drawn from the input.
**
** The names are not listed here: at start-up the harness diffs
** pragma_function_list and pragma_module_list with and without growthops,
** so whatever a new area registers is fuzzed too.  Each input is read as a
** few calls; for each call a byte picks the name, a byte the argument count
** (the registered count, one less or one more), and each argument is taken
** from a pool of awkward values (0, negatives, huge, NaN, Inf, dates good
** and bad, JSON good and broken, modes, grains, Chinese text, blobs, NULL),
** from the input's own bytes as text or blob, or from a column of a small
** table so that aggregates see several rows.  Errors are expected; a crash,
** a sanitizer report, or a real result that is NaN or Inf ends the run.
**
** The event log (event_log) keeps data, so it also gets calls of its own:
** one log following the events table, written with drawn values (INSERT,
** DELETE, UPDATE, its commands, bytes of the input written over a shadow
** table's row), each write in a transaction that is committed or rolled
** back, then read by SELECT * and by the tables over events; after a
** rolled-back write the log must hold what it held before.
**
** Built and run by tests/fuzz/run.sh.
*/
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sqlite3_growthops_init(sqlite3 *db, char **pzErrMsg,
                           const sqlite3_api_routines *pApi);

typedef struct name_entry {
  char name[64];
  int n_arg;  /* -1: any */
  char kind;  /* 's' scalar, 'a' aggregate, 'w' window, 'e' eponymous
                 table, 'v' virtual table needing CREATE */
} name_entry;

static name_entry names[256];
static int n_names;
static sqlite3 *db;

static const char *const texts[] = {
    "2025-03-01", "2025-02-30", "2024-02-29", "2025-12-31 23:59:59",
    "2025-03-01T08:00:00+08:00", "0000-01-01", "9999-12-31", "1970-01-01",
    "not a date", "", " ", "2025-W09", "day", "week", "month", "quarter",
    "year", "fortnight", "compound", "compound_month", "compound_year",
    "linear", "even", "days", "ramp", "<script>&\"'",
    "higher", "lower", "strict_order", "strict_deduplication",
    "strict_increase", "strict_once", "allow_reentry", "strict",
    "strict_order,allow_reentry", "[]", "[1,2,3]", "[0,0]", "[-1,2]",
    "[[0,0],[1,1]]", "[[1,0],[0,1]]", "[[0.8,0],[1,1],[1.2,1.5]]",
    "[[\"visit\",100],[\"register\",40],[\"order\",8]]",
    "[[\"a\",1],[\"b\",2]]", "[\"visit\",\"register\",\"order\"]", "[1,",
    "{\"a\":1}", "[1e999]", "[[0,0],[1]]", "[null]", "新关注人数", "拉新",
    "events", "user_id", "ts", "event", "\"events\"", "[events]",
    "events; DROP TABLE events", "event = 'visit'", "1=1", "x'00'",
    "9e999", "-0", "1e-320", "NaN", "Infinity",
};

static const double numbers[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 7.0, 12.0, 30.0, 64.0, 65.0, 90.0,
    100.0, 150.0, 1000.0, 50000.0, 1e9, 1e15, 1e18, -1e18, 1e300, -1e300,
    1e-300, 4.9e-324, 1740787200.0, -62167219200.0, 253402300799.0,
};

static char *before_f, *before_m;

/* What a connection without growthops has: called before growthops is
** registered as an auto extension. */
static void load_baseline(void) {
  sqlite3 *plain = 0;
  sqlite3_open(":memory:", &plain);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(plain,
                         "SELECT group_concat(name, ',') FROM (SELECT DISTINCT name "
                         "FROM pragma_function_list)",
                         -1, &st, 0) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    before_f = sqlite3_mprintf(",%s,", sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  if (sqlite3_prepare_v2(plain,
                         "SELECT group_concat(name, ',') FROM pragma_module_list", -1,
                         &st, 0) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    before_m = sqlite3_mprintf(",%s,", sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(plain);
}

static void load_names(void) {
  sqlite3_stmt *st;
  sqlite3_prepare_v2(db, "SELECT name, narg, type FROM pragma_function_list ORDER BY 1, 2",
                     -1, &st, 0);
  while (sqlite3_step(st) == SQLITE_ROW && n_names < 200) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    char *probe = sqlite3_mprintf(",%s,", name);
    if (strstr(before_f, probe) == 0) {
      name_entry *e = &names[n_names++];
      snprintf(e->name, sizeof e->name, "%s", name);
      e->n_arg = sqlite3_column_int(st, 1);
      e->kind = ((const char *)sqlite3_column_text(st, 2))[0];
    }
    sqlite3_free(probe);
  }
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT name FROM pragma_module_list ORDER BY 1", -1, &st, 0);
  while (sqlite3_step(st) == SQLITE_ROW && n_names < 256) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    char *probe = sqlite3_mprintf(",%s,", name);
    if (strstr(before_m, probe) == 0) {
      name_entry *e = &names[n_names++];
      snprintf(e->name, sizeof e->name, "%s", name);
      /* A module whose table can be named directly is eponymous. */
      char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" LIMIT 0", name);
      sqlite3_stmt *t = 0;
      int eponymous = sqlite3_prepare_v2(db, sql, -1, &t, 0) == SQLITE_OK ||
                      strstr(sqlite3_errmsg(db), "missing") != 0;
      sqlite3_finalize(t);
      sqlite3_free(sql);
      e->kind = eponymous ? 'e' : 'v';
      e->n_arg = -1;
    }
    sqlite3_free(probe);
  }
  sqlite3_finalize(st);
  sqlite3_free(before_f);
  sqlite3_free(before_m);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  load_baseline();
  sqlite3_auto_extension((void (*)(void))sqlite3_growthops_init);
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db,
               "CREATE TABLE events(user_id INTEGER, ts, event TEXT);"
               "INSERT INTO events VALUES (1, 100, 'visit'), (1, 160, 'register'),"
               " (1, 170, 'order'), (2, '2025-03-01 10:00', 'visit'), (2, NULL, 'visit'),"
               " (3, 'bad', 'register'), (3, 1e300, 'order');"
               "CREATE TABLE t(x, y, z);"
               "CREATE VIRTUAL TABLE fl USING event_log(user_id, ts, event, content=events);"
               "CREATE VIRTUAL TABLE fl_funnel USING funnel(fl, user_id, ts, event,"
               " '[\"visit\",\"register\",\"order\"]', 60);"
               "CREATE VIRTUAL TABLE fl_weeks USING lifecycle(fl, user_id, ts, week);"
               "CREATE VIRTUAL TABLE fl_cohorts USING cohorts(fl, user_id, ts, day,"
               " \"event = 'visit'\", \"event = 'order'\");",
               0, 0, 0);
  load_names();
  if (n_names == 0) {
    fprintf(stderr, "fuzz_sql: growthops registered nothing\n");
    abort();
  }
  return 0;
}

typedef struct input {
  const uint8_t *p;
  size_t n;
} input;

static unsigned take(input *in) {
  if (in->n == 0) return 0;
  in->n--;
  return *in->p++;
}

/* One argument drawn from the input: a value to bind, or a column. */
typedef struct arg {
  int type;          /* SQLITE_NULL/INTEGER/FLOAT/TEXT/BLOB, or 0: column */
  double d;
  int64_t i;
  const void *bytes;
  int len;
  const char *column;
} arg;

static arg draw_arg(input *in) {
  arg a = {SQLITE_NULL, 0, 0, 0, 0, 0};
  unsigned pick = take(in);
  switch (pick % 8) {
    case 0:
      break;
    case 1:
    case 2:
      a.type = SQLITE_FLOAT;
      a.d = numbers[take(in) % (sizeof numbers / sizeof numbers[0])];
      break;
    case 3: {
      unsigned k = take(in);
      const double special[] = {NAN, INFINITY, -INFINITY};
      if (k % 4 < 3) {
        a.type = SQLITE_FLOAT;
        a.d = special[k % 4];
      } else {
        a.type = SQLITE_INTEGER;
        a.i = (int64_t)take(in) - 128;
      }
      break;
    }
    case 4:
    case 5:
      a.type = SQLITE_TEXT;
      a.bytes = texts[take(in) % (sizeof texts / sizeof texts[0])];
      a.len = -1;
      break;
    case 6: {
      /* Raw input bytes, as text or blob. */
      size_t len = take(in) % 24;
      if (len > in->n) len = in->n;
      a.type = (pick & 8) ? SQLITE_BLOB : SQLITE_TEXT;
      a.bytes = in->p;
      a.len = (int)len;
      in->p += len;
      in->n -= len;
      break;
    }
    default:
      a.type = 0;
      a.column = (pick & 16) ? "x" : ((pick & 32) ? "y" : "z");
      break;
  }
  return a;
}

static void bind_value(sqlite3_stmt *st, int index, const arg *a) {
  switch (a->type) {
    case SQLITE_FLOAT: sqlite3_bind_double(st, index, a->d); break;
    case SQLITE_INTEGER: sqlite3_bind_int64(st, index, a->i); break;
    case SQLITE_TEXT: sqlite3_bind_text(st, index, a->bytes, a->len, SQLITE_TRANSIENT); break;
    case SQLITE_BLOB: sqlite3_bind_blob(st, index, a->bytes, a->len, SQLITE_TRANSIENT); break;
    default: sqlite3_bind_null(st, index); break;
  }
}

static void check_results(sqlite3_stmt *st) {
  int steps = 0;
  while (sqlite3_step(st) == SQLITE_ROW && steps++ < 100000) {
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      if (sqlite3_column_type(st, i) == SQLITE_FLOAT &&
          !isfinite(sqlite3_column_double(st, i))) {
        fprintf(stderr, "fuzz_sql: %s gave %g\n", sqlite3_sql(st),
                sqlite3_column_double(st, i));
        abort();
      }
    }
  }
}

/* Fills table t with a few rows of pool values for aggregates. */
static void fill_rows(input *in) {
  sqlite3_exec(db, "DELETE FROM t", 0, 0, 0);
  sqlite3_stmt *st = 0;
  sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?, ?)", -1, &st, 0);
  int rows = take(in) % 6;
  for (int r = 0; r < rows; r++) {
    for (int c = 1; c <= 3; c++) {
      arg a = draw_arg(in);
      if (a.type == 0) {
        a.type = SQLITE_INTEGER;
        a.i = r;
      }
      bind_value(st, c, &a);
    }
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
}

#define MAX_ARGS 70

static void one_call(input *in) {
  const name_entry *e = &names[take(in) % (unsigned)n_names];
  int n = e->n_arg >= 0 ? e->n_arg : (int)(take(in) % 8);
  switch (take(in) % 8) {
    case 0: n = n > 0 ? n - 1 : 0; break;
    case 1: n = n + 1; break;
    default: break;
  }
  if (n > MAX_ARGS) n = MAX_ARGS;
  fill_rows(in);

  if (e->kind == 'v') {
    /* CREATE arguments are SQL text: take them from the text pool. */
    char cargs[2048] = "";
    size_t used = 0;
    for (int i = 0; i < n && used < sizeof cargs; i++) {
      used += (size_t)snprintf(cargs + used, sizeof cargs - used, "%s%s", i ? "," : "",
                               texts[take(in) % (sizeof texts / sizeof texts[0])]);
    }
    char *create = sqlite3_mprintf("CREATE VIRTUAL TABLE temp.fz USING \"%w\"(%s)",
                                   e->name, cargs);
    if (sqlite3_exec(db, create, 0, 0, 0) == SQLITE_OK) {
      sqlite3_stmt *st = 0;
      if (sqlite3_prepare_v2(db, "SELECT * FROM temp.fz", -1, &st, 0) == SQLITE_OK) {
        check_results(st);
      }
      sqlite3_finalize(st);
      sqlite3_exec(db, "DROP TABLE temp.fz", 0, 0, 0);
    }
    sqlite3_free(create);
    return;
  }

  arg args[MAX_ARGS];
  char list[MAX_ARGS * 3 + 1] = "";
  size_t used = 0;
  for (int i = 0; i < n; i++) {
    args[i] = draw_arg(in);
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? "," : "",
                             args[i].type == 0 ? args[i].column : "?");
  }
  char sql[1024];
  switch (e->kind) {
    case 'e':
      snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"(%s)", e->name, list);
      break;
    case 'w':
      if (take(in) & 1) {
        snprintf(sql, sizeof sql,
                 "SELECT %s(%s) OVER (ORDER BY rowid ROWS BETWEEN 1 PRECEDING AND "
                 "CURRENT ROW) FROM t",
                 e->name, list);
        break;
      }
      /* fall through */
    case 'a':
      snprintf(sql, sizeof sql, "SELECT %s(%s) FROM t", e->name, list);
      break;
    default:
      snprintf(sql, sizeof sql, "SELECT %s(%s) FROM t", e->name, list);
      break;
  }
  sqlite3_stmt *st = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) == SQLITE_OK) {
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (args[i].type != 0) bind_value(st, ++k, &args[i]);
    }
    check_results(st);
  }
  sqlite3_finalize(st);
}

/* A fingerprint of what the log holds, to compare around a rollback. */
static char *log_contents(void) {
  sqlite3_stmt *st = 0;
  char *out = 0;
  if (sqlite3_prepare_v2(db,
                         "SELECT count(*) || ' ' || coalesce(sum(length(CAST(user_id AS BLOB)) + "
                         "length(CAST(ts AS BLOB)) + length(event)), 0) FROM fl",
                         -1, &st, 0) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    out = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
  } else {
    out = sqlite3_mprintf("error: %s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(st);
  return out;
}

static const char *const log_writes[] = {
    "INSERT INTO fl VALUES (?1, ?2, ?3)",
    "INSERT INTO fl SELECT ?1, ts, ?3 FROM events",
    "DELETE FROM fl WHERE user_id = ?1",
    "DELETE FROM fl WHERE rowid = ?1",
    "UPDATE fl SET event = ?3 WHERE user_id = ?1",
    "UPDATE fl SET ts = ?2",
    "INSERT INTO fl(fl) VALUES (?1)",
    "INSERT INTO fl(fl, user_id, ts, event) VALUES ('delete', ?1, ?2, ?3)",
    "INSERT INTO fl(fl) VALUES ('rebuild')",
    "INSERT INTO fl(fl) VALUES ('append')",
    "INSERT INTO fl(fl) VALUES ('optimize')",
    "INSERT INTO events VALUES (?1, ?2, ?3)",
    "UPDATE fl_blocks SET data = ?4 WHERE rowid = (SELECT min(rowid) FROM fl_blocks)",
    "UPDATE fl_pending SET data = ?4",
    "UPDATE fl_dict SET name = ?3 WHERE code = 1",
    "UPDATE fl_config SET v = ?1 WHERE k = 'next_block'",
};

static const char *const log_reads[] = {
    "SELECT * FROM fl", "SELECT * FROM fl_funnel", "SELECT * FROM fl_weeks",
    "SELECT * FROM fl_cohorts", "INSERT INTO fl(fl) VALUES ('integrity-check')",
};

/* One write to the log with drawn values, committed or rolled back, then
** a read. */
static void log_call(input *in) {
  const char *sql = log_writes[take(in) % (sizeof log_writes / sizeof log_writes[0])];
  arg a[3];
  for (int i = 0; i < 3; i++) {
    a[i] = draw_arg(in);
    if (a[i].type == 0) a[i].type = SQLITE_NULL;
  }
  size_t len = take(in) % 48;
  if (len > in->n) len = in->n;
  const uint8_t *bytes = in->p;
  in->p += len;
  in->n -= len;
  int rollback = take(in) & 1;
  char *before = rollback ? log_contents() : 0;
  sqlite3_exec(db, "BEGIN", 0, 0, 0);
  sqlite3_stmt *st = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) == SQLITE_OK) {
    for (int i = 0; i < 3; i++) bind_value(st, i + 1, &a[i]);
    sqlite3_bind_blob(st, 4, bytes, (int)len, SQLITE_TRANSIENT);
    check_results(st);
  }
  sqlite3_finalize(st);
  sqlite3_exec(db, rollback ? "ROLLBACK" : "COMMIT", 0, 0, 0);
  if (before) {
    char *after = log_contents();
    if (after && strcmp(before, after) != 0) {
      fprintf(stderr, "fuzz_sql: after %s rolled back the log holds %s, not %s\n", sql, after,
              before);
      abort();
    }
    sqlite3_free(after);
    sqlite3_free(before);
  }
  st = 0;
  if (sqlite3_prepare_v2(db, log_reads[take(in) % (sizeof log_reads / sizeof log_reads[0])], -1,
                         &st, 0) == SQLITE_OK) {
    check_results(st);
  }
  sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  input in = {data, size};
  int calls = 1 + (int)(take(&in) % 4);
  for (int i = 0; i < calls && in.n > 0; i++) {
    if (take(&in) % 4 == 0) {
      log_call(&in);
    } else {
      one_call(&in);
    }
  }
  return 0;
}
