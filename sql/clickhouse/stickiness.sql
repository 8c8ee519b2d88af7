-- sql/clickhouse/stickiness.sql: per day, daily, weekly and monthly active
-- users and their ratio, the columns of growthops' stickiness table:
--
--   day       the UTC day, 'YYYY-MM-DD', every day from the first to the
--             last day with events
--   dau       users active that day
--   wau       users active that day or the 6 days before (7 days)
--   mau       users active that day or the {mau_days} - 1 days before
--   dau_mau   dau / mau (NULL when mau is 0)
--
-- Fill in {mau_days}: 28 (four whole weeks, so that every weekday weighs
-- the same: growthops' default) or 30 (PostHog's monthly active users), e.g.
--   sed 's/{mau_days}/28/g' sql/clickhouse/stickiness.sql | clickhouse-client
--
-- The same method as the SQL of docs/lifecycle.md: each active day of a
-- user covers the days from it up to the window's length later, or up to
-- the user's next active day, whichever comes first; a running sum of
-- those coverings gives WAU and MAU for every day, with no join that grows
-- with the window.  The grouping by user runs on the shards.  The first
-- days of the data have a window that starts before the data does, so
-- their WAU and MAU are low.  Works on ClickHouse 18.16 and later; today's
-- ClickHouse could write the running sums as window functions
-- (sum(...) OVER (ORDER BY day)).
SELECT toString(toDate('1970-01-01') + d) AS day, dau, wau, mau,
       if(mau = 0, NULL, dau / mau) AS dau_mau
FROM
(
    SELECT arraySort(groupArray((d, dau, wau_change, mau_change))) AS by_day,
           arrayMap(t -> t.1, by_day) AS days,
           arrayMap(t -> t.2, by_day) AS daus,
           arrayCumSum(arrayMap(t -> t.3, by_day)) AS waus,
           arrayCumSum(arrayMap(t -> t.4, by_day)) AS maus
    FROM
    (
        SELECT d, sum(dau) AS dau, sum(wau_change) AS wau_change, sum(mau_change) AS mau_change
        FROM
        (
            -- Per user and active day: +1 on it, -1 where its covering ends.
            SELECT (arrayJoin(arrayConcat(
                        arrayMap(i -> (toInt64(active[i]), 1, 1, 1), arrayEnumerate(active)),
                        arrayMap(i -> (toInt64(least(active[i] + 7, if(i < length(active), active[i + 1], active[i] + 7))), 0, -1, 0),
                                 arrayEnumerate(active)),
                        arrayMap(i -> (toInt64(least(active[i] + {mau_days}, if(i < length(active), active[i + 1], active[i] + {mau_days}))), 0, 0, -1),
                                 arrayEnumerate(active)))) AS change).1 AS d,
                   change.2 AS dau, change.3 AS wau_change, change.4 AS mau_change
            FROM
            (
                SELECT arraySort(groupUniqArray(toRelativeDayNum(ts, 'UTC'))) AS active
                FROM events
                GROUP BY user_id
            )
            UNION ALL
            -- Every day of the run, so that a day nobody was active on is there.
            SELECT toInt64(first + arrayJoin(range(toUInt32(last - first + 1)))) AS d, 0, 0, 0
            FROM
            (
                SELECT toRelativeDayNum(min(ts), 'UTC') AS first, toRelativeDayNum(max(ts), 'UTC') AS last,
                       count() AS rows
                FROM events
            )
            WHERE rows > 0
        )
        GROUP BY d
    )
)
ARRAY JOIN days AS d, daus AS dau, waus AS wau, maus AS mau
WHERE d <= (SELECT toRelativeDayNum(max(ts), 'UTC') FROM events)
ORDER BY d
