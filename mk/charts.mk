# mk/charts.mk: charts in the terminal (sparkline, bar).
libgrowthops_core_la_SOURCES += ext/core/charts_core.c ext/core/charts_core.h
growthops_la_SOURCES += ext/charts.c

check_PROGRAMS += tests/unit/test_charts
tests_unit_test_charts_SOURCES = tests/unit/test_charts.c
tests_unit_test_charts_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_charts_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_charts tests/sql/charts.test
EXTRA_DIST += tests/sql/charts.test
dist_doc_DATA += docs/charts.md
