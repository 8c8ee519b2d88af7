# mk/funnel.mk: funnels, retention and paths (window_funnel,
# window_funnel_times, window_funnel_steps, retention, funnel_stages, the
# funnel and paths virtual tables).
libgrowthops_core_la_SOURCES += ext/core/funnel_core.c ext/core/funnel_core.h \
	ext/core/keys_core.c ext/core/keys_core.h ext/core/paths_core.c ext/core/paths_core.h
growthops_la_SOURCES += ext/funnel.c ext/paths.c

check_PROGRAMS += tests/unit/test_funnel
tests_unit_test_funnel_SOURCES = tests/unit/test_funnel.c
tests_unit_test_funnel_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_funnel_LDADD = $(UNIT_LDADD)

check_PROGRAMS += tests/unit/test_paths
tests_unit_test_paths_SOURCES = tests/unit/test_paths.c
tests_unit_test_paths_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_paths_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_funnel tests/unit/test_paths
TESTS += tests/sql/funnel.test tests/sql/paths.test
EXTRA_DIST += tests/sql/funnel.test tests/sql/paths.test bench/funnel/run.py bench/funnel/gen_events.c
dist_doc_DATA += docs/funnel.md
