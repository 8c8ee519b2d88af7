-- evaluation.sql: the month's evaluation and payouts (绩效考评).  Per
-- person: each KPI's target, actual, attainment and payout, the weighted
-- score and the money; with :record 1, stores them in evaluations.
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1          -- default 1
--   sqlite3> .parameter set :month "'2025-08'"   -- default: the last whole
--                                                --   month before as_of
--   sqlite3> .parameter set :record 1            -- default 0: only print
--   sqlite3> .read sql/scripts/evaluation.sql
--
-- Payout = bonus base x weight x the KPI's payout curve at its attainment
-- (v_evaluation).  Recording replaces that month's rows for the campaign.
.timeout 5000
DROP TABLE IF EXISTS temp.evaluation_args;
CREATE TEMP TABLE evaluation_args AS
SELECT coalesce(:campaign, 1) AS campaign,
       coalesce(:month, period_key(date((SELECT as_of FROM v_settings), '+1 day', 'start of month', '-1 day'), 'month')) AS month,
       coalesce(:record, 0) AS record;
SELECT 1 FROM (SELECT (SELECT printf('evaluation.sql: :month must be a month ''2025-08'' (in the shell: .parameter set :month "''2025-08''"), got %s', quote(month))
                       FROM temp.evaluation_args WHERE typeof(month) <> 'text' OR month NOT GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]') AS m)
WHERE raise_error(m);
.mode list
.headers off
SELECT printf('== Evaluation and payouts 绩效考评与奖金: %s, %s ==', c.name_en, a.month)
FROM temp.evaluation_args a JOIN campaigns c ON c.campaign_id = a.campaign;
.print
.print 1. Each KPI  各项指标
.mode column
.headers on
SELECT e.name AS person, e.metric,
       printf('%4.2f', e.weight) AS weight,
       printf('%9s', CASE WHEN m.unit = 'share' THEN printf('%.1f%%', 100 * e.target) ELSE printf('%,d', CAST(round(e.target) AS INTEGER)) END) AS target,
       printf('%9s', CASE WHEN e.actual IS NULL THEN '-' WHEN m.unit = 'share' THEN printf('%.1f%%', 100 * e.actual) ELSE printf('%,d', CAST(round(e.actual) AS INTEGER)) END) AS actual,
       printf('%6s', CASE WHEN (100 * e.attainment) IS NULL THEN '-' ELSE printf('%.0f%%', 100 * e.attainment) END) AS done,
       printf('%6s', CASE WHEN (100 * e.payout_share) IS NULL THEN '-' ELSE printf('%.0f%%', 100 * e.payout_share) END) AS pays,
       printf('%7s', printf('%,d', CAST(round(e.payout) AS INTEGER))) AS payout,
       e.status, e.name_zh AS 中文
FROM v_evaluation e JOIN metrics m ON m.code = e.metric, temp.evaluation_args a
WHERE e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month
ORDER BY e.person_id, e.weight DESC, e.metric;
.print
.print 2. Per person: score and payout  个人得分与奖金
SELECT e.name AS person, r.code AS role,
       printf('%5.2f', max(e.score)) AS score,
       printf('%d of %d', sum(e.status = 'met'), count(*)) AS kpis_met,
       printf('%8s', printf('%,d', CAST(round(max(e.total_payout)) AS INTEGER))) AS payout,
       coalesce(r.title_zh, '') AS 中文
FROM v_evaluation e LEFT JOIN roles r ON r.role_id = e.role_id, temp.evaluation_args a
WHERE e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month
GROUP BY e.person_id ORDER BY e.person_id;
SELECT printf('%,d', CAST(round(sum(total)) AS INTEGER)) AS total_payout, '奖金合计' AS 中文
FROM (SELECT max(e.total_payout) AS total FROM v_evaluation e, temp.evaluation_args a
      WHERE e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month GROUP BY e.person_id);

-- With :record 1: store the month.
DELETE FROM evaluations
WHERE (SELECT record FROM temp.evaluation_args) = 1
  AND campaign_id = (SELECT campaign FROM temp.evaluation_args) AND grain = 'month'
  AND period = (SELECT month FROM temp.evaluation_args);
INSERT INTO evaluations(person_id, campaign_id, grain, period, score, payout, kpis_met, kpis, recorded_on)
SELECT e.person_id, e.campaign_id, 'month', e.period, max(e.score), max(e.total_payout),
       sum(e.status = 'met'), count(*), (SELECT as_of FROM v_settings)
FROM v_evaluation e, temp.evaluation_args a
WHERE a.record = 1 AND e.campaign_id = a.campaign AND e.grain = 'month' AND e.period = a.month
GROUP BY e.person_id;
