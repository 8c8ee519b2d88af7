# mk/toolkit.mk: the SQL toolkit: the shared schema, views, imports,
# scripts, the O2O example (make demo) and raise_error().
growthops_la_SOURCES += ext/toolkit.c

TESTS += tests/sql/schema.test tests/sql/views.test
EXTRA_DIST += tests/sql/schema.test tests/sql/views.test

nobase_dist_pkgdata_DATA += schemas/growthops.sql sql/views.sql
