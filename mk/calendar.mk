# mk/calendar.mk: the planning calendar (periods, period_start, ...).
libgrowthops_core_la_SOURCES += ext/core/calendar_core.c ext/core/calendar_core.h
growthops_la_SOURCES += ext/calendar.c

check_PROGRAMS += tests/unit/test_calendar
tests_unit_test_calendar_SOURCES = tests/unit/test_calendar.c
tests_unit_test_calendar_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_calendar_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/test_calendar tests/sql/calendar.test
EXTRA_DIST += tests/sql/calendar.test
dist_doc_DATA += docs/calendar.md
