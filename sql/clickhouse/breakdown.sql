-- sql/clickhouse/breakdown.sql: a funnel broken down by a property of the
-- step-1 event (first touch): one row per value and step,
--
--   value   the property's value on the user's first step-1 event: the
--           earliest one, and among several at that second the smallest
--           value, NULL before any value; the {top} values with the most
--           users at step 1 keep their own rows (ties: the smaller value
--           first), the others are grouped as 'other', and NULL is
--           '(none)', a row of its own
--   step    1 to the number of steps
--   name    the step's name, from {steps}
--   users   users with that value who reached the step or a later one,
--           within {window} seconds of their chain's first step, as
--           funnel.sql finds their level
--
-- Rows come value by value, the top ones in their order, then 'other',
-- then '(none)'; a value with no user has no rows.  Fill in the
-- placeholders of funnel.sql and two more:
--   {property}  a column of events, e.g. channel (see cluster.sql for
--               adding one)
--   {top}       how many values keep their own rows, 1 or more
-- for instance
--   sed -e "s/{window}/86400/" -e "s/{steps}/'visit', 'order'/g" \
--       -e "s/{conditions}/event = 'visit', event = 'order'/" \
--       -e "s/{property}/channel/g" -e "s/{top}/5/" sql/clickhouse/breakdown.sql |
--     clickhouse-client
--
-- The first touch is min((ts, has value, value)) over the step-1 rows.  The
-- sorted subquery and max_threads = 1 are funnel.sql's, for 18.16's ties in
-- the same second.  ClickHouse 18.16 and later; today's ClickHouse has no
-- breakdown of its own for windowFunnel either.
SELECT label AS value, step, [{steps}][step] AS name, users
FROM
(
    SELECT label, min(value_rank) AS label_rank, sumForEach(reached) AS by_step
    FROM
    (
        SELECT if(entry.1 = 1, '(none)', if(position <= {top}, entry.2, 'other')) AS label,
               if(entry.1 = 1, {top} + 2, least(position, {top} + 1)) AS value_rank,
               entry.4 AS reached
        FROM
        (
            -- The values in order: NULL last, then most users at step 1
            -- first, then the smaller value.
            SELECT arraySort(t -> (t.1, t.3, t.2),
                             groupArray((1 - has_value, value, -toInt64(reached[1]), reached))) AS sorted
            FROM
            (
                -- Per value of the first touch: users reaching each step.
                SELECT first.2 AS has_value, first.3 AS value,
                       sumForEach(arrayMap(s -> toUInt64(level > s), range(length([{steps}])))) AS reached
                FROM
                (
                    SELECT windowFunnel({window})(ts, {conditions}) AS level,
                           minIf((ts, isNotNull({property}), ifNull({property}, '')),
                                 [{conditions}][1]) AS first
                    FROM
                    (
                        SELECT user_id, ts, event, {property}
                        FROM events
                        ORDER BY user_id, ts, indexOf([{steps}], event)
                    )
                    GROUP BY user_id
                )
                WHERE level >= 1
                GROUP BY has_value, value
            )
        )
        ARRAY JOIN sorted AS entry, arrayEnumerate(sorted) AS position
    )
    GROUP BY label
)
ARRAY JOIN by_step AS users, arrayEnumerate(by_step) AS step
ORDER BY label_rank, step
SETTINGS max_threads = 1
