/*
** growthops.c: the entry point of the growthops SQLite extension.
**
**   sqlite3> .load ./growthops
**   sqlite3> SELECT growthops_version();
**
** Loading registers every area's functions and tables (the list below)
** and two functions of its own:
**   growthops_version()  the version configure.ac declares, e.g. '0.1.0'
**   growthops_debug()    the version and the SQLite it was built for and runs on
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "config.h"
#include "table.h"

static void version_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, PACKAGE_VERSION, -1, SQLITE_STATIC);
}

static void debug_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  char *text = sqlite3_mprintf(
      "growthops %s, compiled against SQLite %s, running on SQLite %s",
      PACKAGE_VERSION, SQLITE_VERSION, sqlite3_libversion());
  if (text == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, text, -1, sqlite3_free);
}

static const gops_function own_functions[] = {
    {.name = "growthops_version", .n_arg = 0, .flags = GOPS_PURE, .xFunc = version_func},
    {.name = "growthops_debug", .n_arg = 0, .flags = SQLITE_UTF8 | SQLITE_INNOCUOUS, .xFunc = debug_func},
};

/* One line per area; each registers its own functions. */
static const gops_area_init areas[] = {
    gops_calendar_init,
    gops_charts_init,
    gops_growth_init,
    gops_funnel_init,
    gops_staffing_init,
    gops_toolkit_init,
    gops_kpi_init,
};

/* Every table, table-valued functions first (table.h). */
static const gops_table *const tables[] = {
    &gops_periods_table,
    &gops_growth_path_table,
    &gops_kpi_split_table,
    &gops_staffing_plan_table,
    &gops_funnel_stages_table,
    &gops_funnel_table,
    &gops_lifecycle_table,
    &gops_cohorts_table,
    &gops_event_log_table,
    &gops_stickiness_table,
    &gops_paths_table,
};

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int sqlite3_growthops_init(sqlite3 *db, char **pzErrMsg,
                           const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  int rc = gops_register_functions(
      db, own_functions, (int)(sizeof(own_functions) / sizeof(own_functions[0])),
      pzErrMsg);
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof(areas) / sizeof(areas[0]); i++) {
    rc = areas[i](db, pzErrMsg);
  }
  /* The tables share one state per connection: the scans in progress. */
  gops_tables *state = rc == SQLITE_OK ? gops_tables_new() : 0;
  if (rc == SQLITE_OK && state == 0) rc = SQLITE_NOMEM;
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof(tables) / sizeof(tables[0]); i++) {
    rc = gops_table_register(db, state, tables[i], pzErrMsg);
  }
  gops_tables_unref(state);
  return rc;
}
