# mk/toolkit.mk: the SQL toolkit: the shared schema, views, imports,
# scripts, the O2O example (make demo), raise_error(), html_escape(),
# script_param() and script_guard().
growthops_la_SOURCES += ext/toolkit.c

TOOLKIT_TESTS = tests/sql/schema.test tests/sql/rules.test tests/sql/findings_schema.test \
	tests/sql/views.test tests/sql/import.test tests/sql/scripts.test tests/sql/demo.test \
	tests/sql/findings_scripts.test
TESTS += $(TOOLKIT_TESTS)
EXTRA_DIST += $(TOOLKIT_TESTS) tests/sql/tea-campaign.sql
dist_doc_DATA += docs/toolkit.md

nobase_dist_pkgdata_DATA += schemas/growthops.sql sql/views.sql \
	sql/import/begin.sql sql/import/check.sql sql/import/store.sql sql/import/wechat-users.sql \
	sql/import/wechat-articles.sql sql/import/weibo-posts.sql sql/import/o2o-daily.sql \
	sql/scripts/plan.sql sql/scripts/plan-report.sql sql/scripts/monday.sql \
	sql/scripts/budget.sql sql/scripts/evaluation.sql sql/scripts/misses.sql sql/scripts/users.sql \
	sql/scripts/friday.sql \
	examples/o2o-local-service/campaign.sql examples/o2o-local-service/generate.sql \
	examples/o2o-local-service/channels.sql
nobase_dist_pkgdata_SCRIPTS = sql/import/growthops-import examples/o2o-local-service/demo.sh
EXTRA_DIST += bench/toolkit

clean-local: clean-toolkit
clean-toolkit:
	rm -rf examples/o2o-local-service/o2o.db examples/o2o-local-service/data
.PHONY: clean-toolkit
