#!/bin/sh
# summary.sh: adds up the test logs of the last "make check" in a build
# folder (default: here) and prints "N passed, M failed": the Tcl files'
# "x passed, y failed" lines and cmocka's "[  PASSED  ]"/"[  FAILED  ]".
dir=${1:-.}
find "$dir/tests" -name '*.log' ! -name 'test-suite.log' -exec cat {} + 2>/dev/null |
awk '
  / passed, [0-9]+ failed$/ { for (i = 1; i < NF; i++) {
      if ($(i+1) ~ /^passed,/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^\[  PASSED  \] [0-9]+ test/ { p += $4 }
  /^\[  FAILED  \] [0-9]+ test/ { f += $4 }
  END { printf "%d passed, %d failed\n", p, f }'
