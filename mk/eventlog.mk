# mk/eventlog.mk: the event log (the event_log virtual table: events packed
# in shadow tables, read by every table over events).
libgrowthops_core_la_SOURCES += ext/core/eventlog_core.c ext/core/eventlog_core.h

check_PROGRAMS += tests/unit/test_eventlog
tests_unit_test_eventlog_SOURCES = tests/unit/test_eventlog.c
tests_unit_test_eventlog_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_eventlog_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/test_eventlog
growthops_la_SOURCES += ext/eventlog.c ext/table/log.c ext/table/log.h \
	ext/table/events.c
dist_doc_DATA += docs/eventlog.md docs/performance.md
TESTS += tests/sql/eventlog.test
EXTRA_DIST += tests/sql/eventlog.test bench/eventlog/run.py
