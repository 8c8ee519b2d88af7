# mk/reliability.mk: out-of-memory, leak and fuzz checks over every
# function and table (docs/reliability.md).
check_PROGRAMS += tests/oom/test_oom
tests_oom_test_oom_SOURCES = tests/oom/test_oom.c
tests_oom_test_oom_CFLAGS = $(AM_CFLAGS) $(SQLITE3_CFLAGS)
tests_oom_test_oom_LDADD = $(SQLITE3_LIBS) -ldl
TESTS += tests/oom/test_oom
EXTRA_DIST += tests/valgrind.sh tests/fuzz/run.sh tests/fuzz/fuzz_sql.c \
	tests/fuzz/corpus tests/summary.sh
TESTS += tests/sql/untrusted.test
EXTRA_DIST += tests/sql/untrusted.test
