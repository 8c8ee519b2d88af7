# mk/staffing.mk: role staffing (staffing_plan, staffing_capacity).
libgrowthops_core_la_SOURCES += ext/core/staffing_core.c ext/core/staffing_core.h
growthops_la_SOURCES += ext/staffing.c

check_PROGRAMS += tests/unit/test_staffing
tests_unit_test_staffing_SOURCES = tests/unit/test_staffing.c
tests_unit_test_staffing_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_staffing_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_staffing tests/sql/staffing.test
EXTRA_DIST += tests/sql/staffing.test
dist_doc_DATA += docs/staffing.md
