# mk/clickhouse.mk: the ClickHouse port of every analysis (sql/clickhouse/,
# installed under share/growthops), growthops-clickhouse, which stores
# their answers in a plan database, and their tests on a local two-shard
# cluster of clickhouse-server processes (skipped when it is not
# installed; ./setup installs it).
nobase_dist_pkgdata_DATA += sql/clickhouse/events.sql sql/clickhouse/cluster.sql \
	sql/clickhouse/funnel.sql sql/clickhouse/retention.sql sql/clickhouse/lifecycle.sql \
	sql/clickhouse/cohorts.sql sql/clickhouse/stickiness.sql sql/clickhouse/active_days.sql \
	sql/clickhouse/breakdown.sql sql/clickhouse/store.sql sql/clickhouse/funnel_days.sql \
	sql/clickhouse/plan_funnels.sql
# The command that brings the answers back into a plan database.
nobase_dist_pkgdata_SCRIPTS += sql/clickhouse/growthops-clickhouse
CLICKHOUSE_TESTS = tests/sql/clickhouse_cluster.test tests/sql/clickhouse_answers.test
TESTS += $(CLICKHOUSE_TESTS)
EXTRA_DIST += $(CLICKHOUSE_TESTS) tests/sql/clickhouse_servers.tcl
dist_doc_DATA += docs/scale-out.md
# bench/scale-out: SQLite against the local cluster on 10 million events.
EXTRA_DIST += bench/scale-out bench/scale-out.tcl
