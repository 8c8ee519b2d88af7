-- sql/clickhouse/funnel.sql: each user's funnel level, ClickHouse's port of
--
--   SELECT user_id, window_funnel({window}, ts, event = 'visit', ...) AS level
--   FROM events GROUP BY user_id ORDER BY user_id;
--
-- Fill in the placeholders before running it:
--   {window}      the window in seconds, e.g. 86400
--   {steps}       the step names in funnel order, e.g. 'visit', 'register', 'order'
--   {conditions}  one condition per step, e.g. event = 'visit', event = 'register', event = 'order'
-- for instance
--   sed -e "s/{window}/86400/" -e "s/{steps}/'visit', 'order'/" \
--       -e "s/{conditions}/event = 'visit', event = 'order'/" sql/clickhouse/funnel.sql |
--     clickhouse-client --multiquery
--
-- The subquery orders rows that share a timestamp by their step, as
-- growthops and today's ClickHouse do.  ClickHouse 18.16 keeps such ties in
-- the order the rows reach the aggregate (for a MergeTree, its sorting key:
-- alphabetical by event), so without it 18.16 can miss a step taken in the
-- same second as the previous one.  max_threads = 1 keeps that order; on
-- today's ClickHouse the subquery and the setting are harmless and may go.
SELECT user_id, windowFunnel({window})(ts, {conditions}) AS level
FROM
(
    SELECT user_id, ts, event
    FROM events
    ORDER BY user_id, ts, indexOf([{steps}], event)
)
GROUP BY user_id
ORDER BY user_id
SETTINGS max_threads = 1;
