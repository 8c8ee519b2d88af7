#!/bin/sh
# valgrind.sh: the whole Tcl suite (tests/sql/*.test) under valgrind's
# memcheck.  Any memory error, or any definitely or indirectly lost byte,
# fails the file.  Run from a configured build folder after "make".
set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
export GROWTHOPS_MODULE="$build/growthops.so"
export GROWTHOPS_SRCDIR="$srcdir"
export GROWTHOPS_BUILDDIR="$build"
export SQLITE3_SHELL="${SQLITE3_SHELL:-sqlite3}"
# The tests that check other programs' arithmetic over large data (the
# schema's date check over ten thousand years, the ClickHouse comparisons)
# take a smaller share of it under valgrind, which checks growthops' memory.
export GROWTHOPS_VALGRIND=1
passed=0
failed=0
for t in "$srcdir"/tests/sql/*.test; do
  log=$(mktemp)
  valgrind --quiet --error-exitcode=97 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    tclsh "$t" >"$log" 2>&1
  rc=$?
  name=$(basename "$t")
  if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
    passed=$((passed + 1))
    echo "valgrind: $name clean$( [ $rc -eq 77 ] && echo ' (skipped)')"
  else
    failed=$((failed + 1))
    echo "valgrind: $name FAILED (exit $rc)"
    tail -40 "$log"
  fi
  rm -f "$log"
done
echo "valgrind: $passed passed, $failed failed"
[ $failed -eq 0 ]
