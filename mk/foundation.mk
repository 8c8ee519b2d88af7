# mk/foundation.mk: the loader test, the docs' examples, the harness's own
# test, and what every area shares.
TESTS += tests/sql/harness.test tests/sql/loader.test tests/sql/docs.test
EXTRA_DIST += tests/sql/harness.test tests/sql/loader.test tests/sql/docs.test examples/tour.sql
dist_doc_DATA += docs/install.md
