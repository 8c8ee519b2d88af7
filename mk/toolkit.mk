# mk/toolkit.mk: the SQL toolkit: the shared schema, views, imports,
# scripts, the worked examples (make demo), raise_error(), html_escape(),
# script_param() and script_guard().
growthops_la_SOURCES += ext/toolkit.c

TOOLKIT_TESTS = tests/sql/schema.test tests/sql/rules.test tests/sql/findings_schema.test \
	tests/sql/views.test tests/sql/import.test tests/sql/findings_import.test \
	tests/sql/export.test tests/sql/scripts.test tests/sql/demo.test tests/sql/demo_tool_app.test \
	tests/sql/walkthrough.test tests/sql/trial_campaign.test \
	tests/sql/findings_scripts.test
TESTS += $(TOOLKIT_TESTS)
EXTRA_DIST += $(TOOLKIT_TESTS) tests/sql/tea-campaign.sql \
	tests/sql/trial-campaign.sql tests/sql/trial-campaign-data.py
dist_doc_DATA += docs/toolkit.md

# The import: growthops-import runs importer.py (Debian's Python), which
# reads the file (reader.py) and runs the SQL files.
IMPORT_FILES = sql/import/importer.py sql/import/reader.py sql/import/database.py \
	sql/import/begin.sql sql/import/header.sql sql/import/check.sql sql/import/store.sql \
	sql/import/check-events.sql sql/import/store-events.sql \
	sql/import/wechat-users.sql sql/import/wechat-articles.sql sql/import/weibo-posts.sql \
	sql/import/o2o-daily.sql sql/import/daily.sql sql/import/events.sql \
	sql/import/wechat-api.sql sql/import/wechat-api-users.sql sql/import/wechat-api-articles.sql

# The export: growthops-export runs exporter.py, which writes what
# workbook.sql selects.
EXPORT_FILES = sql/export/exporter.py sql/export/workbook.sql

nobase_dist_pkgdata_DATA += $(EXPORT_FILES) schemas/growthops.sql sql/views.sql \
	$(IMPORT_FILES) \
	sql/scripts/plan.sql sql/scripts/plan-report.sql sql/scripts/monday.sql \
	sql/scripts/budget.sql sql/scripts/evaluation.sql sql/scripts/misses.sql sql/scripts/users.sql \
	sql/scripts/friday.sql \
	examples/o2o-local-service/campaign.sql examples/o2o-local-service/generate.sql \
	examples/o2o-local-service/channels.sql \
	examples/tool-app/campaign.sql examples/tool-app/generate.sql
nobase_dist_pkgdata_SCRIPTS = sql/import/growthops-import sql/export/growthops-export \
	examples/o2o-local-service/demo.sh examples/tool-app/demo.sh examples/report.sh
EXTRA_DIST += bench/toolkit bench/imports tests/sql/workbook.py tests/sql/export_check.py

# growthops-import and growthops-export on PATH: bindir gets two small
# scripts that run the installed commands with the installed module, so
# that they need no environment variable.  Written at install time, with
# the directories of that install (make install prefix=... works too).
GROWTHOPS_COMMANDS = import:sql/import/growthops-import export:sql/export/growthops-export
install-exec-local:
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	for c in $(GROWTHOPS_COMMANDS); do \
	  name=growthops-$${c%%:*}; script=$${c#*:}; \
	  { echo '#!/bin/sh'; \
	    echo "# $$name, as installed: $(pkgdatadir)/$$script with $(libdir)/growthops.so"; \
	    echo "GROWTHOPS_MODULE=\$${GROWTHOPS_MODULE:-'$(libdir)/growthops.so'}; export GROWTHOPS_MODULE"; \
	    echo "exec /bin/sh '$(pkgdatadir)/$$script' \"\$$@\""; \
	  } >'$(DESTDIR)$(bindir)/'$$name && chmod 755 '$(DESTDIR)$(bindir)/'$$name || exit 1; \
	done
uninstall-local:
	for c in $(GROWTHOPS_COMMANDS); do rm -f '$(DESTDIR)$(bindir)/growthops-'$${c%%:*}; done

clean-local: clean-toolkit
clean-toolkit:
	rm -rf examples/o2o-local-service/o2o.db examples/o2o-local-service/data \
	  examples/tool-app/tool-app.db examples/tool-app/data
.PHONY: clean-toolkit
