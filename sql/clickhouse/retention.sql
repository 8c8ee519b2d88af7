-- sql/clickhouse/retention.sql: each user's retention array, ClickHouse's
-- port of
--
--   SELECT user_id, retention({conditions}) AS retention
--   FROM events GROUP BY user_id ORDER BY user_id;
--
-- Fill in {conditions}, e.g.
--   event = 'register' AND ts < 1735776000, ts >= 1735776000 AND ts < 1735862400, ts >= 1736294400
-- Both give the same text, e.g. [1,0,1]: element 1 is cond1, element i is
-- cond1 and cond_i, each met by some row of the user.  ClickHouse 18.16
-- wants 2 conditions or more and counts a row for the first condition it
-- meets only (today's ClickHouse and growthops count it for each): on 18.16
-- keep the conditions disjoint, as above, for the same answer.
SELECT user_id, retention({conditions}) AS retention
FROM events
GROUP BY user_id
ORDER BY user_id;
