/*
** staffing.c: role staffing in SQL: from a target back to whole heads,
** the day each joins and the day by which each must be hired.
**
**   .load ./growthops
**   SELECT * FROM staffing_plan(50000, '2025-03-01', '2025-05-31', 150);
**   SELECT staffing_capacity(4, '2025-03-01', '2025-05-31', 150, 30);
**
** Registers:
**   staffing_plan(units, from_date, to_date, units_per_person_day
**                 [, ramp_days [, lead_days [, grain]]])
**       table: key, first_day, last_day, days, people, starting, ramping,
**              fte, capacity, cumulative, hire_by, note
**   staffing_capacity(people, from_date, to_date, units_per_person_day
**                     [, ramp_days])
**       the units a team starting on from_date delivers by to_date
**
** The arithmetic and the model are in staffing_core.h; docs/staffing.md
** works them through.
**
** Requirement 1: arguments are checked and each wrong one is an error
** naming the function and the argument: units from 0 to 1e15, people
** from 0 to 1e9, units_per_person_day above 0 and up to 1e15 (so that no
** product overflows), ramp_days and lead_days from 0 to 3650
** (lead_days whole), dates as the calendar reads them and from_date not
** after to_date, a known grain.
** Requirement 2: NULL in, NULL out: staffing_capacity() gives NULL and
** staffing_plan() no rows when a required argument is NULL; a NULL
** ramp_days, lead_days or grain of staffing_plan() means its default
** (0, 0, 'month'), as for every planning table.
** Requirement 3: the plan never falls short: its last cumulative is at
** least units, and people are whole heads (the fewest that do), all
** starting on from_date.
** Requirement 4: a ramp longer than the window still gives a plan, with
** a note on every row saying so and how many heads would do if hired
** ramp_days earlier.
** Requirement 5: both are pure; staffing_plan() is an innocuous
** eponymous table, usable in views under PRAGMA trusted_schema=OFF.
*/
#include "table.h"
#include "staffing_core.h"

/* The largest units and rate: far above any plan, and low enough that no
** product of the arithmetic overflows a double. */
#define UNITS_MAX 1e15
#define UNITS_WHAT "a number from 0 to 1e15"
#define RATE_WHAT "a positive number up to 1e15"
#define PEOPLE_WHAT "a number from 0 to 1000000000"
#define RAMP_WHAT "a number from 0 to 3650"
#define LEAD_WHAT "a whole number from 0 to 3650"

/* staffing_plan()'s arguments, in call order. */
enum { ARG_UNITS, ARG_FROM, ARG_TO, ARG_RATE, ARG_RAMP, ARG_LEAD, ARG_GRAIN };

static int given(sqlite3_value *v) {
  return v != 0 && sqlite3_value_type(v) != SQLITE_NULL;
}

/* Requirement 1: the optional arguments, each when given (Requirement 2). */
static int read_options(sqlite3_value **args, const char *fn, gops_staffing *plan,
                        gops_grain *grain, char **pzErr) {
  int rc = SQLITE_OK;
  if (given(args[ARG_RAMP])) {
    rc = gops_arg_number_within(args[ARG_RAMP], fn, ARG_RAMP, "ramp_days", 0, 0,
                                GOPS_STAFFING_DAYS_MAX, RAMP_WHAT, &plan->ramp_days, pzErr);
  }
  if (rc == SQLITE_OK && given(args[ARG_LEAD])) {
    rc = gops_arg_int64(args[ARG_LEAD], fn, ARG_LEAD, "lead_days", &plan->lead_days, pzErr);
    if (rc == SQLITE_OK &&
        (plan->lead_days < 0 || plan->lead_days > GOPS_STAFFING_DAYS_MAX)) {
      rc = gops_arg_error(args[ARG_LEAD], fn, ARG_LEAD, "lead_days", LEAD_WHAT, pzErr);
    }
  }
  if (rc == SQLITE_OK && given(args[ARG_GRAIN])) {
    rc = gops_arg_grain(args[ARG_GRAIN], fn, ARG_GRAIN, "grain", grain, pzErr);
  }
  return rc;
}

static int plan_compute(const gops_scan *scan, gops_rows *rows, char **pzErr) {
  static const char fn[] = "staffing_plan";
  sqlite3_value **args = scan->args;
  /* Requirement 2. */
  if (gops_any_null(args, 4)) return SQLITE_OK;

  gops_staffing plan = {0};
  gops_grain grain = GOPS_GRAIN_MONTH;
  int rc = gops_arg_number_within(args[ARG_UNITS], fn, ARG_UNITS, "units", 0, 0,
                                  UNITS_MAX, UNITS_WHAT, &plan.units, pzErr);
  if (rc == SQLITE_OK)
    rc = gops_arg_day(args[ARG_FROM], fn, ARG_FROM, "from_date", &plan.from, pzErr);
  if (rc == SQLITE_OK)
    rc = gops_arg_day(args[ARG_TO], fn, ARG_TO, "to_date", &plan.to, pzErr);
  if (rc == SQLITE_OK)
    rc = gops_arg_number_within(args[ARG_RATE], fn, ARG_RATE, "units_per_person_day", 0,
                                1, UNITS_MAX, RATE_WHAT, &plan.rate, pzErr);
  if (rc == SQLITE_OK) rc = read_options(args, fn, &plan, &grain, pzErr);
  if (rc == SQLITE_OK) rc = gops_check_dates(plan.from, plan.to, fn, ARG_FROM, pzErr);
  if (rc == SQLITE_OK) rc = gops_check_periods(plan.from, plan.to, grain, fn, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (plan.from - plan.lead_days < GOPS_DAY_MIN) {
    return gops_errorf(pzErr,
                       "%s(): 6th argument (lead_days) puts the hire-by date before 0000-01-01",
                       fn);
  }
  /* Requirement 3 (the core settles whole heads on what it reports). */
  if (gops_staffing_solve(&plan) != 0) {
    return gops_errorf(pzErr, "%s(): the plan needs more than %d people", fn,
                       GOPS_STAFFING_PEOPLE_MAX);
  }
  /* Requirement 4. */
  char note[GOPS_STAFFING_NOTE_SIZE];
  int has_note = gops_staffing_note(&plan, note, sizeof(note));

  gops_staffing_row row;
  int64_t cursor = plan.from;
  while (gops_staffing_next(&plan, grain, &cursor, &row)) {
    gops_rows_text(rows, row.period.key, -1);
    gops_rows_day(rows, row.period.first_day);
    gops_rows_day(rows, row.period.last_day);
    gops_rows_int(rows, row.period.days);
    gops_rows_int(rows, row.people);
    gops_rows_int(rows, row.starting);
    gops_rows_int(rows, row.ramping);
    gops_rows_double(rows, plan.fte);
    gops_rows_double(rows, row.capacity);
    gops_rows_double(rows, row.cumulative);
    if (row.has_hire_by) gops_rows_day(rows, row.hire_by);
    else gops_rows_null(rows);
    if (has_note) gops_rows_text(rows, note, -1);
    else gops_rows_null(rows);
  }
  return gops_rows_status(rows);
}

const gops_table gops_staffing_plan_table = {
    .name = "staffing_plan",
    .columns = "key TEXT, first_day TEXT, last_day TEXT, days INTEGER, "
               "people INTEGER, starting INTEGER, ramping INTEGER, fte REAL, "
               "capacity REAL, cumulative REAL, hire_by TEXT, note TEXT",
    .args = {"units", "from_date", "to_date", "units_per_person_day", "ramp_days",
             "lead_days", "grain"},
    .n_required = 4,
    .compute = plan_compute,
};

static void capacity_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char fn[] = "staffing_capacity";
  /* Requirement 2: here NULL ramp_days is NULL out, as for any scalar. */
  if (gops_any_null(argv, argc)) return;
  double people, rate, ramp = 0;
  int64_t from, to;
  char *err = 0;
  int rc = gops_arg_number_within(argv[0], fn, 0, "people", 0, 0, GOPS_STAFFING_PEOPLE_MAX,
                                  PEOPLE_WHAT, &people, &err);
  if (rc == SQLITE_OK) rc = gops_arg_day(argv[1], fn, 1, "from_date", &from, &err);
  if (rc == SQLITE_OK) rc = gops_arg_day(argv[2], fn, 2, "to_date", &to, &err);
  if (rc == SQLITE_OK)
    rc = gops_arg_number_within(argv[3], fn, 3, "units_per_person_day", 0, 1, UNITS_MAX,
                                RATE_WHAT, &rate, &err);
  if (rc == SQLITE_OK && argc > 4)
    rc = gops_arg_number_within(argv[4], fn, 4, "ramp_days", 0, 0, GOPS_STAFFING_DAYS_MAX,
                                RAMP_WHAT, &ramp, &err);
  if (rc == SQLITE_OK) rc = gops_check_dates(from, to, fn, 1, &err);
  if (rc != SQLITE_OK) {
    gops_result_error_take(ctx, err);
    return;
  }
  gops_result_double(ctx, gops_staffing_capacity(people, from, to, rate, ramp));
}

static const gops_function staffing_functions[] = {
    {.name = "staffing_capacity", .n_arg = 4, .flags = GOPS_PURE, .xFunc = capacity_func},
    {.name = "staffing_capacity", .n_arg = 5, .flags = GOPS_PURE, .xFunc = capacity_func},
};

int gops_staffing_init(sqlite3 *db, char **pzErrMsg) {
  return gops_register_functions(
      db, staffing_functions,
      (int)(sizeof(staffing_functions) / sizeof(staffing_functions[0])), pzErrMsg);
}
