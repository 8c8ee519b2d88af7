-- sql/clickhouse/active_days.sql: PostHog's stickiness, per ISO week or
-- month: how many users were active on exactly 1, 2, ... of its days.  The
-- port of the SQL of docs/lifecycle.md (and of growthops' stickiness table
-- by week or month):
--
--   period        the period key, '2025-W11' or '2025-03'
--   active_days   1 to 7 (a week) or to the month's days
--   users         users active on exactly that many days of the period
--
-- One row per period and number of days that some user has; a period with
-- no events has no row.  Fill in {grain}, week or month (anything else is
-- read as month):
--   sed 's/{grain}/week/g' sql/clickhouse/active_days.sql | clickhouse-client
--
-- UTC days ('Asia/Shanghai' for each 'UTC' for Beijing days); the counting
-- of each user's days runs on the shards.  ClickHouse 18.16 and later.
SELECT
    if('{grain}' = 'week',
       concat(toString(toISOYear(first_day)), '-W', if(toISOWeek(first_day) < 10, '0', ''), toString(toISOWeek(first_day))),
       formatDateTime(first_day, '%Y-%m')) AS period,
    active_days,
    count() AS users
FROM
(
    SELECT if('{grain}' = 'week', toMonday(ts, 'UTC'), toStartOfMonth(ts, 'UTC')) AS first_day,
           uniqExact(toDate(ts, 'UTC')) AS active_days
    FROM events
    GROUP BY user_id, first_day
)
GROUP BY first_day, active_days
ORDER BY first_day, active_days
