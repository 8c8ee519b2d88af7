/*
** source.c: the tables over a user's events: reading their CREATE
** arguments, querying the source, comparing users.  See source.h.
*/
#include "source.h"

#include "log.h"

#include <assert.h>
#include <math.h>
#include <string.h>

int gops_source_arg_error(const char *module, int index0, const char *name,
                          const char *what, const char *value, char **pzErr) {
  return gops_errorf(pzErr, "%s: %s argument (%s) must be %s, got '%.40q'", module,
                     gops_ordinal(index0), name, what, value);
}

/* The argument without the white space around it: *n bytes from the
** result. */
static const char *trimmed(const char *arg, size_t *n) {
  size_t len = strlen(arg);
  const char *end = arg + len;
  arg = gops_skip_space(arg, end);
  while (end > arg && gops_is_space((unsigned char)end[-1])) end--;
  *n = (size_t)(end - arg);
  return arg;
}

/* One CREATE argument read as one SQL identifier, unquoted, as an
** sqlite3_malloc'ed string; NULL with *pzErr set, or NULL with *pzErr NULL
** for out of memory. */
static char *read_identifier(const char *arg, const char *module, int index0,
                             const char *name, char **pzErr) {
  static const char what[] = "a table or column name";
  static const char too_long[] =
      "a table or column name of at most " STRINGIFY(GOPS_IDENTIFIER_MAX) " bytes";
  *pzErr = 0;
  size_t n;
  arg = trimmed(arg, &n);
  if (n == 0) {
    gops_source_arg_error(module, index0, name, what, arg, pzErr);
    return 0;
  }
  /* The bound, on the name with its quotes (if any) and without. */
  if (n > GOPS_IDENTIFIER_MAX + 2) {
    gops_source_arg_error(module, index0, name, too_long, arg, pzErr);
    return 0;
  }
  char open = arg[0];
  char close = open == '[' ? ']' : open;
  char *out = sqlite3_malloc64(n + 1);
  if (out == 0) return 0;
  size_t k = 0;
  int ok = 1;
  if (open == '"' || open == '\'' || open == '`' || open == '[') {
    /* Quoted: the closing quote must end the argument; inside, a doubled
    ** quote stands for one (not for brackets). */
    size_t i = 1;
    int closed = 0;
    while (i < n) {
      if (arg[i] == close) {
        if (close != ']' && i + 1 < n && arg[i + 1] == close) {
          out[k++] = close;
          i += 2;
          continue;
        }
        closed = (i == n - 1);
        break;
      }
      out[k++] = arg[i++];
    }
    ok = closed && k > 0;
  } else {
    for (size_t i = 0; ok && i < n; i++) {
      unsigned char c = (unsigned char)arg[i];
      /* Bare names: letters, digits, '_' and any non-ASCII byte (UTF-8
      ** names such as 新关注人数), not starting with a digit. */
      int digit = c >= '0' && c <= '9';
      int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      ok = (letter || digit || c == '_' || c >= 0x80) && !(i == 0 && digit);
      out[k++] = (char)c;
    }
  }
  out[k] = 0;
  if (!ok || k > GOPS_IDENTIFIER_MAX) {
    sqlite3_free(out);
    gops_source_arg_error(module, index0, name, ok ? too_long : what, arg, pzErr);
    return 0;
  }
  assert(strlen(out) == k);
  return out;
}

/* `name` with embedded backticks doubled. */
static char *quote_identifier(const char *identifier) {
  sqlite3_str *s = sqlite3_str_new(0);
  sqlite3_str_appendchar(s, 1, '`');
  for (const char *p = identifier; *p; p++) {
    sqlite3_str_appendchar(s, *p == '`' ? 2 : 1, *p);
  }
  sqlite3_str_appendchar(s, 1, '`');
  return sqlite3_str_finish(s);
}

int gops_source_read(const char *module, const char *const *arg_names, int n,
                     const char *const *argv, gops_source *src, char **pzErr) {
  assert(n >= 0 && n <= GOPS_TABLE_MAX_ARGS && src->n == 0);
  for (int i = 0; i < n; i++) {
    src->name[i] = read_identifier(argv[i], module, i, arg_names[i], pzErr);
    if (src->name[i] == 0) return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    src->n = i + 1;
    src->quoted[i] = quote_identifier(src->name[i]);
    if (src->quoted[i] == 0) return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

void gops_source_clear(gops_source *src) {
  for (int i = 0; i < src->n; i++) {
    sqlite3_free(src->name[i]);
    sqlite3_free(src->quoted[i]);
  }
  memset(src, 0, sizeof(*src));
}

int gops_source_check(sqlite3 *db, const char *module, const gops_source *src,
                      char **pzErr) {
  if (src->n == 0) return SQLITE_OK;
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(
      db, "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden IN (0, 2, 3)",
      -1, &stmt, 0);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_NOMEM) gops_errorf(pzErr, "%s: %s", module, sqlite3_errmsg(db));
    return rc;
  }
  const char *table = src->name[0];
  sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
  /* found has a bit per wanted column (src->name[1..]). */
  unsigned found = 0;
  int any = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *have = (const char *)sqlite3_column_text(stmt, 0);
    any = 1;
    for (int i = 1; have && i < src->n; i++) {
      if (sqlite3_stricmp(have, src->name[i]) == 0) found |= 1u << i;
    }
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    if (rc != SQLITE_NOMEM) gops_errorf(pzErr, "%s: %s", module, sqlite3_errmsg(db));
    return rc;
  }
  if (!any) return gops_errorf(pzErr, "%s: no table or view named \"%w\"", module, table);
  for (int i = 1; i < src->n; i++) {
    if (!(found & (1u << i))) {
      return gops_errorf(pzErr, "%s: table \"%w\" has no column \"%w\"", module, table,
                         src->name[i]);
    }
  }
  return SQLITE_OK;
}

int gops_source_column(const gops_create *create, const char *arg, int index0,
                       const char *name, char **quoted, char **pzErr) {
  *quoted = 0;
  char *column = read_identifier(arg, create->module, index0, name, pzErr);
  if (column == 0) return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  int rc = SQLITE_OK;
  if (create->create) {
    gops_source one = {.n = 2, .name = {create->source->name[0], column}};
    rc = gops_source_check(create->db, create->module, &one, pzErr);
  }
  if (rc == SQLITE_OK) {
    *quoted = quote_identifier(column);
    if (*quoted == 0) rc = SQLITE_NOMEM;
  }
  sqlite3_free(column);
  return rc;
}

/* One module a line: a new table of growthops that reads only the
** database (a table over a source, an events table of its own) is one more
** line here. */
static const char *const safe_modules[] = {
    "fts3", "fts4", "fts5", "rtree", "geopoly", /* SQLite's own */
    "funnel",
    "lifecycle",
    "stickiness",
    "paths",
    "event_log",
};

int gops_source_safe_module(const char *module, size_t len) {
  for (size_t i = 0; i < sizeof(safe_modules) / sizeof(safe_modules[0]); i++) {
    if (gops_word_equal(module, len, safe_modules[i])) return 1;
  }
  return 0;
}

/* The CREATE text of the table or view that name resolves to, in the order
** SQLite looks an unqualified name up; NULL (rc SQLITE_OK) when there is
** none. */
static int source_definition(sqlite3 *db, const char *name, char **type, char **sql) {
  *type = *sql = 0;
  sqlite3_stmt *dbs = 0;
  int rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_database_list ORDER BY seq <> 1, seq", -1,
                              &dbs, 0);
  while (rc == SQLITE_OK && *type == 0 && (rc = sqlite3_step(dbs)) == SQLITE_ROW) {
    char *q = sqlite3_mprintf("SELECT type, sql FROM \"%w\".sqlite_schema WHERE name = ?1 "
                              "COLLATE NOCASE AND type IN ('table', 'view')",
                              (const char *)sqlite3_column_text(dbs, 0));
    sqlite3_stmt *stmt = 0;
    rc = q ? sqlite3_prepare_v2(db, q, -1, &stmt, 0) : SQLITE_NOMEM;
    sqlite3_free(q);
    if (rc == SQLITE_OK) {
      sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        *type = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(stmt, 0));
        *sql = sqlite3_mprintf("%s", sqlite3_column_text(stmt, 1) ? (const char *)sqlite3_column_text(stmt, 1) : "");
        rc = *type && *sql ? SQLITE_OK : SQLITE_NOMEM;
      } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(dbs);
  return rc;
}

int gops_source_check_module(const gops_scan *scan, char **pzErr) {
  const char *name = scan->source->name[0];
  char *type = 0, *sql = 0;
  int rc = source_definition(scan->db, name, &type, &sql);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_NOMEM) gops_errorf(pzErr, "%s: %s", scan->module, sqlite3_errmsg(scan->db));
  } else if (type && strcmp(type, "table") == 0) {
    gops_sql_word module;
    gops_sql_vtab_rc v = gops_sql_virtual_module(sql, strlen(sql), &module);
    /* a cohorts table is the layer's to refuse, saying why (table.c) */
    int known = v == GOPS_SQL_VIRTUAL && (gops_source_safe_module(module.text, module.len) ||
                                          gops_word_equal(module.text, module.len, "cohorts"));
    if (v != GOPS_SQL_NOT_VIRTUAL && !known) {
      rc = gops_errorf(pzErr,
                       "%s: the source \"%w\" is a virtual table of the module %.*s, which may read "
                       "files or run SQL named in its definition: a table over a source reads only "
                       "tables, views and the tables of the modules known to read nothing else",
                       scan->module, name, v == GOPS_SQL_VIRTUAL ? (int)module.len : 1,
                       v == GOPS_SQL_VIRTUAL ? module.text : "?");
    }
  }
  sqlite3_free(type);
  sqlite3_free(sql);
  return rc;
}

int gops_source_prepare(const gops_scan *scan, const char *sql,
                        sqlite3_stmt **stmt, char **pzErr) {
  *stmt = 0;
  int rc = sqlite3_prepare_v2(scan->db, sql, -1, stmt, 0);
  if (rc != SQLITE_OK) gops_source_failed(scan, rc, pzErr);
  return rc;
}

int gops_source_failed(const gops_scan *scan, int rc, char **pzErr) {
  assert(rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE);
  if (rc != SQLITE_NOMEM) gops_errorf(pzErr, "%s: %s", scan->module, sqlite3_errmsg(scan->db));
  return rc;
}

int gops_source_range(const gops_scan *scan, int first, double range[2], int *empty,
                      char **pzErr) {
  static const char *const names[] = {"since", "until"};
  range[0] = -INFINITY;
  range[1] = INFINITY;
  *empty = 0;
  for (int i = 0; i < 2; i++) {
    sqlite3_value *v = scan->args[first + i];
    if (v == 0) continue;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
      *empty = 1;
      return SQLITE_OK;
    }
    if (gops_value_unix(v, &range[i]) != 0) {
      char *shown = gops_value_for_message(v);
      int rc = shown ? gops_errorf(pzErr, "%s: %s must be an ISO-8601 time or unix seconds, got %s",
                                   scan->module, names[i], shown)
                     : SQLITE_NOMEM;
      sqlite3_free(shown);
      return rc;
    }
  }
  return SQLITE_OK;
}

/* The query of gops_source_events().  The range is pushed down loosely (a
** second either side, numbers and text alike; a time SQLite's julianday()
** cannot read, such as one with spaces around it, is kept) and applied
** exactly by the reader. */
static char *events_sql(const gops_scan *scan, const gops_events_query *q) {
  const gops_source *src = scan->source;
  const char *user = src->quoted[1], *time = src->quoted[2];
  sqlite3_str *sql = sqlite3_str_new(scan->db);
  sqlite3_str_appendf(sql, "SELECT %s, %s%s%s FROM %s WHERE (%s)", user, time, q->more ? ", " : "",
                      q->more ? q->more : "", src->quoted[0], q->where ? q->where : "1");
  static const char *const bound[] = {">=", "<="};
  for (int i = 0; i < 2; i++) {
    if (!isfinite(q->range[i])) continue;
    sqlite3_str_appendf(sql,
                        " AND (CASE WHEN typeof(%s) IN ('integer', 'real') THEN %s "
                        "ELSE (julianday(%s) - 2440587.5) * 86400.0 END %s ?%d) IS NOT FALSE",
                        time, time, time, bound[i], q->n_texts + 1 + i);
  }
  if (q->by_user) sqlite3_str_appendall(sql, " ORDER BY 1, 2");
  return sqlite3_str_finish(sql);
}

int gops_source_events(const gops_scan *scan, const gops_events_query *q, gops_event_fn fn,
                       void *ctx, char **pzErr) {
  const gops_source *src = scan->source;
  assert(src && src->n >= 3);
  int rc = gops_source_check_module(scan, pzErr);
  if (rc != SQLITE_OK) return rc;
  int packed;
  rc = gops_log_source_events(scan, q, fn, ctx, &packed, pzErr);
  if (rc != SQLITE_OK || packed) return rc;
  char *sql = events_sql(scan, q);
  if (sql == 0) return SQLITE_NOMEM;
  sqlite3_stmt *stmt;
  rc = gops_source_prepare(scan, sql, &stmt, pzErr);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return rc;
  int n_more = sqlite3_column_count(stmt) - 2;
  sqlite3_value **more = sqlite3_malloc64(sizeof(*more) * (size_t)(n_more ? n_more : 1));
  if (more == 0) {
    sqlite3_finalize(stmt);
    return SQLITE_NOMEM;
  }
  for (int k = 0; k < q->n_texts; k++) sqlite3_bind_text(stmt, k + 1, q->texts[k], -1, SQLITE_STATIC);
  for (int i = 0; i < 2; i++) {
    if (isfinite(q->range[i])) {
      sqlite3_bind_double(stmt, q->n_texts + 1 + i, q->range[i] + (i ? 1 : -1));
    }
  }
  gops_event e;
  e.more = more;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    sqlite3_value *uv = sqlite3_column_value(stmt, 0);
    sqlite3_value *tv = sqlite3_column_value(stmt, 1);
    if (sqlite3_value_type(uv) == SQLITE_NULL || sqlite3_value_type(tv) == SQLITE_NULL) continue;
    if (gops_value_unix(tv, &e.ts) != 0) {
      char *shown = gops_value_for_message(tv);
      rc = shown ? gops_errorf(pzErr, "%s: column \"%w\" of \"%w\" must hold ISO-8601 times or "
                               "unix seconds, got %s", scan->module, src->name[2], src->name[0],
                               shown)
                 : SQLITE_NOMEM;
      sqlite3_free(shown);
      break;
    }
    if (e.ts < q->range[0] || e.ts >= q->range[1]) continue;
    rc = gops_user_read(uv, &e.user);
    for (int i = 0; i < n_more; i++) more[i] = sqlite3_column_value(stmt, 2 + i);
    if (rc == SQLITE_OK) rc = fn(ctx, &e, pzErr);
    if (rc != SQLITE_OK) break;
  }
  if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  } else if (rc != SQLITE_OK && rc != SQLITE_NOMEM && *pzErr == 0) {
    rc = gops_source_failed(scan, rc, pzErr); /* sqlite3_step's own error */
  }
  sqlite3_finalize(stmt);
  sqlite3_free(more);
  return rc;
}

/* Length of the quoted token opening text[0..n-1] (quote doubled inside
** stands for one), or 0 when it does not close. */
static size_t quoted_length(const char *text, size_t n) {
  char close = text[0] == '[' ? ']' : text[0];
  for (size_t i = 1; i < n; i++) {
    if (text[i] != close) continue;
    if (close != ']' && i + 1 < n && text[i + 1] == close) {
      i++;
      continue;
    }
    return i + 1;
  }
  return 0;
}

char *gops_source_unquote(const char *arg) {
  size_t n;
  arg = trimmed(arg, &n);
  char *out = sqlite3_malloc64(n + 1);
  if (out == 0) return 0;
  if (n >= 2 && (arg[0] == '\'' || arg[0] == '"') && quoted_length(arg, n) == n) {
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
      out[k++] = arg[i];
      if (arg[i] == arg[0]) i++; /* a doubled quote */
    }
    out[k] = 0;
    return out;
  }
  memcpy(out, arg, n);
  out[n] = 0;
  return out;
}

int gops_source_number(const char *arg, const char *module, int index0,
                       const char *name, int positive, const char *what,
                       double *out, char **pzErr) {
  char *text = gops_source_unquote(arg);
  if (text == 0) return SQLITE_NOMEM;
  int rc = SQLITE_OK;
  if (gops_text_number(text, strlen(text), out) != GOPS_NUMBER_OK ||
      (positive && !(*out > 0))) {
    rc = gops_source_arg_error(module, index0, name, what, text, pzErr);
  }
  sqlite3_free(text);
  return rc;
}

int gops_source_names(const char *arg, const char *module, int index0, const char *name,
                      int with_number, int max, const char *what, gops_json_name **items,
                      int *count, char **pzErr) {
  char *text = gops_source_unquote(arg);
  if (text == 0) return SQLITE_NOMEM;
  gops_json_fault fault;
  gops_json_rc parsed = gops_json_names(text, strlen(text), with_number, max, &gops_sqlite_alloc,
                                        items, count, &fault);
  int rc = SQLITE_OK;
  if (parsed == GOPS_JSON_NOMEM) {
    rc = SQLITE_NOMEM;
  } else if (parsed != GOPS_JSON_OK || *count == 0) {
    rc = gops_source_arg_error(module, index0, name, what, text, pzErr);
  }
  sqlite3_free(text);
  return rc;
}

int gops_source_count(const char *arg, const char *module, int index0, const char *name,
                      int64_t max, const char *what, int64_t *out, char **pzErr) {
  double n;
  int rc = gops_source_number(arg, module, index0, name, 1, what, &n, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (n != floor(n) || n > (double)max) {
    char *text = gops_source_unquote(arg);
    if (text == 0) return SQLITE_NOMEM;
    rc = gops_source_arg_error(module, index0, name, what, text, pzErr);
    sqlite3_free(text);
    return rc;
  }
  *out = (int64_t)n;
  return SQLITE_OK;
}

char *gops_source_expression(const char *arg, const char *module, int index0,
                             const char *name, char **pzErr) {
  *pzErr = 0;
  char *text = gops_source_unquote(arg);
  if (text == 0) return 0;
  size_t n = strlen(text);
  int depth = 0, ok = n > 0;
  for (size_t i = 0; ok && i < n; i++) {
    char c = text[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      size_t len = quoted_length(text + i, n - i);
      if (len == 0) ok = 0;
      else i += len - 1;
    } else if (c == '-' && text[i + 1] == '-') {
      while (i < n && text[i] != '\n') i++;
    } else if (c == '/' && text[i + 1] == '*') {
      const char *end = strstr(text + i + 2, "*/");
      if (end == 0) ok = 0;
      else i = (size_t)(end - text) + 1;
    } else if (c == '(') {
      depth++;
    } else if (c == ')') {
      ok = depth-- > 0;
    } else if (c == ';') {
      ok = 0;
    }
  }
  if (ok && depth == 0) return text;
  gops_source_arg_error(module, index0, name, "one SQL expression", text, pzErr);
  sqlite3_free(text);
  return 0;
}

int gops_user_read(sqlite3_value *v, gops_user *out) {
  memset(out, 0, sizeof(*out));
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      out->kind = GOPS_USER_INTEGER;
      out->number = sqlite3_value_int64(v);
      return SQLITE_OK;
    case SQLITE_FLOAT: {
      /* A whole REAL in [-2^63, 2^63) is the INTEGER it equals, as SQL's
      ** DISTINCT has it (9.2e18 is 9200000000000000000); 2^63 is above
      ** every INTEGER. */
      double d = sqlite3_value_double(v);
      if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        out->kind = GOPS_USER_INTEGER;
        out->number = (int64_t)d;
      } else {
        out->kind = GOPS_USER_REAL;
        memcpy(&out->number, &d, sizeof(d));
      }
      return SQLITE_OK;
    }
    default: {
      assert(sqlite3_value_type(v) != SQLITE_NULL);
      int is_text = sqlite3_value_type(v) == SQLITE_TEXT;
      out->kind = is_text ? GOPS_USER_TEXT : GOPS_USER_BLOB;
      out->bytes = is_text ? sqlite3_value_text(v) : sqlite3_value_blob(v);
      out->n = sqlite3_value_bytes(v);
      return out->n > 0 && out->bytes == 0 ? SQLITE_NOMEM : SQLITE_OK;
    }
  }
}

int gops_user_same(const gops_user *a, const gops_user *b) {
  if (a->kind != b->kind) return 0;
  if (a->kind < GOPS_USER_TEXT) return a->number == b->number;
  return a->n == b->n && (a->n == 0 || memcmp(a->bytes, b->bytes, (size_t)a->n) == 0);
}

int gops_user_compare(const gops_user *a, const gops_user *b) {
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->kind < GOPS_USER_TEXT) return (a->number > b->number) - (a->number < b->number);
  int n = a->n < b->n ? a->n : b->n;
  int c = n ? memcmp(a->bytes, b->bytes, (size_t)n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return (a->n > b->n) - (a->n < b->n);
}

int gops_user_copy(gops_user *out, const gops_user *user, unsigned char **buf, int *cap) {
  *out = *user;
  if (user->kind < GOPS_USER_TEXT) return SQLITE_OK;
  if (user->n > *cap) {
    unsigned char *b = sqlite3_realloc64(*buf, (sqlite3_uint64)user->n);
    if (b == 0) return SQLITE_NOMEM;
    *buf = b;
    *cap = user->n;
  }
  if (user->n) memcpy(*buf, user->bytes, (size_t)user->n);
  out->bytes = *buf;
  return SQLITE_OK;
}
