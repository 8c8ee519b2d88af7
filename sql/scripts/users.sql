-- users.sql: the users week by week, from the raw events (the shared
-- schema's events(user_id, ts, event)): the weekly lifecycle (new,
-- returning, resurrecting, dormant users), a cohort triangle of sign-ups
-- (event 'register') coming back for any event, and the funnel visit ->
-- register -> order within 7 days of the visit, per user.  The queries are
-- docs/lifecycle.md's "For the toolkit's weekly report"; ISO weeks of the
-- times as written (write local times, or name a shifted view instead of
-- events: docs/lifecycle.md "Local days").
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000
--   sqlite3> .read sql/scripts/users.sql
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('users.sql');
DROP TABLE IF EXISTS temp.report_lifecycle;
DROP TABLE IF EXISTS temp.report_cohorts;
CREATE VIRTUAL TABLE temp.report_lifecycle USING lifecycle(events, user_id, ts, week);
CREATE VIRTUAL TABLE temp.report_cohorts USING cohorts(events, user_id, ts, week, "event = 'register'", 1);
.mode list
.headers off
SELECT printf('== Users week by week 用户周报: %,d events of %,d users, %s to %s ==',
              count(*), count(DISTINCT user_id), substr(min(ts), 1, 10), substr(max(ts), 1, 10))
FROM events;
.print
.print 1. Weekly lifecycle 每周用户生命周期
.print new 新增: first active this week; returning 留存: active this week and last;
.print resurrecting 回流: active again after a quiet week; dormant 沉睡: active last week, not this one (drawn negative)
.mode column
.headers on
SELECT period AS week, printf('%6s', printf('%,d', new)) AS new, printf('%9s', printf('%,d', "returning")) AS "returning",
       printf('%12s', printf('%,d', resurrecting)) AS resurrecting, printf('%7s', printf('%,d', dormant)) AS dormant
FROM (SELECT period, new, "returning", resurrecting, -dormant AS dormant FROM temp.report_lifecycle)
ORDER BY period;
.print
.print 2. Cohorts: sign-ups coming back, % of the cohort 注册用户周留存(%)
SELECT cohort, printf('%4d', cohort_size) AS size,
       printf('%6s', coalesce(max(CASE period_index WHEN 1 THEN round(100 * rate, 1) END), '')) AS week_1,
       printf('%6s', coalesce(max(CASE period_index WHEN 2 THEN round(100 * rate, 1) END), '')) AS week_2,
       printf('%6s', coalesce(max(CASE period_index WHEN 3 THEN round(100 * rate, 1) END), '')) AS week_3,
       printf('%6s', coalesce(max(CASE period_index WHEN 4 THEN round(100 * rate, 1) END), '')) AS week_4,
       printf('%6s', coalesce(max(CASE period_index WHEN 5 THEN round(100 * rate, 1) END), '')) AS week_5,
       printf('%6s', coalesce(max(CASE period_index WHEN 6 THEN round(100 * rate, 1) END), '')) AS week_6,
       printf('%6s', coalesce(max(CASE period_index WHEN 7 THEN round(100 * rate, 1) END), '')) AS week_7,
       printf('%6s', coalesce(max(CASE period_index WHEN 8 THEN round(100 * rate, 1) END), '')) AS week_8
FROM temp.report_cohorts WHERE cohort_size > 0 GROUP BY cohort ORDER BY cohort;
.print
.print 3. Funnel per user, within 7 days of the visit 用户转化漏斗(7天内)
-- window_funnel() per user: the deepest step reached; a user counts at
-- every step up to that one.
DROP TABLE IF EXISTS temp.users_funnel;
CREATE TEMP TABLE users_funnel AS
WITH d AS (SELECT user_id, window_funnel(7 * 86400, ts, event = 'visit', event = 'register', event = 'order') AS depth
           FROM events GROUP BY user_id)
SELECT f.step, f.stage, f.stage_zh, (SELECT count(*) FROM d WHERE d.depth >= f.step) AS users
FROM (SELECT 1 AS step, 'visit' AS stage, '访问' AS stage_zh UNION ALL SELECT 2, 'register', '注册'
      UNION ALL SELECT 3, 'order', '下单') f;
SELECT s.step, s.name AS stage, printf('%7s', printf('%,d', CAST(s.users AS INTEGER))) AS users,
       printf('%9s', CASE WHEN (100 * s.step_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.step_rate) END) AS step_rate,
       printf('%8s', CASE WHEN (100 * s.overall_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.overall_rate) END) AS overall,
       printf('%8s', CASE WHEN (CAST(s.drop_off AS INTEGER)) IS NULL THEN '' ELSE printf('%,d', CAST(s.drop_off AS INTEGER)) END) AS drop_off,
       f.stage_zh AS 中文
FROM funnel_stages((SELECT json_group_array(json_array(stage, users)) FROM (SELECT stage, users FROM temp.users_funnel ORDER BY step))) s
JOIN temp.users_funnel f ON f.step = s.step
ORDER BY s.step;
DROP TABLE temp.report_lifecycle;
DROP TABLE temp.report_cohorts;
