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
# Concurrency (WAL: imports while the reports run), bad data (a failed
# import changes nothing), limits (every bound on a size from input).
RELIABILITY_TESTS = tests/sql/concurrency.test tests/sql/baddata.test tests/sql/limits.test
TESTS += $(RELIABILITY_TESTS)
EXTRA_DIST += $(RELIABILITY_TESTS)
# Random calls to every function and table against a model in Python
# (random_model.py); the numbers at the edges, finding by finding.
TESTS += tests/sql/random.test tests/sql/findings_numbers.test
EXTRA_DIST += tests/sql/random.test tests/sql/random_model.py tests/sql/findings_numbers.test
dist_doc_DATA += docs/reliability.md
# Mutation testing: tests/mutate.py changes the C of ext/ one place at a
# time and runs the fast tests against each change (docs/reliability.md).
# Hours over every mutant, so not part of make check:
#   make mutate MUTATE_ARGS='--sample 200 -j 2'
#   make mutate MUTATE_ARGS='--files ext/kpi.c ext/core/kpi_core.c'
MUTATE_ARGS =
mutate: all
	python3 $(srcdir)/tests/mutate.py --builddir '$(abs_top_builddir)' \
	  --srcdir '$(abs_top_srcdir)' $(MUTATE_ARGS)
.PHONY: mutate
EXTRA_DIST += tests/mutate.py tests/mutants.py tests/mutate_equivalent.txt
