# tester.tcl: a small harness for growthops' SQL tests, in the style of
# SQLite's own test files, over Tcl's "package require sqlite3".
#
#   source [file join [file dirname [info script]] tester.tcl]
#   set testprefix calendar
#   do_execsql_test 1.1 {SELECT period_key('2025-03-01', 'week')} {2025-W09}
#   do_catchsql_test 1.2 {SELECT period_key('x', 'week')} {1 {period_key(): ...}}
#   finish_test
#
# The module comes from $GROWTHOPS_MODULE (make check sets it); "db" is an
# in-memory database with growthops loaded.  finish_test prints
# "<file>: N passed, M failed" and exits non-zero on any failure.  The
# helpers the files share (read_text, load_sql, sqlite3_shell, scratch_dir,
# write_csv, write_bytes, run_import, import, python_path, workbook, names,
# added) are defined here, once.
package require sqlite3

set ::testprefix ""
set ::n_passed 0
set ::n_failed 0
set ::failed_names {}

# The source tree, as found when this file is sourced (a test may change
# its working folder afterwards).
set ::tester_top [file normalize [file join [file dirname [info script]] .. ..]]

proc module_path {} {
  if {[info exists ::env(GROWTHOPS_MODULE)]} { return $::env(GROWTHOPS_MODULE) }
  return [file join $::tester_top growthops.so]
}

proc srcdir {} {
  if {[info exists ::env(GROWTHOPS_SRCDIR)]} { return $::env(GROWTHOPS_SRCDIR) }
  return $::tester_top
}

proc builddir {} {
  if {[info exists ::env(GROWTHOPS_BUILDDIR)]} { return $::env(GROWTHOPS_BUILDDIR) }
  return [srcdir]
}

# Opens (or reopens) database "db" on FILE with growthops loaded.
proc reset_db {{file :memory:}} {
  catch {db close}
  sqlite3 db $file
  load_growthops db
}

proc load_growthops {handle} {
  $handle enable_load_extension 1
  set path [module_path]
  $handle eval {SELECT load_extension($path)}
  $handle enable_load_extension 0
}

proc test_name {name} {
  if {$::testprefix eq ""} { return $name }
  return "$::testprefix-$name"
}

proc report {name ok detail} {
  set full [test_name $name]
  if {$ok} {
    incr ::n_passed
  } else {
    incr ::n_failed
    lappend ::failed_names $full
    puts "! $full failed\n$detail"
  }
}

# What a value is written as: "integer" (100), "real" (100.0, 1e+300, Inf:
# how Tcl writes SQLite's REAL values) or "text".
proc value_kind {v} {
  if {[string is entier -strict $v]} { return integer }
  if {[string is double -strict $v]} { return real }
  return text
}

# Compares two result lists value by value: the same kind (an INTEGER 100 is
# not a REAL 100.0), and equal, or for reals within 1e-9 (relative, above 1).
proc results_match {got want} {
  if {$got eq $want} { return 1 }
  if {[llength $got] != [llength $want]} { return 0 }
  foreach g $got w $want {
    set kind [value_kind $w]
    if {[value_kind $g] ne $kind} { return 0 }
    if {$g eq $w} continue
    if {$kind eq "real"} {
      set scale [expr {max(1.0, abs($w))}]
      if {abs($g - $w) <= 1e-9 * $scale} continue
    }
    return 0
  }
  return 1
}

proc do_test {name script expected} {
  if {[catch {uplevel 1 $script} got]} {
    report $name 0 "  error: $got"
    return
  }
  report $name [results_match $got $expected] \
    "  expected: \[$expected\]\n  got:      \[$got\]"
}

proc do_execsql_test {name sql expected} {
  if {[catch {uplevel 1 [list db eval $sql]} got]} {
    report $name 0 "  sql: $sql\n  error: $got"
    return
  }
  report $name [results_match $got $expected] \
    "  sql: $sql\n  expected: \[$expected\]\n  got:      \[$got\]"
}

proc do_catchsql_test {name sql expected} {
  set rc [catch {uplevel 1 [list db eval $sql]} got]
  set result [list $rc $got]
  set ok [expr {$rc == [lindex $expected 0] &&
                [results_match [lindex $result 1] [lindex $expected 1]]}]
  report $name $ok "  sql: $sql\n  expected: \[$expected\]\n  got:      \[$result\]"
}

# The examples of a docs page, as a flat list {sql expected sql expected
# ...}: in a ```sql block, a statement ending "; -- EXPECTED" is an example
# to check (EXPECTED is "error: MESSAGE" or a list of SQL values); a
# statement without that comment is setup, with expected "".
proc doc_examples {path} {
  set f [open $path]
  fconfigure $f -encoding utf-8
  set lines [split [read $f] \n]
  close $f
  set out {}
  set in_sql 0
  set sql ""
  foreach line $lines {
    if {!$in_sql} {
      if {[string trim $line] eq "```sql"} { set in_sql 1; set sql "" }
      continue
    }
    if {[string trim $line] eq "```"} { set in_sql 0; continue }
    set at [string last "; -- " $line]
    if {$at >= 0} {
      append sql [string range $line 0 $at]
      lappend out $sql [string trim [string range $line [expr {$at + 5}] end]]
      set sql ""
      continue
    }
    append sql $line \n
    if {[string trim $sql] ne "" && [db complete $sql]} {
      lappend out $sql ""
      set sql ""
    }
  }
  return $out
}

# ---- helpers the test files share ----------------------------------------

# A file's text, read as UTF-8.
proc read_text {path} {
  set f [open $path]
  fconfigure $f -encoding utf-8
  set text [read $f]
  close $f
  return $text
}

# Runs a SQL file of the source tree (relpath below it) in "db".
proc load_sql {relpath} { db eval [read_text [file join [srcdir] $relpath]] }

# The sqlite3 shell the scripts run in: $SQLITE3_SHELL (configure found it)
# or "sqlite3" on the PATH.  Exported as $SQLITE3 too, the name the import
# script and demo.sh read.
proc sqlite3_shell {} {
  set shell sqlite3
  if {[info exists ::env(SQLITE3_SHELL)] && $::env(SQLITE3_SHELL) ne ""} {
    set shell $::env(SQLITE3_SHELL)
  }
  set ::env(SQLITE3) $shell
  return $shell
}

# An empty scratch folder NAME-test-PID in the current folder.
proc scratch_dir {name} {
  set dir [file join [pwd] $name-test-[pid]]
  file delete -force $dir
  file mkdir $dir
  return $dir
}

# Writes a CSV file NAME into $::dir as UTF-8 with LF line ends (with a
# byte-order mark if bom); returns its path.
proc write_csv {name text {bom 0}} {
  set path [file join $::dir $name]
  set f [open $path w]
  fconfigure $f -encoding utf-8 -translation lf
  if {$bom} { puts -nonewline $f "\ufeff" }
  puts -nonewline $f $text
  close $f
  return $path
}

# Writes BYTES as they are (no encoding, no line-end translation) into a
# file NAME of $::dir; returns its path.
proc write_bytes {name bytes} {
  set path [file join $::dir $name]
  set f [open $path wb]
  puts -nonewline $f $bytes
  close $f
  return $path
}

# Runs sql/import/growthops-import with ARGS as they are (options, KIND,
# DATABASE, FILE, ACCOUNT); returns {0 output} or {1 message}.
proc run_import {args} {
  set importer [file join [srcdir] sql import growthops-import]
  set rc [catch {exec sh $importer {*}$args 2>@1} out]
  regsub {\nchild process exited abnormally$} $out {} out
  return [list $rc [string trim $out]]
}

# The import of KIND on FILE into $::dbfile for the account.
proc import {kind file account} { run_import $kind $::dbfile $file $account }

# The Python the import and export commands run in: $GROWTHOPS_PYTHON, else
# Debian's (its sqlite3 loads extensions; it has the Excel libraries).
proc python_path {} {
  if {[info exists ::env(GROWTHOPS_PYTHON)] && $::env(GROWTHOPS_PYTHON) ne ""} { return $::env(GROWTHOPS_PYTHON) }
  return /usr/bin/python3
}

# Writes an Excel workbook NAME into $::dir as a platform's download is
# written: tests/sql/workbook.py with WRITER (xlsxwriter, openpyxl or xlwt)
# and SPEC, the JSON text of its sheets; returns its path.
proc workbook {writer name spec} {
  set specfile [write_bytes $name.json [encoding convertto utf-8 $spec]]
  set path [file join $::dir $name]
  exec [python_path] [file join [srcdir] tests sql workbook.py] $writer $path $specfile
  return $path
}

# The names a database handle knows, sorted, each once: WHAT is "function"
# (pragma_function_list) or "module" (pragma_module_list).
proc names {handle what} {
  $handle eval "SELECT DISTINCT name FROM pragma_${what}_list ORDER BY name"
}

# The names of the list after that are not in before, sorted.
proc added {before after} {
  set out {}
  foreach n $after { if {[lsearch -exact $before $n] < 0} { lappend out $n } }
  return [lsort $out]
}

# Skips the whole file (exit code 77 tells automake's harness).
proc skip_file {why} {
  puts "[file tail [info script]]: skipped: $why"
  exit 77
}

proc finish_test {} {
  catch {db close}
  set file [file tail $::argv0]
  puts "$file: $::n_passed passed, $::n_failed failed"
  if {$::n_failed > 0} {
    puts "failed: $::failed_names"
    exit 1
  }
  if {$::n_passed == 0} {
    puts "$file: no test ran"
    exit 1
  }
  exit 0
}

reset_db
