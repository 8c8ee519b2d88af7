-- sql/clickhouse/cohorts.sql: retention cohorts per day, ISO week or month,
-- "on" and "on or after": ClickHouse's port of growthops'
--
--   CREATE VIRTUAL TABLE x USING cohorts(events, user_id, ts, {grain},
--                                         "{start_condition}", "{return_condition}", {retention});
--   SELECT * FROM x;
--
-- with the same rows and definitions (docs/lifecycle.md): every period from
-- the first to the last with events is a cohort, also an empty one (size 0,
-- rates NULL), with one row for itself (period_index 0: the whole cohort)
-- and one for each later period of the run; users counts the cohort's users
-- with a return event in that period ("on"), users_on_or_after those with
-- one in that period or later ("on or after").  In first_time a user joins
-- the cohort of their first start event; in recurring, the cohort of every
-- period with a start event.  Return events before a cohort do not count.
--
-- Fill in {grain} (day, week or month), {retention} (first_time or
-- recurring) and the two conditions, ClickHouse expressions over a row of
-- events, e.g.
--   sed -e 's/{grain}/week/g' -e 's/{retention}/first_time/g' \
--       -e "s/{start_condition}/event = 'register'/g" -e "s/{return_condition}/1/g" \
--       sql/clickhouse/cohorts.sql | clickhouse-client
--
-- Periods are numbered as in lifecycle.sql (UTC; 'Asia/Shanghai' for
-- Beijing days).  Works on ClickHouse 18.16 and later, on one server or on
-- the Distributed table of cluster.sql.  Today's ClickHouse offers no
-- shorter form for the whole triangle; its window functions could replace
-- the suffix sums below.
SELECT keys[1] AS cohort, cohort_size, period_index, keys[2] AS period, users, users_on_or_after,
       if(cohort_size = 0, NULL, users / cohort_size) AS rate,
       if(cohort_size = 0, NULL, users_on_or_after / cohort_size) AS rate_on_or_after
FROM
(
    -- One row per cohort and period of the run.
    SELECT c, cohort_size, period_index,
           if(period_index = 0, cohort_size, on) AS users,
           if(period_index = 0, cohort_size, on_or_after) AS users_on_or_after,
           arrayMap(d -> multiIf('{grain}' = 'day', toString(d),
                                 '{grain}' = 'week', concat(toString(toISOYear(d)), '-W',
                                                            if(toISOWeek(d) < 10, '0', ''), toString(toISOWeek(d))),
                                 formatDateTime(d, '%Y-%m')),
                    arrayMap(n -> multiIf('{grain}' = 'day', toDate('1970-01-01') + n,
                                          '{grain}' = 'week', toDate('1970-01-05') + 7 * (n - 1),
                                          addMonths(toDate('1970-01-01'), n - 23641)),
                             [c, c + period_index])) AS keys
    FROM
    (
        -- Per cohort, its periods in order; "on or after" period k counts
        -- the users whose last return is in period k or later.
        SELECT c, sum(size) AS cohort_size,
               arraySort(groupArray((k, on, last))) AS by_k,
               arrayMap(t -> t.2, by_k) AS ons,
               arrayReverse(arrayCumSum(arrayReverse(arrayMap(t -> t.3, by_k)))) AS afters,
               arrayMap(t -> t.1, by_k) AS ks
        FROM
        (
            SELECT c, k, sum(kind = 0) AS size, sum(kind = 1) AS on, sum(kind = 2) AS last
            FROM
            (
                -- Each user's cohorts and, per cohort, the periods after it
                -- with a return (kind 1) and the last of them (kind 2).
                SELECT toInt64(c) AS c, (arrayJoin(arrayConcat([(toInt64(0), toUInt8(0))],
                                                 arrayMap(r -> (toInt64(r) - c, toUInt8(1)), arrayFilter(r -> r > c, returns)),
                                                 arrayFilter(t -> t.1 > 0, [(toInt64(returns[-1]) - c, toUInt8(2))]))) AS e).1 AS k,
                       e.2 AS kind
                FROM
                (
                    SELECT arrayJoin(if('{retention}' = 'recurring', starts, arraySlice(starts, 1, 1))) AS c, returns
                    FROM
                    (
                        SELECT arraySort(groupUniqArrayIf(multiIf('{grain}' = 'day', toRelativeDayNum(ts, 'UTC'),
                   '{grain}' = 'week', toRelativeWeekNum(ts, 'UTC'),
                   toRelativeMonthNum(ts, 'UTC')), {start_condition})) AS starts,
                               arraySort(groupUniqArrayIf(multiIf('{grain}' = 'day', toRelativeDayNum(ts, 'UTC'),
                   '{grain}' = 'week', toRelativeWeekNum(ts, 'UTC'),
                   toRelativeMonthNum(ts, 'UTC')), {return_condition})) AS returns
                        FROM events
                        GROUP BY user_id
                    )
                )
                UNION ALL
                -- Every cohort and period of the run, so that empty ones are there.
                SELECT toInt64(c) AS c, toInt64(arrayJoin(range(toUInt32(last - c + 1)))) AS k, toUInt8(3) AS kind
                FROM
                (
                    SELECT first + arrayJoin(range(toUInt32(last - first + 1))) AS c, last
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
            )
            GROUP BY c, k
        )
        GROUP BY c
    )
    ARRAY JOIN ks AS period_index, ons AS on, afters AS on_or_after
)
ORDER BY c, period_index
