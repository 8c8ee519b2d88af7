-- evaluation.sql: the month's evaluation and payouts (绩效考评).  Per
-- person: each KPI's target, actual, attainment, the days in the job and
-- the payout, the weighted score and the money; for a month still running,
-- the days gone, the pace and the attainment projected at that pace; with
-- :record 1, stores the month in evaluations.
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1          -- default 1
--   sqlite3> .parameter set :month "'2025-08'"   -- default: the last whole
--                                                --   month before as_of
--   sqlite3> .parameter set :record 1            -- default 0: only print
--   sqlite3> .parameter set :record_running 1    -- default 0: :record 1
--                                                --   refuses a running month
--   sqlite3> .read sql/scripts/evaluation.sql
--
-- Payout = bonus base x weight x the KPI's payout curve at its attainment
-- x the days in the job / the month's days (v_evaluation): a month partly
-- in the job pays its part, a month wholly outside it is "not in the job".
-- The days in the job are those up to as_of: a running month shows and
-- pays the days so far (15/31 on the 15th), none to come.
-- A month not over on as_of is running: its payouts are provisional, and
-- :record 1 stores it only with :record_running 1, on purpose.  A month
-- not begun on as_of is refused.  Recording replaces that month's rows for
-- the campaign.
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('evaluation.sql');
DROP TABLE IF EXISTS temp.evaluation_args;
CREATE TEMP TABLE evaluation_args AS
SELECT a.*, c.name_en,
       max(a.month || '-01', c.starts) AS first_day, min(period_end(a.month || '-01', 'month'), c.ends) AS last_day,
       CAST(julianday(min(period_end(a.month || '-01', 'month'), c.ends)) - julianday(max(a.month || '-01', c.starts)) + 1 AS INTEGER) AS days,
       CAST(max(0, julianday(min(period_end(a.month || '-01', 'month'), c.ends, a.as_of))
                   - julianday(max(a.month || '-01', c.starts)) + 1) AS INTEGER) AS elapsed,
       a.as_of < min(period_end(a.month || '-01', 'month'), c.ends) AS running
FROM (SELECT script_param('evaluation.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
             script_param('evaluation.sql', ':month', :month, 'month',
                          period_key(date(as_of, '+1 day', 'start of month', '-1 day'), 'month')) AS month,
             script_param('evaluation.sql', ':record', :record, 'flag', 0) AS record,
             script_param('evaluation.sql', ':record_running', :record_running, 'flag', 0) AS record_running,
             as_of
      FROM (SELECT script_param('evaluation.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of)) a
JOIN campaigns c ON c.campaign_id = a.campaign;
SELECT 1 WHERE raise_error((
  SELECT printf('evaluation.sql: :month %s lies outside the campaign (%s to %s): .parameter set :month "''%s''"',
                a.month, term_text(c.starts), term_text(c.ends), term_text(substr(min(max(a.as_of, c.starts), c.ends), 1, 7)))
  FROM temp.evaluation_args a JOIN campaigns c ON c.campaign_id = a.campaign WHERE a.days <= 0));
-- A month not begun on as_of has no day in the job for anyone: refused, as
-- monday.sql refuses a week, rather than shown as running on its day 0.
SELECT 1 WHERE raise_error((
  SELECT CASE WHEN a.as_of < c.starts
    THEN printf('evaluation.sql: :month %s has not begun on as_of %s (the campaign runs from %s to %s): set as_of to a day of it, INSERT OR REPLACE INTO settings(name, value) VALUES (''as_of'', ''%s'')',
                a.month, a.as_of, term_text(c.starts), term_text(c.ends), term_text(c.starts))
    ELSE printf('evaluation.sql: :month %s has not begun on as_of %s: .parameter set :month "''%s''"',
                a.month, a.as_of, substr(a.as_of, 1, 7)) END
  FROM temp.evaluation_args a JOIN campaigns c ON c.campaign_id = a.campaign WHERE a.as_of < a.first_day));
SELECT 1 WHERE raise_error((
  SELECT printf('evaluation.sql: :record 1 stores a month that is over, and %s is running on %s (day %d of %d): record it at its end, or on purpose with .parameter set :record_running 1',
                month, as_of, elapsed, days)
  FROM temp.evaluation_args WHERE record = 1 AND record_running = 0 AND running));
.mode list
.headers off
SELECT printf('== Evaluation and payouts 绩效考评与奖金: %s, %s ==', term_text(name_en), term_text(month)) FROM temp.evaluation_args;
SELECT printf('running 进行中: day %d of %d on %s; the payouts are provisional, at the attainment so far (section 3 projects the month)',
              elapsed, days, as_of)
FROM temp.evaluation_args WHERE running;
.print
.print 1. Each KPI  各项指标
.mode column
.headers on
SELECT term_text(e.name) AS person, term_text(e.metric) AS metric,
       printf('%4.2f', e.weight) AS weight,
       printf('%9s', CASE WHEN m.unit = 'share' THEN printf('%.1f%%', 100 * e.target) ELSE printf('%,d', CAST(round(e.target) AS INTEGER)) END) AS target,
       printf('%9s', CASE WHEN e.actual IS NULL THEN '-' WHEN m.unit = 'share' THEN printf('%.1f%%', 100 * e.actual) ELSE printf('%,d', CAST(round(e.actual) AS INTEGER)) END) AS actual,
       printf('%6s', CASE WHEN (100 * e.attainment) IS NULL THEN '-' ELSE printf('%.0f%%', 100 * e.attainment) END) AS done,
       printf('%6s', CASE WHEN (100 * e.payout_share) IS NULL THEN '-' ELSE printf('%.0f%%', 100 * e.payout_share) END) AS pays,
       printf('%7s', printf('%d/%d', e.days_in_job, e.period_days)) AS in_job,
       printf('%7s', printf('%,d', CAST(round(e.payout) AS INTEGER))) AS payout,
       term_text(e.status) AS status,
       term_text(e.name_zh) || CASE WHEN e.days_in_job = 0 THEN ' 未在岗' WHEN e.days_in_job < e.elapsed_days THEN ' 部分在岗' ELSE '' END AS 中文
FROM v_evaluation e JOIN metrics m ON m.code = e.metric, temp.evaluation_args a
WHERE e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month
ORDER BY e.person_id, e.weight DESC, e.metric;
.print
.print 2. Per person: score and payout  个人得分与奖金
-- people with a day in the job in the month; "not in the job" rows count
-- for nothing
SELECT term_text(e.name) AS person, term_text(coalesce(r.code, '')) AS role,
       printf('%5s', CASE WHEN max(e.score) IS NULL THEN '-' ELSE printf('%.2f', max(e.score)) END) AS score,
       printf('%d of %d', sum(e.status = 'met'), count(*)) AS kpis_met,
       printf('%7s', printf('%d/%d', max(e.days_in_job), max(e.period_days))) AS in_job,
       printf('%8s', printf('%,d', CAST(round(max(e.total_payout)) AS INTEGER))) AS payout,
       term_text(coalesce(r.title_zh, '')) AS 中文
FROM v_evaluation e LEFT JOIN roles r ON r.role_id = e.role_id, temp.evaluation_args a
WHERE e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month AND e.days_in_job > 0
GROUP BY e.person_id ORDER BY e.person_id;
SELECT printf('%,d', CAST(round(sum(total)) AS INTEGER)) AS total_payout, '奖金合计' AS 中文
FROM (SELECT max(e.total_payout) AS total FROM v_evaluation e, temp.evaluation_args a
      WHERE e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month GROUP BY e.person_id);

-- 3. A running month: the days gone, each KPI's pace (a flow's actual a
-- day; a level's gain a day over its baseline) and the attainment
-- projected at that pace by the month's end (a ratio as it stands).
.mode list
.headers off
SELECT printf('%s3. The month so far: pace and projection 本月进度与预测 (day %d of %d)', char(10), elapsed, days)
FROM temp.evaluation_args WHERE running;
.mode column
.headers on
SELECT term_text(e.name) AS person, term_text(e.metric) AS metric,
       printf('%9s', CASE WHEN m.unit = 'share' THEN printf('%.1f%%', 100 * e.target) ELSE printf('%,d', CAST(round(e.target) AS INTEGER)) END) AS target,
       printf('%9s', CASE WHEN e.actual_to_date IS NULL THEN '-' WHEN m.unit = 'share' THEN printf('%.1f%%', 100 * e.actual_to_date) ELSE printf('%,d', CAST(round(e.actual_to_date) AS INTEGER)) END) AS so_far,
       printf('%8s', CASE WHEN e.pace IS NULL THEN '-' ELSE printf('%,.1f', e.pace) END) AS per_day,
       printf('%9s', CASE WHEN e.projected IS NULL THEN '-' WHEN m.unit = 'share' THEN printf('%.1f%%', 100 * e.projected) ELSE printf('%,d', CAST(round(e.projected) AS INTEGER)) END) AS projected,
       printf('%9s', CASE WHEN e.projected_attainment IS NULL THEN '-' ELSE printf('%.0f%%', 100 * e.projected_attainment) END) AS projected_done,
       term_text(e.name_zh) AS 中文
FROM v_evaluation e JOIN metrics m ON m.code = e.metric, temp.evaluation_args a
WHERE a.running AND e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month AND e.days_in_job > 0
ORDER BY e.person_id, e.weight DESC, e.metric;

-- With :record 1: store the month, for the people with a day in the job,
-- in one transaction.
BEGIN IMMEDIATE;
DELETE FROM evaluations
WHERE (SELECT record FROM temp.evaluation_args) = 1
  AND campaign_id = (SELECT campaign FROM temp.evaluation_args) AND grain = 'month'
  AND period = (SELECT month FROM temp.evaluation_args);
INSERT INTO evaluations(person_id, campaign_id, grain, period, score, payout, kpis_met, kpis, recorded_on)
SELECT e.person_id, e.campaign_id, 'month', e.period, max(e.score), max(e.total_payout),
       sum(e.status = 'met'), count(*), a.as_of
FROM v_evaluation e, temp.evaluation_args a
WHERE a.record = 1 AND e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month
  AND e.days_in_job > 0
GROUP BY e.person_id;
COMMIT;
