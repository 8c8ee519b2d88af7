# mk/lifecycle.mk: lifecycle stages and retention cohorts (the lifecycle
# and cohorts virtual tables).
libgrowthops_core_la_SOURCES += ext/core/lifecycle_core.c ext/core/lifecycle_core.h
growthops_la_SOURCES += ext/lifecycle.c

check_PROGRAMS += tests/unit/test_lifecycle
tests_unit_test_lifecycle_SOURCES = tests/unit/test_lifecycle.c
tests_unit_test_lifecycle_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_lifecycle_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_lifecycle tests/sql/lifecycle.test
EXTRA_DIST += tests/sql/lifecycle.test bench/lifecycle bench/lifecycle.tcl
dist_doc_DATA += docs/lifecycle.md
