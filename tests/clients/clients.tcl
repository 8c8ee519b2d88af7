# clients.tcl: what the client smoke tests (tests/clients/*.test) share.
#
# Each test runs tests/clients/smoke.sql in one client (the sqlite3 shell,
# Tcl, Python, Node, sqlite-utils), which prints every row as
# "N: v1|v2|..." (see smoke.sql), and compares the lines with
# smoke.expected, one test case per expected line.  A client that is not
# installed skips the file (exit 77); CI (.ci/run) installs them all.
source [file join [file dirname [info script]] .. sql tester.tcl]

proc clients_dir {} { file join [srcdir] tests clients }

# The statements of smoke.sql, in order.
proc smoke_statements {} {
  set f [open [file join [clients_dir] smoke.sql]]
  fconfigure $f -encoding utf-8
  set out {}
  foreach line [split [read $f] \n] {
    set line [string trim $line]
    if {$line eq "" || [string match "--*" $line]} continue
    lappend out $line
  }
  close $f
  return $out
}

# Runs a command (a list), stdin from a file if given, and returns what it
# printed (stdout and stderr) read as UTF-8, prefixed "error: " when it
# failed.  ::client_status is its exit status.
proc run_client {argv {stdin ""}} {
  set redirect [expr {$stdin eq "" ? {2>@1} : [list < $stdin 2>@1]}]
  set f [open "|[concat [list {*}$argv] $redirect]" r]
  fconfigure $f -encoding utf-8
  set out [read $f]
  set ::client_status 0
  if {[catch {close $f} err opts]} {
    set code [dict get $opts -errorcode]
    set ::client_status [expr {[lindex $code 0] eq "CHILDSTATUS" ? [lindex $code 2] : 1}]
    return "error: $out$err"
  }
  return $out
}

# Compares a client's output with smoke.expected, line by line.
proc check_smoke {output} {
  set want [split [string trimright [read_text [file join [clients_dir] smoke.expected]] \n] \n]
  set got [split [string trimright $output \n] \n]
  set i 0
  foreach w $want {
    incr i
    set g [lindex $got [expr {$i - 1}]]
    report "1.$i" [expr {$g eq $w}] "  expected: \[$w\]\n  got:      \[$g\]\n  output:\n$output"
  }
  report "1.lines" [expr {[llength $got] == [llength $want]}] \
    "  expected [llength $want] lines, got [llength $got]:\n$output"
}

# Which command runs a client: $env(VAR) if set, else the first of the
# candidates that exists; "" if none.
proc find_client {var args} {
  if {[info exists ::env($var)] && $::env($var) ne ""} { return $::env($var) }
  foreach c $args {
    if {[file pathtype $c] eq "absolute"} {
      if {[file executable $c]} { return $c }
    } elseif {[set p [auto_execok $c]] ne ""} {
      return [lindex $p 0]
    }
  }
  return ""
}
