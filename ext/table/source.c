/*
** source.c: reading the CREATE arguments of the virtual tables over a
** user's events.  See source.h.
*/
#include "source.h"

#include <ctype.h>
#include <string.h>

static char *argument_error(const char *module, int index0, const char *name,
                            const char *arg, const char *what) {
  return sqlite3_mprintf("%s: %s argument (%s) must be %s, got '%.40q'", module,
                         gops_ordinal(index0), name, what, arg);
}

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

char *gops_source_identifier(const char *arg, const char *module, int index0,
                             const char *name, char **pzErr) {
  static const char what[] = "a table or column name";
  static const char too_long[] =
      "a table or column name of at most " STRINGIFY(GOPS_IDENTIFIER_MAX) " bytes";
  *pzErr = 0;
  size_t n = strlen(arg);
  while (n > 0 && isspace((unsigned char)arg[n - 1])) n--;
  while (n > 0 && isspace((unsigned char)*arg)) arg++, n--;
  if (n == 0) {
    *pzErr = argument_error(module, index0, name, arg, what);
    return 0;
  }
  /* The bound, on the name with its quotes (if any) and without. */
  if (n > GOPS_IDENTIFIER_MAX + 2) {
    *pzErr = argument_error(module, index0, name, arg, too_long);
    return 0;
  }
  char open = arg[0];
  char close = open == '[' ? ']' : open;
  char *out = sqlite3_malloc64(n + 1);
  if (out == 0) return 0;
  size_t k = 0;
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
    if (!closed || k == 0) {
      sqlite3_free(out);
      *pzErr = argument_error(module, index0, name, arg, what);
      return 0;
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)arg[i];
      /* Bare names: letters, digits, '_' and any non-ASCII byte (UTF-8
      ** names such as 新关注人数), not starting with a digit. */
      if (!(isalnum(c) || c == '_' || c >= 0x80) || (i == 0 && isdigit(c))) {
        sqlite3_free(out);
        *pzErr = argument_error(module, index0, name, arg, what);
        return 0;
      }
      out[k++] = (char)c;
    }
  }
  out[k] = 0;
  if (k > GOPS_IDENTIFIER_MAX) {
    sqlite3_free(out);
    *pzErr = argument_error(module, index0, name, arg, too_long);
    return 0;
  }
  if (memchr(out, 0, k) != 0 || strlen(out) != k) {
    sqlite3_free(out);
    *pzErr = argument_error(module, index0, name, arg, what);
    return 0;
  }
  return out;
}

char *gops_quote(const char *identifier) {
  return sqlite3_mprintf("\"%w\"", identifier);
}

int gops_source_columns(sqlite3 *db, const char *module, const char *table,
                        const char *const *columns, int n, char **pzErr) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(
      db, "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden IN (0, 2, 3)",
      -1, &stmt, 0);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("%s: %s", module, sqlite3_errmsg(db));
    return rc;
  }
  sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
  /* found has a bit per wanted column. */
  unsigned long long found = 0;
  int any = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *have = (const char *)sqlite3_column_text(stmt, 0);
    any = 1;
    for (int i = 0; have && i < n && i < 64; i++) {
      if (sqlite3_stricmp(have, columns[i]) == 0) found |= 1ULL << i;
    }
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    *pzErr = sqlite3_mprintf("%s: %s", module, sqlite3_errmsg(db));
    return rc;
  }
  if (!any) {
    *pzErr = sqlite3_mprintf("%s: no table or view named \"%w\"", module, table);
    return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
  }
  for (int i = 0; i < n && i < 64; i++) {
    if (!(found & (1ULL << i))) {
      *pzErr = sqlite3_mprintf("%s: table \"%w\" has no column \"%w\"", module,
                               table, columns[i]);
      return *pzErr ? SQLITE_ERROR : SQLITE_NOMEM;
    }
  }
  return SQLITE_OK;
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
  size_t n = strlen(arg);
  while (n > 0 && isspace((unsigned char)arg[n - 1])) n--;
  while (n > 0 && isspace((unsigned char)*arg)) arg++, n--;
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
  *pzErr = argument_error(module, index0, name, text, "one SQL expression");
  sqlite3_free(text);
  return 0;
}
