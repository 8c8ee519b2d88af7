/*
** tvf.c: the engine behind growthops' table-valued functions (tvf.h).
** Each call computes its whole result into a gops_rows table at xFilter;
** the cursor then walks that table.  Results are small (at most the
** periods of a plan), so computing them at once keeps every function's
** code a plain loop.
*/
#include "tvf.h"

#include <string.h>

/* Text this short is kept in the cell itself (keys and dates), which
** saves a malloc and a free per cell. */
#define CELL_SHORT 16

/* A day number kept as such and formatted as 'YYYY-MM-DD' only when the
** column is read (a count(*) or a query reading other columns never pays
** for the text). */
#define CELL_DAY 100

typedef struct cell {
  int type; /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_NULL or
            ** CELL_DAY */
  int n;    /* text bytes; below CELL_SHORT the text is in u.small */
  union {
    sqlite3_int64 i;
    double d;
    char *text;
    char small[CELL_SHORT];
  } u;
} cell;

static const char *cell_text(const cell *c) {
  return c->n < CELL_SHORT ? c->u.small : c->u.text;
}

struct gops_rows {
  int n_cols;
  sqlite3_int64 n_cells;
  sqlite3_int64 alloc;
  cell *cells;
};

int gops_rows_n_cols(const gops_rows *rows) { return rows->n_cols; }

static cell *next_cell(gops_rows *rows) {
  if (rows->n_cells == rows->alloc) {
    sqlite3_int64 alloc = rows->alloc ? rows->alloc * 2 : 64;
    cell *cells = sqlite3_realloc64(rows->cells, (sqlite3_uint64)alloc * sizeof(cell));
    if (cells == 0) return 0;
    rows->cells = cells;
    rows->alloc = alloc;
  }
  cell *c = &rows->cells[rows->n_cells++];
  c->type = SQLITE_NULL;
  c->n = 0;
  return c;
}

int gops_rows_int(gops_rows *rows, sqlite3_int64 value) {
  cell *c = next_cell(rows);
  if (c == 0) return SQLITE_NOMEM;
  c->type = SQLITE_INTEGER;
  c->u.i = value;
  return SQLITE_OK;
}

int gops_rows_double(gops_rows *rows, double value) {
  cell *c = next_cell(rows);
  if (c == 0) return SQLITE_NOMEM;
  if (value == value && value - value == 0.0) { /* finite */
    c->type = SQLITE_FLOAT;
    c->u.d = value;
  }
  return SQLITE_OK;
}

int gops_rows_text(gops_rows *rows, const char *text, int n) {
  if (n < 0) n = (int)strlen(text);
  char *copy;
  if (n < CELL_SHORT) {
    copy = 0;
  } else {
    copy = sqlite3_malloc64((sqlite3_uint64)n + 1);
    if (copy == 0) return SQLITE_NOMEM;
    memcpy(copy, text, (size_t)n);
    copy[n] = 0;
  }
  cell *c = next_cell(rows);
  if (c == 0) {
    sqlite3_free(copy);
    return SQLITE_NOMEM;
  }
  c->type = SQLITE_TEXT;
  c->n = n;
  if (copy) {
    c->u.text = copy;
  } else {
    memcpy(c->u.small, text, (size_t)n);
    c->u.small[n] = 0;
  }
  return SQLITE_OK;
}

int gops_rows_null(gops_rows *rows) {
  return next_cell(rows) ? SQLITE_OK : SQLITE_NOMEM;
}

int gops_rows_day(gops_rows *rows, int64_t day) {
  cell *c = next_cell(rows);
  if (c == 0) return SQLITE_NOMEM;
  c->type = CELL_DAY;
  c->u.i = day;
  return SQLITE_OK;
}

static void rows_clear(gops_rows *rows) {
  for (sqlite3_int64 i = 0; i < rows->n_cells; i++) {
    const cell *c = &rows->cells[i];
    if (c->type == SQLITE_TEXT && c->n >= CELL_SHORT) sqlite3_free(c->u.text);
  }
  sqlite3_free(rows->cells);
  rows->cells = 0;
  rows->n_cells = rows->alloc = 0;
}

typedef struct tvf_vtab {
  sqlite3_vtab base;
  const gops_tvf *tvf;
} tvf_vtab;

typedef struct tvf_cursor {
  sqlite3_vtab_cursor base;
  gops_rows rows;
  sqlite3_int64 row;      /* current row, 0-based */
  sqlite3_int64 n_rows;
  sqlite3_value *args[GOPS_TVF_MAX_ARGS];
} tvf_cursor;

static int tvf_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                       sqlite3_vtab **ppVtab, char **pzErr) {
  (void)argc;
  (void)argv;
  (void)pzErr;
  const gops_tvf *tvf = aux;
  int rc = sqlite3_declare_vtab(db, tvf->schema);
  if (rc != SQLITE_OK) return rc;
  tvf_vtab *vtab = sqlite3_malloc(sizeof(*vtab));
  if (vtab == 0) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof(*vtab));
  vtab->tvf = tvf;
  /* The result depends on the arguments only: allow it in views and
  ** triggers under PRAGMA trusted_schema=OFF. */
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  *ppVtab = &vtab->base;
  return SQLITE_OK;
}

static int tvf_disconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

static int tvf_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  (void)vtab;
  tvf_cursor *cur = sqlite3_malloc(sizeof(*cur));
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static int tvf_close(sqlite3_vtab_cursor *base) {
  tvf_cursor *cur = (tvf_cursor *)base;
  rows_clear(&cur->rows);
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int tvf_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr,
                      int argc, sqlite3_value **argv) {
  (void)idxStr;
  (void)argc;
  tvf_cursor *cur = (tvf_cursor *)base;
  tvf_vtab *vtab = (tvf_vtab *)base->pVtab;
  const gops_tvf *tvf = vtab->tvf;
  rows_clear(&cur->rows);
  cur->rows.n_cols = tvf->n_columns;
  cur->row = cur->n_rows = 0;

  int next = 0;
  for (int i = 0; i < tvf->n_args; i++) {
    cur->args[i] = (idxNum & (1 << i)) ? argv[next++] : 0;
  }
  char *err = 0;
  int rc = tvf->compute(cur->args, &cur->rows, &err);
  if (rc != SQLITE_OK) {
    rows_clear(&cur->rows);
    sqlite3_free(vtab->base.zErrMsg);
    vtab->base.zErrMsg = err;
    return rc;
  }
  cur->n_rows = cur->rows.n_cells / (tvf->n_columns ? tvf->n_columns : 1);
  return SQLITE_OK;
}

static int tvf_next(sqlite3_vtab_cursor *base) {
  ((tvf_cursor *)base)->row++;
  return SQLITE_OK;
}

static int tvf_eof(sqlite3_vtab_cursor *base) {
  tvf_cursor *cur = (tvf_cursor *)base;
  return cur->row >= cur->n_rows;
}

static int tvf_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i) {
  tvf_cursor *cur = (tvf_cursor *)base;
  const gops_tvf *tvf = ((tvf_vtab *)base->pVtab)->tvf;
  if (i >= tvf->n_columns) {
    /* A hidden argument column reads back as given. */
    sqlite3_value *arg = cur->args[i - tvf->n_columns];
    if (arg) sqlite3_result_value(ctx, arg);
    return SQLITE_OK;
  }
  const cell *c = &cur->rows.cells[cur->row * tvf->n_columns + i];
  switch (c->type) {
    case SQLITE_INTEGER:
      sqlite3_result_int64(ctx, c->u.i);
      break;
    case SQLITE_FLOAT:
      sqlite3_result_double(ctx, c->u.d);
      break;
    /* The texts are given with their terminator (a length of -1): SQLite
    ** then copies it too, where a bare length would make it grow the copy
    ** again for every function that reads the text. */
    case SQLITE_TEXT: {
      const char *text = cell_text(c);
      int n = (int)strlen(text) == c->n ? -1 : c->n; /* a NUL inside */
      sqlite3_result_text(ctx, text, n, SQLITE_TRANSIENT);
      break;
    }
    case CELL_DAY: {
      char text[GOPS_DATE_SIZE];
      gops_format_day(c->u.i, text);
      sqlite3_result_text(ctx, text, -1, SQLITE_TRANSIENT);
      break;
    }
    default:
      break;
  }
  return SQLITE_OK;
}

static int tvf_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *pRowid) {
  *pRowid = ((tvf_cursor *)base)->row + 1;
  return SQLITE_OK;
}

static int tvf_best_index(sqlite3_vtab *base, sqlite3_index_info *info) {
  const gops_tvf *tvf = ((tvf_vtab *)base)->tvf;
  int usable_at[GOPS_TVF_MAX_ARGS];
  int seen = 0, unusable = 0;
  for (int i = 0; i < tvf->n_args; i++) usable_at[i] = -1;

  for (int k = 0; k < info->nConstraint; k++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[k];
    int arg = c->iColumn - tvf->n_columns;
    if (arg < 0 || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    seen |= 1 << arg;
    if (!c->usable) {
      unusable |= 1 << arg;
      continue;
    }
    usable_at[arg] = k;
  }
  int idx_num = 0, argv_index = 0;
  for (int i = 0; i < tvf->n_args; i++) {
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
  for (int i = 0; i < tvf->n_required; i++) {
    if (idx_num & (1 << i)) continue;
    if (!(seen & (1 << i))) {
      sqlite3_free(base->zErrMsg);
      base->zErrMsg = sqlite3_mprintf("%s(): missing %s argument (%s)",
                                      tvf->name, gops_ordinal(i),
                                      tvf->arg_names[i]);
      return base->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
    }
  }
  info->idxNum = idx_num;
  info->estimatedCost = 10.0;
  info->estimatedRows = 100;
  return SQLITE_OK;
}

/* xCreate stays 0: the functions are eponymous only. */
static const sqlite3_module tvf_module = {
    .xConnect = tvf_connect,
    .xBestIndex = tvf_best_index,
    .xDisconnect = tvf_disconnect,
    .xOpen = tvf_open,
    .xClose = tvf_close,
    .xFilter = tvf_filter,
    .xNext = tvf_next,
    .xEof = tvf_eof,
    .xColumn = tvf_column,
    .xRowid = tvf_rowid,
};

int gops_tvf_register(sqlite3 *db, const gops_tvf *tvf, char **pzErrMsg) {
  int rc = sqlite3_create_module(db, tvf->name, &tvf_module, (void *)tvf);
  if (rc != SQLITE_OK && pzErrMsg) {
    *pzErrMsg = sqlite3_mprintf("growthops: cannot register %s: %s", tvf->name,
                                sqlite3_errstr(rc));
  }
  return rc;
}
