# mk/clickhouse.mk: the ClickHouse port of the funnel and retention queries
# (sql/clickhouse/, installed under share/growthops) and the conformance
# test that runs them against a local clickhouse-server (skipped when it is
# not installed; .ci/run installs it).
nobase_dist_pkgdata_DATA += sql/clickhouse/events.sql sql/clickhouse/funnel.sql \
	sql/clickhouse/retention.sql
TESTS += tests/sql/clickhouse.test
EXTRA_DIST += tests/sql/clickhouse.test
