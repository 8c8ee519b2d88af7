# bench/lifecycle.tcl: the weekly lifecycle, the weekly cohort table and
# the stickiness table (DAU, WAU, MAU per day; active days per week) on 1
# million users and about 10 million events over 90 days, each against
#   - SQLite's grouped scan of the same columns (goal: at most 2x its time)
#   - the best plain-SQL formulation, window functions over per-user
#     periods (goal: at least 3x faster), whose answers must be the same.
# Run by bench/lifecycle (which finds the module); not part of make check.
#
#   tclsh bench/lifecycle.tcl MODULE DBFILE [USERS [ANALYSES]]
#
# ANALYSES: some of lifecycle cohorts stickiness stickiness_weeks (all by
# default), e.g. "stickiness stickiness_weeks".
#
# The events are generated deterministically into DBFILE (kept for the
# next run): users 1..USERS, each with 1 + (a hash mod 19) events (about
# 10 on average), the first a 'register' on the user's first day (spread
# over the 90 days from 2025-01-01), the others 'view', 'login' or 'order'
# on later days, skewed towards the first weeks.  Rows are in time order,
# as a log is, with no index.
package require sqlite3

if {[lindex $argv 0] eq "--peak"} {
  lassign $argv - module dbfile sql
  sqlite3 db $dbfile -readonly 1
  db enable_load_extension 1
  db eval {SELECT load_extension($module)}
  db eval {CREATE VIRTUAL TABLE temp.sticky USING stickiness(events, user_id, ts);
           CREATE VIRTUAL TABLE temp.sticky_weeks USING stickiness(events, user_id, ts, grain = week);
           CREATE VIRTUAL TABLE temp.weekly USING lifecycle(events, user_id, ts, week)}
  db eval $sql
  set f [open /proc/self/status]
  regexp {VmHWM:\s+(\d+) kB} [read $f] -> kb
  puts [expr {$kb * 1000}]
  exit 0
}

lassign $argv module dbfile users analyses
if {$users eq ""} { set users 1000000 }
if {$analyses eq ""} { set analyses {lifecycle cohorts stickiness stickiness_weeks} }

sqlite3 db $dbfile
db enable_load_extension 1
db eval {SELECT load_extension($module)}
db eval {PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY}

set have [db one {SELECT count(*) FROM sqlite_master WHERE name = 'events'}]
if {$have && [db one {SELECT max(user_id) FROM events}] != $users} {
  db eval {DROP TABLE events}
  set have 0
}
if {!$have} {
  puts "generating $users users into $dbfile ..."
  set t0 [clock milliseconds]
  db eval {
    CREATE TABLE events(user_id INTEGER, ts INTEGER, event TEXT);
    WITH RECURSIVE
      u(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM u WHERE id < CAST($users AS INTEGER)),
      p AS (SELECT id, ((id * 2654435761) % 4294967291) % 90 AS d0,
                   1 + ((id * 2246822519 + 7) % 4294967291) % 19 AS n FROM u),
      e(id, k, d0, n) AS (
        SELECT id, 0, d0, n FROM p
        UNION ALL SELECT id, k + 1, d0, n FROM e WHERE k + 1 < n),
      h AS (SELECT id, k, d0, 90 - d0 AS span,
                   (id * 3266489917 + k * 668265263 + 374761393) % 4294967291 AS x
            FROM e)
    INSERT INTO events
    SELECT id,
           1735689600 + 86400 * (d0 + CASE WHEN k = 0 THEN 0 ELSE
             ((x / 7) % span) * ((x / 1031) % span) / span END) + (x / 65537) % 86400 AS ts,
           CASE WHEN k = 0 THEN 'register'
                WHEN (x / 9973) % 20 < 12 THEN 'view'
                WHEN (x / 9973) % 20 < 17 THEN 'login'
                ELSE 'order' END
    FROM h ORDER BY ts;
  }
  puts "generated [db one {SELECT count(*) FROM events}] events in [expr {([clock milliseconds] - $t0) / 1000.0}] s"
}

db eval {
  CREATE VIRTUAL TABLE IF NOT EXISTS temp.weekly USING lifecycle(events, user_id, ts, week);
  CREATE VIRTUAL TABLE IF NOT EXISTS temp.signups USING cohorts(events, user_id, ts, week,
    "event = 'register'", "event = 'order'");
  CREATE VIRTUAL TABLE IF NOT EXISTS temp.sticky USING stickiness(events, user_id, ts);
  CREATE VIRTUAL TABLE IF NOT EXISTS temp.sticky_weeks USING stickiness(events, user_id, ts, grain = week);
}

# The peak resident memory of a query: a fresh process (this script with
# --peak) opens the database with SQLite's default cache, runs the query
# alone and prints its VmHWM; the process's baseline (the same with SELECT
# 1) is taken off.
proc peak_bytes {sql} {
  global module dbfile
  set run [list [info nameofexecutable] [info script] --peak $module $dbfile]
  set base [exec {*}$run {SELECT 1}]
  set peak [exec {*}$run $sql]
  return [expr {$peak - $base}]
}

# CPU seconds (user + system) of this process so far, from /proc: a busy
# machine disturbs them less than wall time.
proc cpu_seconds {} {
  set f [open /proc/self/stat]
  set fields [split [lindex [split [read $f] ")"] end]]
  close $f
  # After "pid (comm)": state is field 3, utime 14 and stime 15.
  return [expr {([lindex $fields 12] + [lindex $fields 13]) / 100.0}]
}

# Runs sql once to warm the cache, then takes the best of runs; returns
# {cpu_seconds wall_seconds result}.
proc timed {sql {runs 2}} {
  set best 1e9
  set best_wall 1e9
  set result [db eval $sql]
  for {set i 0} {$i < $runs} {incr i} {
    set c0 [cpu_seconds]
    set t0 [clock microseconds]
    set result [db eval $sql]
    set t [expr {[cpu_seconds] - $c0}]
    set w [expr {([clock microseconds] - $t0) / 1e6}]
    if {$t < $best} { set best $t }
    if {$w < $best_wall} { set best_wall $w }
  }
  return [list $best $best_wall $result]
}

set grouped_lifecycle {
  SELECT count(*), sum(first_ts), sum(last_ts) FROM
    (SELECT user_id, min(ts) AS first_ts, max(ts) AS last_ts FROM events GROUP BY user_id)
}
set grouped_cohorts {
  SELECT count(*), sum(first_start), sum(last_return) FROM
    (SELECT user_id,
            min(CASE WHEN event = 'register' THEN ts END) AS first_start,
            max(CASE WHEN event = 'order' THEN ts END) AS last_return
     FROM events GROUP BY user_id)
}
# The stickiness table reads the same two columns as the lifecycle.
set grouped_stickiness $grouped_lifecycle
set grouped_stickiness_weeks $grouped_lifecycle
set ours_lifecycle {SELECT * FROM weekly}
set ours_stickiness {SELECT day, dau, wau, mau FROM sticky}
set ours_stickiness_weeks {SELECT * FROM sticky_weeks}
set ours_cohorts {
  SELECT cohort, cohort_size, period_index, users, users_on_or_after FROM signups
}
# Week ordinals: unix days + 3, over 7 (1970-01-05 was the first Monday).
set sql_lifecycle {
  WITH up AS (SELECT DISTINCT user_id AS u, (ts / 86400 + 3) / 7 AS w FROM events),
  seq AS (SELECT w, lag(w) OVER win AS prev, lead(w) OVER win AS next FROM up
          WINDOW win AS (PARTITION BY u ORDER BY w)),
  hi AS (SELECT max(w) AS hi FROM up),
  stages AS (
    SELECT w, prev IS NULL AS n, prev IS w - 1 AS r, prev IS NOT NULL AND prev < w - 1 AS s, 0 AS d FROM seq
    UNION ALL
    SELECT w + 1, 0, 0, 0, 1 FROM seq, hi WHERE (next IS NULL OR next > w + 1) AND w < hi)
  SELECT period_key((w * 7 - 3) * 86400, 'week'), sum(n), sum(r), sum(s), sum(d)
  FROM stages GROUP BY w ORDER BY w
}
set sql_cohorts {
  WITH up AS (SELECT user_id AS u, (ts / 86400 + 3) / 7 AS w,
                     max(event = 'register') AS s, max(event = 'order') AS r
              FROM events GROUP BY 1, 2),
  per AS (SELECT u, w, r, min(CASE WHEN s THEN w END) OVER (PARTITION BY u) AS c FROM up),
  back AS (SELECT c, u, w - c AS k, max(w - c) OVER (PARTITION BY u) AS last
           FROM per WHERE r AND w > c),
  sizes AS (SELECT c, count(*) AS size FROM per WHERE w = c GROUP BY c),
  span AS (SELECT max(w) AS hi FROM up),
  cells AS (SELECT c, size, 0 AS k FROM sizes
            UNION ALL SELECT c, size, k + 1 FROM cells, span WHERE c + k + 1 <= hi),
  users AS (SELECT c, k, count(*) AS n FROM back GROUP BY c, k),
  lasts AS (SELECT c, last AS k, count(DISTINCT u) AS n FROM back GROUP BY c, last),
  after AS (SELECT cells.c, cells.k, sum(lasts.n) AS n FROM cells JOIN lasts
            ON lasts.c = cells.c AND lasts.k >= cells.k GROUP BY 1, 2)
  SELECT period_key((cells.c * 7 - 3) * 86400, 'week'), cells.size, cells.k,
         CASE cells.k WHEN 0 THEN cells.size ELSE coalesce(users.n, 0) END,
         CASE cells.k WHEN 0 THEN cells.size ELSE coalesce(after.n, 0) END
  FROM cells LEFT JOIN users USING (c, k) LEFT JOIN after USING (c, k)
  ORDER BY cells.c, cells.k
}

# DAU, WAU and MAU (28 days) per day, the method of docs/lifecycle.md
# (no join that grows with the window) with the bench's unix seconds read
# as whole days by division, each user's next active day found once for
# both windows.
set sql_stickiness {
  WITH days AS (SELECT DISTINCT user_id, ts / 86400 AS d FROM events),
  nexts AS MATERIALIZED (SELECT d, lead(d) OVER (PARTITION BY user_id ORDER BY d) AS nx FROM days),
  changes AS (SELECT d, sum(a) AS dau, sum(w) AS w, sum(m) AS m FROM (
      SELECT d, 1 AS a, 1 AS w, 1 AS m FROM nexts
      UNION ALL SELECT min(coalesce(nx, d + 7), d + 7), 0, -1, 0 FROM nexts
      UNION ALL SELECT min(coalesce(nx, d + 28), d + 28), 0, 0, -1 FROM nexts) GROUP BY d),
  span AS (SELECT min(d) AS lo, max(d) AS hi FROM days),
  calendar(d) AS (SELECT lo FROM span UNION ALL SELECT d + 1 FROM calendar, span WHERE d < hi)
  SELECT date(c.d * 86400, 'unixepoch'), coalesce(ch.dau, 0),
         sum(coalesce(ch.w, 0)) OVER (ORDER BY c.d), sum(coalesce(ch.m, 0)) OVER (ORDER BY c.d)
  FROM calendar c LEFT JOIN changes ch USING (d) ORDER BY c.d
}
# Users by active days per ISO week.
set sql_stickiness_weeks {
  WITH days AS (SELECT DISTINCT user_id, ts / 86400 AS d FROM events),
  per_user AS (SELECT user_id, (d + 3) / 7 AS w, count(*) AS n FROM days GROUP BY 1, 2)
  SELECT period_key((w * 7 - 3) * 86400, 'week'), n, count(*) FROM per_user GROUP BY w, n ORDER BY w, n
}

puts "events: [db one {SELECT count(*) FROM events}], users: [db one {SELECT count(DISTINCT user_id) FROM events}]"
set failed 0
set grouped_done {}
foreach what $analyses {
  # The grouped scan of a query once measured is not measured again.
  set grouped [set grouped_$what]
  if {![dict exists $grouped_done $grouped]} {
    dict set grouped_done $grouped [timed $grouped]
  }
  lassign [dict get $grouped_done $grouped] t_grouped w_grouped -
  lassign [timed [set ours_$what]] t_ours w_ours ours
  set peak [expr {$what eq "cohorts" ? 0 : [peak_bytes [set ours_$what]]}]
  lassign [timed [set sql_$what] 1] t_sql w_sql plain
  # The plain SQL skips cohorts nobody started in: compare those it has.
  if {$what eq "cohorts"} {
    set ours [db eval "SELECT * FROM ($ours_cohorts) WHERE cohort_size > 0"]
  }
  set same [expr {$ours eq $plain}]
  if {!$same} { set failed 1 }
  puts [format "%-16s CPU s: ours %.2f, grouped scan %.2f, plain SQL %.2f (wall: %.2f, %.2f, %.2f); ours peaks at %.1f MB (resident, beyond a process that only opens the file)" \
    $what $t_ours $t_grouped $t_sql $w_ours $w_grouped $w_sql [expr {$peak / 1e6}]]
  puts [format "  ours / grouped scan = %.2f (goal <= 2); plain SQL / ours = %.1f (goal >= 3); same answer: %s" \
    [expr {$t_ours / $t_grouped}] [expr {$t_sql / $t_ours}] [expr {$same ? "yes" : "NO"}]]
}
if {"lifecycle" in $analyses} {
  puts "weekly lifecycle:"
  db eval {SELECT * FROM weekly} r {
    puts [format "  %s new %7d returning %7d resurrecting %7d dormant %7d" $r(period) $r(new) $r(returning) $r(resurrecting) $r(dormant)]
  }
}
if {"stickiness" in $analyses} {
  puts "stickiness on the last day: [db eval {SELECT * FROM sticky ORDER BY day DESC LIMIT 1}]"
}
db close
exit $failed
