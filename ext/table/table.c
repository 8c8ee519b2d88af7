/*
** table.c: the virtual-table layer (table.h): the result rows, the
** planning, create and connect, the cursor, and the nesting guard.
**
** Each call computes its whole result into a gops_rows at xFilter; the
** cursor then walks it.  Results are small (the periods of a plan, the
** steps of a funnel), so computing them at once keeps every table's code a
** plain loop.
*/
#include "table.h"

#include "source.h"

#include <assert.h>
#include <string.h>

/* ---- the result rows ------------------------------------------------------ */

/* The cells of all rows, one after another, each a tag and its value in
** as few bytes as it needs (an integer in 1, 2, 4 or 8): compact, so that
** a table of many rows (a cohort triangle of 500,500) stays small. */
enum {
  TAG_NULL, TAG_INT1, TAG_INT2, TAG_INT4, TAG_INT8, TAG_REAL, TAG_DAY,
  TAG_PERIOD, TAG_TEXT, TAG_BLOB
};

/* The most bytes of cells a result holds: offsets are 32-bit. */
#define ROWS_BYTES_MAX 0xffffffffu

struct gops_rows {
  int n_cols;
  int status;               /* SQLITE_OK, or the first failure */
  sqlite3_int64 n_cells;
  unsigned char *data;      /* the encoded cells */
  size_t used, alloc;
  uint32_t *row_at;         /* where each row's first cell begins */
  sqlite3_int64 n_rows, rows_alloc;
  sqlite3_int64 *rowids;    /* each row's rowid, when the table gives them */
  sqlite3_int64 rowids_alloc;
};

static void rows_reset(gops_rows *rows, int n_cols) {
  sqlite3_free(rows->data);
  sqlite3_free(rows->row_at);
  sqlite3_free(rows->rowids);
  memset(rows, 0, sizeof(*rows));
  rows->n_cols = n_cols;
}

/* Room for a cell of `bytes` bytes (its tag included); a new row begins
** every n_cols cells.  NULL after a failure (kept in rows->status). */
static unsigned char *cell_room(gops_rows *rows, size_t bytes) {
  if (rows->status != SQLITE_OK) return 0;
  assert(rows->n_cols > 0);
  if (rows->n_cells % rows->n_cols == 0) {
    if (rows->n_rows == rows->rows_alloc) {
      sqlite3_int64 alloc = rows->rows_alloc ? rows->rows_alloc * 2 : 64;
      uint32_t *row_at = sqlite3_realloc64(rows->row_at, (sqlite3_uint64)alloc * sizeof(uint32_t));
      if (row_at == 0) goto nomem;
      rows->row_at = row_at;
      rows->rows_alloc = alloc;
    }
    rows->row_at[rows->n_rows++] = (uint32_t)rows->used;
  }
  if (rows->used + bytes > ROWS_BYTES_MAX) goto nomem; /* beyond any table's bounds */
  if (rows->used + bytes > rows->alloc) {
    size_t alloc = rows->alloc ? rows->alloc * 2 : 1024;
    while (alloc < rows->used + bytes) alloc *= 2;
    unsigned char *data = sqlite3_realloc64(rows->data, alloc);
    if (data == 0) goto nomem;
    rows->data = data;
    rows->alloc = alloc;
  }
  unsigned char *p = rows->data + rows->used;
  rows->used += bytes;
  rows->n_cells++;
  return p;
nomem:
  rows->status = SQLITE_NOMEM;
  return 0;
}

int gops_rows_int(gops_rows *rows, sqlite3_int64 value) {
  int tag = value == (int8_t)value    ? TAG_INT1
            : value == (int16_t)value ? TAG_INT2
            : value == (int32_t)value ? TAG_INT4
                                      : TAG_INT8;
  size_t bytes = (size_t)1 << (tag - TAG_INT1);
  unsigned char *p = cell_room(rows, 1 + bytes);
  if (p) {
    p[0] = (unsigned char)tag;
    int8_t i1 = (int8_t)value;
    int16_t i2 = (int16_t)value;
    int32_t i4 = (int32_t)value;
    const void *v = tag == TAG_INT1 ? (const void *)&i1
                    : tag == TAG_INT2 ? (const void *)&i2
                    : tag == TAG_INT4 ? (const void *)&i4
                                      : (const void *)&value;
    memcpy(p + 1, v, bytes);
  }
  return rows->status;
}

int gops_rows_double(gops_rows *rows, double value) {
  if (!(value == value && value - value == 0.0)) return gops_rows_null(rows); /* NaN, Inf */
  unsigned char *p = cell_room(rows, 1 + sizeof(value));
  if (p) {
    p[0] = TAG_REAL;
    memcpy(p + 1, &value, sizeof(value));
  }
  return rows->status;
}

int gops_rows_text(gops_rows *rows, const char *text, int n) {
  if (n < 0) n = (int)strlen(text);
  uint32_t len = (uint32_t)n;
  unsigned char *p = cell_room(rows, 1 + sizeof(len) + len + 1);
  if (p) {
    p[0] = TAG_TEXT;
    memcpy(p + 1, &len, sizeof(len));
    memcpy(p + 1 + sizeof(len), text, len);
    p[1 + sizeof(len) + len] = 0;
  }
  return rows->status;
}

int gops_rows_blob(gops_rows *rows, const void *bytes, int n) {
  uint32_t len = (uint32_t)n;
  unsigned char *p = cell_room(rows, 1 + sizeof(len) + len + 1);
  if (p) {
    p[0] = TAG_BLOB;
    memcpy(p + 1, &len, sizeof(len));
    if (len) memcpy(p + 1 + sizeof(len), bytes, len);
    p[1 + sizeof(len) + len] = 0;
  }
  return rows->status;
}

int gops_rows_null(gops_rows *rows) {
  unsigned char *p = cell_room(rows, 1);
  if (p) p[0] = TAG_NULL;
  return rows->status;
}

int gops_rows_day(gops_rows *rows, int64_t day) {
  assert(day >= GOPS_DAY_MIN - 7 && day <= GOPS_DAY_MAX + 7);
  int32_t d = (int32_t)day;
  unsigned char *p = cell_room(rows, 1 + sizeof(d));
  if (p) {
    p[0] = TAG_DAY;
    memcpy(p + 1, &d, sizeof(d));
  }
  return rows->status;
}

int gops_rows_period(gops_rows *rows, int64_t ordinal, gops_grain grain) {
  assert(ordinal >= INT32_MIN && ordinal <= INT32_MAX);
  int32_t o = (int32_t)ordinal;
  unsigned char *p = cell_room(rows, 2 + sizeof(o));
  if (p) {
    p[0] = TAG_PERIOD;
    p[1] = (unsigned char)grain;
    memcpy(p + 2, &o, sizeof(o));
  }
  return rows->status;
}

int gops_rows_count(gops_rows *rows, double value) {
  /* The range test first: converting NaN or a double beyond int64 is
  ** undefined. */
  if (value > -9007199254740992.0 && value < 9007199254740992.0 &&
      value == (double)(sqlite3_int64)value) {
    return gops_rows_int(rows, (sqlite3_int64)value);
  }
  return gops_rows_double(rows, value); /* NULL for NaN */
}

int gops_rows_rowid(gops_rows *rows, sqlite3_int64 rowid) {
  if (rows->status != SQLITE_OK) return rows->status;
  assert(rows->n_cells % rows->n_cols == 0);
  assert(rows->n_rows == 0 || rows->rowids); /* every row has one, or none */
  if (rows->n_rows == rows->rowids_alloc) {
    sqlite3_int64 alloc = rows->rowids_alloc ? rows->rowids_alloc * 2 : 64;
    sqlite3_int64 *ids = sqlite3_realloc64(rows->rowids, (sqlite3_uint64)alloc * sizeof(*ids));
    if (ids == 0) return rows->status = SQLITE_NOMEM;
    rows->rowids = ids;
    rows->rowids_alloc = alloc;
  }
  rows->rowids[rows->n_rows] = rowid;
  return SQLITE_OK;
}

int gops_rows_status(const gops_rows *rows) { return rows->status; }

/* The bytes of the cell at p, its tag included. */
static size_t cell_size(const unsigned char *p) {
  switch (p[0]) {
    case TAG_NULL:
      return 1;
    case TAG_INT1:
    case TAG_INT2:
    case TAG_INT4:
    case TAG_INT8:
      return 1 + ((size_t)1 << (p[0] - TAG_INT1));
    case TAG_REAL:
      return 1 + 8;
    case TAG_DAY:
      return 1 + 4;
    case TAG_PERIOD:
      return 2 + 4;
    default: {
      assert(p[0] == TAG_TEXT || p[0] == TAG_BLOB);
      uint32_t len;
      memcpy(&len, p + 1, sizeof(len));
      return 1 + sizeof(len) + len + 1;
    }
  }
}

static void cell_result(sqlite3_context *ctx, const unsigned char *p) {
  switch (p[0]) {
    case TAG_INT1:
      sqlite3_result_int(ctx, (int8_t)p[1]);
      break;
    case TAG_INT2: {
      int16_t i;
      memcpy(&i, p + 1, sizeof(i));
      sqlite3_result_int(ctx, i);
      break;
    }
    case TAG_INT4: {
      int32_t i;
      memcpy(&i, p + 1, sizeof(i));
      sqlite3_result_int(ctx, i);
      break;
    }
    case TAG_INT8: {
      sqlite3_int64 i;
      memcpy(&i, p + 1, sizeof(i));
      sqlite3_result_int64(ctx, i);
      break;
    }
    case TAG_REAL: {
      double d;
      memcpy(&d, p + 1, sizeof(d));
      sqlite3_result_double(ctx, d);
      break;
    }
    case TAG_DAY: {
      int32_t day;
      memcpy(&day, p + 1, sizeof(day));
      char text[GOPS_DATE_SIZE];
      gops_format_day(day, text);
      sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
      break;
    }
    case TAG_PERIOD: {
      int32_t ordinal;
      memcpy(&ordinal, p + 2, sizeof(ordinal));
      gops_grain grain = (gops_grain)p[1];
      char key[GOPS_KEY_SIZE];
      gops_period_key(gops_period_ordinal_first(ordinal, grain), grain, key);
      sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
      break;
    }
    case TAG_TEXT: {
      uint32_t len;
      memcpy(&len, p + 1, sizeof(len));
      const char *text = (const char *)p + 1 + sizeof(len);
      /* With its terminator (a length of -1) SQLite copies that too, where
      ** a bare length would make it grow the copy again for every function
      ** that reads the text; a text with a NUL inside needs its length. */
      int n = strlen(text) == len ? -1 : (int)len;
      sqlite3_result_text(ctx, text, n, SQLITE_TRANSIENT);
      break;
    }
    case TAG_BLOB: {
      uint32_t len;
      memcpy(&len, p + 1, sizeof(len));
      sqlite3_result_blob(ctx, p + 1 + sizeof(len), (int)len, SQLITE_TRANSIENT);
      break;
    }
    default:
      break; /* NULL */
  }
}

/* ---- the connection's scans: the nesting guard ---------------------------- */

typedef struct layer_vtab layer_vtab;

/* A scan of a table over a source, in progress: a frame on xFilter's stack. */
typedef struct scan_frame {
  const layer_vtab *vtab;
  const struct scan_frame *outer;
} scan_frame;

struct gops_tables {
  int refs;
  layer_vtab *kept;            /* the connected tables that keep data */
  const scan_frame *innermost; /* NULL: no scan in progress */
  int depth;
  /* A table failed inside another's scan, with this message: the outer
  ** ones report it as it is (it names the table at fault); NULL when it
  ** could not be kept (out of memory). */
  int nested_failed;
  char *nested_error;
};

gops_tables *gops_tables_new(void) {
  gops_tables *t = sqlite3_malloc(sizeof(*t));
  if (t) {
    memset(t, 0, sizeof(*t));
    t->refs = 1;
  }
  return t;
}

void gops_tables_unref(gops_tables *t) {
  if (t == 0 || --t->refs > 0) return;
  assert(t->innermost == 0 && t->depth == 0 && t->kept == 0);
  sqlite3_free(t->nested_error);
  sqlite3_free(t);
}

/* ---- registration ------------------------------------------------------------ */

/* What a module registration holds (its aux): the descriptor, the schema
** built from it, the connection's state. */
typedef struct layer_module {
  const gops_table *table;
  char *schema;        /* CREATE TABLE x(columns, arg HIDDEN, ...) */
  int n_columns;       /* visible */
  int n_args;          /* HIDDEN */
  int n_create_args;   /* as listed */
  int n_options;       /* named */
  gops_tables *tables;
  /* A table that keeps data: its own module, for its own xShadowName
  ** (which SQLite calls with no pointer to tell the tables apart). */
  sqlite3_module own;
} layer_module;

static void module_free(void *aux) {
  layer_module *m = aux;
  gops_tables_unref(m->tables);
  sqlite3_free(m->schema);
  sqlite3_free(m);
}

static int count_names(const char *const *names) {
  int n = 0;
  while (n < GOPS_TABLE_MAX_ARGS && names[n]) n++;
  return n;
}

/* The visible columns of "a TEXT, b INTEGER": 1 + the commas; 0 if the
** list has what a plain comma count would miss (parentheses, quotes around
** a comma). */
static int count_columns(const char *columns) {
  int n = 1, quoted = 0;
  for (const char *p = columns; *p; p++) {
    if (*p == '"') quoted = !quoted;
    if (*p == '(' || *p == ')' || (quoted && *p == ',')) return 0;
    if (*p == ',') n++;
  }
  return quoted ? 0 : n;
}

/* What is wrong with a descriptor, or NULL. */
static const char *descriptor_fault(const gops_table *t, int n_columns,
                                    int n_args, int n_create_args) {
  if (t->name == 0 || t->compute == 0) return "no name or no compute()";
  if (t->columns == 0 || n_columns == 0) return "columns not a plain list";
  if (n_columns > 31) return "more than 31 columns (sorted_by is a bitmask)";
  if (t->n_required < 0 || t->n_required > n_args) return "n_required beyond its arguments";
  int eponymous = n_create_args == 0;
  if (eponymous && (t->configure || t->config_size || t->n_source_names || t->flags)) {
    return "a table-valued function has no CREATE arguments to configure";
  }
  if (!eponymous && t->configure == 0) return "CREATE arguments but no configure()";
  if (t->n_create_required < 0 || t->n_create_required > n_create_args) {
    return "n_create_required beyond its CREATE arguments";
  }
  if (t->n_source_names < 0 || t->n_source_names > t->n_create_required) {
    return "n_source_names beyond its required CREATE arguments";
  }
  if ((t->flags & GOPS_TABLE_RUNS_SQL) && t->n_source_names == 0) {
    return "GOPS_TABLE_RUNS_SQL without a source";
  }
  int keeps = (t->flags & GOPS_TABLE_KEEPS_DATA) != 0;
  if (keeps && (eponymous || n_args || t->n_source_names || !t->columns_of || !t->write ||
                !t->shadow_name || !t->destroy || !t->rename)) {
    return "a table that keeps data needs CREATE arguments, no HIDDEN arguments or "
           "source, and columns_of(), write(), shadow_name(), destroy(), rename()";
  }
  if (!keeps && (t->columns_of || t->write || t->shadow_name || t->destroy || t->rename)) {
    return "hooks of a table that keeps data without GOPS_TABLE_KEEPS_DATA";
  }
  for (int i = 0; i < 4 && t->sorted_by[i]; i++) {
    if (t->sorted_by[i] >> n_columns) return "sorted_by names a column it does not have";
  }
  int n_options = count_names(t->options);
  if (n_options && (eponymous || t->n_create_required != n_create_args)) {
    return "options on a table-valued function, or with optional positional arguments";
  }
  for (int k = 0; k < GOPS_TABLE_MAX_SHAPES && t->shapes[k].columns; k++) {
    int n = count_columns(t->shapes[k].columns);
    if (eponymous || n == 0 || n > 31) return "a shape that is not a plain list of 1 to 31 columns";
    for (int i = 0; i < 4 && t->shapes[k].sorted_by[i]; i++) {
      if (t->shapes[k].sorted_by[i] >> n) return "a shape's sorted_by names a column it does not have";
    }
  }
  return 0;
}

/* The shape of a table: shape 0 is the descriptor's own columns. */
static const gops_shape *table_shape(const gops_table *t, int shape, gops_shape *own) {
  if (shape == 0) {
    own->columns = t->columns;
    memcpy(own->sorted_by, t->sorted_by, sizeof(own->sorted_by));
    return own;
  }
  assert(shape >= 1 && shape <= GOPS_TABLE_MAX_SHAPES && t->shapes[shape - 1].columns);
  return &t->shapes[shape - 1];
}

/* CREATE TABLE x(columns, arg HIDDEN, ...) for SQLite's declare_vtab. */
static char *table_schema(const gops_table *t, const char *columns, int n_args) {
  sqlite3_str *schema = sqlite3_str_new(0);
  sqlite3_str_appendf(schema, "CREATE TABLE x(%s", columns);
  for (int i = 0; i < n_args; i++) sqlite3_str_appendf(schema, ", %s HIDDEN", t->args[i]);
  sqlite3_str_appendall(schema, ")");
  return sqlite3_str_finish(schema);
}

static const sqlite3_module function_module; /* table-valued functions */
static const sqlite3_module create_module;   /* CREATE VIRTUAL TABLE */
static const sqlite3_module data_module;     /* ... and keeps its data */

int gops_table_register(sqlite3 *db, gops_tables *tables,
                        const gops_table *table, char **pzErrMsg) {
  int n_columns = table->columns ? count_columns(table->columns) : 0;
  int n_args = count_names(table->args);
  int n_create_args = count_names(table->create_args);
  const char *fault = descriptor_fault(table, n_columns, n_args, n_create_args);
  assert(fault == 0);
  if (fault) {
    if (pzErrMsg) {
      *pzErrMsg = sqlite3_mprintf("growthops: table %s: %s",
                                  table->name ? table->name : "?", fault);
    }
    return SQLITE_MISUSE;
  }
  layer_module *m = sqlite3_malloc(sizeof(*m));
  if (m == 0) return SQLITE_NOMEM;
  memset(m, 0, sizeof(*m));
  m->table = table;
  m->n_columns = n_columns;
  m->n_args = n_args;
  m->n_create_args = n_create_args;
  m->n_options = count_names(table->options);
  m->schema = table_schema(table, table->columns, n_args);
  if (m->schema == 0) {
    sqlite3_free(m);
    return SQLITE_NOMEM;
  }
  m->tables = tables;
  tables->refs++;
  const sqlite3_module *module = n_create_args ? &create_module : &function_module;
  if (table->flags & GOPS_TABLE_KEEPS_DATA) {
    m->own = data_module;
    m->own.xShadowName = table->shadow_name;
    module = &m->own;
  }
  /* On failure SQLite calls module_free itself. */
  int rc = sqlite3_create_module_v2(db, table->name, module, m, module_free);
  if (rc != SQLITE_OK && pzErrMsg) {
    *pzErrMsg = sqlite3_mprintf("growthops: cannot register %s: %s", table->name,
                                sqlite3_errstr(rc));
  }
  return rc;
}

/* ---- create and connect ------------------------------------------------------- */

struct layer_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  const layer_module *module;
  char *name;          /* the table's name: CREATE VIRTUAL TABLE <name> */
  gops_source source;  /* tables over a source */
  void *config;        /* the descriptor's config_size bytes */
  gops_shape shape;    /* its columns: the descriptor's, or a shape of it */
  int n_columns;       /* visible, in this shape */
  char *schema;        /* where it is: "main", "temp", ... */
  layer_vtab *next_kept; /* in the connection's list of tables that keep data */
  int is_kept;
};

static void vtab_free(layer_vtab *vt) {
  if (vt == 0) return;
  if (vt->is_kept) {
    layer_vtab **p = &vt->module->tables->kept;
    while (*p != vt) p = &(*p)->next_kept;
    *p = vt->next_kept;
  }
  sqlite3_free(vt->schema);
  if (vt->config && vt->module->table->release) vt->module->table->release(vt->config);
  sqlite3_free(vt->config);
  gops_source_clear(&vt->source);
  sqlite3_free(vt->name);
  sqlite3_free(vt);
}

/* "(source, user, time, grain, start_condition, return_condition[,
** retention])": the CREATE arguments, optional ones in brackets. */
static char *create_usage(const layer_module *m) {
  const gops_table *t = m->table;
  sqlite3_str *s = sqlite3_str_new(0);
  sqlite3_str_appendchar(s, 1, '(');
  for (int i = 0; i < m->n_create_args; i++) {
    int optional = i >= t->n_create_required;
    if (optional) sqlite3_str_appendall(s, "[");
    sqlite3_str_appendf(s, "%s%s", i ? ", " : "", t->create_args[i]);
  }
  for (int i = t->n_create_required; i < m->n_create_args; i++) sqlite3_str_appendall(s, "]");
  sqlite3_str_appendchar(s, 1, ')');
  return sqlite3_str_finish(s);
}

/* "exclude, breakdown, attribution, top, trend or buckets" */
static char *option_names(const layer_module *m) {
  sqlite3_str *s = sqlite3_str_new(0);
  for (int i = 0; i < m->n_options; i++) {
    const char *sep = i == 0 ? "" : i + 1 == m->n_options ? " or " : ", ";
    sqlite3_str_appendf(s, "%s%s", sep, m->table->options[i]);
  }
  return sqlite3_str_finish(s);
}

static int arity_error(const layer_module *m, int got, char **pzErr) {
  const gops_table *t = m->table;
  char *usage = create_usage(m);
  char *options = m->n_options ? option_names(m) : 0;
  if (usage == 0 || (m->n_options && options == 0)) {
    sqlite3_free(usage);
    return SQLITE_NOMEM;
  }
  int least = t->n_create_required, most = m->n_create_args;
  int rc = m->n_options
               ? gops_errorf(pzErr, "%s: expected %d arguments %s, then any of the options %s "
                             "as name=value, got %d", t->name, least, usage, options, got)
           : least == most
               ? gops_errorf(pzErr, "%s: expected %d arguments %s, got %d", t->name, most,
                             usage, got)
               : gops_errorf(pzErr, "%s: expected %d %s %d arguments %s, got %d", t->name,
                             least, most == least + 1 ? "or" : "to", most, usage, got);
  sqlite3_free(usage);
  sqlite3_free(options);
  return rc;
}

/* A table that keeps data declares its own columns, and a hidden one
** named after it for its commands (as FTS5 does). */
static int declare_own_columns(layer_vtab *vt, char **pzErr) {
  const gops_table *t = vt->module->table;
  char *columns = t->columns_of(vt->config, &vt->n_columns);
  if (columns == 0) return SQLITE_NOMEM;
  assert(vt->n_columns > 0 && vt->n_columns <= vt->module->n_columns);
  char *schema = sqlite3_mprintf("CREATE TABLE x(%s, \"%w\" HIDDEN)", columns, vt->name);
  sqlite3_free(columns);
  if (schema == 0) return SQLITE_NOMEM;
  int rc = sqlite3_declare_vtab(vt->db, schema);
  sqlite3_free(schema);
  if (rc != SQLITE_OK && rc != SQLITE_NOMEM) {
    gops_errorf(pzErr, "%s: %s", t->name, sqlite3_errmsg(vt->db));
  }
  return rc;
}

/* The arguments after the positional ones, each name=value with a name of
** the descriptor's options[] (ignoring case), each at most once, into
** c->option[] and c->option_at[]. */
static int read_options(const layer_module *m, gops_create *c, char **pzErr) {
  const gops_table *t = m->table;
  for (int a = t->n_create_required; a < c->argc; a++) {
    const char *arg = gops_skip_space(c->argv[a], c->argv[a] + strlen(c->argv[a]));
    const char *p = arg;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
           (p > arg && *p >= '0' && *p <= '9')) {
      p++;
    }
    size_t len = (size_t)(p - arg);
    const char *eq = gops_skip_space(p, p + strlen(p));
    int k = -1;
    for (int i = 0; len && *eq == '=' && i < m->n_options; i++) {
      if (gops_word_equal(arg, len, t->options[i])) k = i;
    }
    if (k < 0) {
      char *names = option_names(m);
      if (names == 0) return SQLITE_NOMEM;
      char *what = sqlite3_mprintf("one of the options %s, as name=value", names);
      sqlite3_free(names);
      if (what == 0) return SQLITE_NOMEM;
      int rc = gops_errorf(pzErr, "%s: %s argument must be %s, got '%.40q'", t->name,
                           gops_ordinal(a), what, arg);
      sqlite3_free(what);
      return rc;
    }
    if (c->option[k]) {
      return gops_errorf(pzErr, "%s: %s argument gives the option %s a second time, got '%.40q'",
                         t->name, gops_ordinal(a), t->options[k], arg);
    }
    c->option[k] = gops_skip_space(eq + 1, eq + 1 + strlen(eq + 1));
    c->option_at[k] = a;
  }
  return SQLITE_OK;
}

/* xCreate (create = 1) and xConnect of the CREATE-time tables. */
static int table_init(sqlite3 *db, void *aux, int argc, const char *const *argv,
                      sqlite3_vtab **ppVtab, char **pzErr, int create) {
  const layer_module *m = aux;
  const gops_table *t = m->table;
  int n = argc - 3; /* argv: module, schema, table name, then the arguments */
  *ppVtab = 0;
  *pzErr = 0;
  if (n < t->n_create_required || n > m->n_create_args + m->n_options) {
    return arity_error(m, n, pzErr);
  }
  layer_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (vt == 0) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  vt->module = m;
  vt->name = sqlite3_mprintf("%s", argv[2]);
  vt->schema = sqlite3_mprintf("%s", argv[1]);
  vt->config = sqlite3_malloc64(t->config_size ? t->config_size : 1);
  if (vt->config) memset(vt->config, 0, t->config_size);
  int rc = vt->name && vt->schema && vt->config ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK) {
    rc = gops_source_read(t->name, t->create_args, t->n_source_names, argv + 3, &vt->source,
                          pzErr);
  }
  /* The source is checked at CREATE only: a connect trusts the schema, so
  ** that a table whose source is gone can still be dropped. */
  if (rc == SQLITE_OK && create) rc = gops_source_check(db, t->name, &vt->source, pzErr);
  gops_create c = {.db = db, .module = t->name, .table = vt->name, .schema = vt->schema,
                   .create = create, .argc = n, .argv = argv + 3, .source = &vt->source};
  if (rc == SQLITE_OK && m->n_options) rc = read_options(m, &c, pzErr);
  if (rc == SQLITE_OK) rc = t->configure(&c, vt->config, pzErr);
  char *schema = 0;
  if (rc == SQLITE_OK) {
    gops_shape own;
    vt->shape = *table_shape(t, c.shape, &own);
    vt->n_columns = c.shape ? count_columns(vt->shape.columns) : m->n_columns;
    if (t->flags & GOPS_TABLE_KEEPS_DATA) {
      rc = declare_own_columns(vt, pzErr);
    } else {
      schema = c.shape ? table_schema(t, vt->shape.columns, m->n_args) : m->schema;
      if (schema == 0) rc = SQLITE_NOMEM;
    }
  }
  if (rc == SQLITE_OK && schema) rc = sqlite3_declare_vtab(db, schema);
  if (schema != m->schema) sqlite3_free(schema);
  /* Not innocuous: these tables read the database, so no view or trigger
  ** may use them under PRAGMA trusted_schema=OFF. */
  if (rc == SQLITE_OK && (t->flags & GOPS_TABLE_RUNS_SQL)) {
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  }
  if (rc != SQLITE_OK) {
    vtab_free(vt);
    return rc;
  }
  if (t->flags & GOPS_TABLE_KEEPS_DATA) {
    vt->next_kept = m->tables->kept;
    m->tables->kept = vt;
    vt->is_kept = 1;
  }
  *ppVtab = &vt->base;
  return SQLITE_OK;
}

int gops_kept_table(const gops_scan *scan, const char *module, const char *name,
                    void **config) {
  *config = 0;
  /* Preparing a query of it connects it, if it is a virtual table. */
  char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\" LIMIT 0", name);
  if (sql == 0) return SQLITE_NOMEM;
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(scan->db, sql, -1, &stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_free(sql);
  if (rc == SQLITE_NOMEM) return rc;
  if (rc != SQLITE_OK) return SQLITE_OK; /* the caller's own query says what is wrong */
  layer_vtab *in_temp = 0, *in_main = 0;
  for (layer_vtab *vt = scan->tables->kept; vt; vt = vt->next_kept) {
    if (vt->db != scan->db || strcmp(vt->module->table->name, module) != 0 ||
        sqlite3_stricmp(vt->name, name) != 0) {
      continue;
    }
    if (sqlite3_stricmp(vt->schema, "temp") == 0) in_temp = vt;
    if (sqlite3_stricmp(vt->schema, "main") == 0) in_main = vt;
  }
  if (in_temp) {
    *config = in_temp->config;
    return SQLITE_OK;
  }
  if (in_main == 0) return SQLITE_OK;
  /* Something of that name in temp comes first. */
  rc = sqlite3_prepare_v2(scan->db,
                          "SELECT 1 FROM sqlite_temp_master WHERE name = ?1 COLLATE NOCASE",
                          -1, &stmt, 0);
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
  sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_DONE) *config = in_main->config;
  return rc == SQLITE_NOMEM ? rc : SQLITE_OK;
}

static int table_create(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **ppVtab, char **pzErr) {
  return table_init(db, aux, argc, argv, ppVtab, pzErr, 1);
}

static int table_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  return table_init(db, aux, argc, argv, ppVtab, pzErr, 0);
}

/* xConnect of the table-valued functions. */
static int function_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                            sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc;
  (void)argv;
  (void)pzErr;
  const layer_module *m = aux;
  int rc = sqlite3_declare_vtab(db, m->schema);
  if (rc != SQLITE_OK) return rc;
  layer_vtab *vt = sqlite3_malloc(sizeof(*vt));
  if (vt == 0) return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->db = db;
  vt->module = m;
  table_shape(m->table, 0, &vt->shape);
  vt->n_columns = m->n_columns;
  /* The result depends on the arguments only: allowed in views and
  ** triggers under PRAGMA trusted_schema=OFF. */
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *ppVtab = &vt->base;
  return SQLITE_OK;
}

static int table_disconnect(sqlite3_vtab *base) {
  vtab_free((layer_vtab *)base);
  return SQLITE_OK;
}

/* DROP TABLE of a table that keeps data: its shadow tables go too. */
static int table_destroy(sqlite3_vtab *base) {
  layer_vtab *vt = (layer_vtab *)base;
  const gops_table *t = vt->module->table;
  char *err = 0;
  int rc = t->destroy(vt->db, vt->name, vt->config, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(base->zErrMsg);
    base->zErrMsg = err;
    return rc;
  }
  vtab_free(vt);
  return SQLITE_OK;
}

static int table_rename(sqlite3_vtab *base, const char *new_name) {
  layer_vtab *vt = (layer_vtab *)base;
  const gops_table *t = vt->module->table;
  char *name = sqlite3_mprintf("%s", new_name);
  if (name == 0) return SQLITE_NOMEM;
  char *err = 0;
  int rc = t->rename(vt->db, vt->name, vt->config, new_name, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(name);
    sqlite3_free(base->zErrMsg);
    base->zErrMsg = err;
    return rc;
  }
  sqlite3_free(vt->name);
  vt->name = name;
  return SQLITE_OK;
}

static int table_update(sqlite3_vtab *base, int argc, sqlite3_value **argv,
                        sqlite3_int64 *pRowid) {
  layer_vtab *vt = (layer_vtab *)base;
  const gops_table *t = vt->module->table;
  gops_write w = {.db = vt->db, .module = t->name, .table = vt->name, .config = vt->config,
                  .argc = argc, .argv = argv};
  char *err = 0;
  int rc = t->write(&w, &err);
  if (rc == SQLITE_OK) {
    *pRowid = w.rowid;
  } else {
    sqlite3_free(base->zErrMsg);
    base->zErrMsg = err;
  }
  return rc;
}

/* ---- planning ------------------------------------------------------------------ */

static int table_best_index(sqlite3_vtab *base, sqlite3_index_info *info) {
  const layer_vtab *vt = (layer_vtab *)base;
  const layer_module *m = vt->module;
  const gops_table *t = m->table;
  int usable_at[GOPS_TABLE_MAX_ARGS];
  int seen = 0, unusable = 0;
  for (int i = 0; i < m->n_args; i++) usable_at[i] = -1;

  for (int k = 0; k < info->nConstraint; k++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[k];
    int arg = c->iColumn - vt->n_columns;
    /* A table that keeps data has one hidden column, for commands. */
    if (arg < 0 || arg >= m->n_args || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    seen |= 1 << arg;
    if (!c->usable) {
      unusable |= 1 << arg;
      continue;
    }
    usable_at[arg] = k;
  }
  int idx_num = 0, argv_index = 0;
  for (int i = 0; i < m->n_args; i++) {
    if (usable_at[i] < 0) continue;
    idx_num |= 1 << i;
    info->aConstraintUsage[usable_at[i]].argvIndex = ++argv_index;
    info->aConstraintUsage[usable_at[i]].omit = 1;
  }
  /* An argument given but not usable in this plan (it comes from a table
  ** joined later): refuse the plan, so that SQLite picks the one where it
  ** is usable.  Optional arguments too: a plan without one would compute
  ** the default and then compare the hidden column with the value asked
  ** for, which finds no rows. */
  if (unusable & ~idx_num) return SQLITE_CONSTRAINT;
  for (int i = 0; i < t->n_required; i++) {
    if (idx_num & (1 << i)) continue;
    assert(!(seen & (1 << i)));
    sqlite3_free(base->zErrMsg);
    return gops_errorf(&base->zErrMsg, "%s(): missing %s argument (%s)", t->name,
                       gops_ordinal(i), t->args[i]);
  }
  /* The rows come out in the descriptor's order: an ORDER BY on a prefix
  ** of it, ascending, costs nothing. */
  int consumed = info->nOrderBy > 0 && info->nOrderBy <= 4;
  for (int i = 0; consumed && i < info->nOrderBy; i++) {
    int col = info->aOrderBy[i].iColumn;
    consumed = !info->aOrderBy[i].desc && col >= 0 && col < vt->n_columns &&
               (vt->shape.sorted_by[i] & (1u << col));
  }
  info->orderByConsumed = consumed;
  info->idxNum = idx_num;
  /* Reading the database costs more than computing from the arguments;
  ** each argument narrows what is read. */
  info->estimatedCost = (m->n_create_args ? 1e6 : 10.0) / (1 + (m->n_create_args ? argv_index : 0));
  info->estimatedRows = 100;
  return SQLITE_OK;
}

/* ---- the cursor ------------------------------------------------------------------- */

typedef struct layer_cursor {
  sqlite3_vtab_cursor base;
  gops_rows rows;
  sqlite3_int64 row;   /* current row of the batch, 0-based */
  sqlite3_int64 before; /* rows of the batches before this one */
  /* The arguments of this scan, read back by the HIDDEN columns: xFilter's
  ** argv, which SQLite keeps in place while the cursor walks the rows. */
  sqlite3_value *args[GOPS_TABLE_MAX_ARGS];
  /* A compute() that gives its rows in batches: the scan it is called
  ** with again, its place, and whether more rows are to come. */
  gops_scan scan;
  void *resume;
  int more;
} layer_cursor;

static int table_open(sqlite3_vtab *base, sqlite3_vtab_cursor **ppCursor) {
  const layer_vtab *vt = (layer_vtab *)base;
  layer_cursor *cur = sqlite3_malloc(sizeof(*cur));
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  cur->rows.n_cols = vt->n_columns;
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

/* Ends a scan given in batches: its compute() frees its place. */
static void scan_end(layer_cursor *cur) {
  const gops_table *t = ((layer_vtab *)cur->base.pVtab)->module->table;
  if (cur->resume && t->scan_release) t->scan_release(cur->resume);
  cur->resume = 0;
  cur->more = 0;
}

static int table_close(sqlite3_vtab_cursor *base) {
  layer_cursor *cur = (layer_cursor *)base;
  scan_end(cur);
  rows_reset(&cur->rows, 0);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* A frame for this scan on the connection, or an error: the table already
** being scanned (tables that read each other), nesting too deep, or a
** table that runs SQL of its definition read by another table. */
static int guard_enter(layer_vtab *vt, scan_frame *frame, char **pzErr) {
  gops_tables *g = vt->module->tables;
  const gops_table *t = vt->module->table;
  int cycle = 0;
  for (const scan_frame *f = g->innermost; f && !cycle; f = f->outer) cycle = f->vtab == vt;
  if (cycle || g->depth >= GOPS_TABLE_NESTING_MAX) {
    /* The chain of tables, outermost first: a -> b -> a. */
    const scan_frame *chain[GOPS_TABLE_NESTING_MAX];
    int n = 0;
    for (const scan_frame *f = g->innermost; f; f = f->outer) chain[n++] = f;
    sqlite3_str *s = sqlite3_str_new(0);
    for (int i = n - 1; i >= 0; i--) sqlite3_str_appendf(s, "%s -> ", chain[i]->vtab->name);
    sqlite3_str_appendall(s, vt->name);
    char *path = sqlite3_str_finish(s);
    if (path == 0) return SQLITE_NOMEM;
    int rc = cycle ? gops_errorf(pzErr, "%s: table \"%w\" reads itself (%s)", t->name,
                                 vt->name, path)
                   : gops_errorf(pzErr,
                                 "%s: table \"%w\" is read through more than %d other "
                                 "tables (%s)",
                                 t->name, vt->name, GOPS_TABLE_NESTING_MAX, path);
    sqlite3_free(path);
    return rc;
  }
  if ((t->flags & GOPS_TABLE_RUNS_SQL) && g->innermost) {
    return gops_errorf(pzErr,
                       "%s: table \"%w\" runs the SQL of its definition, so only a query of "
                       "your own may read it, not the table \"%w\"",
                       t->name, vt->name, g->innermost->vtab->name);
  }
  assert(g->depth < GOPS_TABLE_NESTING_MAX);
  frame->vtab = vt;
  frame->outer = g->innermost;
  g->innermost = frame;
  g->depth++;
  return SQLITE_OK;
}

static void guard_leave(layer_vtab *vt, const scan_frame *frame) {
  gops_tables *g = vt->module->tables;
  assert(g->innermost == frame && g->depth > 0);
  g->innermost = frame->outer;
  g->depth--;
}

/* The batch after the one walked (none when compute() says so). */
static int next_batch(layer_cursor *cur) {
  layer_vtab *vt = (layer_vtab *)cur->base.pVtab;
  const gops_table *t = vt->module->table;
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) {
    cur->before += cur->rows.n_rows;
    rows_reset(&cur->rows, vt->n_columns);
    cur->row = 0;
    char *err = 0;
    rc = t->compute(&cur->scan, &cur->rows, &err);
    cur->more = rc == SQLITE_ROW;
    if ((rc == SQLITE_OK || rc == SQLITE_ROW) && gops_rows_status(&cur->rows) != SQLITE_OK) {
      rc = gops_rows_status(&cur->rows);
    }
    if (rc != SQLITE_OK && rc != SQLITE_ROW) {
      scan_end(cur);
      rows_reset(&cur->rows, vt->n_columns);
      sqlite3_free(vt->base.zErrMsg);
      vt->base.zErrMsg = err;
      return rc;
    }
    assert(err == 0);
    if (cur->rows.n_rows > 0) break;
  }
  return SQLITE_OK;
}

static int table_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr,
                        int argc, sqlite3_value **argv) {
  (void)idxStr;
  layer_cursor *cur = (layer_cursor *)base;
  layer_vtab *vt = (layer_vtab *)base->pVtab;
  const layer_module *m = vt->module;
  const gops_table *t = m->table;
  gops_tables *g = m->tables;
  scan_end(cur);
  rows_reset(&cur->rows, vt->n_columns);
  cur->row = 0;
  cur->before = 0;

  int next = 0;
  for (int i = 0; i < m->n_args; i++) {
    cur->args[i] = (idxNum & (1 << i)) ? argv[next++] : 0;
  }
  assert(next == argc);
  char *err = 0;
  int reads = t->n_source_names > 0;
  scan_frame frame;
  int rc = reads ? guard_enter(vt, &frame, &err) : SQLITE_OK;
  if (rc == SQLITE_OK) {
    gops_scan scan = {.db = vt->db, .module = t->name, .table = vt->name,
                      .source = reads ? &vt->source : 0, .config = vt->config,
                      .args = cur->args, .resume = &cur->resume, .tables = g};
    cur->scan = scan;
    if (reads) {
      sqlite3_free(g->nested_error);
      g->nested_error = 0;
      g->nested_failed = 0;
    }
    rc = t->compute(&cur->scan, &cur->rows, &err);
    /* More rows to come: only a table that does not read a source (whose
    ** scan is guarded while compute() runs) gives them in batches. */
    assert(rc != SQLITE_ROW || !reads);
    cur->more = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) rc = SQLITE_OK;
    if (rc == SQLITE_OK) rc = gops_rows_status(&cur->rows);
    if (reads) guard_leave(vt, &frame);
    /* A table that failed inside this scan already said what is wrong. */
    if (rc != SQLITE_OK && reads && g->nested_failed) {
      sqlite3_free(err);
      err = g->nested_error;
      if (err == 0) rc = SQLITE_NOMEM;
      g->nested_error = 0;
      g->nested_failed = 0;
    }
  }
  if (rc != SQLITE_OK) {
    scan_end(cur);
    rows_reset(&cur->rows, vt->n_columns);
    if (reads && g->innermost && err) {
      /* Inside another table's scan: that one reports this message. */
      sqlite3_free(g->nested_error);
      g->nested_error = sqlite3_mprintf("%s", err);
      g->nested_failed = 1;
    }
    sqlite3_free(vt->base.zErrMsg);
    vt->base.zErrMsg = err;
    return rc;
  }
  assert(cur->rows.n_cells == cur->rows.n_rows * vt->n_columns);
  return cur->rows.n_rows == 0 && cur->more ? next_batch(cur) : SQLITE_OK;
}

static int table_next(sqlite3_vtab_cursor *base) {
  layer_cursor *cur = (layer_cursor *)base;
  cur->row++;
  return cur->row >= cur->rows.n_rows && cur->more ? next_batch(cur) : SQLITE_OK;
}

static int table_eof(sqlite3_vtab_cursor *base) {
  layer_cursor *cur = (layer_cursor *)base;
  return cur->row >= cur->rows.n_rows;
}

static int table_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i) {
  layer_cursor *cur = (layer_cursor *)base;
  layer_vtab *vt = (layer_vtab *)base->pVtab;
  const layer_module *m = vt->module;
  const gops_table *t = m->table;
  if ((t->flags & GOPS_TABLE_KEEPS_DATA) && i == vt->n_columns) {
    /* The column named after the table, for commands: NULL when read. */
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  assert(i >= 0 && i < vt->n_columns + m->n_args);
  if (i >= vt->n_columns) {
    /* A hidden argument column reads back as given. */
    sqlite3_value *arg = cur->args[i - vt->n_columns];
    if (arg) sqlite3_result_value(ctx, arg);
    return SQLITE_OK;
  }
  assert(cur->row < cur->rows.n_rows);
  const unsigned char *p = cur->rows.data + cur->rows.row_at[cur->row];
  for (int k = 0; k < i; k++) p += cell_size(p);
  cell_result(ctx, p);
  return SQLITE_OK;
}

static int table_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *pRowid) {
  layer_cursor *cur = (layer_cursor *)base;
  *pRowid = cur->rows.rowids ? cur->rows.rowids[cur->row] : cur->before + cur->row + 1;
  return SQLITE_OK;
}

/* xCreate 0: the table-valued functions are eponymous only. */
static const sqlite3_module function_module = {
    .xConnect = function_connect,
    .xBestIndex = table_best_index,
    .xDisconnect = table_disconnect,
    .xOpen = table_open,
    .xClose = table_close,
    .xFilter = table_filter,
    .xNext = table_next,
    .xEof = table_eof,
    .xColumn = table_column,
    .xRowid = table_rowid,
};

/* xCreate and xConnect differ: CREATE VIRTUAL TABLE only, never eponymous. */
static const sqlite3_module create_module = {
    .xCreate = table_create,
    .xConnect = table_connect,
    .xBestIndex = table_best_index,
    .xDisconnect = table_disconnect,
    .xDestroy = table_disconnect,
    .xOpen = table_open,
    .xClose = table_close,
    .xFilter = table_filter,
    .xNext = table_next,
    .xEof = table_eof,
    .xColumn = table_column,
    .xRowid = table_rowid,
};

/* ... and keeps its data in shadow tables: written, dropped with them,
** renamed with them; xShadowName is set per table at registration. */
static const sqlite3_module data_module = {
    .iVersion = 3,
    .xCreate = table_create,
    .xConnect = table_connect,
    .xBestIndex = table_best_index,
    .xDisconnect = table_disconnect,
    .xDestroy = table_destroy,
    .xOpen = table_open,
    .xClose = table_close,
    .xFilter = table_filter,
    .xNext = table_next,
    .xEof = table_eof,
    .xColumn = table_column,
    .xRowid = table_rowid,
    .xUpdate = table_update,
    .xRename = table_rename,
};
