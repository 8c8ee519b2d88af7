-- sql/clickhouse/cluster.sql: the events table on a ClickHouse cluster:
-- on every server a MergeTree, events_local, holding that shard's rows, and
-- in front of it a Distributed table, events, that every query of
-- sql/clickhouse/ reads and every load writes to.
--
-- Run it on each server of the cluster (ClickHouse 18.16 has no ON CLUSTER
-- without ZooKeeper), with {cluster} the cluster's name in the servers'
-- remote_servers setting:
--   sed 's/{cluster}/events_cluster/' sql/clickhouse/cluster.sql |
--     clickhouse-client --host shard1 --multiquery
--
-- The sharding key is the user: intHash64(user_id) picks the shard of each
-- row written to events, so all the rows of one user live on one shard.
-- User ids must therefore name one person across the whole cluster: events
-- of two systems whose ids overlap (user 42 of the app and user 42 of the
-- mini program) are one user to every query here.  Load through events,
-- never straight into events_local, and make such ids unique first (an
-- offset or a hash of the system and the id).
--
-- The columns are those of sql/clickhouse/events.sql (growthops'
-- events(user_id, ts, event)); a property to break funnels down by is one
-- more column, added to both tables on every server, e.g.
--   ALTER TABLE events_local ADD COLUMN channel Nullable(String);
--   ALTER TABLE events ADD COLUMN channel Nullable(String);
CREATE TABLE IF NOT EXISTS events_local
(
    user_id UInt64,
    ts      DateTime,
    event   String
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(ts)
ORDER BY (user_id, ts, event);

CREATE TABLE IF NOT EXISTS events AS events_local
ENGINE = Distributed({cluster}, currentDatabase(), events_local, intHash64(user_id));
