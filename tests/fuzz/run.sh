#!/bin/sh
# run.sh [SECONDS [SEED]]: builds the libFuzzer harness with ASan and UBSan
# (clang and libfuzzer-14-dev) and fuzzes every growthops function and table
# for SECONDS (default 60), starting from the seed corpus in
# tests/fuzz/corpus.  SEED (libFuzzer's -seed, default: one drawn at start,
# printed as "INFO: Seed:") makes a run's random choices those of an
# earlier run.  New inputs go to a scratch folder; crashes are written to
# fuzz-crash-* in the build folder.
# Run from a configured build folder (config.h is read from there).
set -eu
seconds=${1:-60}
seed=${2:+-seed=$2}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
build=$(pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
CLANG=${CLANG:-clang}
sqlite_cflags=$(pkg-config --cflags sqlite3)
sqlite_libs=$(pkg-config --libs sqlite3)

$CLANG -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$build" -I"$srcdir/ext" -I"$srcdir/ext/core" -I"$srcdir/ext/table" $sqlite_cflags \
  "$srcdir"/ext/*.c "$srcdir"/ext/core/*.c "$srcdir"/ext/table/*.c \
  "$srcdir/tests/fuzz/fuzz_sql.c" \
  $sqlite_libs -lm -o "$out/fuzz_sql"

mkdir -p "$out/corpus"
status=0
"$out/fuzz_sql" $seed -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=512 -print_final_stats=1 -artifact_prefix="$build/fuzz-crash-" \
  "$out/corpus" "$srcdir/tests/fuzz/corpus" >"$out/log" 2>&1 || status=$?
grep -E "^(INFO: Seed:|#[0-9]+ +DONE|stat::|SUMMARY|fuzz_sql)|ERROR|runtime error|Test unit written" \
  "$out/log" || true
if [ "$status" -ne 0 ]; then
  tail -40 "$out/log"
  echo "fuzz: 0 passed, 1 failed (exit status $status)"
  exit 1
fi
echo "fuzz: 1 passed, 0 failed ($seconds seconds)"
