# mk/foundation.mk: the loader test, the docs' examples, the harness's own
# test, and what every area shares.
TESTS += tests/sql/harness.test tests/sql/loader.test tests/sql/docs.test
EXTRA_DIST += tests/sql/harness.test tests/sql/loader.test tests/sql/docs.test examples/tour.sql
dist_doc_DATA += docs/install.md

# The text module every core and binding reads text with (ext/core/text.c).
check_PROGRAMS += tests/unit/test_text
tests_unit_test_text_SOURCES = tests/unit/test_text.c
tests_unit_test_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/test_text

# The table layer for every table, and the attack findings on the tables
# and in the reading of arguments.
LAYER_TESTS = tests/sql/tables.test tests/sql/findings_tables.test tests/sql/findings_args.test
TESTS += $(LAYER_TESTS)
EXTRA_DIST += $(LAYER_TESTS)
# The argument readers and their messages at the edges (ext/args.c).
TESTS += tests/sql/args.test
EXTRA_DIST += tests/sql/args.test
