-- sql/clickhouse/funnel_days.sql: a funnel per day of its users' first
-- step, ClickHouse's port of
--
--   CREATE VIRTUAL TABLE x USING funnel(events, user_id, ts, event,
--                                       '["visit","register","order"]', {window}, trend = day);
--   SELECT period, step, users FROM x;
--
-- with the same definitions (docs/funnel.md, "Conversion over time"): the
-- users who entered the funnel on each UTC day (a step-1 event that day)
-- and how many of them reached each step within {window} seconds of their
-- chain's first step.  A user who enters on two days counts on each, with
-- the deepest chain that starts there: its level is window_funnel's over
-- the user's step-1 events of that day and later events of the other
-- steps.  Every day from the first to the last day of the events has its
-- rows, a day nobody entered on with zeros.  One row per day and step:
--   day     the day, 'YYYY-MM-DD'
--   step    1 to the number of steps
--   users   users who entered that day and reached the step or a later one
--
-- Fill in the placeholders before running it:
--   {window}      the window in whole seconds, e.g. 86400
--   {steps}       the step names in funnel order, e.g. 'visit', 'register', 'order'
--   {conditions}  one condition per step on its place, s = 1, s = 2, ...
--   {count}       the number of steps
-- for instance
--   sed -e "s/{window}/86400/" -e "s/{steps}/'visit', 'order'/g" \
--       -e "s/{conditions}/s = 1, s = 2/" -e "s/{count}/2/g" sql/clickhouse/funnel_days.sql |
--     clickhouse-client
--
-- Each user's rows of the steps become one sorted array of (time, place):
-- among rows of one second the earlier step first, as funnel.sql sorts
-- them for 18.16, and max_threads = 1 keeps that order into windowFunnel.
-- 18.16 takes one ARRAY JOIN a query, hence a subquery for each.  A step
-- whose event repeats an earlier step's is not supported: indexOf gives
-- the earlier place.  ClickHouse 18.16 and later; today's ClickHouse has no
-- trend of its own for windowFunnel either.
SELECT toString(toDate('1970-01-01') + day_num) AS day, step, sum(level >= step) AS users
FROM
(
    SELECT day_num, level, arrayJoin(range({count})) + 1 AS step
    FROM
    (
        SELECT user_id, day_num, windowFunnel({window})(toDateTime(t), {conditions}) AS level
        FROM
        (
            SELECT user_id, day_num, row.1 AS t, row.2 AS s
            FROM
            (
                SELECT user_id, day_num, steps_rows
                FROM
                (
                    SELECT user_id,
                           arraySort(groupArray((toUInt32(ts), indexOf([{steps}], event)))) AS steps_rows,
                           arrayDistinct(arrayMap(r -> intDiv(r.1, 86400), arrayFilter(r -> r.2 = 1, steps_rows))) AS entry_days
                    FROM events
                    WHERE has([{steps}], event)
                    GROUP BY user_id
                )
                ARRAY JOIN entry_days AS day_num
            )
            ARRAY JOIN steps_rows AS row
            -- The day's step-1 rows start chains; later rows of the other
            -- steps continue them.
            WHERE (s = 1 AND intDiv(t, 86400) = day_num) OR (s > 1 AND t >= day_num * 86400)
        )
        GROUP BY user_id, day_num
    )
    UNION ALL
    -- Every day of the events, so that a day nobody entered on is there.
    SELECT toUInt32(first + arrayJoin(range(toUInt32(last - first + 1)))) AS day_num, toUInt8(0) AS level,
           arrayJoin(range({count})) + 1 AS step
    FROM
    (
        SELECT toUInt32(intDiv(toUInt32(min(ts)), 86400)) AS first,
               toUInt32(intDiv(toUInt32(max(ts)), 86400)) AS last, count() AS rows
        FROM events
    )
    WHERE rows > 0
)
GROUP BY day_num, step
ORDER BY day_num, step
SETTINGS max_threads = 1
