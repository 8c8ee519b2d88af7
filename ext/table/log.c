/*
** log.c: the event log's storage (see log.h): the shadow tables, the
** writes (one event, a removal, rebuild, append, optimize), the checks,
** and the walk over the blocks every reader of a log takes.
*/
#include "log.h"

#include "funnel_core.h" /* gops_stable_sort */

#include <assert.h>
#include <stdarg.h>
#include <math.h>
#include <string.h>


#define LOG_VERSION 1
/* Rows of the followed table an append sorts and places at a time. */
#define APPEND_CHUNK 1000000

enum { COL_USER, COL_TIME, COL_EVENT, COL_PROPS };

/* ---- messages ------------------------------------------------------------ */

static int sqlite_error(sqlite3 *db, int rc, const char *module, char **pzErr) {
  assert(rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE);
  if (rc != SQLITE_NOMEM) gops_errorf(pzErr, "%s: %s", module, sqlite3_errmsg(db));
  return rc;
}

/* A statement of SQL text made as sqlite3_mprintf() makes it; an error is
** "module: <what SQLite says>". */
static int prepare_sql(sqlite3 *db, sqlite3_stmt **st, const char *module, char **pzErr,
                       const char *format, ...) {
  *st = 0;
  va_list ap;
  va_start(ap, format);
  char *sql = sqlite3_vmprintf(format, ap);
  va_end(ap);
  if (sql == 0) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(db, sql, -1, st, 0);
  sqlite3_free(sql);
  return rc == SQLITE_OK ? rc : sqlite_error(db, rc, module, pzErr);
}

static int corrupt(const char *module, const gops_log *log, sqlite3_int64 block,
                   const char *why, char **pzErr) {
  int rc = block ? gops_errorf(pzErr, "%s: block %lld of \"%w\" is corrupt: %s", module,
                               (long long)block, log->name, why)
                 : gops_errorf(pzErr, "%s: \"%w\" is corrupt: %s", module, log->name, why);
  return rc == SQLITE_NOMEM ? rc : SQLITE_CORRUPT_VTAB;
}

/* A value of a row, for a message about it. */
static int value_error(const char *format, const char *module, const char *table,
                       sqlite3_value *v, char **pzErr) {
  char *shown = gops_value_for_message(v);
  if (shown == 0) return SQLITE_NOMEM;
  int rc = gops_errorf(pzErr, format, module, table, shown);
  sqlite3_free(shown);
  return rc;
}

/* ---- the table's columns and shadow tables --------------------------------- */

static const char *const shadow_suffixes[] = {"config", "dict", "blocks", "pending", "props"};

int gops_log_shadow_name(const char *suffix) {
  for (size_t i = 0; i < sizeof(shadow_suffixes) / sizeof(shadow_suffixes[0]); i++) {
    if (sqlite3_stricmp(suffix, shadow_suffixes[i]) == 0) return 1;
  }
  return 0;
}

char *gops_log_columns(const gops_log *log) {
  sqlite3_str *s = sqlite3_str_new(0);
  for (int i = 0; i < log->n_columns; i++) {
    sqlite3_str_appendf(s, "%s\"%w\"%s", i ? ", " : "", log->column[i],
                        i == COL_EVENT ? " TEXT" : "");
  }
  return sqlite3_str_finish(s);
}

static void finalize_statements(gops_log *log) {
  for (size_t i = 0; i < sizeof(log->stmt) / sizeof(log->stmt[0]); i++) {
    sqlite3_finalize(log->stmt[i]);
    log->stmt[i] = 0;
  }
}

void gops_log_clear(gops_log *log) {
  finalize_statements(log);
  sqlite3_free(log->schema);
  sqlite3_free(log->name);
  for (int i = 0; i < 4; i++) sqlite3_free(log->column[i]);
  gops_source_clear(&log->content);
  memset(log, 0, sizeof(*log));
}

/* Runs SQL made from format with the log's schema and name first, each
** %w'd: "..."."%w_blocks"... */
static int run_sql(sqlite3 *db, const gops_log *log, const char *module, char **pzErr,
                   const char *format, const char *arg) {
  char *sql = sqlite3_mprintf(format, log->schema, log->name, arg);
  if (sql == 0) return SQLITE_NOMEM;
  int rc = sqlite3_exec(db, sql, 0, 0, 0);
  sqlite3_free(sql);
  return rc == SQLITE_OK ? rc : sqlite_error(db, rc, module, pzErr);
}

int gops_log_create(sqlite3 *db, const gops_log *log, char **pzErr) {
  static const char *const tables[] = {
      "CREATE TABLE \"%w\".\"%w_config\"(k TEXT PRIMARY KEY, v) WITHOUT ROWID",
      "INSERT INTO \"%w\".\"%w_config\" VALUES ('version', 1), ('next_block', 1)",
      "CREATE TABLE \"%w\".\"%w_dict\"(code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
      "CREATE TABLE \"%w\".\"%w_blocks\"(id INTEGER PRIMARY KEY, first_key BLOB NOT NULL UNIQUE,"
      " users INTEGER NOT NULL, events INTEGER NOT NULL, data BLOB NOT NULL)",
      "CREATE TABLE \"%w\".\"%w_pending\"(block INTEGER PRIMARY KEY, records INTEGER NOT NULL,"
      " added INTEGER NOT NULL, data BLOB NOT NULL)",
      "CREATE TABLE \"%w\".\"%w_props\"(block INTEGER PRIMARY KEY, data BLOB NOT NULL)",
  };
  int n = log->with_props ? 6 : 5;
  for (int i = 0; i < n; i++) {
    int rc = run_sql(db, log, "event_log", pzErr, tables[i], 0);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int gops_log_drop(sqlite3 *db, gops_log *log, char **pzErr) {
  finalize_statements(log);
  for (int i = 0; i < 5; i++) {
    int rc = run_sql(db, log, "event_log", pzErr, "DROP TABLE IF EXISTS \"%w\".\"%w_%s\"",
                     shadow_suffixes[i]);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int gops_log_rename(sqlite3 *db, gops_log *log, const char *new_name, char **pzErr) {
  finalize_statements(log);
  for (int i = 0; i < 5; i++) {
    if (i == 4 && !log->with_props) break;
    char *sql = sqlite3_mprintf("ALTER TABLE \"%w\".\"%w_%s\" RENAME TO \"%w_%s\"", log->schema,
                                log->name, shadow_suffixes[i], new_name, shadow_suffixes[i]);
    if (sql == 0) return SQLITE_NOMEM;
    int rc = sqlite3_exec(db, sql, 0, 0, 0);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return sqlite_error(db, rc, "event_log", pzErr);
  }
  char *name = sqlite3_mprintf("%s", new_name);
  if (name == 0) return SQLITE_NOMEM;
  sqlite3_free(log->name);
  log->name = name;
  return SQLITE_OK;
}

/* ---- the statements of point writes, prepared once ------------------------- */

enum {
  ST_CONFIG_GET, ST_CONFIG_PUT, ST_DICT_FIND, ST_DICT_MAX, ST_DICT_ADD, ST_BLOCK_FIND,
  ST_BLOCK_GET, ST_BLOCK_PUT, ST_BLOCK_DEL, ST_PENDING_GET, ST_PENDING_PUT, ST_PENDING_DEL,
  N_STATEMENTS
};

static const char *const statement_sql[] = {
    "SELECT v FROM \"%w\".\"%w_config\" WHERE k = ?1",
    "INSERT OR REPLACE INTO \"%w\".\"%w_config\"(k, v) VALUES (?1, ?2)",
    "SELECT code FROM \"%w\".\"%w_dict\" WHERE name = ?1",
    "SELECT coalesce(max(code), 0) FROM \"%w\".\"%w_dict\"",
    "INSERT INTO \"%w\".\"%w_dict\"(code, name) VALUES (?1, ?2)",
    "SELECT id, events FROM \"%w\".\"%w_blocks\" WHERE first_key <= ?1 ORDER BY first_key DESC "
    "LIMIT 1",
    "SELECT first_key, events, data FROM \"%w\".\"%w_blocks\" WHERE id = ?1",
    "INSERT INTO \"%w\".\"%w_blocks\"(id, first_key, users, events, data) VALUES (?1, ?2, ?3, "
    "?4, ?5)",
    "DELETE FROM \"%w\".\"%w_blocks\" WHERE id = ?1",
    "SELECT records, added, data FROM \"%w\".\"%w_pending\" WHERE block = ?1",
    "INSERT OR REPLACE INTO \"%w\".\"%w_pending\"(block, records, added, data) VALUES (?1, ?2, "
    "?3, ?4)",
    "DELETE FROM \"%w\".\"%w_pending\" WHERE block = ?1",
};

/* The statement, reset and unbound, ready to bind. */
static int statement(sqlite3 *db, gops_log *log, int which, sqlite3_stmt **out, char **pzErr) {
  assert(which < N_STATEMENTS && N_STATEMENTS <= (int)(sizeof(log->stmt) / sizeof(log->stmt[0])));
  if (log->stmt[which] == 0) {
    char *sql = sqlite3_mprintf(statement_sql[which], log->schema, log->name);
    if (sql == 0) return SQLITE_NOMEM;
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &log->stmt[which], 0);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return sqlite_error(db, rc, "event_log", pzErr);
  }
  *out = log->stmt[which];
  return SQLITE_OK;
}

/* Steps a statement that returns no rows (or whose row is not wanted)
** and resets it. */
static int run(sqlite3 *db, sqlite3_stmt *stmt, char **pzErr) {
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return SQLITE_OK;
  rc = sqlite3_reset(stmt); /* the error's own code */
  return sqlite_error(db, rc ? rc : SQLITE_ERROR, "event_log", pzErr);
}

static void done(sqlite3_stmt *stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

static int config_int(sqlite3 *db, gops_log *log, const char *key, sqlite3_int64 *out,
                      int *found, char **pzErr) {
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_CONFIG_GET, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
  if (*found) *out = sqlite3_column_int64(st, 0);
  done(st);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return SQLITE_OK;
  return sqlite_error(db, rc, "event_log", pzErr);
}

static int config_put(sqlite3 *db, gops_log *log, const char *key, sqlite3_int64 v, int null,
                      char **pzErr) {
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_CONFIG_PUT, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if (!null) sqlite3_bind_int64(st, 2, v);
  return run(db, st, pzErr);
}

/* A new block id: ids only grow, so a merged block's old rowids find
** nothing. */
static int next_block_id(sqlite3 *db, gops_log *log, sqlite3_int64 *id, char **pzErr) {
  int found;
  int rc = config_int(db, log, "next_block", id, &found, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (!found || *id < 1 || *id >= (1LL << (63 - GOPS_LOG_PLACE_BITS))) {
    return corrupt("event_log", log, 0, "its next block id is out of range", pzErr);
  }
  return config_put(db, log, "next_block", *id + 1, 0, pzErr);
}

/* ---- values as the log keeps them -------------------------------------------- */

int gops_log_user_read(sqlite3_value *v, gops_log_user *out) {
  memset(out, 0, sizeof(*out));
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      out->kind = GOPS_LOG_INTEGER;
      out->number = sqlite3_value_int64(v);
      return SQLITE_OK;
    case SQLITE_FLOAT: {
      /* 7.0 is the user 7, as SQL's DISTINCT has it. */
      double d = sqlite3_value_double(v);
      if (!(d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
        return SQLITE_MISMATCH;
      }
      out->kind = GOPS_LOG_INTEGER;
      out->number = (int64_t)d;
      return SQLITE_OK;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      int text = sqlite3_value_type(v) == SQLITE_TEXT;
      const void *p = text ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
      int n = sqlite3_value_bytes(v);
      if (p == 0 && (text || n > 0)) return SQLITE_NOMEM;
      if (n > GOPS_LOG_USER_BYTES_MAX) return SQLITE_TOOBIG;
      out->kind = text ? GOPS_LOG_TEXT : GOPS_LOG_BLOB;
      out->bytes = p;
      out->n = (uint32_t)n;
      return SQLITE_OK;
    }
    default:
      return SQLITE_MISMATCH;
  }
}

void gops_log_user_result(sqlite3_context *ctx, const gops_log_user *u) {
  switch (u->kind) {
    case GOPS_LOG_INTEGER:
      sqlite3_result_int64(ctx, u->number);
      break;
    case GOPS_LOG_TEXT:
      sqlite3_result_text(ctx, (const char *)u->bytes, (int)u->n, SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_result_blob(ctx, u->bytes, (int)u->n, SQLITE_TRANSIENT);
      break;
  }
}

/* One row's values read as the log keeps them: the user, the time, the
** event name (NULL, or text: a number as its text), the properties (NULL
** or text).  table: the table the values come from, for the messages.
** *skip: the row has a NULL user or time (an error unless allow_null). */
typedef struct row_values {
  gops_log_user user;
  double ts;
  const char *event; /* NULL for a NULL event */
  int event_len;
  const unsigned char *props;
  int32_t props_len;
} row_values;

static int read_row(sqlite3_value **v, int with_props, const char *module, const char *table,
                    int allow_null, row_values *out, int *skip, char **pzErr) {
  *skip = 0;
  memset(out, 0, sizeof(*out));
  if (sqlite3_value_type(v[COL_USER]) == SQLITE_NULL ||
      sqlite3_value_type(v[COL_TIME]) == SQLITE_NULL) {
    *skip = 1;
    if (allow_null) return SQLITE_OK;
    return gops_errorf(pzErr, "%s: a %s in \"%w\" must not be NULL", module,
                       sqlite3_value_type(v[COL_USER]) == SQLITE_NULL ? "user" : "time", table);
  }
  switch (gops_log_user_read(v[COL_USER], &out->user)) {
    case SQLITE_OK:
      break;
    case SQLITE_NOMEM:
      return SQLITE_NOMEM;
    case SQLITE_TOOBIG:
      return gops_errorf(pzErr, "%s: a user value in \"%w\" is longer than %d bytes", module,
                         table, GOPS_LOG_USER_BYTES_MAX);
    default:
      return value_error("%s: a user in \"%w\" must be an integer, text or a blob, got %s",
                         module, table, v[COL_USER], pzErr);
  }
  if (gops_value_unix(v[COL_TIME], &out->ts) != 0) {
    if (sqlite3_value_type(v[COL_TIME]) == SQLITE_TEXT && sqlite3_value_text(v[COL_TIME]) == 0) {
      return SQLITE_NOMEM;
    }
    return value_error("%s: a time in \"%w\" must be ISO-8601 text or unix seconds, got %s",
                       module, table, v[COL_TIME], pzErr);
  }
  if (out->ts == 0) out->ts = 0.0; /* -0.0 */
  switch (sqlite3_value_type(v[COL_EVENT])) {
    case SQLITE_NULL:
      break;
    case SQLITE_BLOB:
      return gops_errorf(pzErr, "%s: an event name in \"%w\" must be text, got a blob", module,
                         table);
    default:
      out->event = (const char *)sqlite3_value_text(v[COL_EVENT]);
      if (out->event == 0) return SQLITE_NOMEM;
      out->event_len = sqlite3_value_bytes(v[COL_EVENT]);
      break;
  }
  out->props_len = -1;
  if (with_props) {
    switch (sqlite3_value_type(v[COL_PROPS])) {
      case SQLITE_NULL:
        break;
      case SQLITE_BLOB:
        return gops_errorf(pzErr, "%s: properties in \"%w\" must be text, got a blob", module,
                           table);
      default:
        out->props = sqlite3_value_text(v[COL_PROPS]);
        if (out->props == 0) return SQLITE_NOMEM;
        out->props_len = sqlite3_value_bytes(v[COL_PROPS]);
        break;
    }
  }
  return SQLITE_OK;
}

/* ---- the dictionary ------------------------------------------------------------- */

static int dict_bound_error(const gops_log *log, const char *name, int n, char **pzErr) {
  return gops_errorf(pzErr,
                     "event_log: \"%w\" holds %d event names, the most a log holds; '%.40q' "
                     "would be one more",
                     log->name, GOPS_LOG_NAMES_MAX, n < 0 ? "" : name);
}

/* The code of a name (NULL: 0), added when new. */
static int dict_code(sqlite3 *db, gops_log *log, const char *name, int n, uint16_t *code,
                     char **pzErr) {
  *code = 0;
  if (name == 0) return SQLITE_OK;
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_DICT_FIND, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_text(st, 1, name, n, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_int64 found = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  done(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, "event_log", pzErr);
  if (rc == SQLITE_ROW) {
    if (found < 1 || found > GOPS_LOG_NAMES_MAX) {
      return corrupt("event_log", log, 0, "its dictionary has a code out of range", pzErr);
    }
    *code = (uint16_t)found;
    return SQLITE_OK;
  }
  rc = statement(db, log, ST_DICT_MAX, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  sqlite3_int64 max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  done(st);
  if (rc != SQLITE_ROW) return sqlite_error(db, rc, "event_log", pzErr);
  if (max >= GOPS_LOG_NAMES_MAX) return dict_bound_error(log, name, n, pzErr);
  rc = statement(db, log, ST_DICT_ADD, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int64(st, 1, max + 1);
  sqlite3_bind_text(st, 2, name, n, SQLITE_STATIC);
  rc = run(db, st, pzErr);
  if (rc == SQLITE_OK) *code = (uint16_t)(max + 1);
  return rc;
}

static int dict_size(sqlite3 *db, gops_log *log, uint32_t *n, char **pzErr) {
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_DICT_MAX, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  sqlite3_int64 max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  done(st);
  if (rc != SQLITE_ROW) return sqlite_error(db, rc, "event_log", pzErr);
  if (max < 0 || max > GOPS_LOG_NAMES_MAX) {
    return corrupt("event_log", log, 0, "its dictionary has a code out of range", pzErr);
  }
  *n = (uint32_t)max;
  return SQLITE_OK;
}

/* Names to codes in memory, for the writes of many rows (rebuild,
** append): an open-addressing table over the dictionary's names. */
typedef struct name_map {
  char **names;      /* code -> name (1..n) */
  int *lens;         /* code -> the name's bytes (a name may hold a NUL) */
  uint32_t n, cap;
  uint32_t *slots;   /* code, 0 = empty */
  uint32_t n_slots;  /* a power of two */
  uint32_t first_new; /* codes from here on are not yet in the dictionary */
} name_map;

static uint32_t name_hash(const char *p, int n) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
  return h;
}

static void name_map_free(name_map *m) {
  for (uint32_t i = 1; i <= m->n; i++) sqlite3_free(m->names[i]);
  sqlite3_free(m->names);
  sqlite3_free(m->lens);
  sqlite3_free(m->slots);
  memset(m, 0, sizeof(*m));
}

static int name_map_rehash(name_map *m, uint32_t n_slots) {
  uint32_t *slots = sqlite3_malloc64((sqlite3_uint64)n_slots * sizeof(uint32_t));
  if (slots == 0) return SQLITE_NOMEM;
  memset(slots, 0, (size_t)n_slots * sizeof(uint32_t));
  for (uint32_t c = 1; c <= m->n; c++) {
    uint32_t at = name_hash(m->names[c], m->lens[c]) & (n_slots - 1);
    while (slots[at]) at = (at + 1) & (n_slots - 1);
    slots[at] = c;
  }
  sqlite3_free(m->slots);
  m->slots = slots;
  m->n_slots = n_slots;
  return SQLITE_OK;
}

/* The code of name (n bytes: SQLite's text may hold a NUL, and a name
** with one is kept whole), adding it (*code 0 for a NULL name); -1 in
** *code past the bound. */
static int name_map_code(name_map *m, const char *name, int n, int32_t *code) {
  if (name == 0) {
    *code = 0;
    return SQLITE_OK;
  }
  if (m->n_slots == 0 && name_map_rehash(m, 64) != SQLITE_OK) return SQLITE_NOMEM;
  uint32_t at = name_hash(name, n) & (m->n_slots - 1);
  for (uint32_t c; (c = m->slots[at]) != 0; at = (at + 1) & (m->n_slots - 1)) {
    if (m->lens[c] == n && memcmp(m->names[c], name, (size_t)n) == 0) {
      *code = (int32_t)c;
      return SQLITE_OK;
    }
  }
  if (m->n >= GOPS_LOG_NAMES_MAX) {
    *code = -1;
    return SQLITE_OK;
  }
  if (m->n + 1 >= m->cap) {
    uint32_t cap = m->cap ? m->cap * 2 : 64;
    char **names = sqlite3_realloc64(m->names, (sqlite3_uint64)cap * sizeof(char *));
    if (names) m->names = names;
    int *lens = names ? sqlite3_realloc64(m->lens, (sqlite3_uint64)cap * sizeof(int)) : 0;
    if (lens == 0) return SQLITE_NOMEM;
    m->lens = lens;
    m->cap = cap;
  }
  char *copy = sqlite3_malloc(n + 1);
  if (copy == 0) return SQLITE_NOMEM;
  memcpy(copy, name, (size_t)n);
  copy[n] = 0;
  m->names[++m->n] = copy;
  m->lens[m->n] = n;
  m->slots[at] = m->n;
  *code = (int32_t)m->n;
  if (m->n * 2 > m->n_slots) return name_map_rehash(m, m->n_slots * 2);
  return SQLITE_OK;
}

/* The dictionary into a map (codes as they are). */
static int name_map_load(sqlite3 *db, const gops_log *log, name_map *m, char **pzErr) {
  memset(m, 0, sizeof(*m));
  sqlite3_stmt *st;
  int rc = prepare_sql(db, &st, "event_log", pzErr,
                       "SELECT code, name FROM \"%w\".\"%w_dict\" ORDER BY code",
                       log->schema, log->name);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 1);
    if (name == 0) {
      rc = SQLITE_NOMEM;
      break;
    }
    int32_t code;
    rc = name_map_code(m, name, sqlite3_column_bytes(st, 1), &code);
    if (rc != SQLITE_OK) break;
    if (code != sqlite3_column_int64(st, 0)) {
      rc = corrupt("event_log", log, 0, "its dictionary's codes are not 1, 2, 3...", pzErr);
      break;
    }
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (rc != SQLITE_OK && rc != SQLITE_NOMEM && rc != SQLITE_CORRUPT_VTAB && *pzErr == 0) {
    rc = sqlite_error(db, rc, "event_log", pzErr);
  }
  m->first_new = m->n + 1;
  return rc;
}

/* Writes the names added since the map was loaded. */
static int name_map_save(sqlite3 *db, gops_log *log, name_map *m, char **pzErr) {
  for (uint32_t c = m->first_new ? m->first_new : 1; c <= m->n; c++) {
    sqlite3_stmt *st;
    int rc = statement(db, log, ST_DICT_ADD, &st, pzErr);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_int64(st, 1, c);
    sqlite3_bind_text(st, 2, m->names[c], m->lens[c], SQLITE_STATIC);
    rc = run(db, st, pzErr);
    if (rc != SQLITE_OK) return rc;
  }
  m->first_new = m->n + 1;
  return SQLITE_OK;
}

int gops_log_names(sqlite3 *db, const gops_log *log, const char *module, char ***names,
                   const int **lens, uint32_t *n, char **pzErr) {
  *names = 0;
  if (lens) *lens = 0;
  *n = 0;
  sqlite3_stmt *st;
  int rc = prepare_sql(db, &st, module, pzErr,
                       "SELECT coalesce(max(code), 0), coalesce(sum(length(CAST(name AS BLOB)) "
                       "+ 1), 0) FROM \"%w\".\"%w_dict\"",
                       log->schema, log->name);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  sqlite3_int64 max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_int64 bytes = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW) return sqlite_error(db, rc, module, pzErr);
  if (max < 0 || max > GOPS_LOG_NAMES_MAX || bytes < 0) {
    return corrupt(module, log, 0, "its dictionary has a code out of range", pzErr);
  }
  /* The names, their lengths, then their bytes. */
  sqlite3_uint64 size = (sqlite3_uint64)(max + 1) * (sizeof(char *) + sizeof(int)) +
                        (sqlite3_uint64)bytes + 1;
  char **out = sqlite3_malloc64(size);
  if (out == 0) return SQLITE_NOMEM;
  memset(out, 0, (size_t)(max + 1) * (sizeof(char *) + sizeof(int)));
  int *len_of = (int *)(out + max + 1);
  char *text = (char *)(len_of + max + 1), *text_end = (char *)out + size;
  rc = prepare_sql(db, &st, module, pzErr, "SELECT code, name FROM \"%w\".\"%w_dict\"",
                   log->schema, log->name);
  if (rc != SQLITE_OK) {
    sqlite3_free(out);
    return rc;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_int64 code = sqlite3_column_int64(st, 0);
    const char *name = (const char *)sqlite3_column_text(st, 1);
    int len = sqlite3_column_bytes(st, 1);
    if (name == 0) {
      rc = SQLITE_NOMEM;
      break;
    }
    if (code < 1 || code > max || out[code] || text + len + 1 > text_end) {
      rc = corrupt(module, log, 0, "its dictionary's codes are not 1, 2, 3...", pzErr);
      break;
    }
    memcpy(text, name, (size_t)len);
    text[len] = 0;
    out[code] = text;
    len_of[code] = len;
    text += len + 1;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    sqlite3_free(out);
    return rc == SQLITE_NOMEM || rc == SQLITE_CORRUPT_VTAB ? rc : sqlite_error(db, rc, module, pzErr);
  }
  for (sqlite3_int64 c = 1; c <= max; c++) {
    if (out[c] == 0) {
      sqlite3_free(out);
      return corrupt(module, log, 0, "its dictionary's codes are not 1, 2, 3...", pzErr);
    }
  }
  *names = out;
  if (lens) *lens = len_of;
  *n = (uint32_t)max;
  return SQLITE_OK;
}

/* ---- blocks: found, read, written ------------------------------------------------- */

/* The block whose users take in the user (none yet: *id 0). */
static int block_of(sqlite3 *db, gops_log *log, const gops_log_user *user, sqlite3_int64 *id,
                    sqlite3_int64 *n_main, char **pzErr) {
  unsigned char key[GOPS_LOG_KEY_SIZE];
  size_t n = gops_log_user_key(user, key);
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_BLOCK_FIND, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_blob(st, 1, key, (int)n, SQLITE_STATIC);
  rc = sqlite3_step(st);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  *n_main = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
  done(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, "event_log", pzErr);
  if (rc == SQLITE_ROW && (*n_main < 0 || *n_main > GOPS_LOG_EVENTS_MAX)) {
    return corrupt("event_log", log, *id, "its count of events is out of range", pzErr);
  }
  return SQLITE_OK;
}

/* Writes a block row (data: an encoded block; props: its properties, or
** none). */
static int block_put(sqlite3 *db, gops_log *log, sqlite3_int64 id, const unsigned char *key,
                     size_t key_n, uint32_t users, uint32_t events, const gops_log_buf *data,
                     const gops_log_buf *props, char **pzErr) {
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_BLOCK_PUT, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_blob(st, 2, key_n ? key : (const void *)"", (int)key_n, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, users);
  sqlite3_bind_int64(st, 4, events);
  sqlite3_bind_blob(st, 5, data->p, (int)data->n, SQLITE_STATIC);
  rc = run(db, st, pzErr);
  if (rc != SQLITE_OK || !log->with_props) return rc;
  char *sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_props\"(block, data) VALUES (?1, ?2)",
                              log->schema, log->name);
  if (sql == 0) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return sqlite_error(db, rc, "event_log", pzErr);
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_blob(st, 2, props->p, (int)props->n, SQLITE_STATIC);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : sqlite_error(db, rc, "event_log", pzErr);
}

static int block_delete(sqlite3 *db, gops_log *log, sqlite3_int64 id, char **pzErr) {
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_BLOCK_DEL, &st, pzErr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, id);
    rc = run(db, st, pzErr);
  }
  if (rc == SQLITE_OK) rc = statement(db, log, ST_PENDING_DEL, &st, pzErr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, id);
    rc = run(db, st, pzErr);
  }
  if (rc == SQLITE_OK && log->with_props) {
    char *sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w_props\" WHERE block = %lld",
                                log->schema, log->name, (long long)id);
    if (sql == 0) return SQLITE_NOMEM;
    rc = sqlite3_exec(db, sql, 0, 0, 0);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) rc = sqlite_error(db, rc, "event_log", pzErr);
  }
  return rc;
}

/* The first block: the users from x'' on, no events yet. */
static int block_first(sqlite3 *db, gops_log *log, sqlite3_int64 *id, char **pzErr) {
  int rc = next_block_id(db, log, id, pzErr);
  if (rc != SQLITE_OK) return rc;
  gops_log_events none;
  memset(&none, 0, sizeof(none));
  uint32_t first = 0;
  none.first = &first;
  gops_log_buf data, props;
  gops_log_buf_init(&data, &gops_sqlite_alloc);
  gops_log_buf_init(&props, &gops_sqlite_alloc);
  rc = gops_log_encode(&none, 0, 0, &data) == GOPS_LOG_OK &&
               gops_log_encode_props(&none, 0, 0, &props) == GOPS_LOG_OK
           ? SQLITE_OK
           : SQLITE_NOMEM;
  if (rc == SQLITE_OK) rc = block_put(db, log, *id, 0, 0, 0, 0, &data, &props, pzErr);
  gops_log_buf_free(&data);
  gops_log_buf_free(&props);
  return rc;
}

/* A blob column into a buffer of our own (its bytes are SQLite's only
** until the next step). */
static int copy_blob(sqlite3_stmt *st, int col, gops_log_buf *out) {
  const void *p = sqlite3_column_blob(st, col);
  int n = sqlite3_column_bytes(st, col);
  if (p == 0 && n > 0) return SQLITE_NOMEM;
  out->n = 0;
  gops_log_buf_bytes(out, p, (size_t)n);
  return out->failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* A block's pending records: *records and *added 0 when none. */
static int pending_get(sqlite3 *db, gops_log *log, sqlite3_int64 id, sqlite3_int64 *records,
                       sqlite3_int64 *added, gops_log_buf *blob, char **pzErr) {
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_PENDING_GET, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  *records = *added = 0;
  blob->n = 0;
  if (rc == SQLITE_ROW) {
    *records = sqlite3_column_int64(st, 0);
    *added = sqlite3_column_int64(st, 1);
    if (copy_blob(st, 2, blob) != SQLITE_OK) {
      done(st);
      return SQLITE_NOMEM;
    }
  }
  done(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, "event_log", pzErr);
  /* A row holds sealed records: no bytes are damage (as a query finds
  ** them), not records to begin anew under its counts. */
  if (rc == SQLITE_ROW && blob->n == 0) {
    return corrupt("event_log", log, id, "its pending records' checksum does not match", pzErr);
  }
  if (!gops_log_pending_counts_valid(*records, *added)) {
    return corrupt("event_log", log, id, "its count of pending records is out of range", pzErr);
  }
  return SQLITE_OK;
}

static int pending_put(sqlite3 *db, gops_log *log, sqlite3_int64 id, sqlite3_int64 records,
                       sqlite3_int64 added, const gops_log_buf *blob, char **pzErr) {
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_PENDING_PUT, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, records);
  sqlite3_bind_int64(st, 3, added);
  sqlite3_bind_blob(st, 4, blob->p, (int)blob->n, SQLITE_STATIC);
  return run(db, st, pzErr);
}

/* A block and its pending records, decoded (pending empty when none). */
typedef struct loaded {
  sqlite3_int64 id;
  gops_log_buf key;  /* its first_key */
  gops_log_block main, pending;
  int has_pending;
} loaded;

static void loaded_free(loaded *l) {
  gops_log_buf_free(&l->key);
  gops_log_block_free(&l->main);
  gops_log_block_free(&l->pending);
}

static int decode_error(gops_log_rc rc, const char *module, const gops_log *log,
                        sqlite3_int64 id, const char *why, char **pzErr) {
  if (rc == GOPS_LOG_NOMEM) return SQLITE_NOMEM;
  return corrupt(module, log, id, why, pzErr);
}

static int block_load(sqlite3 *db, gops_log *log, sqlite3_int64 id, uint32_t n_names,
                      loaded *l, char **pzErr) {
  memset(l, 0, sizeof(*l));
  l->id = id;
  gops_log_buf_init(&l->key, &gops_sqlite_alloc);
  l->main.alloc = l->pending.alloc = &gops_sqlite_alloc;
  sqlite3_stmt *st;
  int rc = statement(db, log, ST_BLOCK_GET, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    done(st);
    if (rc == SQLITE_DONE) return corrupt("event_log", log, id, "it is missing", pzErr);
    return sqlite_error(db, rc, "event_log", pzErr);
  }
  const char *why = 0;
  rc = copy_blob(st, 0, &l->key);
  if (rc == SQLITE_OK) {
    const unsigned char *p = sqlite3_column_blob(st, 2);
    int n = sqlite3_column_bytes(st, 2);
    if (p == 0 && n > 0) rc = SQLITE_NOMEM;
    gops_log_rc d = rc == SQLITE_OK
                        ? gops_log_decode(p, (size_t)n, n_names, &gops_sqlite_alloc, &l->main, &why)
                        : GOPS_LOG_NOMEM;
    if (d != GOPS_LOG_OK) rc = decode_error(d, "event_log", log, id, why, pzErr);
  }
  done(st);
  if (rc == SQLITE_OK && log->with_props) {
    char *sql = sqlite3_mprintf("SELECT data FROM \"%w\".\"%w_props\" WHERE block = ?1",
                                log->schema, log->name);
    rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, 0) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? rc : sqlite_error(db, rc, "event_log", pzErr);
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const unsigned char *p = sqlite3_column_blob(st, 0);
      int n = sqlite3_column_bytes(st, 0);
      gops_log_rc d = p || n == 0 ? gops_log_decode_props(p, (size_t)n, &l->main, &why)
                                  : GOPS_LOG_NOMEM;
      rc = d == GOPS_LOG_OK ? SQLITE_OK : decode_error(d, "event_log", log, id, why, pzErr);
    } else if (rc == SQLITE_DONE) {
      rc = corrupt("event_log", log, id, "its properties are missing", pzErr);
    } else {
      rc = sqlite_error(db, rc, "event_log", pzErr);
    }
    sqlite3_finalize(st);
  }
  if (rc != SQLITE_OK) return rc;
  sqlite3_int64 records, added;
  gops_log_buf blob;
  gops_log_buf_init(&blob, &gops_sqlite_alloc);
  rc = pending_get(db, log, id, &records, &added, &blob, pzErr);
  if (rc == SQLITE_OK && blob.n > 0) {
    gops_log_rc d = gops_log_pending_decode(blob.p, blob.n, n_names, l->main.ev.n_events,
                                            records, added, log->with_props, &gops_sqlite_alloc,
                                            &l->pending, &why);
    if (d != GOPS_LOG_OK) rc = decode_error(d, "event_log", log, id, why, pzErr);
    l->has_pending = 1;
  }
  gops_log_buf_free(&blob);
  return rc;
}

/* Writes the users [from, to) of ev as a new block. */
static int block_write(sqlite3 *db, gops_log *log, const gops_log_events *ev, uint32_t from,
                       uint32_t to, const unsigned char *key, size_t key_n, sqlite3_int64 *id,
                       char **pzErr) {
  int rc = next_block_id(db, log, id, pzErr);
  if (rc != SQLITE_OK) return rc;
  gops_log_buf data, props;
  gops_log_buf_init(&data, &gops_sqlite_alloc);
  gops_log_buf_init(&props, &gops_sqlite_alloc);
  if (gops_log_encode(ev, from, to, &data) != GOPS_LOG_OK ||
      (log->with_props && gops_log_encode_props(ev, from, to, &props) != GOPS_LOG_OK)) {
    rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) {
    rc = block_put(db, log, *id, key, key_n, to - from, ev->first[to] - ev->first[from], &data,
                   &props, pzErr);
  }
  gops_log_buf_free(&data);
  gops_log_buf_free(&props);
  return rc;
}

static int too_many_events(const gops_log *log, const gops_log_user *u, char **pzErr) {
  if (u->kind == GOPS_LOG_INTEGER) {
    return gops_errorf(pzErr, "event_log: user %lld of \"%w\" would have more than %d events",
                       (long long)u->number, log->name, GOPS_LOG_EVENTS_MAX);
  }
  return gops_errorf(pzErr, "event_log: a user of \"%w\" would have more than %d events",
                     log->name, GOPS_LOG_EVENTS_MAX);
}

/* Merges block id with its pending records into new blocks (cut when it
** has grown); *place_of: a pending place whose new rowid goes to *rowid
** (0: none). */
static int block_merge(sqlite3 *db, gops_log *log, sqlite3_int64 id, uint32_t place_of,
                       sqlite3_int64 *rowid, char **pzErr) {
  uint32_t n_names;
  int rc = dict_size(db, log, &n_names, pzErr);
  if (rc != SQLITE_OK) return rc;
  loaded l;
  rc = block_load(db, log, id, n_names, &l, pzErr);
  gops_log_block merged;
  memset(&merged, 0, sizeof(merged));
  merged.alloc = &gops_sqlite_alloc;
  if (rc == SQLITE_OK) {
    const gops_log_user *big = 0;
    switch (gops_log_merge_all(&l.main, l.has_pending ? &l.pending : 0, &gops_sqlite_alloc,
                               &merged, &big)) {
      case GOPS_LOG_OK:
        break;
      case GOPS_LOG_TOO_BIG:
        rc = too_many_events(log, big, pzErr);
        break;
      default:
        rc = SQLITE_NOMEM;
        break;
    }
  }
  uint32_t *cuts = 0, n_cuts = 0;
  if (rc == SQLITE_OK) {
    cuts = sqlite3_malloc64(((sqlite3_uint64)merged.ev.n_users + 2) * sizeof(uint32_t));
    if (cuts == 0) rc = SQLITE_NOMEM;
    else gops_log_cuts(&merged.ev, cuts, &n_cuts);
  }
  if (rc == SQLITE_OK) rc = block_delete(db, log, id, pzErr);
  int first = l.key.n == 0; /* the first block stays, even empty */
  if (rc == SQLITE_OK && n_cuts < 2 && first) {
    sqlite3_int64 new_id;
    rc = block_write(db, log, &merged.ev, 0, 0, 0, 0, &new_id, pzErr);
  }
  for (uint32_t c = 1; rc == SQLITE_OK && c < n_cuts; c++) {
    unsigned char key[GOPS_LOG_KEY_SIZE];
    size_t key_n = 0;
    const unsigned char *k = key;
    if (c == 1) {
      k = l.key.p;
      key_n = l.key.n;
    } else {
      key_n = gops_log_user_key(&merged.ev.users[cuts[c - 1]], key);
    }
    sqlite3_int64 new_id;
    rc = block_write(db, log, &merged.ev, cuts[c - 1], cuts[c], k, key_n, &new_id, pzErr);
    if (rc == SQLITE_OK && place_of) {
      for (uint32_t e = merged.ev.first[cuts[c - 1]]; e < merged.ev.first[cuts[c]]; e++) {
        if (merged.ev.place[e] == place_of) {
          *rowid = (new_id << GOPS_LOG_PLACE_BITS) | (e - merged.ev.first[cuts[c - 1]]);
        }
      }
    }
  }
  sqlite3_free(cuts);
  gops_log_block_free(&merged);
  loaded_free(&l);
  return rc;
}

/* ---- writing one event ------------------------------------------------------------ */

int gops_log_insert(sqlite3 *db, gops_log *log, sqlite3_value **values, int merge,
                    sqlite3_int64 *rowid, char **pzErr) {
  row_values row;
  int skip;
  int rc = read_row(values, log->with_props, "event_log", log->name, 0, &row, &skip, pzErr);
  if (rc != SQLITE_OK) return rc;
  /* SQLite undoes no part of a one-row INSERT that failed inside a
  ** transaction: everything that can refuse it is asked before anything
  ** is written (a name into the dictionary, the record). */
  sqlite3_int64 id, n_main;
  rc = block_of(db, log, &row.user, &id, &n_main, pzErr);
  if (rc == SQLITE_OK && id == 0) rc = block_first(db, log, &id, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_int64 records, added;
  gops_log_buf blob;
  gops_log_buf_init(&blob, &gops_sqlite_alloc);
  rc = pending_get(db, log, id, &records, &added, &blob, pzErr);
  if (rc == SQLITE_OK && added >= GOPS_LOG_PENDING_MAX) {
    rc = gops_errorf(pzErr, "event_log: block %lld of \"%w\" has more than %d pending events; "
                     "INSERT INTO \"%w\"(\"%w\") VALUES ('optimize') merges them",
                     (long long)id, log->name, GOPS_LOG_PENDING_MAX, log->name, log->name);
  }
  const int merges = rc == SQLITE_OK && merge && records + 1 > GOPS_LOG_PENDING_MERGE;
  if (merges) {
    /* The merge reads the block and its records back: one it would find
    ** corrupt is found now. */
    uint32_t n_names;
    loaded l;
    rc = dict_size(db, log, &n_names, pzErr);
    if (rc == SQLITE_OK) {
      rc = block_load(db, log, id, n_names, &l, pzErr);
      loaded_free(&l);
    }
  }
  if (rc == SQLITE_OK) {
    const char *why = 0;
    gops_log_rc p = gops_log_pending_open(&blob, &why);
    if (p != GOPS_LOG_OK) rc = decode_error(p, "event_log", log, id, why, pzErr);
  }
  uint16_t code = 0;
  if (rc == SQLITE_OK) rc = dict_code(db, log, row.event, row.event_len, &code, pzErr);
  if (rc == SQLITE_OK) {
    gops_log_pending_put_add(&blob, &row.user, row.ts, code, row.props, row.props_len);
    if (gops_log_pending_seal(&blob) != GOPS_LOG_OK) rc = SQLITE_NOMEM;
  }
  if (rc == SQLITE_OK) rc = pending_put(db, log, id, records + 1, added + 1, &blob, pzErr);
  gops_log_buf_free(&blob);
  if (rc != SQLITE_OK) return rc;
  uint32_t place = GOPS_LOG_PENDING_BASE + (uint32_t)added;
  *rowid = (id << GOPS_LOG_PLACE_BITS) | place;
  if (merges) rc = block_merge(db, log, id, place, rowid, pzErr);
  return rc;
}

/* Adds the removal of a place to block id's pending records. */
static int pending_remove(sqlite3 *db, gops_log *log, sqlite3_int64 id, uint32_t place,
                          char **pzErr) {
  sqlite3_int64 records, added;
  gops_log_buf blob;
  gops_log_buf_init(&blob, &gops_sqlite_alloc);
  int rc = pending_get(db, log, id, &records, &added, &blob, pzErr);
  if (rc == SQLITE_OK) {
    const char *why = 0;
    gops_log_rc p = gops_log_pending_remove(&blob, place, &why);
    if (p != GOPS_LOG_OK) rc = decode_error(p, "event_log", log, id, why, pzErr);
  }
  if (rc == SQLITE_OK) rc = pending_put(db, log, id, records + 1, added, &blob, pzErr);
  gops_log_buf_free(&blob);
  return rc;
}

static int no_such_row(const gops_log *log, sqlite3_int64 rowid, char **pzErr) {
  return gops_errorf(pzErr, "event_log: \"%w\" has no row %lld", log->name, (long long)rowid);
}

int gops_log_delete_rowid(sqlite3 *db, gops_log *log, sqlite3_int64 rowid, char **pzErr) {
  if (rowid < 0) return no_such_row(log, rowid, pzErr);
  sqlite3_int64 id = rowid >> GOPS_LOG_PLACE_BITS;
  uint32_t place = (uint32_t)(rowid & ((1 << GOPS_LOG_PLACE_BITS) - 1));
  uint32_t n_names;
  int rc = dict_size(db, log, &n_names, pzErr);
  if (rc != SQLITE_OK) return rc;
  /* Is that event there, and not removed already? */
  loaded l;
  sqlite3_stmt *st;
  rc = statement(db, log, ST_BLOCK_GET, &st, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  done(st);
  if (rc == SQLITE_DONE) return no_such_row(log, rowid, pzErr);
  if (rc != SQLITE_ROW) return sqlite_error(db, rc, "event_log", pzErr);
  rc = block_load(db, log, id, n_names, &l, pzErr);
  if (rc == SQLITE_OK) {
    int there = 0;
    if (place < GOPS_LOG_PENDING_BASE) {
      there = place < l.main.ev.n_events;
      for (uint32_t i = 0; there && l.has_pending && i < l.pending.n_removed; i++) {
        there = l.pending.removed[i] != place;
      }
    } else if (l.has_pending) {
      for (uint32_t e = 0; e < l.pending.ev.n_events && !there; e++) {
        there = l.pending.ev.place[e] == place;
      }
    }
    rc = there ? pending_remove(db, log, id, place, pzErr) : no_such_row(log, rowid, pzErr);
  }
  loaded_free(&l);
  return rc;
}

int gops_log_delete_values(sqlite3 *db, gops_log *log, sqlite3_value **values, char **pzErr) {
  row_values row;
  int skip;
  int rc = read_row(values, log->with_props, "event_log", log->name, 1, &row, &skip, pzErr);
  if (rc != SQLITE_OK || skip) return rc;
  sqlite3_int64 id = 0, n_main;
  rc = block_of(db, log, &row.user, &id, &n_main, pzErr);
  if (rc != SQLITE_OK) return rc;
  uint32_t n_names;
  rc = dict_size(db, log, &n_names, pzErr);
  if (rc != SQLITE_OK) return rc;
  int32_t code = 0;
  if (row.event) {
    sqlite3_stmt *st;
    rc = statement(db, log, ST_DICT_FIND, &st, pzErr);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, row.event, row.event_len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    code = rc == SQLITE_ROW ? (int32_t)sqlite3_column_int64(st, 0) : -1;
    done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, "event_log", pzErr);
  }
  int64_t found = -1;
  loaded l;
  memset(&l, 0, sizeof(l));
  rc = SQLITE_OK;
  if (id && code >= 0) rc = block_load(db, log, id, n_names, &l, pzErr);
  if (rc == SQLITE_OK && id && code >= 0) {
    gops_log_merge m;
    gops_log_merge_start(&m, &l.main.ev, l.has_pending ? &l.pending : 0, &gops_sqlite_alloc);
    gops_log_run r;
    int got;
    while (found < 0 && (got = gops_log_merge_next(&m, &r)) > 0) {
      if (gops_log_user_compare(r.user, &row.user) != 0) continue;
      for (uint32_t k = 0; k < r.n && found < 0; k++) {
        if (r.ts[k] == row.ts && r.codes[k] == code) found = r.place ? r.place[k] : r.first_place + k;
      }
    }
    if (found < 0 && got < 0) rc = SQLITE_NOMEM;
    gops_log_merge_end(&m);
  }
  if (rc == SQLITE_OK && found >= 0) rc = pending_remove(db, log, id, (uint32_t)found, pzErr);
  if (rc == SQLITE_OK && found < 0) {
    char *user = gops_value_for_message(values[COL_USER]);
    char *time = gops_value_for_message(values[COL_TIME]);
    char *event = gops_value_for_message(values[COL_EVENT]);
    rc = user && time && event
             ? gops_errorf(pzErr, "event_log: \"%w\" has no event (%s, %s, %s) to delete",
                           log->name, user, time, event)
             : SQLITE_NOMEM;
    sqlite3_free(user);
    sqlite3_free(time);
    sqlite3_free(event);
  }
  loaded_free(&l);
  return rc;
}

/* ---- the walk over the blocks ---------------------------------------------------------- */

/* The layout's version is the one this code reads (a log written by a
** later growthops, or a config row changed by hand, is refused). */
static int check_version(sqlite3 *db, const gops_log *log, const char *module, char **pzErr) {
  sqlite3_stmt *st;
  int rc = prepare_sql(db, &st, module, pzErr,
                       "SELECT v FROM \"%w\".\"%w_config\" WHERE k = 'version'",
                       log->schema, log->name);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  int ok = rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
           sqlite3_column_int64(st, 0) == LOG_VERSION;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, module, pzErr);
  if (ok) return SQLITE_OK;
  return corrupt(module, log, 0, "its layout's version is not one this growthops reads", pzErr);
}

int gops_log_scan_open(sqlite3 *db, const gops_log *log, const char *module, int with_props,
                       gops_log_scan *scan, char **pzErr) {
  memset(scan, 0, sizeof(*scan));
  scan->db = db;
  scan->log = log;
  scan->module = module;
  scan->with_props = with_props && log->with_props;
  scan->main.alloc = scan->pending.alloc = &gops_sqlite_alloc;
  int rc = check_version(db, log, module, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_stmt *st;
  rc = prepare_sql(db, &st, module, pzErr,
                   "SELECT coalesce(max(code), 0) FROM \"%w\".\"%w_dict\"",
                   log->schema, log->name);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  sqlite3_int64 max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW) return sqlite_error(db, rc, module, pzErr);
  if (max < 0 || max > GOPS_LOG_NAMES_MAX) {
    return corrupt(module, log, 0, "its dictionary has a code out of range", pzErr);
  }
  scan->n_names = (uint32_t)max;
  if (scan->with_props) {
    return prepare_sql(
        db, &scan->blocks, module, pzErr,
        "SELECT b.id, b.data, p.data, p.records, p.added, r.data FROM \"%w\".\"%w_blocks\" b "
        "LEFT JOIN \"%w\".\"%w_pending\" p ON p.block = b.id "
        "LEFT JOIN \"%w\".\"%w_props\" r ON r.block = b.id ORDER BY b.first_key",
        log->schema, log->name, log->schema, log->name, log->schema, log->name);
  }
  return prepare_sql(
      db, &scan->blocks, module, pzErr,
      "SELECT b.id, b.data, p.data, p.records, p.added FROM \"%w\".\"%w_blocks\" b "
      "LEFT JOIN \"%w\".\"%w_pending\" p ON p.block = b.id ORDER BY b.first_key",
      log->schema, log->name, log->schema, log->name);
}

int gops_log_scan_block(gops_log_scan *scan, char **pzErr) {
  gops_log_merge_end(&scan->merge);
  gops_log_block_free(&scan->main);
  gops_log_block_free(&scan->pending);
  scan->main.alloc = scan->pending.alloc = &gops_sqlite_alloc;
  int rc = sqlite3_step(scan->blocks);
  if (rc == SQLITE_DONE) return rc;
  if (rc != SQLITE_ROW) return sqlite_error(scan->db, rc, scan->module, pzErr);
  sqlite3_stmt *st = scan->blocks;
  scan->block_id = sqlite3_column_int64(st, 0);
  const char *why = 0;
  const unsigned char *p = sqlite3_column_blob(st, 1);
  int n = sqlite3_column_bytes(st, 1);
  if (p == 0 && n > 0) return SQLITE_NOMEM;
  gops_log_rc d = gops_log_decode(p, (size_t)n, scan->n_names, &gops_sqlite_alloc, &scan->main,
                                  &why);
  if (d == GOPS_LOG_OK && scan->with_props) {
    p = sqlite3_column_blob(st, 5);
    n = sqlite3_column_bytes(st, 5);
    if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
      d = GOPS_LOG_CORRUPT;
      why = "its properties are missing";
    } else {
      d = p || n == 0 ? gops_log_decode_props(p, (size_t)n, &scan->main, &why) : GOPS_LOG_NOMEM;
    }
  }
  int has_pending = sqlite3_column_type(st, 2) != SQLITE_NULL;
  if (d == GOPS_LOG_OK && has_pending) {
    p = sqlite3_column_blob(st, 2);
    n = sqlite3_column_bytes(st, 2);
    d = p || n == 0 ? gops_log_pending_decode(p, (size_t)n, scan->n_names, scan->main.ev.n_events,
                                              sqlite3_column_int64(st, 3),
                                              sqlite3_column_int64(st, 4), scan->with_props,
                                              &gops_sqlite_alloc, &scan->pending, &why)
                    : GOPS_LOG_NOMEM;
  }
  if (d != GOPS_LOG_OK) return decode_error(d, scan->module, scan->log, scan->block_id, why, pzErr);
  gops_log_merge_start(&scan->merge, &scan->main.ev, has_pending ? &scan->pending : 0,
                       &gops_sqlite_alloc);
  scan->merge.places = !scan->without_places;
  return SQLITE_ROW;
}

void gops_log_scan_close(gops_log_scan *scan) {
  gops_log_merge_end(&scan->merge);
  gops_log_block_free(&scan->main);
  gops_log_block_free(&scan->pending);
  sqlite3_finalize(scan->blocks);
  scan->blocks = 0;
}

/* ---- rebuild: the blocks written anew from the table followed ----------------------- */

/* The events of the block being built, and the bytes they point to. */
typedef struct built_event {
  double ts;
  uint16_t code;
  int32_t props_len;
  const unsigned char *props;
} built_event;

/* Bytes that stay where they are until the block is written: chunks. */
typedef struct arena {
  unsigned char *chunks[4096];
  int n;
  size_t used, size; /* of the last chunk */
} arena;

static void arena_reset(arena *a) {
  for (int i = 0; i < a->n; i++) sqlite3_free(a->chunks[i]);
  a->n = 0;
  a->used = a->size = 0;
}

static const unsigned char *arena_copy(arena *a, const void *p, size_t n) {
  if (n == 0) return (const unsigned char *)"";
  if (a->n == 0 || a->used + n > a->size) {
    size_t size = n > 65536 ? n : 65536;
    if (a->n == (int)(sizeof(a->chunks) / sizeof(a->chunks[0]))) return 0;
    unsigned char *c = sqlite3_malloc64(size);
    if (c == 0) return 0;
    a->chunks[a->n++] = c;
    a->used = 0;
    a->size = size;
  }
  unsigned char *out = a->chunks[a->n - 1] + a->used;
  memcpy(out, p, n);
  a->used += n;
  return out;
}

typedef struct builder {
  sqlite3 *db;
  gops_log *log;
  const char *source; /* the table read, for messages */
  name_map names;
  arena bytes;
  gops_log_user *users;
  uint32_t *first;
  uint32_t n_users, cap_users;
  built_event *events;
  uint32_t n_events, cap_events;
  uint32_t user_start; /* the current user's first event */
  int open_user;
  gops_log_user last;  /* the last user finished, for the order */
  unsigned char last_key[GOPS_LOG_KEY_SIZE];
  int any_user;
  int any_block;
} builder;

static void builder_free(builder *b) {
  name_map_free(&b->names);
  arena_reset(&b->bytes);
  sqlite3_free(b->users);
  sqlite3_free(b->first);
  sqlite3_free(b->events);
}

static int built_less(const built_event *a, const built_event *b) {
  return a->ts < b->ts || (a->ts == b->ts && a->code < b->code);
}

/* The current user's events in time order (rows of mixed numbers and
** text do not come sorted). */
static int built_before(const void *a, const void *b, void *ctx) {
  (void)ctx;
  return built_less(a, b);
}

static int sort_user(builder *b) {
  built_event *e = b->events + b->user_start;
  uint32_t n = b->n_events - b->user_start;
  uint32_t i = 1;
  while (i < n && !built_less(&e[i], &e[i - 1])) i++;
  if (i >= n) return SQLITE_OK;
  built_event *tmp = sqlite3_malloc64((sqlite3_uint64)n * sizeof(*tmp));
  if (tmp == 0) return SQLITE_NOMEM;
  if (gops_stable_sort(e, tmp, n, sizeof(*e), built_before, 0) == tmp) {
    memcpy(e, tmp, (size_t)n * sizeof(*tmp));
  }
  sqlite3_free(tmp);
  return SQLITE_OK;
}

/* Writes the users built so far as a block, and starts the next. */
static int builder_flush(builder *b, char **pzErr) {
  if (b->n_users == 0 && b->any_block) return SQLITE_OK;
  gops_log_events ev;
  memset(&ev, 0, sizeof(ev));
  ev.n_users = b->n_users;
  ev.n_events = b->n_events;
  ev.users = b->users;
  ev.first = b->first;
  b->first[b->n_users] = b->n_events;
  uint64_t n = b->n_events ? b->n_events : 1;
  ev.ts = sqlite3_malloc64(n * sizeof(double));
  ev.codes = sqlite3_malloc64(n * sizeof(uint16_t));
  if (b->log->with_props) {
    ev.props = sqlite3_malloc64(n * sizeof(unsigned char *));
    ev.props_len = sqlite3_malloc64(n * sizeof(int32_t));
  }
  int rc = ev.ts && ev.codes && (!b->log->with_props || (ev.props && ev.props_len))
               ? SQLITE_OK
               : SQLITE_NOMEM;
  for (uint32_t e = 0; rc == SQLITE_OK && e < b->n_events; e++) {
    ev.ts[e] = b->events[e].ts;
    ev.codes[e] = b->events[e].code;
    if (ev.props) {
      ev.props[e] = b->events[e].props;
      ev.props_len[e] = b->events[e].props_len;
    }
  }
  unsigned char key[GOPS_LOG_KEY_SIZE];
  size_t key_n = b->any_block ? gops_log_user_key(&b->users[0], key) : 0;
  sqlite3_int64 id;
  if (rc == SQLITE_OK) rc = block_write(b->db, b->log, &ev, 0, ev.n_users, key, key_n, &id, pzErr);
  sqlite3_free(ev.ts);
  sqlite3_free(ev.codes);
  sqlite3_free((void *)ev.props);
  sqlite3_free(ev.props_len);
  b->any_block = 1;
  b->n_users = 0;
  b->n_events = 0;
  b->user_start = 0;
  /* The last user's key stays valid (a copy); the rest goes. */
  if (b->any_user && b->last.kind != GOPS_LOG_INTEGER) {
    b->last.bytes = b->last_key + 1;
  }
  arena_reset(&b->bytes);
  return rc;
}

/* The current user is complete. */
static int builder_end_user(builder *b, char **pzErr) {
  if (!b->open_user) return SQLITE_OK;
  b->open_user = 0;
  int rc = sort_user(b);
  if (rc != SQLITE_OK) return rc;
  b->last = b->users[b->n_users];
  size_t n = gops_log_user_key(&b->last, b->last_key);
  (void)n;
  if (b->last.kind != GOPS_LOG_INTEGER) b->last.bytes = b->last_key + 1;
  b->any_user = 1;
  b->n_users++;
  return b->n_events >= GOPS_LOG_BLOCK_EVENTS ? builder_flush(b, pzErr) : SQLITE_OK;
}

/* A row of the table followed, in user order. */
static int builder_add(builder *b, const row_values *row, sqlite3_value *user_value,
                       char **pzErr) {
  int same = b->open_user && gops_log_user_compare(&b->users[b->n_users], &row->user) == 0;
  if (!same) {
    int rc = builder_end_user(b, pzErr);
    if (rc != SQLITE_OK) return rc;
    if (b->any_user && gops_log_user_compare(&b->last, &row->user) >= 0) {
      return gops_errorf(pzErr, "event_log: the rows of \"%w\" do not come in the order of "
                         "their users (is the database in UTF-16?)", b->source);
    }
    if (b->n_users + 1 >= b->cap_users) {
      uint32_t cap = b->cap_users ? b->cap_users * 2 : 1024;
      gops_log_user *users = sqlite3_realloc64(b->users, (sqlite3_uint64)cap * sizeof(*users));
      if (users) b->users = users;
      uint32_t *first = sqlite3_realloc64(b->first, ((sqlite3_uint64)cap + 1) * sizeof(uint32_t));
      if (first) b->first = first;
      if (!users || !first) return SQLITE_NOMEM;
      b->cap_users = cap;
    }
    gops_log_user u = row->user;
    if (u.kind != GOPS_LOG_INTEGER) {
      u.bytes = arena_copy(&b->bytes, u.bytes, u.n);
      if (u.bytes == 0) return SQLITE_NOMEM;
    }
    b->users[b->n_users] = u;
    b->first[b->n_users] = b->n_events;
    b->user_start = b->n_events;
    b->open_user = 1;
  }
  if (b->n_events - b->user_start >= GOPS_LOG_EVENTS_MAX) {
    return value_error("%s: a user in \"%w\" has more than " STRINGIFY(GOPS_LOG_EVENTS_MAX)
                       " events, the most the log holds for one user: %s",
                       "event_log", b->source, user_value, pzErr);
  }
  if (b->n_events == b->cap_events) {
    uint32_t cap = b->cap_events ? b->cap_events * 2 : 16384;
    built_event *events = sqlite3_realloc64(b->events, (sqlite3_uint64)cap * sizeof(*events));
    if (events == 0) return SQLITE_NOMEM;
    b->events = events;
    b->cap_events = cap;
  }
  int32_t code;
  int rc = name_map_code(&b->names, row->event, row->event_len, &code);
  if (rc != SQLITE_OK) return rc;
  if (code < 0) return dict_bound_error(b->log, row->event, row->event_len, pzErr);
  built_event *e = &b->events[b->n_events++];
  e->ts = row->ts;
  e->code = (uint16_t)code;
  e->props_len = row->props_len;
  e->props = 0;
  if (row->props_len >= 0) {
    e->props = arena_copy(&b->bytes, row->props, (size_t)row->props_len);
    if (e->props == 0) return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

/* The followed table's columns as the log reads them. */
static char *content_columns(const gops_log *log) {
  const gops_source *c = &log->content;
  return sqlite3_mprintf("%s, %s, %s%s%s", c->quoted[1], c->quoted[2], c->quoted[3],
                         log->with_props ? ", " : "", log->with_props ? c->quoted[4] : "");
}

static int needs_content(const gops_log *log, const char *command, char **pzErr) {
  if (log->content.n) return SQLITE_OK;
  return gops_errorf(pzErr,
                     "event_log: '%s' reads the table \"%w\" follows, and it follows none "
                     "(CREATE VIRTUAL TABLE ... USING event_log(..., content=events))",
                     command, log->name);
}

/* The highest rowid of the table followed (NULL: a view, or empty). */
static int content_max_rowid(sqlite3 *db, const gops_log *log, sqlite3_int64 *max, int *found) {
  *found = 0;
  char *sql = sqlite3_mprintf("SELECT max(rowid) FROM %s", log->content.quoted[0]);
  if (sql == 0) return SQLITE_NOMEM;
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  sqlite3_free(sql);
  if (rc == SQLITE_NOMEM) return rc;
  if (rc != SQLITE_OK) return SQLITE_OK; /* a view: no rowid */
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
    *max = sqlite3_column_int64(st, 0);
    *found = 1;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int gops_log_rebuild(sqlite3 *db, gops_log *log, char **pzErr) {
  int rc = needs_content(log, "rebuild", pzErr);
  if (rc != SQLITE_OK) return rc;
  static const char *const clear[] = {"DELETE FROM \"%w\".\"%w_blocks\"",
                                      "DELETE FROM \"%w\".\"%w_pending\"",
                                      "DELETE FROM \"%w\".\"%w_dict\"",
                                      "DELETE FROM \"%w\".\"%w_props\""};
  for (int i = 0; rc == SQLITE_OK && i < (log->with_props ? 4 : 3); i++) {
    rc = run_sql(db, log, "event_log", pzErr, clear[i], 0);
  }
  sqlite3_int64 max_rowid = 0;
  int has_rowid = 0;
  if (rc == SQLITE_OK) rc = content_max_rowid(db, log, &max_rowid, &has_rowid);
  char *columns = rc == SQLITE_OK ? content_columns(log) : 0;
  if (rc == SQLITE_OK && columns == 0) rc = SQLITE_NOMEM;
  char *sql = rc == SQLITE_OK ? sqlite3_mprintf("SELECT %s FROM %s ORDER BY 1 COLLATE BINARY, 2",
                                                columns, log->content.quoted[0])
                              : 0;
  sqlite3_free(columns);
  if (rc == SQLITE_OK && sql == 0) rc = SQLITE_NOMEM;
  sqlite3_stmt *st = 0;
  if (rc == SQLITE_OK) {
    rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
    if (rc != SQLITE_OK) rc = sqlite_error(db, rc, "event_log", pzErr);
  }
  sqlite3_free(sql);
  builder b;
  memset(&b, 0, sizeof(b));
  b.db = db;
  b.log = log;
  b.source = log->content.name[0];
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_value *v[4] = {sqlite3_column_value(st, 0), sqlite3_column_value(st, 1),
                           sqlite3_column_value(st, 2),
                           log->with_props ? sqlite3_column_value(st, 3) : 0};
    row_values row;
    int skip;
    rc = read_row(v, log->with_props, "event_log", b.source, 1, &row, &skip, pzErr);
    if (rc == SQLITE_OK && !skip) rc = builder_add(&b, &row, v[COL_USER], pzErr);
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (rc != SQLITE_OK && *pzErr == 0 && rc != SQLITE_NOMEM) {
    rc = sqlite_error(db, rc, "event_log", pzErr);
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_OK) rc = builder_end_user(&b, pzErr);
  if (rc == SQLITE_OK) rc = builder_flush(&b, pzErr);
  if (rc == SQLITE_OK) rc = name_map_save(db, log, &b.names, pzErr);
  if (rc == SQLITE_OK) rc = config_put(db, log, "content_rowid", max_rowid, !has_rowid, pzErr);
  builder_free(&b);
  return rc;
}

/* ---- append: the rows added to the table followed since --------------------------- */

/* A row to append, its bytes in the arena. */
typedef struct new_event {
  gops_log_user user;
  double ts;
  uint16_t code;
  int32_t props_len;
  const unsigned char *props;
} new_event;

static int new_less(const new_event *a, const new_event *b) {
  int c = gops_log_user_compare(&a->user, &b->user);
  return c < 0 || (c == 0 && (a->ts < b->ts || (a->ts == b->ts && a->code < b->code)));
}

static int new_before(const void *a, const void *b, void *ctx) {
  (void)ctx;
  return new_less(a, b);
}

static int sort_new(new_event *e, uint32_t n) {
  new_event *tmp = sqlite3_malloc64((sqlite3_uint64)(n ? n : 1) * sizeof(*tmp));
  if (tmp == 0) return SQLITE_NOMEM;
  if (gops_stable_sort(e, tmp, n, sizeof(*e), new_before, 0) == tmp) {
    memcpy(e, tmp, (size_t)n * sizeof(*tmp));
  }
  sqlite3_free(tmp);
  return SQLITE_OK;
}

/* The blocks, by first key, in memory. */
typedef struct directory {
  sqlite3_int64 *id;
  gops_log_buf keys;   /* every key, one after another */
  size_t *key_at;      /* n + 1 offsets */
  uint32_t n;
} directory;

static void directory_free(directory *d) {
  sqlite3_free(d->id);
  sqlite3_free(d->key_at);
  gops_log_buf_free(&d->keys);
}

static int directory_load(sqlite3 *db, const gops_log *log, directory *d, char **pzErr) {
  memset(d, 0, sizeof(*d));
  gops_log_buf_init(&d->keys, &gops_sqlite_alloc);
  sqlite3_stmt *st;
  int rc = prepare_sql(db, &st, "event_log", pzErr,
                       "SELECT id, first_key FROM \"%w\".\"%w_blocks\" ORDER BY first_key",
                       log->schema, log->name);
  if (rc != SQLITE_OK) return rc;
  uint32_t cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (d->n + 1 >= cap) {
      cap = cap ? cap * 2 : 256;
      sqlite3_int64 *id = sqlite3_realloc64(d->id, (sqlite3_uint64)cap * sizeof(*id));
      if (id) d->id = id;
      size_t *at = sqlite3_realloc64(d->key_at, ((sqlite3_uint64)cap + 1) * sizeof(*at));
      if (at) d->key_at = at;
      if (!id || !at) {
        rc = SQLITE_NOMEM;
        break;
      }
    }
    d->id[d->n] = sqlite3_column_int64(st, 0);
    d->key_at[d->n] = d->keys.n;
    const void *k = sqlite3_column_blob(st, 1);
    int kn = sqlite3_column_bytes(st, 1);
    gops_log_buf_bytes(&d->keys, k, (size_t)kn);
    if (d->keys.failed || (k == 0 && kn > 0)) {
      rc = SQLITE_NOMEM;
      break;
    }
    d->n++;
  }
  sqlite3_finalize(st);
  if (d->key_at) d->key_at[d->n] = d->keys.n;
  if (rc == SQLITE_DONE) return SQLITE_OK;
  return rc == SQLITE_NOMEM ? rc : sqlite_error(db, rc, "event_log", pzErr);
}

/* The block a key falls in: the last whose first key is not above it. */
static uint32_t directory_find(const directory *d, const unsigned char *key, size_t n) {
  uint32_t lo = 0, hi = d->n; /* the answer is in [lo, hi) */
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    size_t kn = d->key_at[mid + 1] - d->key_at[mid];
    const unsigned char *k = d->keys.p + d->key_at[mid];
    size_t m = kn < n ? kn : n;
    int c = m ? memcmp(k, key, m) : 0;
    if (c == 0) c = (kn > n) - (kn < n);
    if (c <= 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* Adds events [from, to) (sorted, all of one block's users) to block id's
** pending records, and merges them in when there are enough. */
static int append_to_block(sqlite3 *db, gops_log *log, sqlite3_int64 id, const new_event *e,
                           uint32_t from, uint32_t to, char **pzErr) {
  sqlite3_int64 records, added;
  gops_log_buf blob;
  gops_log_buf_init(&blob, &gops_sqlite_alloc);
  int rc = pending_get(db, log, id, &records, &added, &blob, pzErr);
  if (rc == SQLITE_OK && added + (to - from) > GOPS_LOG_PENDING_MAX) {
    /* Merge first, then add to the merged block's pending records. */
    gops_log_buf_free(&blob);
    sqlite3_int64 unused;
    rc = block_merge(db, log, id, 0, &unused, pzErr);
    return rc == SQLITE_OK ? SQLITE_DONE : rc; /* the caller finds the blocks anew */
  }
  const char *why = 0;
  if (rc == SQLITE_OK) {
    gops_log_rc p = gops_log_pending_open(&blob, &why);
    if (p != GOPS_LOG_OK) rc = decode_error(p, "event_log", log, id, why, pzErr);
  }
  for (uint32_t i = from; rc == SQLITE_OK && i < to; i++) {
    gops_log_pending_put_add(&blob, &e[i].user, e[i].ts, e[i].code, e[i].props, e[i].props_len);
  }
  if (rc == SQLITE_OK && gops_log_pending_seal(&blob) != GOPS_LOG_OK) rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK) {
    rc = pending_put(db, log, id, records + (to - from), added + (to - from), &blob, pzErr);
  }
  gops_log_buf_free(&blob);
  if (rc == SQLITE_OK && records + (to - from) > GOPS_LOG_PENDING_MERGE) {
    sqlite3_int64 unused;
    rc = block_merge(db, log, id, 0, &unused, pzErr);
  }
  return rc;
}

/* Places a chunk of sorted new events in their blocks. */
static int append_chunk(sqlite3 *db, gops_log *log, new_event *e, uint32_t n, char **pzErr) {
  int rc = sort_new(e, n);
  uint32_t at = 0;
  while (rc == SQLITE_OK && at < n) {
    directory d;
    rc = directory_load(db, log, &d, pzErr);
    if (rc == SQLITE_OK && d.n == 0) {
      sqlite3_int64 id;
      directory_free(&d);
      rc = block_first(db, log, &id, pzErr);
      if (rc == SQLITE_OK) continue;
    }
    while (rc == SQLITE_OK && at < n) {
      unsigned char key[GOPS_LOG_KEY_SIZE];
      size_t kn = gops_log_user_key(&e[at].user, key);
      uint32_t b = directory_find(&d, key, kn);
      /* Every event up to the next block's first key goes to this one. */
      uint32_t end = at + 1;
      if (b + 1 < d.n) {
        const unsigned char *next = d.keys.p + d.key_at[b + 1];
        size_t next_n = d.key_at[b + 2] - d.key_at[b + 1];
        while (end < n) {
          kn = gops_log_user_key(&e[end].user, key);
          size_t m = kn < next_n ? kn : next_n;
          int c = m ? memcmp(key, next, m) : 0;
          if (c == 0) c = (kn > next_n) - (kn < next_n);
          if (c >= 0) break;
          end++;
        }
      } else {
        end = n;
      }
      rc = append_to_block(db, log, d.id[b], e, at, end, pzErr);
      if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
        break; /* the block was merged first: the directory again */
      }
      at = end;
    }
    directory_free(&d);
  }
  return rc;
}

int gops_log_append(sqlite3 *db, gops_log *log, char **pzErr) {
  int rc = needs_content(log, "append", pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_int64 since = 0;
  int found;
  rc = config_int(db, log, "content_rowid", &since, &found, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (!found) {
    sqlite3_int64 max;
    int has_rowid;
    rc = content_max_rowid(db, log, &max, &has_rowid);
    if (rc != SQLITE_OK) return rc;
    /* A view's rowid reads as NULL (no row would ever be new), a WITHOUT
    ** ROWID table has none. */
    char *sql = sqlite3_mprintf("SELECT rowid FROM %s LIMIT 0", log->content.quoted[0]);
    if (sql == 0) return SQLITE_NOMEM;
    sqlite3_stmt *st = 0;
    rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
    sqlite3_finalize(st);
    sqlite3_free(sql);
    if (rc == SQLITE_NOMEM) return rc;
    int is_view = 0;
    if (rc == SQLITE_OK) {
      rc = sqlite3_prepare_v2(db,
                              "SELECT type = 'view' FROM (SELECT 0 AS o, type, name FROM "
                              "sqlite_temp_schema UNION ALL SELECT 1, type, name FROM "
                              "main.sqlite_schema) WHERE name = ?1 COLLATE NOCASE AND type IN "
                              "('table', 'view') ORDER BY o LIMIT 1",
                              -1, &st, 0);
      if (rc != SQLITE_OK) return sqlite_error(db, rc, "event_log", pzErr);
      sqlite3_bind_text(st, 1, log->content.name[0], -1, SQLITE_STATIC);
      rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) is_view = sqlite3_column_int(st, 0);
      sqlite3_finalize(st);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, "event_log", pzErr);
      rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK || is_view) {
      return gops_errorf(pzErr, "event_log: 'append' reads the rows added to \"%w\" by their "
                         "rowid, and it has none; 'rebuild' reads it whole",
                         log->content.name[0]);
    }
    since = INT64_MIN; /* never rebuilt: every row is new */
  }
  char *columns = content_columns(log);
  if (columns == 0) return SQLITE_NOMEM;
  char *sql = sqlite3_mprintf("SELECT rowid, %s FROM %s WHERE rowid > ?1 ORDER BY rowid", columns,
                              log->content.quoted[0]);
  sqlite3_free(columns);
  if (sql == 0) return SQLITE_NOMEM;
  sqlite3_stmt *st;
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return sqlite_error(db, rc, "event_log", pzErr);
  sqlite3_bind_int64(st, 1, since);
  name_map names;
  rc = name_map_load(db, log, &names, pzErr);
  arena bytes;
  memset(&bytes, 0, sizeof(bytes));
  new_event *e = 0;
  uint32_t n = 0, cap = 0;
  sqlite3_int64 last = since;
  int any = 0;
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    last = sqlite3_column_int64(st, 0);
    any = 1;
    sqlite3_value *v[4] = {sqlite3_column_value(st, 1), sqlite3_column_value(st, 2),
                           sqlite3_column_value(st, 3),
                           log->with_props ? sqlite3_column_value(st, 4) : 0};
    row_values row;
    int skip;
    rc = read_row(v, log->with_props, "event_log", log->content.name[0], 1, &row, &skip, pzErr);
    if (rc != SQLITE_OK || skip) continue;
    int32_t code;
    rc = name_map_code(&names, row.event, row.event_len, &code);
    if (rc == SQLITE_OK && code < 0) rc = dict_bound_error(log, row.event, row.event_len, pzErr);
    if (rc == SQLITE_OK && n == cap) {
      cap = cap ? cap * 2 : 4096;
      new_event *grown = sqlite3_realloc64(e, (sqlite3_uint64)cap * sizeof(*e));
      if (grown == 0) rc = SQLITE_NOMEM;
      else e = grown;
    }
    if (rc != SQLITE_OK) break;
    new_event *x = &e[n++];
    x->user = row.user;
    x->ts = row.ts;
    x->code = (uint16_t)code;
    x->props_len = row.props_len;
    x->props = 0;
    if (row.user.kind != GOPS_LOG_INTEGER) {
      x->user.bytes = arena_copy(&bytes, row.user.bytes, row.user.n);
      if (x->user.bytes == 0) rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_OK && row.props_len >= 0) {
      x->props = arena_copy(&bytes, row.props, (size_t)row.props_len);
      if (x->props == 0) rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_OK && n == APPEND_CHUNK) {
      rc = name_map_save(db, log, &names, pzErr);
      if (rc == SQLITE_OK) rc = append_chunk(db, log, e, n, pzErr);
      n = 0;
      arena_reset(&bytes);
    }
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (rc != SQLITE_OK && rc != SQLITE_NOMEM && *pzErr == 0) {
    rc = sqlite_error(db, rc, "event_log", pzErr);
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_OK) rc = name_map_save(db, log, &names, pzErr);
  if (rc == SQLITE_OK && n) rc = append_chunk(db, log, e, n, pzErr);
  if (rc == SQLITE_OK && any) rc = config_put(db, log, "content_rowid", last, 0, pzErr);
  sqlite3_free(e);
  arena_reset(&bytes);
  name_map_free(&names);
  return rc;
}

/* ---- optimize: every pending record merged ---------------------------------------- */

int gops_log_optimize(sqlite3 *db, gops_log *log, char **pzErr) {
  sqlite3_stmt *st;
  int rc = prepare_sql(db, &st, "event_log", pzErr,
                       "SELECT block FROM \"%w\".\"%w_pending\" ORDER BY block",
                       log->schema, log->name);
  if (rc != SQLITE_OK) return rc;
  sqlite3_int64 *ids = 0;
  uint32_t n = 0, cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == cap) {
      cap = cap ? cap * 2 : 256;
      sqlite3_int64 *grown = sqlite3_realloc64(ids, (sqlite3_uint64)cap * sizeof(*ids));
      if (grown == 0) {
        rc = SQLITE_NOMEM;
        break;
      }
      ids = grown;
    }
    ids[n++] = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  else if (rc != SQLITE_NOMEM) rc = sqlite_error(db, rc, "event_log", pzErr);
  for (uint32_t i = 0; rc == SQLITE_OK && i < n; i++) {
    sqlite3_int64 unused;
    rc = block_merge(db, log, ids[i], 0, &unused, pzErr);
  }
  sqlite3_free(ids);
  return rc;
}

/* ---- integrity-check -------------------------------------------------------------- */

/* An event's hash, the same from the log and from the table's row: the
** user, the instant, the name, the properties. */
static uint64_t event_hash(const gops_log_user *u, double ts, const char *name, int name_len,
                           const unsigned char *props, int32_t props_len) {
  unsigned char key[GOPS_LOG_KEY_SIZE], time[8];
  size_t kn = gops_log_user_key(u, key);
  int64_t bits;
  memcpy(&bits, &ts, 8);
  for (int i = 0; i < 8; i++) time[i] = (unsigned char)(bits >> (8 * i));
  uint64_t h = gops_log_checksum(key, kn);
  h ^= gops_log_checksum(time, 8) * 0x9e3779b97f4a7c15ULL;
  h ^= (name ? gops_log_checksum((const unsigned char *)name, (size_t)name_len) + 1 : 0) *
       0xc2b2ae3d27d4eb4fULL;
  h ^= (props_len >= 0 ? gops_log_checksum(props, (size_t)props_len) + 1 : 0) *
       0x165667b19e3779f9ULL;
  return h * 0xff51afd7ed558ccdULL;
}

static int key_compare(const unsigned char *a, size_t an, const unsigned char *b, size_t bn) {
  size_t m = an < bn ? an : bn;
  int c = m ? memcmp(a, b, m) : 0;
  return c ? c : (an > bn) - (an < bn);
}

/* The lowest block of a pending table or of the properties whose block is
** not there (0: none). */
static int orphan(sqlite3 *db, const gops_log *log, const char *suffix, sqlite3_int64 *block,
                  char **pzErr) {
  *block = 0;
  sqlite3_stmt *st;
  int rc = prepare_sql(db, &st, "event_log", pzErr,
                       "SELECT min(block) FROM \"%w\".\"%w_%s\" WHERE block NOT IN "
                       "(SELECT id FROM \"%w\".\"%w_blocks\")",
                       log->schema, log->name, suffix, log->schema, log->name);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *block = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? SQLITE_OK : sqlite_error(db, rc, "event_log", pzErr);
}

/* The table followed, read as the log would read it: its rows' count and
** the sum of their hashes. */
static int content_sum(sqlite3 *db, const gops_log *log, uint64_t *n_rows, uint64_t *sum,
                       char **pzErr) {
  *n_rows = *sum = 0;
  char *columns = content_columns(log);
  char *sql = columns ? sqlite3_mprintf("SELECT %s FROM %s", columns, log->content.quoted[0]) : 0;
  sqlite3_free(columns);
  if (sql == 0) return SQLITE_NOMEM;
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return sqlite_error(db, rc, "event_log", pzErr);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    sqlite3_value *v[4] = {sqlite3_column_value(st, 0), sqlite3_column_value(st, 1),
                           sqlite3_column_value(st, 2),
                           log->with_props ? sqlite3_column_value(st, 3) : 0};
    row_values row;
    int skip;
    rc = read_row(v, log->with_props, "event_log", log->content.name[0], 1, &row, &skip, pzErr);
    if (rc != SQLITE_OK) break;
    if (skip) continue;
    *sum += event_hash(&row.user, row.ts, row.event, row.event_len, row.props, row.props_len);
    (*n_rows)++;
  }
  sqlite3_finalize(st);
  if (rc == SQLITE_DONE) return SQLITE_OK;
  return rc == SQLITE_NOMEM || *pzErr ? rc : sqlite_error(db, rc, "event_log", pzErr);
}

int gops_log_integrity_check(sqlite3 *db, gops_log *log, char **pzErr) {
  int rc = check_version(db, log, "event_log", pzErr);
  if (rc != SQLITE_OK) return rc;
  char **names = 0;
  const int *name_lens = 0;
  uint32_t n_names = 0;
  rc = gops_log_names(db, log, "event_log", &names, &name_lens, &n_names, pzErr);
  if (rc != SQLITE_OK) return rc;
  sqlite3_int64 lost = 0;
  rc = orphan(db, log, "pending", &lost, pzErr);
  if (rc == SQLITE_OK && lost) {
    rc = corrupt("event_log", log, lost, "it has pending records but no block", pzErr);
  }
  if (rc == SQLITE_OK && log->with_props) rc = orphan(db, log, "props", &lost, pzErr);
  if (rc == SQLITE_OK && log->with_props && lost) {
    rc = corrupt("event_log", log, lost, "it has properties but no block", pzErr);
  }
  /* Every block: its own rules (the walk decodes it), its counts, its
  ** users from its first key up to the next block's; and the count and
  ** hash of every event, for the table followed. */
  gops_log_scan scan;
  memset(&scan, 0, sizeof(scan));
  if (rc == SQLITE_OK) rc = gops_log_scan_open(db, log, "event_log", 1, &scan, pzErr);
  sqlite3_stmt *keys = 0;
  if (rc == SQLITE_OK) {
    char *sql = sqlite3_mprintf(
        "SELECT id, first_key, users, events FROM \"%w\".\"%w_blocks\" ORDER BY first_key",
        log->schema, log->name);
    rc = sql ? sqlite3_prepare_v2(db, sql, -1, &keys, 0) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK && rc != SQLITE_NOMEM) rc = sqlite_error(db, rc, "event_log", pzErr);
  }
  uint64_t n_events = 0, sum = 0;
  unsigned char key[GOPS_LOG_KEY_SIZE], last[GOPS_LOG_KEY_SIZE];
  size_t key_n = 0, last_n = 0;
  int first = 1, any_last = 0;
  while (rc == SQLITE_OK && (rc = gops_log_scan_block(&scan, pzErr)) == SQLITE_ROW) {
    rc = sqlite3_step(keys);
    if (rc != SQLITE_ROW) {
      rc = rc == SQLITE_DONE ? corrupt("event_log", log, scan.block_id, "it is missing", pzErr)
                             : sqlite_error(db, rc, "event_log", pzErr);
      break;
    }
    rc = SQLITE_OK;
    const unsigned char *k = sqlite3_column_blob(keys, 1);
    size_t kn = (size_t)sqlite3_column_bytes(keys, 1);
    gops_log_user from;
    const char *why = 0;
    if (sqlite3_column_int64(keys, 0) != scan.block_id) {
      why = "it is missing";
    } else if (first ? kn != 0 : (kn > sizeof(key) || gops_log_user_from_key(k, kn, &from) != 0)) {
      why = first ? "the first block does not start at the lowest user"
                  : "its first key is no user's";
    } else if (sqlite3_column_int64(keys, 2) != scan.main.ev.n_users ||
               sqlite3_column_int64(keys, 3) != scan.main.ev.n_events) {
      why = "its counts of users and events are not its own";
    } else if (!first && any_last && key_compare(last, last_n, k, kn) >= 0) {
      /* The block before held a user at or above this block's first key. */
      why = "its first key is not above the users of the block before";
    }
    if (why) {
      rc = corrupt("event_log", log, scan.block_id, why, pzErr);
      break;
    }
    if (kn) memcpy(key, k, kn);
    key_n = kn;
    gops_log_run run;
    int got;
    while ((got = gops_log_merge_next(&scan.merge, &run)) > 0) {
      last_n = gops_log_user_key(run.user, last);
      any_last = 1;
      if (key_compare(last, last_n, key, key_n) < 0) {
        rc = corrupt("event_log", log, scan.block_id, "it holds a user below its first key",
                     pzErr);
        break;
      }
      if (run.n > GOPS_LOG_EVENTS_MAX) {
        rc = corrupt("event_log", log, scan.block_id, "a user has more events than a log holds",
                     pzErr);
        break;
      }
      for (uint32_t e = 0; e < run.n; e++) {
        const char *name = run.codes[e] ? names[run.codes[e]] : 0;
        sum += event_hash(run.user, run.ts[e], name, name ? name_lens[run.codes[e]] : 0,
                          run.props ? run.props[e] : 0, run.props ? run.props_len[e] : -1);
      }
      n_events += run.n;
    }
    if (rc == SQLITE_OK && got < 0) rc = SQLITE_NOMEM;
    first = 0;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(keys);
  gops_log_scan_close(&scan);
  if (rc == SQLITE_OK && log->content.n) {
    uint64_t n_rows, rows_sum;
    rc = content_sum(db, log, &n_rows, &rows_sum, pzErr);
    if (rc == SQLITE_OK && (n_rows != n_events || rows_sum != sum)) {
      rc = n_rows != n_events
               ? gops_errorf(pzErr,
                             "event_log: \"%w\" does not match \"%w\": %llu events in \"%w\", "
                             "%llu rows with a user and a time in \"%w\"",
                             log->name, log->content.name[0], (unsigned long long)n_events,
                             log->name, (unsigned long long)n_rows, log->content.name[0])
               : gops_errorf(pzErr,
                             "event_log: \"%w\" does not match \"%w\": as many events (%llu), "
                             "not the same ones",
                             log->name, log->content.name[0], (unsigned long long)n_events);
      if (rc != SQLITE_NOMEM) rc = SQLITE_CORRUPT_VTAB;
    }
  }
  sqlite3_free(names);
  return rc;
}
