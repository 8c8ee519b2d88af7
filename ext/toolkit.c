/*
** toolkit.c: what the SQL toolkit (schemas/, sql/) needs from C.
**
**   .load ./growthops
**   SELECT raise_error('users.csv row 7 column 新关注人数: not a number: ''x''');
**   SELECT raise_error(CASE WHEN count(*) = 0 THEN 'no rows' END) FROM t;
**
** Registers:
**   raise_error(message)  fails the statement with exactly that message;
**                         NULL gives NULL (so a CASE without ELSE is an
**                         assertion: NULL when all is well)
**
** SQLite's RAISE() takes only a literal message (before 3.48): the imports
** of sql/import/ name the file's row and column in their errors, which needs
** a message computed by the query.
**
** Requirement 1: the error text is the message, unchanged (UTF-8), but
** for a NUL byte, which would end it: each shows as \0.  An empty message
** is an error naming the argument.
** Requirement 2: NULL in, NULL out; a blob is an error naming the argument.
** Requirement 3: usable in views and triggers under trusted_schema=OFF
** (innocuous: it reads nothing but its argument); not deterministic, so that
** SQLite never evaluates it ahead of the row that asks for it.
*/
#include "growthops_internal.h"

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

static const gops_function toolkit_functions[] = {
    /* Requirement 3 */
    {.name = "raise_error", .n_arg = 1, .flags = SQLITE_UTF8 | SQLITE_INNOCUOUS, .xFunc = raise_error_func},
};

int gops_toolkit_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, toolkit_functions,
      (int)(sizeof(toolkit_functions) / sizeof(toolkit_functions[0])), pzErrMsg);
}
