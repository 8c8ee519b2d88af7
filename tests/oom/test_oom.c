/*
** test_oom.c: every growthops function and table under out-of-memory.
**
** The statements are the examples of the docs/ pages (the same ones
** tests/sql/docs.test checks), so every function and table that is
** documented is covered, and a new page is covered without touching this
** file.  For each checked example, for n = 1, 2, ...: a fresh connection
** loads growthops and runs the page's earlier statements; then the n-th
** allocation of the example fails (once, and, in a second pass, every
** allocation from the n-th on); the example must end in SQLITE_NOMEM, or
** exactly as it ends without failures (the same rows, or the same error
** message), and closing the connection must leave no
** allocation behind.  n grows until the example runs without reaching the
** failing allocation.  Loading the module is checked the same way ("load"
** in the lists below): a failed load says why and leaves nothing behind, a
** successful one registers every name.
**
** Environment: GROWTHOPS_MODULE (the module), GROWTHOPS_SRCDIR (for docs/);
** GROWTHOPS_OOM_PAGES=kpi.md,funnel.md:12,load checks those pages only, or
** one example of a page, numbered as the messages number them, or the load
** (the mutation test, tests/mutate.py, runs one example at a time).  With
** GROWTHOPS_OOM_LIST=1 it only prints the examples it would check, one
** NAME:K a line.
** Prints "test_oom: N passed, M failed" and the failure points covered.
*/
#include <dirent.h>
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The failing allocator: wraps SQLite's own. */
static sqlite3_mem_methods real_mem;
static long long alloc_count;  /* allocations since armed */
static long long fail_at;      /* 0 = never fail */
static int fail_persist;       /* fail every allocation from fail_at on */
static int failed;             /* a failure was injected */
static long long live;         /* outstanding allocations */

static int should_fail(void) {
  if (fail_at == 0) return 0;
  alloc_count++;
  if (alloc_count == fail_at || (fail_persist && alloc_count > fail_at)) {
    failed = 1;
    return 1;
  }
  return 0;
}

static void *oom_malloc(int n) {
  if (should_fail()) return 0;
  void *p = real_mem.xMalloc(n);
  if (p) live++;
  return p;
}

static void oom_free(void *p) {
  if (p) live--;
  real_mem.xFree(p);
}

static void *oom_realloc(void *p, int n) {
  if (should_fail()) return 0;
  void *q = real_mem.xRealloc(p, n);
  if (q && !p) live++;
  return q;
}

static int oom_size(void *p) { return real_mem.xSize(p); }
static int oom_roundup(int n) { return real_mem.xRoundup(n); }
static int oom_init(void *a) { return real_mem.xInit(a); }
static void oom_shutdown(void *a) { real_mem.xShutdown(a); }

static void arm(long long n, int persist) {
  alloc_count = 0;
  failed = 0;
  fail_persist = persist;
  fail_at = n;
}

static void disarm(void) { fail_at = 0; }

/* A statement of a docs page: checked (has "; -- expected") or setup. */
typedef struct example {
  char *sql;
  int checked;
} example;

typedef struct page {
  char name[256];
  example *items;
  int n;
} page;

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = 0;
  }
  if (buf) buf[n] = 0;
  fclose(f);
  return buf;
}

static void add_item(page *pg, const char *sql, size_t n, int checked) {
  pg->items = realloc(pg->items, sizeof(example) * (size_t)(pg->n + 1));
  char *copy = malloc(n + 1);
  memcpy(copy, sql, n);
  copy[n] = 0;
  pg->items[pg->n].sql = copy;
  pg->items[pg->n].checked = checked;
  pg->n++;
}

/* The parsing rules of tests/sql/docs.test. */
static void parse_page(page *pg, char *text) {
  int in_sql = 0;
  size_t cap = 4096, len = 0;
  char *sql = malloc(cap);
  sql[0] = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(0, "\n")) {
    char *trimmed = line;
    while (*trimmed == ' ') trimmed++;
    if (!in_sql) {
      if (strncmp(trimmed, "```sql", 6) == 0) in_sql = 1, len = 0, sql[0] = 0;
      continue;
    }
    if (strncmp(trimmed, "```", 3) == 0) {
      in_sql = 0;
      continue;
    }
    size_t n = strlen(line);
    if (len + n + 2 > cap) {
      cap = (len + n + 2) * 2;
      sql = realloc(sql, cap);
    }
    char *mark = 0;
    for (char *p = strstr(line, "; -- "); p; p = strstr(p + 1, "; -- ")) mark = p;
    if (mark) {
      memcpy(sql + len, line, (size_t)(mark - line) + 1);
      len += (size_t)(mark - line) + 1;
      /* "-- error: ..." examples are checked too: they must keep failing
      ** the same way or with NOMEM. */
      add_item(pg, sql, len, 1);
      len = 0;
      continue;
    }
    memcpy(sql + len, line, n);
    len += n;
    sql[len++] = '\n';
    sql[len] = 0;
    if (sqlite3_complete(sql)) {
      add_item(pg, sql, len, 0);
      len = 0;
    }
    sql[len] = 0;
  }
  free(sql);
}

/* Runs sql; returns its result code and, in out, the rows as text. */
static int run(sqlite3 *db, const char *sql, char *out, size_t cap) {
  size_t used = 0;
  const char *tail = sql;
  int rc = SQLITE_OK;
  if (out) out[0] = 0;
  while (rc == SQLITE_OK && tail && *tail) {
    sqlite3_stmt *stmt = 0;
    rc = sqlite3_prepare_v2(db, tail, -1, &stmt, &tail);
    if (rc != SQLITE_OK || stmt == 0) break;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (int i = 0; out && i < sqlite3_column_count(stmt); i++) {
        const unsigned char *t = sqlite3_column_text(stmt, i);
        if (t == 0 && sqlite3_column_type(stmt, i) != SQLITE_NULL) {
          rc = SQLITE_NOMEM;  /* converting the value failed */
          break;
        }
        int w = snprintf(out + used, cap - used, "%s|", t ? (const char *)t : "NULL");
        if (w > 0 && (size_t)w < cap - used) used += (size_t)w;
      }
      if (rc == SQLITE_NOMEM) break;
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    int frc = sqlite3_finalize(stmt);
    if (rc == SQLITE_OK) rc = frc;
  }
  /* An error's message is the result to compare. */
  if (rc != SQLITE_OK && out) snprintf(out, cap, "error: %s", sqlite3_errmsg(db));
  return rc;
}

static const char *module_path;
static int n_passed, n_failed;
static long long points;

static sqlite3 *open_loaded(void) {
  sqlite3 *db = 0;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    fprintf(stderr, "cannot open a database\n");
    exit(99);
  }
  sqlite3_enable_load_extension(db, 1);
  char *err = 0;
  if (sqlite3_load_extension(db, module_path, 0, &err) != SQLITE_OK) {
    fprintf(stderr, "cannot load %s: %s\n", module_path, err ? err : "?");
    exit(99);
  }
  return db;
}

static void check_example(const page *pg, int k) {
  static char want[1 << 16], got[1 << 16];
  /* Without failures first. */
  sqlite3 *db = open_loaded();
  for (int i = 0; i < k; i++) run(db, pg->items[i].sql, 0, 0);
  int want_rc = run(db, pg->items[k].sql, want, sizeof want);
  sqlite3_close(db);

  for (int persist = 0; persist <= 1; persist++) {
    for (long long n = 1;; n++) {
      long long live_before = live;
      db = open_loaded();
      for (int i = 0; i < k; i++) run(db, pg->items[i].sql, 0, 0);
      arm(n, persist);
      int rc = run(db, pg->items[k].sql, got, sizeof got);
      int reached = failed;
      disarm();
      sqlite3_close(db);
      points++;
      const char *wrong = 0;
      if (rc == SQLITE_NOMEM) {
        if (!reached) wrong = "SQLITE_NOMEM without a failed allocation";
      } else if (rc != want_rc) {
        wrong = "a result code that is neither the normal one nor SQLITE_NOMEM";
      } else if (strcmp(got, want) != 0 &&
                 !(reached && rc == SQLITE_ERROR &&
                   strcmp(got, "error: SQL logic error") == 0)) {
        /* (SQLite itself reports a bare "SQL logic error" when it cannot
        ** copy a function's error message.) */
        wrong = "rows or an error message that differ from the normal run";
      }
      if (live != live_before) wrong = "allocations left after close (a leak)";
      if (wrong) {
        n_failed++;
        printf("! %s example %d, allocation %lld%s: %s (rc %d, normal rc %d)\n  %s\n  got: %.200s\n  normal: %.200s\n",
               pg->name, k + 1, n, persist ? " onwards" : "", wrong, rc, want_rc,
               pg->items[k].sql, got, want);
        return;
      }
      if (!reached) break;
    }
  }
  n_passed++;
}

/* The names a connection knows: functions and modules. */
static int count_names(sqlite3 *db) {
  char out[64];
  if (run(db, "SELECT (SELECT count(*) FROM pragma_function_list) + "
              "(SELECT count(*) FROM pragma_module_list)", out, sizeof out) != SQLITE_OK) {
    return -1;
  }
  return atoi(out);
}

/* Loading itself under every allocation failure: the load fails and
** leaves nothing allocated (its message, after SQLite's "error during
** initialization: ", is empty for out of memory or growthops' own "cannot
** register"), or it succeeds and registers every name a load without
** failures does. */
static void check_load(void) {
  sqlite3 *db = open_loaded();
  int want = count_names(db);
  sqlite3_close(db);
  for (int persist = 0; persist <= 1; persist++) {
    for (long long n = 1;; n++) {
      long long live_before = live;
      if (sqlite3_open(":memory:", &db) != SQLITE_OK) exit(99);
      sqlite3_enable_load_extension(db, 1);
      char *err = 0;
      arm(n, persist);
      int rc = sqlite3_load_extension(db, module_path, 0, &err);
      int reached = failed;
      disarm();
      points++;
      const char *wrong = 0;
      if (rc == SQLITE_OK) {
        if (count_names(db) != want) wrong = "loaded without every name";
      } else if (!reached) {
        wrong = "failed without a failed allocation";
      } else if (err && strncmp(err, "error during initialization: ", 29) == 0 &&
                 err[29] != 0 && strncmp(err + 29, "growthops: cannot register ", 27) != 0) {
        /* (Out of memory is SQLITE_NOMEM, without a message of its own.) */
        wrong = "failed with a message that is not growthops' own";
      }
      char shown[256];
      snprintf(shown, sizeof shown, "%s", err ? err : "(no message)");
      sqlite3_free(err);
      sqlite3_close(db);
      if (live != live_before) wrong = "allocations left after close (a leak)";
      if (wrong) {
        n_failed++;
        printf("! loading, allocation %lld%s: %s (rc %d)\n  %s\n", n,
               persist ? " onwards" : "", wrong, rc, shown);
        return;
      }
      if (!reached) break;
    }
  }
  n_passed++;
}

/* Whether example K (1-based, as the messages count) of page NAME is to be
** checked: GROWTHOPS_OOM_PAGES is unset, or its comma-separated list holds
** NAME or NAME:K. */
static int example_wanted(const char *name, int k) {
  const char *list = getenv("GROWTHOPS_OOM_PAGES");
  if (!list) return 1;
  size_t len = strlen(name);
  for (const char *p = list; *p;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n >= len && strncmp(p, name, len) == 0 &&
        (n == len || (p[len] == ':' && atoi(p + len + 1) == k))) {
      return 1;
    }
    p += n + (end != 0);
  }
  return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

int main(void) {
  module_path = getenv("GROWTHOPS_MODULE");
  const char *srcdir = getenv("GROWTHOPS_SRCDIR");
  if (!module_path || !srcdir) {
    fprintf(stderr, "set GROWTHOPS_MODULE and GROWTHOPS_SRCDIR\n");
    return 99;
  }
  /* Keep the module mapped between connections: each close would
  ** otherwise unload it and each open load it again. */
  void *keep = dlopen(module_path, RTLD_NOW);
  const char *list_env = getenv("GROWTHOPS_OOM_LIST");
  int list_only = list_env && strcmp(list_env, "1") == 0;

  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem);
  static sqlite3_mem_methods wrapped;
  wrapped = real_mem;
  wrapped.xMalloc = oom_malloc;
  wrapped.xFree = oom_free;
  wrapped.xRealloc = oom_realloc;
  wrapped.xSize = oom_size;
  wrapped.xRoundup = oom_roundup;
  wrapped.xInit = oom_init;
  wrapped.xShutdown = oom_shutdown;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped);
  /* Lookaside would serve small allocations without the allocator. */
  sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0);
  sqlite3_initialize();

  char docs[4096];
  snprintf(docs, sizeof docs, "%s/docs", srcdir);
  struct dirent **names;
  int n = scandir(docs, &names, 0, by_name);
  if (n < 0) {
    fprintf(stderr, "cannot read %s\n", docs);
    return 99;
  }
  for (int i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    size_t len = strlen(name);
    if (len > 3 && strcmp(name + len - 3, ".md") == 0) {
      char path[8192];
      snprintf(path, sizeof path, "%s/%s", docs, name);
      char *text = read_file(path);
      page pg;
      memset(&pg, 0, sizeof pg);
      snprintf(pg.name, sizeof pg.name, "%s", name);
      if (text) parse_page(&pg, text);
      for (int k = 0; k < pg.n; k++) {
        if (!pg.items[k].checked || !example_wanted(name, k + 1)) continue;
        if (list_only) {
          printf("%s:%d\n", name, k + 1);
        } else {
          check_example(&pg, k);
        }
      }
      for (int k = 0; k < pg.n; k++) free(pg.items[k].sql);
      free(pg.items);
      free(text);
    }
    free(names[i]);
  }
  free(names);
  if (example_wanted("load", 0)) {
    if (list_only) {
      printf("load\n");
    } else {
      check_load();
    }
  }
  if (keep) dlclose(keep);
  if (list_only) return 0;
  printf("test_oom: %lld allocation-failure points over %d examples\n", points,
         n_passed + n_failed);
  printf("test_oom: %d passed, %d failed\n", n_passed, n_failed);
  return n_failed ? 1 : (n_passed ? 0 : 1);
}
