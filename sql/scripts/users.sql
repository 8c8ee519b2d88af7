-- users.sql: the users week by week, from the raw events (the shared
-- schema's events(user_id, ts, event)): the weekly lifecycle (new,
-- returning, resurrecting, dormant users), a cohort triangle of the users
-- who reach the cohort step of the campaign's events funnel (funnels.
-- cohort_step: e.g. those who register) coming back for any event, and
-- each of the campaign's events funnels per user, within its window.  The
-- queries are docs/lifecycle.md's "For the toolkit's weekly report"; ISO
-- weeks of the times as written (write local times, or name a shifted view
-- instead of events: docs/lifecycle.md "Local days").
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1      -- default 1
--   sqlite3> .read sql/scripts/users.sql
--
-- The events and steps come from the plan (funnels, funnel_steps): a
-- campaign without an events funnel gets cohorts of all users from their
-- first event, and no funnel section.
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('users.sql');
DROP TABLE IF EXISTS temp.users_args;
CREATE TEMP TABLE users_args AS
SELECT script_param('users.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
       script_param('users.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of;
-- The events up to as_of, the day every report is written for: events of
-- later days (as_of left behind while the imports go on) are not counted.
-- An event's day is period_key()'s, as the tables count it (the date of
-- local text as written; unix seconds and text with an offset in UTC).
DROP VIEW IF EXISTS temp.users_events;
CREATE TEMP VIEW users_events AS
SELECT e.* FROM main.events e WHERE period_key(e.ts, 'day') <= (SELECT as_of FROM temp.users_args);
-- The campaign's events funnels, their steps in order, and the event that
-- starts a cohort: the cohort step of the first funnel that names one.
DROP TABLE IF EXISTS temp.users_funnels;
CREATE TEMP TABLE users_funnels AS
SELECT f.funnel_id, f.name_en, f.name_zh, f.window_seconds, f.cohort_step,
       (SELECT json_group_array(event) FROM (SELECT event FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step)) AS names,
       CASE WHEN f.window_seconds = 86400 THEN '1 day'
            WHEN f.window_seconds % 86400 = 0 THEN printf('%d days', CAST(f.window_seconds / 86400 AS INTEGER))
            WHEN f.window_seconds = 3600 THEN '1 hour'
            WHEN f.window_seconds % 3600 = 0 THEN printf('%d hours', CAST(f.window_seconds / 3600 AS INTEGER))
            WHEN f.window_seconds = 1 THEN '1 second'
            ELSE printf('%g seconds', f.window_seconds) END AS window,
       CASE WHEN f.window_seconds % 86400 = 0 THEN printf('%d天', CAST(f.window_seconds / 86400 AS INTEGER))
            WHEN f.window_seconds % 3600 = 0 THEN printf('%d小时', CAST(f.window_seconds / 3600 AS INTEGER))
            ELSE printf('%g秒', f.window_seconds) END AS window_zh
FROM funnels f
WHERE f.campaign_id = (SELECT campaign FROM temp.users_args) AND f.source = 'events';
DROP TABLE IF EXISTS temp.users_cohort;
CREATE TEMP TABLE users_cohort AS
SELECT s.event, coalesce(s.name_en, s.event) AS label, coalesce(s.name_zh, s.event) AS label_zh
FROM temp.users_funnels f JOIN funnel_steps s ON s.funnel_id = f.funnel_id AND s.step = f.cohort_step
WHERE f.funnel_id = (SELECT min(f2.funnel_id) FROM temp.users_funnels f2
                      JOIN funnel_steps s2 ON s2.funnel_id = f2.funnel_id AND s2.step = f2.cohort_step);
DROP TABLE IF EXISTS temp.report_lifecycle;
DROP TABLE IF EXISTS temp.report_cohorts;
CREATE VIRTUAL TABLE temp.report_lifecycle USING lifecycle(users_events, user_id, ts, week);
CREATE VIRTUAL TABLE temp.report_cohorts USING cohorts(users_events, user_id, ts, week,
  "NOT EXISTS (SELECT 1 FROM temp.users_cohort) OR event IN (SELECT event FROM temp.users_cohort)", 1);
.mode list
.headers off
SELECT CASE WHEN count(*) = 0 AND NOT EXISTS (SELECT 1 FROM main.events)
            THEN '== Users week by week 用户周报: no events in the events table: import the event log with growthops-import events =='
            WHEN count(*) = 0
            THEN '== Users week by week 用户周报: no events up to as_of ' || (SELECT as_of FROM temp.users_args) || ' =='
            ELSE printf('== Users week by week 用户周报: %,d %s of %,d %s, %s to %s ==',
                        count(*), CASE count(*) WHEN 1 THEN 'event' ELSE 'events' END,
                        count(DISTINCT user_id), CASE count(DISTINCT user_id) WHEN 1 THEN 'user' ELSE 'users' END,
                        term_text(substr(min(ts), 1, 10)), term_text(substr(max(ts), 1, 10))) END
FROM temp.users_events;
SELECT printf('%,d %s after as_of %s not counted  as_of之后的事件不计', later, CASE later WHEN 1 THEN 'event' ELSE 'events' END, as_of)
FROM (SELECT (SELECT count(*) FROM main.events) - (SELECT count(*) FROM temp.users_events) AS later, as_of FROM temp.users_args)
WHERE later > 0;
.print
.print 1. Weekly lifecycle 每周用户生命周期
.print new 新增: first active this week; returning 留存: active this week and last;
.print resurrecting 回流: active again after a quiet week; dormant 沉睡: active last week, not this one (drawn negative)
.mode column
.headers on
SELECT term_text(period) AS week, printf('%6s', printf('%,d', new)) AS new, printf('%9s', printf('%,d', "returning")) AS "returning",
       printf('%12s', printf('%,d', resurrecting)) AS resurrecting, printf('%7s', printf('%,d', dormant)) AS dormant
FROM (SELECT period, new, "returning", resurrecting, -dormant AS dormant FROM temp.report_lifecycle)
ORDER BY period;
.mode list
.headers off
.print
SELECT coalesce((SELECT printf('2. Cohorts: users who reach %s coming back, %% of the cohort  %s用户周留存(%%)',
                               term_text(CASE WHEN label = event THEN printf('''%s''', event) ELSE printf('%s (''%s'')', label, event) END),
                               term_text(label_zh)) FROM temp.users_cohort),
                '2. Cohorts: users from their first event coming back, % of the cohort  用户周留存(%)');
.mode column
.headers on
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
-- 3. Each events funnel per user: window_funnel_steps() gives the deepest
-- step a user reached within the funnel's window of their first step; a
-- user counts at every step up to that one.
DROP TABLE IF EXISTS temp.users_funnel;
CREATE TEMP TABLE users_funnel AS
WITH d AS (SELECT f.funnel_id, e.user_id, window_funnel_steps(f.window_seconds, e.ts, e.event, f.names) AS depth
           FROM temp.users_funnels f JOIN (SELECT * FROM temp.users_events ORDER BY user_id, ts) e
           GROUP BY f.funnel_id, e.user_id),
     s AS (SELECT s.*, row_number() OVER (PARTITION BY s.funnel_id ORDER BY s.step) AS place
           FROM funnel_steps s WHERE s.funnel_id IN (SELECT funnel_id FROM temp.users_funnels))
SELECT s.funnel_id, s.place AS step, coalesce(s.name_en, s.event) AS stage, coalesce(s.name_zh, s.event) AS stage_zh,
       (SELECT count(*) FROM d WHERE d.funnel_id = s.funnel_id AND d.depth >= s.place) AS users
FROM s;
.mode list
.headers off
SELECT char(10) || '3. Funnels per user, each within its window  用户转化漏斗' WHERE EXISTS (SELECT 1 FROM temp.users_funnels);
SELECT printf('funnel %d %s %s: within %s of its first step (%s内)', funnel_id, term_text(name_en), term_text(name_zh), window, window_zh)
FROM temp.users_funnels ORDER BY funnel_id;
.mode column
.headers on
SELECT s.step, term_text(s.name) AS stage, printf('%7s', printf('%,d', CAST(s.users AS INTEGER))) AS users,
       printf('%9s', CASE WHEN (100 * s.step_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.step_rate) END) AS step_rate,
       printf('%8s', CASE WHEN (100 * s.overall_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.overall_rate) END) AS overall,
       printf('%8s', CASE WHEN (CAST(s.drop_off AS INTEGER)) IS NULL THEN '' ELSE printf('%,d', CAST(s.drop_off AS INTEGER)) END) AS drop_off,
       term_text(f.stage_zh) || ' · funnel ' || f.funnel_id AS 中文
FROM (SELECT funnel_id, json_group_array(json_array(stage, users)) AS stages
      FROM (SELECT * FROM temp.users_funnel ORDER BY funnel_id, step) GROUP BY funnel_id) g,
     funnel_stages(g.stages) s
JOIN temp.users_funnel f ON f.funnel_id = g.funnel_id AND f.step = s.step
ORDER BY g.funnel_id, s.step;
DROP TABLE temp.report_lifecycle;
DROP TABLE temp.report_cohorts;
DROP VIEW temp.users_events;
