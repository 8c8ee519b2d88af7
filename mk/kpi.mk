# mk/kpi.mk: KPI targets (kpi_split, kpi_attainment, kpi_progress,
# kpi_status, kpi_payout, kpi_score).
libgrowthops_core_la_SOURCES += ext/core/kpi_core.c ext/core/kpi_core.h
growthops_la_SOURCES += ext/kpi.c

check_PROGRAMS += tests/unit/test_kpi
tests_unit_test_kpi_SOURCES = tests/unit/test_kpi.c
tests_unit_test_kpi_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kpi_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_kpi tests/sql/kpi.test
EXTRA_DIST += tests/sql/kpi.test bench/kpi
dist_doc_DATA += docs/kpi.md
