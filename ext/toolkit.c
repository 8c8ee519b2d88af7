/*
** toolkit.c: what the SQL toolkit (schemas/, sql/) needs from C.
**
**   .load ./growthops
**   SELECT raise_error('users.csv row 7 column 新关注人数: not a number: ''x''');
**   SELECT raise_error(CASE WHEN count(*) = 0 THEN 'no rows' END) FROM t;
**
**   SELECT '<td>' || html_escape(name) || '</td>' FROM people;
**
** Registers:
**   raise_error(message)  fails the statement with exactly that message;
**                         NULL gives NULL (so a CASE without ELSE is an
**                         assertion: NULL when all is well)
**   html_escape(value)    the value as text that HTML shows as written, in
**                         an element or in a quoted attribute
**
** SQLite's RAISE() takes only a literal message (before 3.48): the imports
** of sql/import/ name the file's row and column in their errors, which needs
** a message computed by the query.
**
** Requirement 1: the error text is the message, unchanged (UTF-8).
** Requirement 2: NULL in, NULL out; a blob is an error naming the argument.
** Requirement 3: usable in views and triggers under trusted_schema=OFF
** (innocuous: it reads nothing but its argument); not deterministic, so that
** SQLite never evaluates it ahead of the row that asks for it.
**
** html_escape() is the one escaping function of the HTML report
** (sql/reports/report.sql): every value the page takes from the database
** goes through it, since a database file may come from anyone.
** Requirement 4: & < > " ' become &amp; &lt; &gt; &quot; &#39;, so that the
** text can stand in an element or in an attribute quoted either way; a NUL
** becomes U+FFFD (HTML has no NUL character); everything else, UTF-8
** included, is unchanged.
** Requirement 5: NULL gives NULL; a number gives its text; a blob is an
** error naming the argument (it is not text to show).
** Requirement 6: pure (deterministic and innocuous); the result is checked
** against SQLITE_LIMIT_LENGTH (a too-long result is SQLite's "string or
** blob too big").
*/
#include "growthops_internal.h"

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
      if (text == 0) {
        sqlite3_result_error_nomem(ctx);
        return;
      }
      sqlite3_result_error(ctx, text, sqlite3_value_bytes(argv[0]));
      return;
    }
  }
}

static void html_escape_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return; /* Requirement 5 */
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
  /* Requirement 6: the shell's length limit applies to what we build. */
  sqlite3_str *out = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  int plain = 0; /* start of the run of bytes copied as they are */
  for (int i = 0; i < n; i++) {
    const char *entity;
    switch (text[i]) { /* Requirement 4 */
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

static const gops_function toolkit_functions[] = {
    /* Requirement 3 */
    {.name = "raise_error", .n_arg = 1, .flags = SQLITE_UTF8 | SQLITE_INNOCUOUS, .xFunc = raise_error_func},
    /* Requirement 6 */
    {.name = "html_escape", .n_arg = 1, .flags = GOPS_PURE, .xFunc = html_escape_func},
};

int gops_toolkit_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, toolkit_functions,
      (int)(sizeof(toolkit_functions) / sizeof(toolkit_functions[0])), pzErrMsg);
}
