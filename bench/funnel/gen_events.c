/*
** gen_events.c: the funnel bench's events, deterministic.
**
**   cc -O2 -o gen_events gen_events.c -lsqlite3
**   ./gen_events events.db [users]          (users: 1000000 by default)
**
** Writes a plain table events(user_id INTEGER, ts INTEGER, event TEXT) with
** an index on (user_id, ts, event), and a one-row table bench_meta saying
** what made it.  About 10 events a user over 90 days from 2025-01-01 UTC
** (ts in unix seconds):
**   - each user arrives on a day of the 90 and visits 1 to 16 times
**     (9 on average) over the following 3 weeks;
**   - 45% register, within 3 hours of one of their visits;
**   - 70% of those activate, within 2 days of registering;
**   - 80% of those order, 1 to 4 times, within 5 days of activating.
** Steps may fall after day 90: the horizon is only where users arrive.
** Rows are written per user in the order drawn, not in time order.
** The same arguments give the same file, byte for byte in its content.
*/
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define GEN_VERSION 1
#define T0 1735689600LL /* 2025-01-01 00:00:00 UTC */
#define DAY 86400LL

static uint64_t state = 0x20250101ULL;

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t next_u64(void) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* A number in [0, n). */
static int64_t below(int64_t n) { return (int64_t)(next_u64() % (uint64_t)n); }

/* True with probability pct / 100. */
static int chance(int pct) { return below(100) < pct; }

static int check(sqlite3 *db, int rc, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "gen_events: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
  return rc;
}

static sqlite3_stmt *ins;
static sqlite3 *db;
static int64_t n_rows;

static void emit(int64_t user, int64_t ts, const char *event) {
  sqlite3_bind_int64(ins, 1, user);
  sqlite3_bind_int64(ins, 2, ts);
  sqlite3_bind_text(ins, 3, event, -1, SQLITE_STATIC);
  check(db, sqlite3_step(ins), "insert");
  sqlite3_reset(ins);
  n_rows++;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: gen_events file.db [users]\n");
    return 2;
  }
  int64_t users = argc == 3 ? atoll(argv[2]) : 1000000;
  if (users < 1 || users > 100000000) {
    fprintf(stderr, "gen_events: users must be from 1 to 100000000\n");
    return 2;
  }
  remove(argv[1]);
  check(db, sqlite3_open(argv[1], &db), "open");
  check(db, sqlite3_exec(db,
    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
    "CREATE TABLE events(user_id INTEGER, ts INTEGER, event TEXT);"
    "BEGIN;", 0, 0, 0), "create");
  check(db, sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?1, ?2, ?3)", -1, &ins, 0),
        "prepare");

  for (int64_t u = 1; u <= users; u++) {
    int64_t arrive = T0 + below(90) * DAY + below(DAY);
    int64_t visits[16];
    int n_visits = 1 + (int)below(8) + (int)below(9); /* 1..16, mean 9 */
    for (int i = 0; i < n_visits; i++) {
      visits[i] = i == 0 ? arrive : arrive + below(21 * DAY);
      emit(u, visits[i], "visit");
    }
    if (!chance(45)) continue;
    int64_t reg = visits[below(n_visits)] + below(3 * 3600);
    emit(u, reg, "register");
    if (!chance(70)) continue;
    int64_t act = reg + below(2 * DAY);
    emit(u, act, "activate");
    if (!chance(80)) continue;
    int n_orders = 1 + (int)below(4);
    for (int i = 0; i < n_orders; i++) emit(u, act + below(5 * DAY), "order");
  }
  sqlite3_finalize(ins);
  check(db, sqlite3_exec(db, "COMMIT;"
    "CREATE INDEX events_user_ts ON events(user_id, ts, event);", 0, 0, 0), "index");
  char *sql = sqlite3_mprintf(
    "CREATE TABLE bench_meta(generator INTEGER, users INTEGER, rows INTEGER);"
    "INSERT INTO bench_meta VALUES (%d, %lld, %lld); ANALYZE;",
    GEN_VERSION, (long long)users, (long long)n_rows);
  check(db, sqlite3_exec(db, sql, 0, 0, 0), "meta");
  sqlite3_free(sql);
  check(db, sqlite3_close(db), "close");
  printf("gen_events: %lld users, %lld events\n", (long long)users, (long long)n_rows);
  return 0;
}
