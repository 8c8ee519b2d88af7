#!/usr/bin/python3
"""bench/funnel/run.py: window_funnel() and retention() against SQLite's own
floor, against the exact pure-SQL funnel, and against ClickHouse; the paths
table and the funnel table's options against their floors and plain SQL.

    /usr/bin/python3 bench/funnel/run.py [--users N] [--db FILE] [--module SO]
                                         [--repeat N] [--no-sql] [--no-clickhouse]
                                         [--no-tables]

Everything runs in one process, on one table made by gen_events.c
(1,000,000 users, about 10 million events, built once and kept in --db):

  floor      SELECT user_id, count(*), min(ts), min(event) FROM events GROUP BY user_id
  funnel3/4  SELECT user_id, window_funnel(W, ts, event = 'visit', ...) FROM events GROUP BY user_id
  sql3/4     the exact pure-SQL funnel: for each step-1 event, the earliest
             step 2 within the window, then the earliest step 3, ...
  retention3 SELECT user_id, retention(event = 'visit', event = 'activate', event = 'order') ...

Times are CPU seconds of this process (user + system, the query runs in
it, single-threaded, reading the file through mmap), which other work on
the machine disturbs far less than wall-clock time; wall-clock seconds are
printed beside them.  Each query is wrapped in a small outer aggregate (count, sums, the funnel's
shape) so that no time goes to handing a million rows to Python; the same
outer sums check that window_funnel and the SQL give the same levels (a
weighted sum over user ids, so a single user off shows).  Times are the best
of --repeat runs, taken in turn (the SQL runs once), after one warm-up scan.  Peak memory is
SQLite's own high-water mark (sqlite3_status64, MEMORY_USED, reset before
each query: the page cache and every sqlite3_malloc of the aggregate),
and the process's peak RSS.  Where clickhouse-server is installed, a private
server on loopback gets the same events and times windowFunnel.

Goals: funnel3 / floor <= 1.25, retention3 / floor <= 1.25, sql3 / funnel3
>= 4 and sql4 / funnel4 above that; the paths table at most 2x the floor
and at least 3x faster than its plain SQL, with the same paths.  The
funnel table's options are measured against the floor (with a breakdown,
the floor of the view it reads), and the table's answers checked against
window_funnel() and the SQL of a breakdown over it.
"""
import argparse
import ctypes
import ctypes.util
import os
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
GEN_VERSION = 1
WINDOW = 3 * 86400
STEPS4 = ["visit", "register", "activate", "order"]


def conditions(steps):
    return ", ".join("event = '%s'" % s for s in steps)


def funnel_sql(steps):
    return ("SELECT user_id, window_funnel(%d, ts, %s) AS level FROM events GROUP BY user_id"
            % (WINDOW, conditions(steps)))


def pure_sql(steps):
    """The exact funnel in plain SQL: chains from every step-1 event, each
    next step the earliest one at or after the previous step and within the
    window of the first; a user's level is the deepest chain (0 if none)."""
    ctes = ["s1 AS (SELECT user_id, ts AS t1 FROM events WHERE event = '%s')" % steps[0]]
    cols = "user_id, t1"
    for k in range(2, len(steps) + 1):
        prev = "t%d" % (k - 1)
        ctes.append(
            "s%d AS (SELECT %s, (SELECT min(e.ts) FROM events e WHERE e.user_id = s%d.user_id"
            " AND e.ts >= s%d.%s AND e.ts <= s%d.t1 + %d AND e.event = '%s') AS t%d FROM s%d)"
            % (k, cols, k - 1, k - 1, prev, k - 1, WINDOW, steps[k - 1], k, k - 1))
        cols += ", t%d" % k
    depth = " + ".join(["1"] + ["(t%d IS NOT NULL)" % k for k in range(2, len(steps) + 1)])
    ctes.append("chains AS (SELECT user_id, max(%s) AS level FROM s%d GROUP BY user_id)"
                % (depth, len(steps)))
    return ("WITH " + ",\n  ".join(ctes) +
            "\nSELECT u.user_id, coalesce(c.level, 0) AS level"
            " FROM (SELECT DISTINCT user_id FROM events) u LEFT JOIN chains c USING (user_id)")


def funnel_wrap(q, n):
    shape = ", ".join("sum(level >= %d)" % k for k in range(1, n + 1))
    return ("SELECT count(*), sum(level * (user_id %% 1000003)), %s FROM (%s)" % (shape, q))


FLOOR = ("SELECT count(*), sum(n), max(t), max(e) FROM (SELECT user_id, count(*) AS n,"
         " min(ts) AS t, min(event) AS e FROM events GROUP BY user_id)")

# --- the tables over the events: paths and the funnel table's options ---
#
# Each against the floor of the columns it reads and the best plain SQL
# we found for its answer, the answers compared.  The breakdown reads a
# channel, a view over the events (a property of each event, changing
# within a user); its floor reads the same view.
TABLES_SETUP = [
    "CREATE TEMP VIEW ev_channel AS SELECT user_id, ts, event,"
    " 'c' || ((user_id + ts / 86400) % 7) AS channel FROM events",
    "CREATE VIRTUAL TABLE temp.after_register USING paths(events, user_id, ts, event,"
    " '[\"register\"]', depth = 3)",
    "CREATE VIRTUAL TABLE temp.funnel3 USING funnel(events, user_id, ts, event,"
    " '[\"visit\",\"register\",\"activate\"]', %d)" % WINDOW,
    "CREATE VIRTUAL TABLE temp.funnel3_weekly USING funnel(events, user_id, ts, event,"
    " '[\"visit\",\"register\",\"activate\"]', %d, trend = week)" % WINDOW,
    "CREATE VIRTUAL TABLE temp.funnel3_excluding USING funnel(events, user_id, ts, event,"
    " '[\"visit\",\"register\",\"activate\"]', %d, exclude = '[[\"order\", 1, 3]]')" % WINDOW,
    "CREATE VIRTUAL TABLE temp.funnel3_channel USING funnel(ev_channel, user_id, ts, event,"
    " '[\"visit\",\"register\",\"activate\"]', %d, breakdown = channel)" % WINDOW,
]
FLOOR_CHANNEL = ("SELECT count(*), sum(n), max(t), max(e), max(c) FROM (SELECT user_id, count(*) AS n,"
                 " min(ts) AS t, min(event) AS e, min(channel) AS c FROM ev_channel GROUP BY user_id)")
PATHS = "SELECT path, users FROM after_register"
# The next three events after each user's first register, in plain SQL:
# the user's events numbered in time order (by name at the same second),
# the first register's number, the three after it.
PATHS_SQL = """
WITH r AS MATERIALIZED (SELECT user_id, event,
       row_number() OVER (PARTITION BY user_id ORDER BY ts, event) AS n FROM events),
b AS (SELECT user_id, min(n) AS n0 FROM r WHERE event = 'register' GROUP BY user_id),
p AS (SELECT user_id, json_group_array(event) FILTER (WHERE event IS NOT NULL) AS path
      FROM (SELECT b.user_id, r.event FROM b LEFT JOIN r
              ON r.user_id = b.user_id AND r.n BETWEEN b.n0 + 1 AND b.n0 + 3
            ORDER BY b.user_id, r.n) GROUP BY user_id)
SELECT path, count(*) AS users FROM p GROUP BY path ORDER BY users DESC, path"""
FUNNEL_TABLE = "SELECT step, users, median_seconds FROM funnel3"
# The funnel table's users per step from window_funnel() per user (the
# medians are the table's own: they are compared through window_funnel_times
# where the chains agree, in the tests).
FUNNEL_TABLE_SQL = ("SELECT s.step, (SELECT count(*) FROM levels WHERE level >= s.step) FROM"
                    " (SELECT 1 AS step UNION ALL SELECT 2 UNION ALL SELECT 3) s")
TREND = "SELECT period, step, users FROM funnel3_weekly"
EXCLUDING = "SELECT step, users FROM funnel3_excluding"
CHANNEL = "SELECT value, step, users FROM funnel3_channel"
# The breakdown by the channel of each user's first visit, in SQL over
# window_funnel() (clickhouse_cluster.test's check): the top 10 values.
CHANNEL_SQL = """
WITH levels AS (SELECT user_id, window_funnel(%d, ts, event = 'visit', event = 'register', event = 'activate') AS level
                FROM ev_channel GROUP BY user_id),
touches AS (SELECT user_id, channel, row_number() OVER (PARTITION BY user_id ORDER BY ts, channel) AS n
            FROM ev_channel WHERE event = 'visit'),
entrants AS (SELECT l.user_id, l.level, t.channel FROM levels l JOIN touches t
             ON t.user_id = l.user_id AND t.n = 1 WHERE l.level >= 1),
ranked AS (SELECT channel, row_number() OVER (ORDER BY count(*) DESC, channel) AS position
           FROM entrants WHERE channel IS NOT NULL GROUP BY channel),
labelled AS (SELECT e.level, CASE WHEN e.channel IS NULL THEN '(none)'
                                  WHEN r.position <= 10 THEN e.channel ELSE 'other' END AS value,
                    coalesce(r.position, 1000) AS position
             FROM entrants e LEFT JOIN ranked r ON r.channel = e.channel),
steps(step) AS (VALUES (1), (2), (3))
SELECT value, step, (SELECT count(*) FROM labelled l WHERE l.value = v.value AND l.level >= step)
FROM (SELECT value, min(position) AS position FROM labelled GROUP BY value) v, steps
ORDER BY v.position, step""" % WINDOW
RETENTION = ("SELECT count(*), sum(r = '[1,1,1]'), max(r), min(r) FROM (SELECT user_id,"
             " retention(event = 'visit', event = 'activate', event = 'order') AS r"
             " FROM events GROUP BY user_id)")


class Memory:
    """SQLite's MEMORY_USED high-water mark, through the same libsqlite3
    that Python's sqlite3 module uses."""

    def __init__(self):
        self.lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
        self.lib.sqlite3_status64.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_int64),
                                              ctypes.POINTER(ctypes.c_int64), ctypes.c_int]

    def reset(self):
        cur, hi = ctypes.c_int64(), ctypes.c_int64()
        self.lib.sqlite3_status64(0, ctypes.byref(cur), ctypes.byref(hi), 1)

    def highwater(self):
        cur, hi = ctypes.c_int64(), ctypes.c_int64()
        self.lib.sqlite3_status64(0, ctypes.byref(cur), ctypes.byref(hi), 0)
        return hi.value


def make_events(path, users):
    if os.path.exists(path):
        try:
            con = sqlite3.connect(path)
            meta = con.execute("SELECT generator, users, rows FROM bench_meta").fetchone()
            con.close()
            if meta[0] == GEN_VERSION and meta[1] == users:
                return meta[2]
        except sqlite3.Error:
            pass
    gen = os.path.join(os.path.dirname(path) or ".", "gen_events")
    subprocess.run(["cc", "-O2", "-o", gen, os.path.join(HERE, "gen_events.c"), "-lsqlite3"],
                   check=True)
    print("generating %s (%d users) ..." % (path, users), flush=True)
    t = time.perf_counter()
    subprocess.run([gen, path, str(users)], check=True)
    print("  %.1f s" % (time.perf_counter() - t), flush=True)
    con = sqlite3.connect(path)
    rows = con.execute("SELECT rows FROM bench_meta").fetchone()[0]
    con.close()
    return rows


def timed(con, mem, queries, repeat):
    """Runs QUERIES ({name: sql}) round-robin REPEAT times, so that a busy
    spell of the machine hits them all alike.  Gives {name: (best CPU
    seconds, result, SQLite's memory high-water mark, best wall seconds)}."""
    out = {}
    for _ in range(repeat):
        for name, sql in queries.items():
            mem.reset()
            c, t = time.process_time(), time.perf_counter()
            result = con.execute(sql).fetchall()
            c, t = time.process_time() - c, time.perf_counter() - t
            peak = mem.highwater()
            if name in out:
                oc, _, op, ow = out[name]
                c, t, peak = min(c, oc), min(t, ow), max(peak, op)
            out[name] = (c, result, peak, t)
    return out


# --- ClickHouse ------------------------------------------------------------

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ClickHouse:
    def __init__(self, server, client):
        self.client = client
        self.dir = tempfile.mkdtemp(prefix="growthops-bench-clickhouse.")
        self.port = free_port()
        d = self.dir
        with open(os.path.join(d, "config.xml"), "w") as f:
            f.write("""<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>%s/server.log</log><errorlog>%s/server.err.log</errorlog>
    <size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>%d</tcp_port>
  <path>%s/data/</path>
  <tmp_path>%s/data/tmp/</tmp_path>
  <user_files_path>%s/data/user_files/</user_files_path>
  <format_schema_path>%s/data/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
</yandex>
""" % (d, d, self.port, d, d, d, d))
        with open(os.path.join(d, "users.xml"), "w") as f:
            f.write("""<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>8000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
""")
        cmd = [server, "--config-file=" + os.path.join(d, "config.xml")]
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "clickhouse:", d], check=True)
            cmd = ["runuser", "-u", "clickhouse", "--"] + cmd
        env = dict(os.environ)
        env.pop("LD_PRELOAD", None)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env=env)
        for _ in range(300):
            if self.query("SELECT 1", check=False) == "1":
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("clickhouse-server did not answer")

    def query(self, sql, check=True, stdin=None, timing=False):
        cmd = [self.client, "--host", "127.0.0.1", "--port", str(self.port), "--query", sql]
        if timing:
            cmd.append("--time")
        r = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True)
        if r.returncode != 0:
            if check:
                raise RuntimeError("clickhouse: %s" % r.stderr.strip()[:500])
            return None
        if timing:
            return r.stdout.strip(), float(r.stderr.strip().splitlines()[-1])
        return r.stdout.strip()

    def best(self, sql, repeat):
        times, out = [], None
        for _ in range(repeat):
            out, t = self.query(sql, timing=True)
            times.append(t)
        return min(times), out

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def clickhouse_bench(db, repeat):
    server = shutil.which("clickhouse-server") or (
        "/usr/sbin/clickhouse-server" if os.path.exists("/usr/sbin/clickhouse-server") else None)
    client = shutil.which("clickhouse-client")
    if not server or not client:
        print("clickhouse: not installed, skipped")
        return None
    ch = ClickHouse(server, client)
    try:
        with open(os.path.join(TOP, "sql", "clickhouse", "events.sql")) as f:
            ch.query(f.read().strip().rstrip(";"))
        t = time.perf_counter()
        dump = subprocess.Popen(["sqlite3", "-readonly", "-tabs", db,
                                 "SELECT user_id, ts, event FROM events"], stdout=subprocess.PIPE)
        ch.query("INSERT INTO events FORMAT TSV", stdin=dump.stdout)
        dump.wait()
        ch.query("OPTIMIZE TABLE events FINAL")
        load = time.perf_counter() - t
        out = {"load": load, "version": ch.query("SELECT version()")}
        out["floor"] = ch.best("SELECT count(), sum(n), max(t), max(e) FROM (SELECT user_id,"
                               " count() AS n, min(ts) AS t, min(event) AS e FROM events"
                               " GROUP BY user_id)", repeat)
        for n in (3, 4):
            q = ("SELECT user_id, windowFunnel(%d)(ts, %s) AS level FROM events GROUP BY user_id"
                 % (WINDOW, conditions(STEPS4[:n])))
            shape = ", ".join("sum(level >= %d)" % k for k in range(1, n + 1))
            out["funnel%d" % n] = ch.best(
                "SELECT count(), sum(level * (user_id %% 1000003)), %s FROM (%s)" % (shape, q),
                repeat)
        with open(os.path.join(TOP, "sql", "clickhouse", "funnel.sql")) as f:
            shipped = f.read().replace("{window}", str(WINDOW)).replace(
                "{steps}", ", ".join("'%s'" % s for s in STEPS4[:3])).replace(
                "{conditions}", conditions(STEPS4[:3]))
        body = shipped[shipped.index("SELECT user_id, windowFunnel"):shipped.index("ORDER BY user_id\nSETTINGS")]
        out["ordered3"] = ch.best(
            "SELECT count(), sum(level * (user_id % 1000003)), sum(level >= 1), sum(level >= 2),"
            " sum(level >= 3) FROM (" + body + ") SETTINGS max_threads = 1", 1)
        out["retention3"] = ch.best(
            "SELECT count(), sum(r = [1,1,1]), max(r), min(r) FROM (SELECT user_id,"
            " retention(event = 'visit', event = 'activate', event = 'order') AS r"
            " FROM events GROUP BY user_id)", repeat)
        return out
    finally:
        ch.stop()


def tables_bench(con, mem, repeat, no_sql):
    """The paths table and the funnel table (plain, by week, with an
    exclusion, by channel) against their floors and their plain SQL."""
    res = timed(con, mem, {"floor_channel": FLOOR_CHANNEL, "paths": PATHS,
                           "funnel_table": FUNNEL_TABLE, "funnel_trend": TREND,
                           "funnel_exclude": EXCLUDING, "funnel_channel": CHANNEL}, repeat)
    if not no_sql:
        res.update(timed(con, mem, {"paths_sql": PATHS_SQL, "channel_sql": CHANNEL_SQL}, 1))
        res["funnel_table_sql"] = (0, con.execute(FUNNEL_TABLE_SQL).fetchall(), 0, 0)
    return res


def tables_report(res, floor):
    floor_channel = res["floor_channel"][0]
    print("\n%-15s %9s %9s %9s %12s  %s" % ("table", "cpu s", "x floor", "wall s", "sqlite peak",
                                            "rows"))
    for name in ("floor_channel", "paths", "paths_sql", "funnel_table", "funnel_trend",
                 "funnel_exclude", "funnel_channel", "channel_sql"):
        if name not in res:
            continue
        t, result, peak, wall = res[name]
        base = floor_channel if name in ("funnel_channel", "channel_sql") else floor
        print("%-15s %9.3f %9.2f %9.3f %9.2f MB  %d" % (name, t, t / base, wall, peak / 1e6,
                                                      len(result)))
    ok = True
    r = res["paths"][0] / floor
    ok &= r <= 2
    print("  %-30s %6.2f  (<= 2) %s" % ("paths / floor", r, "ok" if r <= 2 else "MISSED"))
    if "paths_sql" in res:
        same = [tuple(x) for x in res["paths"][1]] == [tuple(x) for x in res["paths_sql"][1]]
        r = res["paths_sql"][0] / res["paths"][0]
        ok &= same and r >= 3
        print("  %-30s %6.2f  (>= 3) %s; same paths: %s" % (
            "paths SQL / paths", r, "ok" if r >= 3 else "MISSED", "yes" if same else "NO"))
        same = [tuple(x[:2]) for x in res["funnel_table"][1]] == res["funnel_table_sql"][1]
        ok &= same
        print("  funnel table's users == window_funnel's levels: %s" % ("yes" if same else "NO"))
        same = res["funnel_channel"][1] == res["channel_sql"][1]
        r = res["channel_sql"][0] / res["funnel_channel"][0]
        ok &= same
        print("  %-30s %6.2f  same rows: %s" % ("breakdown SQL / breakdown", r,
                                                 "yes" if same else "NO"))
    for name in ("funnel_table", "funnel_trend", "funnel_exclude"):
        print("  %-30s %6.2f" % (name + " / floor", res[name][0] / floor))
    print("  %-30s %6.2f" % ("funnel_channel / its floor", res["funnel_channel"][0] / floor_channel))
    return ok


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=1000000)
    ap.add_argument("--db", default=os.path.join(TOP, "bench", "funnel", "events.db"))
    ap.add_argument("--module", default=os.path.join(TOP, "growthops.so"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-sql", action="store_true", help="skip the pure-SQL funnels")
    ap.add_argument("--no-clickhouse", action="store_true")
    ap.add_argument("--no-tables", action="store_true", help="skip the paths and funnel tables")
    args = ap.parse_args()

    rows = make_events(args.db, args.users)
    print("events: %d users, %d rows, window %d s" % (args.users, rows, WINDOW))
    mem = Memory()
    con = sqlite3.connect(args.db)
    con.enable_load_extension(True)
    con.load_extension(os.path.abspath(args.module))
    con.enable_load_extension(False)
    if not args.no_tables:
        # The tables and the temp table of levels, before the connection
        # becomes read-only.
        for sql in TABLES_SETUP:
            con.execute(sql)
        if not args.no_sql:
            con.execute("CREATE TEMP TABLE levels AS " + funnel_sql(STEPS4[:3]))
    con.execute("PRAGMA query_only = 1")
    con.execute("PRAGMA mmap_size = 4000000000")
    print("sqlite %s, plan: %s" % (sqlite3.sqlite_version, "; ".join(
        r[3] for r in con.execute("EXPLAIN QUERY PLAN " + funnel_sql(STEPS4[:3])))))

    con.execute(FLOOR).fetchall()  # warm-up
    res = timed(con, mem, {
        "floor": FLOOR,
        "funnel3": funnel_wrap(funnel_sql(STEPS4[:3]), 3),
        "funnel4": funnel_wrap(funnel_sql(STEPS4[:4]), 4),
        "retention3": RETENTION}, args.repeat)
    if not args.no_sql:
        res.update(timed(con, mem, {"sql%d" % n: funnel_wrap(pure_sql(STEPS4[:n]), n)
                                    for n in (3, 4)}, 1))
    tables = None
    if not args.no_tables:
        tables = tables_bench(con, mem, args.repeat, args.no_sql)
    con.close()

    floor = res["floor"][0]
    print("\n%-11s %9s %9s %9s %12s  %s" % ("query", "cpu s", "x floor", "wall s", "sqlite peak",
                                            "result"))
    for name, (t, result, peak, wall) in res.items():
        print("%-11s %9.3f %9.2f %9.3f %9.2f MB  %s" % (name, t, t / floor, wall, peak / 1e6,
                                                     result[0]))
    print("process peak RSS: %.1f MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3))

    ok = True
    print("\nratios (goal):")
    for name in ("funnel3", "retention3"):
        r = res[name][0] / floor
        ok &= r <= 1.25
        print("  %-24s %6.3f  (<= 1.25) %s" % (name + " / floor", r, "ok" if r <= 1.25 else "MISSED"))
    if not args.no_sql:
        for n in (3, 4):
            same = res["sql%d" % n][1] == res["funnel%d" % n][1]
            ok &= same
            print("  sql%d levels == funnel%d   %s" % (n, n, "yes" if same else "NO: DIFFERENT"))
        r3 = res["sql3"][0] / res["funnel3"][0]
        r4 = res["sql4"][0] / res["funnel4"][0]
        print("  %-24s %6.2f  (>= 4) %s" % ("sql3 / funnel3", r3, "ok" if r3 >= 4 else "MISSED"))
        print("  %-24s %6.2f  (> sql3 / funnel3) %s" % ("sql4 / funnel4", r4,
                                                        "ok" if r4 > r3 else "MISSED"))
        ok &= r3 >= 4 and r4 > r3

    if tables:
        ok &= tables_report(tables, floor)

    if not args.no_clickhouse:
        ch = clickhouse_bench(args.db, args.repeat)
        if ch:
            print("\nclickhouse %s (load %.1f s):" % (ch["version"], ch["load"]))
            for name in ("floor", "funnel3", "funnel4", "retention3"):
                t, out = ch[name]
                same = ""
                if name.startswith("funnel"):
                    ours = "\t".join(str(v) for v in res[name][1][0])
                    same = "same levels" if ours == out else (
                        "levels differ (18.16 breaks same-second ties by arrival): " + out)
                print("  %-11s %9.3f s wall   sqlite wall / clickhouse %6.2f  %s"
                      % (name, t, res[name][3] / t, same))
            t, out = ch["ordered3"]
            ours = "\t".join(str(v) for v in res["funnel3"][1][0])
            print("  %-11s %9.3f s wall   (sql/clickhouse/funnel.sql as shipped, 3 steps) %s"
                  % ("ordered3", t, "same levels" if ours == out else "levels differ: " + out))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
