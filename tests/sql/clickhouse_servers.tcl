# clickhouse_servers.tcl: private ClickHouse servers on loopback for the
# tests and the bench (sourced, after tester.tcl or on its own).
#
#   ch_cluster_start N   starts N clickhouse-server processes, each with its
#                        own folder (config, data, logs) and ports under one
#                        new folder in /tmp, and one cluster, "events_cluster",
#                        of N shards (one server each) in every server's
#                        remote_servers; waits until all answer
#   ch_query I SQL       runs SQL (one or more statements) on server I (1..N)
#   ch_file I NAME K V.. runs sql/clickhouse/NAME on server I with its
#                        {K} placeholders replaced by V
#   ch_load I FILE       loads a TSV file into events through server I
#   ch_stop_all          stops every server and removes the folder
#   ch_generate_events DB TSV N   deterministic test events (below)
#   ch_create_events N   cluster.sql's tables, with a channel, on 1..N
#
# Servers run as the clickhouse user when we are root.  A watchdog stops
# them and removes the folder should the calling script die first.  Needs
# ::server_bin and ::client_bin (ch_find_programs sets them) and
# ::srcdir_path, the source tree.

proc ch_find_program {name} {
  set path [auto_execok $name]
  if {$path ne ""} { return [lindex $path 0] }
  foreach dir {/usr/sbin /usr/bin /usr/local/bin /usr/local/sbin} {
    if {[file executable [file join $dir $name]]} { return [file join $dir $name] }
  }
  return ""
}

# Returns 1 when both programs are there.
proc ch_find_programs {} {
  set ::server_bin [ch_find_program clickhouse-server]
  set ::client_bin [ch_find_program clickhouse-client]
  expr {$::server_bin ne "" && $::client_bin ne ""}
}

proc ch_free_port {} {
  set s [socket -server {apply {{c a p} {close $c}}} -myaddr 127.0.0.1 0]
  set port [lindex [fconfigure $s -sockname] 2]
  close $s
  return $port
}

proc ch_write_file {path text} {
  set f [open $path w]
  fconfigure $f -encoding utf-8
  puts -nonewline $f $text
  close $f
}

proc ch_read_file {path} {
  set f [open $path]
  fconfigure $f -encoding utf-8
  set text [read $f]
  close $f
  return $text
}

set ::ch_dir ""
set ::ch_pids {}
set ::ch_ports {}
set ::ch_watchdog ""

# The users of every server: "default" (no password, loopback only) and
# "limited", which may return at most 200 rows (for tests of a query that
# fails half way through).
set ::ch_users {<?xml version="1.0"?>
<yandex>
  <profiles>
    <default><max_memory_usage>4000000000</max_memory_usage></default>
    <limited><max_memory_usage>4000000000</max_memory_usage><max_result_rows>200</max_result_rows><result_overflow_mode>throw</result_overflow_mode></limited>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <limited>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>limited</profile>
      <quota>default</quota>
    </limited>
  </users>
  <quotas><default></default></quotas>
</yandex>
}

proc ch_cluster_start {n} {
  set dir [exec mktemp -d /tmp/growthops-clickhouse.XXXXXX]
  set ::ch_dir $dir
  set ::ch_ports {}
  set shards ""
  for {set i 1} {$i <= $n} {incr i} {
    set port [ch_free_port]
    lappend ::ch_ports $port
    append shards "      <shard><replica><host>127.0.0.1</host><port>$port</port></replica></shard>\n"
  }
  for {set i 1} {$i <= $n} {incr i} {
    set d $dir/s$i
    file mkdir $d/data
    ch_write_file $d/config.xml "<?xml version=\"1.0\"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$d/server.log</log>
    <errorlog>$d/server.err.log</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>[lindex $::ch_ports [expr {$i - 1}]]</tcp_port>
  <interserver_http_port>[ch_free_port]</interserver_http_port>
  <path>$d/data/</path>
  <tmp_path>$d/data/tmp/</tmp_path>
  <user_files_path>$d/data/user_files/</user_files_path>
  <format_schema_path>$d/data/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <remote_servers>
    <events_cluster>
$shards    </events_cluster>
  </remote_servers>
</yandex>
"
    ch_write_file $d/users.xml $::ch_users
  }
  set root [expr {[exec id -u] == 0}]
  if {$root} { exec chown -R clickhouse: $dir }
  set ::ch_pids {}
  for {set i 1} {$i <= $n} {incr i} {
    set cmd [list $::server_bin --config-file=$dir/s$i/config.xml]
    # Root: run the server as its own user, over a folder it owns.
    if {$root} { set cmd [list runuser -u clickhouse -- {*}$cmd] }
    lappend ::ch_pids [exec {*}$cmd >& $dir/s$i/console.log &]
  }
  # Should the calling script die without stopping the servers, stop them anyway.
  set ::ch_watchdog [exec sh -c "while kill -0 [pid] 2>/dev/null; do sleep 1; done
    kill $::ch_pids 2>/dev/null; i=0
    while kill -0 $::ch_pids 2>/dev/null && \[ \$i -lt 30 \]; do sleep 1; i=\$((i+1)); done
    kill -KILL $::ch_pids 2>/dev/null
    rm -rf '$dir'" &]
  for {set i 1} {$i <= $n} {incr i} {
    set up 0
    for {set t 0} {$t < 600} {incr t} {
      if {![catch {ch_query $i {SELECT 1}} got] && $got eq "1"} { set up 1; break }
      after 100
    }
    if {!$up} {
      error "clickhouse-server $i did not answer on port [ch_port $i] within 60 s: [ch_logs]"
    }
  }
}

proc ch_port {i} { lindex $::ch_ports [expr {$i - 1}] }

proc ch_logs {} {
  set out ""
  foreach f [glob -nocomplain $::ch_dir/s*/console.log $::ch_dir/s*/server.err.log] {
    append out [string range [ch_read_file $f] end-1000 end]
  }
  return $out
}

proc ch_stop_all {} {
  foreach pid $::ch_pids { catch {exec kill $pid} }
  # runuser passes the signal on; wait until every server is gone.
  for {set t 0} {$t < 300} {incr t} {
    set alive 0
    foreach pid $::ch_pids {
      if {![catch {exec kill -0 $pid}]} { set alive 1 }
    }
    if {!$alive} break
    after 100
  }
  foreach pid $::ch_pids { catch {exec kill -KILL $pid} }
  set ::ch_pids {}
  if {$::ch_watchdog ne ""} {
    catch {exec kill $::ch_watchdog}
    set ::ch_watchdog ""
  }
  if {$::ch_dir ne ""} {
    catch {file delete -force $::ch_dir}
    set ::ch_dir ""
  }
}

proc ch_query {i sql args} {
  exec $::client_bin --host 127.0.0.1 --port [ch_port $i] --multiquery {*}$args << $sql
}

# The text of a file of sql/clickhouse/ with its placeholders filled in.
proc ch_text {name args} {
  set text [ch_read_file [file join $::srcdir_path sql clickhouse $name]]
  set map {}
  foreach {key value} $args { lappend map "{$key}" $value }
  string map $map $text
}

proc ch_file {i name args} {
  ch_query $i [ch_text $name {*}$args]
}

# Loads a TSV file into events through server I: with a cluster, the
# Distributed table sends each row to its shard before the INSERT returns.
proc ch_load {i tsv} {
  if {[exec id -u] == 0} { exec chown clickhouse: $tsv }
  exec $::client_bin --host 127.0.0.1 --port [ch_port $i] --insert_distributed_sync=1 \
    --query {INSERT INTO events FORMAT TSV} < $tsv
}

# ---------------------------------------------------------------------------
# Test events, the same every run: ch_generate_events DB TSV N writes N
# users' events into DB's table events(user_id, ts, event, channel) and
# into the TSV file (for ch_load).  1 to 4 sessions a user, starting within
# 120 days of ::ch_t0 with gaps of 1 to 40 days; 1 to 12 rows a session on
# a 10-minute grid within an hour, a day or three days, in no time order;
# the channel mostly the user's own, now and then another, NULL on some.

set ::ch_t0 1733097600 ;# 2024-12-02 00:00:00 UTC, a Monday
set ::ch_seed 20250101
proc ch_rnd {n} {
  set ::ch_seed [expr {($::ch_seed * 1103515245 + 12345) % 2147483648}]
  expr {($::ch_seed >> 8) % $n}
}

# Event names with their weights (out of 20); 'share' and 'refund' are in
# no step list but one, so that other events come between the steps.
set ::ch_kinds {visit visit visit visit visit visit register register register register
                activate activate activate order order order order share share refund}
# Channels with their weights (out of 20); {} is NULL.
set ::ch_channels {wechat wechat wechat wechat wechat weibo weibo weibo weibo douyin douyin
                   douyin ground ground qq qq {} {} "group buy" "mini program"}
# Time scales of a session (in 10 minutes): an hour, a day, three days.
set ::ch_spans {7 49 433}

proc ch_generate_events {db tsv n_users} {
  set f [open $tsv w]
  fconfigure $f -translation lf -buffering full -encoding utf-8
  $db eval {BEGIN}
  for {set u 1} {$u <= $n_users} {incr u} {
    set day [ch_rnd 120]
    set home [lindex $::ch_channels [ch_rnd 20]]
    set sessions [expr {1 + [ch_rnd 4]}]
    for {set s 0} {$s < $sessions} {incr s} {
      set base [expr {$::ch_t0 + $day * 86400 + [ch_rnd 144] * 600}]
      set span [lindex $::ch_spans [ch_rnd 3]]
      set n [expr {1 + [ch_rnd 12]}]
      for {set i 0} {$i < $n} {incr i} {
        set ts [expr {$base + [ch_rnd $span] * 600}]
        set event [lindex $::ch_kinds [ch_rnd 20]]
        set channel [expr {[ch_rnd 4] ? $home : [lindex $::ch_channels [ch_rnd 20]]}]
        if {$channel eq ""} {
          $db eval {INSERT INTO events VALUES ($u, $ts, $event, NULL)}
          puts $f "$u\t$ts\t$event\t\\N"
        } else {
          $db eval {INSERT INTO events VALUES ($u, $ts, $event, $channel)}
          puts $f "$u\t$ts\t$event\t$channel"
        }
      }
      incr day [expr {1 + [ch_rnd 40]}]
    }
  }
  $db eval {COMMIT}
  close $f
}

# Creates cluster.sql's tables, with a channel column, on servers 1..N.
proc ch_create_events {n} {
  for {set i 1} {$i <= $n} {incr i} {
    ch_file $i cluster.sql cluster events_cluster
    ch_query $i {ALTER TABLE events_local ADD COLUMN channel Nullable(String);
                 ALTER TABLE events ADD COLUMN channel Nullable(String)}
  }
}
