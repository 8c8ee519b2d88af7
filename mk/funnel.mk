# mk/funnel.mk: funnels and retention (window_funnel, window_funnel_times,
# retention, funnel_stages and the funnel virtual table).
libgrowthops_core_la_SOURCES += ext/core/funnel_core.c ext/core/funnel_core.h
growthops_la_SOURCES += ext/funnel.c

check_PROGRAMS += tests/unit/test_funnel
tests_unit_test_funnel_SOURCES = tests/unit/test_funnel.c
tests_unit_test_funnel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_funnel_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_funnel
TESTS += tests/sql/funnel.test
EXTRA_DIST += tests/sql/funnel.test
dist_doc_DATA += docs/funnel.md
