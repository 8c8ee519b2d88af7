# mk/growth.mk: growth rates, compound growth and milestone paths
# (growth_rate, growth_compound, growth_project, growth_periods, growth_path).
libgrowthops_core_la_SOURCES += ext/core/growth_core.c ext/core/growth_core.h
growthops_la_SOURCES += ext/growth.c

check_PROGRAMS += tests/unit/test_growth
tests_unit_test_growth_SOURCES = tests/unit/test_growth.c
tests_unit_test_growth_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_growth_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_growth tests/sql/growth.test
EXTRA_DIST += tests/sql/growth.test bench/growth
dist_doc_DATA += docs/growth.md
