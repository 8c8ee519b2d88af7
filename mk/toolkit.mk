# mk/toolkit.mk: the SQL toolkit: the shared schema, views, imports,
# scripts, the O2O example (make demo) and raise_error().
growthops_la_SOURCES += ext/toolkit.c

TOOLKIT_TESTS = tests/sql/schema.test tests/sql/views.test tests/sql/import.test
TESTS += $(TOOLKIT_TESTS)
EXTRA_DIST += $(TOOLKIT_TESTS)

nobase_dist_pkgdata_DATA += schemas/growthops.sql sql/views.sql \
	sql/import/check.sql sql/import/store.sql sql/import/wechat-users.sql \
	sql/import/wechat-articles.sql sql/import/weibo-posts.sql sql/import/o2o-daily.sql
nobase_dist_pkgdata_SCRIPTS = sql/import/growthops-import
