#!/usr/bin/python3
"""bench/eventlog/run.py: the event log against the plain table it follows,
and against ClickHouse, on the funnel bench's events, in one run.

    /usr/bin/python3 bench/eventlog/run.py [--users N] [--db FILE] [--work FILE]
                                           [--module SO] [--repeat N] [--no-clickhouse]

The events are bench/funnel's (gen_events.c: 1,000,000 users and about 9.9
million events by default, built once and kept in --db).  The run copies
them to --work (a scratch file, removed at the end), builds the log there
with 'rebuild' and times, each the best of --repeat runs taken in turn:

  floor        SQLite's grouped scan of the plain table (bench/funnel's floor)
  funnel_rows  the 3-step funnel table over the plain table
  funnel_log   the same table over the log
  lc_rows/log  the weekly lifecycle table over the table / over the log
  co_rows/log  the weekly cohort table (visit as start, order as return)
  rebuild      'rebuild' of the log from the table
  append       100,000 events (1% of the events at a smaller --users),
               spread over the users, added to the table, 'append' and the funnel
               over the log right after, each time rolled back to a savepoint
               (3 times after each of the --repeat rebuilds, timed in turn
               with them) and then appended for good; then the funnel over the
               log with those events pending (timed in turn with the same
               events merged, 3 x --repeat times), and after 'optimize'

Times are CPU seconds of this process (the queries run in it), as
bench/funnel measures them; ClickHouse's are wall seconds of its own
timing (--time), its server private on loopback as bench/funnel starts it.
Sizes come from dbstat: the table with its (user_id, ts, event) index
against the log's shadow tables.  Peak memory is SQLite's high-water mark
per query and the process's peak RSS.  Every table's rows over the log are
compared with its rows over the table, at every step.

Goals (issue of the event log): funnel_log / floor <= 0.2 and funnel_log
below ClickHouse's windowFunnel; lc_log / lc_rows and co_log / co_rows <=
0.3; append and the funnel after it <= 0.1 of rebuild; the funnel with the
appended events pending <= 1.1 of the merged one; the log at most half the
size of the table and its index; every answer identical.
"""
import argparse
import importlib.util
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

spec = importlib.util.spec_from_file_location("funnel_bench",
                                              os.path.join(TOP, "bench", "funnel", "run.py"))
funnel_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(funnel_bench)

STEPS = funnel_bench.STEPS4[:3]
WINDOW = funnel_bench.WINDOW
APPEND = 100000  # at the default scale: 1% of the log, a day's worth
CYCLES = 3  # appends timed per rebuild


def tables_over(source):
    steps = "'[%s]'" % ",".join('"%s"' % s for s in STEPS)
    return [
        "CREATE VIRTUAL TABLE temp.f_%s USING funnel(%s, user_id, ts, event, %s, %d)"
        % (source, source, steps, WINDOW),
        "CREATE VIRTUAL TABLE temp.lc_%s USING lifecycle(%s, user_id, ts, week)" % (source, source),
        "CREATE VIRTUAL TABLE temp.co_%s USING cohorts(%s, user_id, ts, week, "
        "\"event = 'visit'\", \"event = 'order'\")" % (source, source),
    ]


def size_of(con, names):
    marks = ",".join("?" * len(names))
    return con.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (%s)" % marks,
                       names).fetchone()[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=1000000)
    ap.add_argument("--db", default=os.path.join(TOP, "bench", "funnel", "events.db"))
    ap.add_argument("--work", default=None, help="scratch copy (default: a temporary folder)")
    ap.add_argument("--module", default=os.path.join(TOP, "growthops.so"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-clickhouse", action="store_true")
    args = ap.parse_args()

    rows = funnel_bench.make_events(args.db, args.users)
    work = args.work or os.path.join(tempfile.mkdtemp(prefix="growthops-bench-eventlog."),
                                     "events.db")
    print("events: %d users, %d rows; copying to %s" % (args.users, rows, work), flush=True)
    shutil.copyfile(args.db, work)
    mem = funnel_bench.Memory()
    con = sqlite3.connect(work, isolation_level=None)
    try:
        return run(con, mem, args, rows, work)
    finally:
        con.close()
        os.remove(work)
        if not args.work:
            os.rmdir(os.path.dirname(work))


def run(con, mem, args, rows, work):
    n_append = min(APPEND, rows // 99)
    con.enable_load_extension(True)
    con.load_extension(os.path.abspath(args.module))
    con.enable_load_extension(False)
    con.execute("PRAGMA mmap_size = 4000000000")
    for name, in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE "
                             "'CREATE VIRTUAL TABLE%event_log%'").fetchall():
        con.execute('DROP TABLE "%s"' % name)  # a log an earlier run left in the file
    con.execute("CREATE VIRTUAL TABLE ev USING event_log(user_id, ts, event, content=events)")
    con.execute("INSERT INTO ev(ev) VALUES ('rebuild')")
    for sql in tables_over("events") + tables_over("ev"):
        con.execute(sql)

    con.execute(funnel_bench.FLOOR).fetchall()  # warm-up
    queries = {"floor": funnel_bench.FLOOR}
    for kind, table in (("funnel", "f"), ("lc", "lc"), ("co", "co")):
        queries[kind + "_rows"] = "SELECT * FROM %s_events" % table
        queries[kind + "_log"] = "SELECT * FROM %s_ev" % table
    res = funnel_bench.timed(con, mem, queries, args.repeat)

    same = {kind: res[kind + "_rows"][1] == res[kind + "_log"][1] for kind in ("funnel", "lc", "co")}

    # A day's worth of new events (1% of the log, spread over the users as
    # a day's are): every 99th row again, a day later, appended and read
    # right away.
    step = max(1, rows // n_append)
    new_rows = ("INSERT INTO events SELECT user_id, ts + 86400, event FROM events "
                "WHERE rowid %% %d = 0 LIMIT %d" % (step, n_append))
    # 'rebuild', and the append with the funnel right after it (the first
    # run after a write), timed in turn, so that a busy spell hits both:
    # each round a rebuild, then CYCLES appends, each with its new rows
    # rolled back to a savepoint (the short one more often: a busy spell
    # of a tenth of a second moves it by more than its margin).
    rebuild = append_only = append = None
    for _ in range(args.repeat):
        c = time.process_time()
        con.execute("INSERT INTO ev(ev) VALUES ('rebuild')")
        c = time.process_time() - c
        rebuild = c if rebuild is None else min(rebuild, c)
        for _ in range(CYCLES):
            con.execute("SAVEPOINT cycle")
            con.execute(new_rows)
            mem.reset()
            c = time.process_time()
            con.execute("INSERT INTO ev(ev) VALUES ('append')")
            only = time.process_time() - c
            con.execute("SELECT * FROM f_ev").fetchall()
            both = time.process_time() - c
            con.execute("ROLLBACK TO cycle")
            con.execute("RELEASE cycle")
            if append is None or both < append:
                append_only, append = only, both
    print("rebuild: %.3f s cpu" % rebuild, flush=True)
    con.execute(new_rows)
    assert con.execute("SELECT count(*) FROM ev_pending").fetchone()[0] == 0
    con.execute("INSERT INTO ev(ev) VALUES ('append')")
    after = con.execute("SELECT * FROM f_ev").fetchall()
    pending = con.execute("SELECT coalesce(sum(records), 0) FROM ev_pending").fetchone()[0]
    # The same events merged, in a second log built from the table: timed
    # in turn with the first, so that a busy spell of the machine hits both.
    con.execute("CREATE VIRTUAL TABLE ev_merged USING event_log(user_id, ts, event, content=events)")
    con.execute("INSERT INTO ev_merged(ev_merged) VALUES ('rebuild')")
    con.execute(tables_over("ev_merged")[0])
    # The two short ones in turn more often than the rest: a busy spell of
    # a tenth of a second moves their ratio by more than its margin.
    res2 = funnel_bench.timed(con, mem, {"funnel_pending": "SELECT * FROM f_ev",
                                         "funnel_merged": "SELECT * FROM f_ev_merged"},
                              3 * args.repeat)
    res2.update(funnel_bench.timed(con, mem, {"funnel_rows2": "SELECT * FROM f_events"}, 1))
    con.execute("INSERT INTO ev(ev) VALUES ('optimize')")
    res3 = funnel_bench.timed(con, mem, {"funnel_optimized": "SELECT * FROM f_ev"}, 1)
    same["append"] = after == res2["funnel_rows2"][1] == res2["funnel_pending"][1] \
        == res2["funnel_merged"][1] == res3["funnel_optimized"][1]
    for kind in ("lc", "co"):
        same[kind + " after append"] = (con.execute("SELECT * FROM %s_ev" % kind).fetchall()
                                        == con.execute("SELECT * FROM %s_events" % kind).fetchall())
    con.execute("INSERT INTO ev(ev) VALUES ('integrity-check')")
    con.execute("DROP TABLE temp.f_ev_merged")
    con.execute("DROP TABLE ev_merged")

    plain = size_of(con, ["events", "events_user_ts"])
    packed = size_of(con, ["ev_config", "ev_dict", "ev_blocks", "ev_pending", "sqlite_autoindex_ev_dict_1",
                           "sqlite_autoindex_ev_blocks_1"])
    res.update(res2)
    res.update(res3)

    ch = None
    if not args.no_clickhouse:
        ch = funnel_bench.clickhouse_bench(args.db, args.repeat)

    floor = res["floor"][0]
    print("\n%-15s %9s %9s %9s %12s  %s" % ("query", "cpu s", "x floor", "wall s", "sqlite peak",
                                            "result (first row)"))
    for name, (t, result, peak, wall) in res.items():
        print("%-15s %9.3f %9.3f %9.3f %9.2f MB  %s" % (name, t, t / floor, wall, peak / 1e6,
                                                       result[0] if result else None))
    print("rebuild         %9.3f s cpu" % rebuild)
    print("append          %9.3f s cpu (%d events, %d left pending)" % (append_only, n_append,
                                                                        pending))
    print("append+funnel   %9.3f s cpu" % append)
    print("size: table + index %.1f MB, log %.1f MB" % (plain / 1e6, packed / 1e6))
    print("process peak RSS: %.1f MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3))
    if ch:
        print("clickhouse %s: floor %.3f s wall, windowFunnel(3) %.3f s wall"
              % (ch["version"], ch["floor"][0], ch["funnel3"][0]))

    ok = True

    def goal(name, value, limit, fmt="%6.3f"):
        nonlocal ok
        met = value <= limit
        ok &= met
        print(("  %-34s " + fmt + "  (<= %s) %s") % (name, value, limit, "ok" if met else "MISSED"))

    print("\nratios (goal):")
    goal("funnel_log / floor", res["funnel_log"][0] / floor, 0.2)
    goal("lc_log / lc_rows", res["lc_log"][0] / res["lc_rows"][0], 0.3)
    goal("co_log / co_rows", res["co_log"][0] / res["co_rows"][0], 0.3)
    goal("(append + funnel) / rebuild", append / rebuild, 0.1)
    print("  %-34s %6.3f" % ("append / rebuild", append_only / rebuild))
    print("  %-34s %6.3f" % ("(append + funnel) / (rebuild + funnel)",
                             append / (rebuild + res["funnel_merged"][0])))
    print("  %-34s %6.3f" % ("funnel after append / funnel_merged",
                             (append - append_only) / res["funnel_merged"][0]))
    goal("funnel_pending / funnel_merged", res["funnel_pending"][0] / res["funnel_merged"][0], 1.1)
    goal("log size / table and index", packed / plain, 0.5)
    if ch:
        goal("funnel_log cpu / clickhouse wall", res["funnel_log"][0] / ch["funnel3"][0], 1.0)
        ch_level = ch["ordered3"][1].split("\t")
        users = [r[2] for r in res["funnel_log"][1]]
        same["clickhouse"] = [int(x) for x in ch_level[2:]] == users
    for name, value in same.items():
        ok &= value
        print("  %-34s %s" % ("same rows: " + name, "yes" if value else "NO: DIFFERENT"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
