-- sql/clickhouse/events.sql: the events table in ClickHouse, the same
-- columns as growthops' events(user_id, ts, event) in SQLite.
--
-- ts is a DateTime (whole seconds, UTC); load it from unix seconds or from
-- 'YYYY-MM-DD hh:mm:ss' text.  The sorting key (user_id, ts, event) plays
-- the part of SQLite's index on (user_id, ts, event).  Works on ClickHouse
-- 18.16 (Debian 12's package) and later.
--
--   clickhouse-client --multiquery < sql/clickhouse/events.sql
--   clickhouse-client --query 'INSERT INTO events FORMAT TSV' < events.tsv
CREATE TABLE IF NOT EXISTS events
(
    user_id UInt64,
    ts      DateTime,
    event   String
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(ts)
ORDER BY (user_id, ts, event);
