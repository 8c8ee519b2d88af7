# bench/scale-out.tcl: when to move the events to ClickHouse, measured in
# one run on the funnel bench's events (bench/funnel/gen_events.c: 1
# million users, about 10 million events over 90 days).
#
#   tclsh bench/scale-out.tcl MODULE SRCDIR DBFILE
#
# Starts a two-shard ClickHouse cluster on loopback (the test's
# tests/sql/clickhouse_servers.tcl), moves the events there as
# docs/scale-out.md says (sqlite3 -tabs | clickhouse-client INSERT through
# the Distributed table) and times it (events a second), then times each
# analysis in SQLite with growthops and on the cluster, one after the
# other in this process, and checks that both give the same answer.
# Prints wall-clock seconds (the cluster uses both cores) and, for SQLite,
# CPU seconds of this process.  Not part of make check.
package require sqlite3

lassign $argv module srcdir dbfile
set ::srcdir_path $srcdir
source [file join $srcdir tests sql clickhouse_servers.tcl]
if {![ch_find_programs]} { puts stderr "bench/scale-out: clickhouse-server is not installed"; exit 1 }

sqlite3 db $dbfile -readonly 1
db enable_load_extension 1
db eval {SELECT load_extension($module)}
db eval {PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 4000000000}
set n_events [db one {SELECT count(*) FROM events}]
set n_users [db one {SELECT count(DISTINCT user_id) FROM events}]
puts "events: $n_events of $n_users users in $dbfile"

# CPU seconds of this process (user + system, in clock ticks of 1/100 s).
proc cpu {} {
  set f [open /proc/[pid]/stat]
  set fields [split [lindex [split [read $f] )] end]]
  close $f
  expr {([lindex $fields 12] + [lindex $fields 13]) / 100.0}
}
# Runs SCRIPT; returns {wall-seconds cpu-seconds result}.
proc timed {script} {
  set c0 [cpu]
  set t0 [clock milliseconds]
  set result [uplevel 1 $script]
  list [expr {([clock milliseconds] - $t0) / 1000.0}] [expr {[cpu] - $c0}] $result
}

set failed [catch {
  ch_cluster_start 2
  for {set i 1} {$i <= 2} {incr i} { ch_file $i cluster.sql cluster events_cluster }

  # Moving: export from SQLite, load through the Distributed table.
  set shell [expr {[info exists ::env(SQLITE3)] ? $::env(SQLITE3) : "sqlite3"}]
  set t0 [clock milliseconds]
  exec $shell -tabs $dbfile {SELECT user_id, ts, event FROM events} | \
    $::client_bin --host 127.0.0.1 --port [ch_port 1] --insert_distributed_sync=1 \
      --query {INSERT INTO events FORMAT TSV}
  set load [expr {([clock milliseconds] - $t0) / 1000.0}]
  set loaded [ch_query 1 {SELECT count() FROM events}]
  puts [format "load: %d events in %.1f s, %.0f events a second (shards: %s and %s rows)" \
          $loaded $load [expr {$loaded / $load}] \
          [ch_query 1 {SELECT count() FROM events_local}] [ch_query 2 {SELECT count() FROM events_local}]]

  set conds "event = 'visit', event = 'register', event = 'order'"
  # Each case: the SQLite query, the ClickHouse query, and which of
  # ClickHouse's columns to compare (funnel and retention: the number of
  # users per level or array, counted here after the timing).
  set cases [list \
    funnel \
      "SELECT level, count(*) FROM (SELECT window_funnel(259200, ts, $conds) AS level FROM events GROUP BY user_id) GROUP BY level ORDER BY level" \
      [ch_text funnel.sql window 259200 steps {'visit', 'register', 'order'} conditions $conds] histogram \
    retention \
      "SELECT r, count(*) FROM (SELECT retention($conds) AS r FROM events GROUP BY user_id) GROUP BY r ORDER BY r" \
      [ch_text retention.sql conditions $conds] histogram \
    lifecycle \
      {SELECT period, new, "returning", resurrecting, dormant FROM bench_lifecycle} \
      [ch_text lifecycle.sql grain week] 5 \
    cohorts \
      {SELECT cohort, cohort_size, period_index, period, users, users_on_or_after FROM bench_cohorts} \
      [ch_text cohorts.sql grain week retention first_time start_condition {event = 'register'} return_condition 1] 6 \
    stickiness \
      {WITH days AS (SELECT DISTINCT user_id, ts / 86400 AS d FROM events),
       runs AS (SELECT d, min(coalesce(lead(d) OVER (PARTITION BY user_id ORDER BY d), d + 28), d + 28) AS stop FROM days),
       changes AS (SELECT d, sum(delta) AS delta FROM (SELECT d, 1 AS delta FROM runs UNION ALL SELECT stop, -1 FROM runs) GROUP BY d),
       dau AS (SELECT d, count(*) AS dau FROM days GROUP BY d),
       calendar AS (SELECT unixepoch(key) / 86400 AS d, key AS day FROM periods((SELECT min(d) FROM days) * 86400, (SELECT max(d) FROM days) * 86400, 'day'))
       SELECT day, coalesce(dau, 0), sum(coalesce(delta, 0)) OVER (ORDER BY c.d) FROM calendar c LEFT JOIN dau USING (d) LEFT JOIN changes USING (d) ORDER BY day} \
      [ch_text stickiness.sql mau_days 28] {0 1 3} \
  ]
  db eval {CREATE VIRTUAL TABLE temp.bench_lifecycle USING lifecycle(events, user_id, ts, week)}
  db eval {CREATE VIRTUAL TABLE temp.bench_cohorts USING cohorts(events, user_id, ts, week, "event = 'register'", 1)}
  puts [format "%-10s %12s %12s %12s %14s %s" query "SQLite wall" "SQLite CPU" "cluster wall" "SQLite/cluster" "same answer"]
  foreach {name sqlite clickhouse columns} $cases {
    lassign [timed {db eval $sqlite}] s_wall s_cpu s_rows
    lassign [timed {ch_query 1 $clickhouse}] c_wall c_cpu c_text
    set c_rows {}
    if {$columns eq "histogram"} {
      set h [dict create]
      foreach line [split [string trim $c_text] \n] { dict incr h [lindex [split $line \t] 1] }
      foreach key [lsort [dict keys $h]] { lappend c_rows $key [dict get $h $key] }
    } else {
      if {[string is integer $columns]} {
        set keep {}
        for {set i 0} {$i < $columns} {incr i} { lappend keep $i }
        set columns $keep
      }
      foreach line [split [string trim $c_text] \n] {
        set fields [split $line \t]
        foreach i $columns { lappend c_rows [lindex $fields $i] }
      }
    }
    set same [expr {$s_rows eq $c_rows ? "yes" : "NO"}]
    puts [format "%-10s %12.1f %12.1f %12.1f %14.2f %s" $name $s_wall $s_cpu $c_wall [expr {$s_wall / $c_wall}] $same]
  }
} err opts]
ch_stop_all
if {$failed} { puts stderr "bench/scale-out: $err\n[dict get $opts -errorinfo]"; exit 1 }
