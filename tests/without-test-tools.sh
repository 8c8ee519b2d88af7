#!/bin/sh
# without-test-tools.sh: growthops.so builds with nothing but a compiler
# and SQLite.  From a configured build folder: unpacks the distribution
# (make dist), configures it with cmocka hidden from pkg-config and TCLSH
# and SQLITE3_SHELL pointing nowhere, and checks that configure warns,
# naming each Debian package, that the module builds and loads, and that
# make check stops with configure's words.  .ci/run runs it.
set -u
build=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "without-test-tools: $1"
  [ -f "$work/log" ] && tail -20 "$work/log"
  echo "without-test-tools: 0 passed, 1 failed"
  exit 1
}

make -s dist >/dev/null 2>&1 || fail "make dist failed"
tar -C "$work" -xzf "$build"/growthops-*.tar.gz || fail "cannot unpack the distribution"
src=$(echo "$work"/growthops-*)
# pkg-config sees SQLite and nothing else.
mkdir "$work/pc"
cp "$(pkg-config --variable=pcfiledir sqlite3)/sqlite3.pc" "$work/pc/"
cd "$src" || fail "no source folder"
PKG_CONFIG_LIBDIR="$work/pc" PKG_CONFIG_PATH= TCLSH=/nowhere/tclsh \
  SQLITE3_SHELL=/nowhere/sqlite3 ./configure -q >"$work/log" 2>&1 ||
  fail "configure refused to build"
cp "$work/log" "$work/configure.log"
for words in "libcmocka-dev" "tcl libsqlite3-tcl" "apt-get install sqlite3"; do
  grep -q "WARNING: .*$words" "$work/configure.log" || fail "configure does not name '$words'"
done
make -s -j2 >"$work/log" 2>&1 || fail "the module does not build"
version=$(sqlite3 -batch :memory: ".load ./growthops" "SELECT growthops_version()" 2>&1)
[ -n "$version" ] && [ "$version" = "$(sqlite3 -batch :memory: ".load $build/growthops" "SELECT growthops_version()")" ] ||
  fail "the module does not load: $version"
make -s check >"$work/log" 2>&1 && fail "make check ran without its tools"
message="make check needs cmocka (the C unit test library), tclsh with Tcl's sqlite3 package, the sqlite3 shell; on Debian: apt-get install libcmocka-dev tcl libsqlite3-tcl sqlite3, then ./configure again"
grep -qF "$message" "$work/log" ||
  fail "make check does not say what is missing"
grep -qF "$message" "$work/configure.log" || fail "configure does not end with the same words"
echo "without-test-tools: 1 passed, 0 failed"
