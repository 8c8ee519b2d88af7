-- sql/clickhouse/lifecycle.sql: new, returning, resurrecting and dormant
-- users per day, ISO week or month: ClickHouse's port of growthops'
--
--   CREATE VIRTUAL TABLE x USING lifecycle(events, user_id, ts, {grain});
--   SELECT * FROM x;
--
-- with the same definitions (docs/lifecycle.md): one row per period from
-- the first to the last period with events, every period between included;
-- new = first active period, returning = active in this period and the one
-- before, resurrecting = active now, not in the one before, but earlier,
-- dormant = active in the one before and not now (a positive count).  One
-- more column than growthops gives, first_day, the period's first day.
--
-- Fill in {grain}: day, week or month (anything else is read as month), e.g.
--   sed 's/{grain}/week/g' sql/clickhouse/lifecycle.sql | clickhouse-client
--
-- Periods are numbered (days, ISO weeks or months since 1970, ClickHouse's
-- toRelative*Num), so "the period before" is n - 1 for every grain.  Days
-- are UTC days whatever the server's time zone; for Beijing days write
-- 'Asia/Shanghai' for each 'UTC' below.  Works on ClickHouse 18.16 and
-- later, on one server or on the Distributed table of cluster.sql; today's
-- ClickHouse could say the same more briefly with window functions
-- (lagInFrame over each user's periods), which 18.16 lacks.
SELECT
    multiIf('{grain}' = 'day', toString(first_day),
            '{grain}' = 'week', concat(toString(toISOYear(first_day)), '-W',
                                       if(toISOWeek(first_day) < 10, '0', ''), toString(toISOWeek(first_day))),
            formatDateTime(first_day, '%Y-%m')) AS period,
    sum(kind = 1) AS new,
    sum(kind = 2) AS returning,
    sum(kind = 3) AS resurrecting,
    sum(kind = 4) AS dormant,
    multiIf('{grain}' = 'day', toDate('1970-01-01') + n,
            '{grain}' = 'week', toDate('1970-01-05') + 7 * (n - 1),
            addMonths(toDate('1970-01-01'), n - 23641)) AS first_day
FROM
(
    -- Each user's active periods, sorted, become one row per change:
    -- (period, 1 new | 2 returning | 3 resurrecting | 4 dormant).  The
    -- grouping runs on the shards, each user on one.
    SELECT (arrayJoin(changes) AS change).1 AS n, change.2 AS kind
    FROM
    (
        SELECT
            arraySort(groupUniqArray(multiIf('{grain}' = 'day', toRelativeDayNum(ts, 'UTC'),
                                             '{grain}' = 'week', toRelativeWeekNum(ts, 'UTC'),
                                             toRelativeMonthNum(ts, 'UTC')))) AS active,
            arrayConcat(
                arrayMap(i -> (active[i], multiIf(i = 1, 1, active[i - 1] + 1 = active[i], 2, 3)),
                         arrayEnumerate(active)),
                arrayMap(i -> (active[i] + 1, 4),
                         arrayFilter(i -> i = length(active) OR active[i] + 1 != active[i + 1],
                                     arrayEnumerate(active)))) AS changes
        FROM events
        GROUP BY user_id
    )
    UNION ALL
    -- Every period of the run, so that a period nobody was active in is there.
    SELECT first + arrayJoin(range(toUInt32(last - first + 1))) AS n, 0 AS kind
    FROM
    (
        SELECT multiIf('{grain}' = 'day', toRelativeDayNum(min(ts), 'UTC'),
                       '{grain}' = 'week', toRelativeWeekNum(min(ts), 'UTC'),
                       toRelativeMonthNum(min(ts), 'UTC')) AS first,
               multiIf('{grain}' = 'day', toRelativeDayNum(max(ts), 'UTC'),
                       '{grain}' = 'week', toRelativeWeekNum(max(ts), 'UTC'),
                       toRelativeMonthNum(max(ts), 'UTC')) AS last,
               count() AS rows
        FROM events
    )
    WHERE rows > 0
)
-- A user dormant after the last period is not counted: the run ends there.
WHERE n <= (SELECT multiIf('{grain}' = 'day', toRelativeDayNum(max(ts), 'UTC'),
                           '{grain}' = 'week', toRelativeWeekNum(max(ts), 'UTC'),
                           toRelativeMonthNum(max(ts), 'UTC')) FROM events)
GROUP BY n
ORDER BY n
