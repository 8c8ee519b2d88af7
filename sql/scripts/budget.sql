-- budget.sql: the budget report.  Per phase and category, per month and
-- category (and each month's total), and per line: planned, actual,
-- variance, the plan prorated to as_of and the pacing; the channels' cost
-- per follower and how steady their inflow is.
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1      -- default 1
--   sqlite3> .read sql/scripts/budget.sql
--
-- as_of is settings' 'as_of', else today.  Pacing above 1 spends ahead
-- of the plan's time; variance = actual - planned.  A line with a month
-- is that month's; a line with dates (its own, its phase's or the
-- campaign's) is spread over its months by calendar days, its actual over
-- its days gone (v_budget_month).
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('budget.sql');
DROP TABLE IF EXISTS temp.budget_args;
CREATE TEMP TABLE budget_args AS
SELECT script_param('budget.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
       script_param('budget.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of;
.mode list
.headers off
SELECT printf('== Budget 预算: %s, as of %s ==', term_text(c.name_en), a.as_of)
FROM temp.budget_args a JOIN campaigns c ON c.campaign_id = a.campaign;
.print
.print 1. By phase and category  按阶段和类别
.mode column
.headers on
SELECT term_text(coalesce(p.name_en, 'whole campaign')) AS phase, term_text(b.category) AS category,
       printf('%9s', printf('%,d', CAST(sum(b.planned) AS INTEGER))) AS planned,
       printf('%9s', printf('%,d', CAST(sum(b.actual) AS INTEGER))) AS actual,
       printf('%9s', printf('%,d', CAST(sum(b.variance) AS INTEGER))) AS variance,
       printf('%7s', CASE WHEN (100 * sum(b.variance) / nullif(sum(b.planned), 0)) IS NULL THEN '' ELSE printf('%+.1f%%', 100 * sum(b.variance) / nullif(sum(b.planned), 0)) END) AS var_pct,
       printf('%9s', printf('%,d', CAST(round(sum(b.prorated_plan)) AS INTEGER))) AS prorated,
       printf('%6s', CASE WHEN (sum(b.actual) / nullif(sum(b.prorated_plan), 0)) IS NULL THEN '' ELSE printf('%.2f', sum(b.actual) / nullif(sum(b.prorated_plan), 0)) END) AS pacing,
       term_text(coalesce(p.name_zh, '全程')) || ' ' || CASE b.category WHEN 'salaries' THEN '工资' WHEN 'promotion' THEN '推广'
         WHEN 'prizes' THEN '奖品' WHEN 'placements' THEN '投放' WHEN 'events' THEN '活动' WHEN 'tools' THEN '工具' ELSE '其他' END AS 中文
FROM v_budget_variance b LEFT JOIN phases p ON p.phase_id = b.phase_id
WHERE b.campaign_id = (SELECT campaign FROM temp.budget_args)
GROUP BY b.phase_id, b.category ORDER BY p.seq IS NULL, p.seq, b.category;
SELECT 'total' AS total,
       printf('%9s', printf('%,d', CAST(sum(planned) AS INTEGER))) AS planned,
       printf('%9s', printf('%,d', CAST(sum(actual) AS INTEGER))) AS actual,
       printf('%9s', printf('%,d', CAST(sum(variance) AS INTEGER))) AS variance,
       printf('%7s', CASE WHEN (100 * sum(variance) / nullif(sum(planned), 0)) IS NULL THEN '' ELSE printf('%+.1f%%', 100 * sum(variance) / nullif(sum(planned), 0)) END) AS var_pct,
       printf('%9s', printf('%,d', CAST(round(sum(prorated_plan)) AS INTEGER))) AS prorated,
       printf('%.2f', sum(actual) / nullif(sum(prorated_plan), 0)) AS pacing, '合计' AS 中文
FROM v_budget_variance WHERE campaign_id = (SELECT campaign FROM temp.budget_args);
.print
.print 2. By month and category  按月和类别
-- each month's categories, then the month's total ('all'); a future month
-- has no prorated plan yet, so no pacing
SELECT term_text(month) AS month, term_text(category) AS category,
       printf('%9s', printf('%,d', CAST(round(planned) AS INTEGER))) AS planned,
       printf('%9s', printf('%,d', CAST(round(actual) AS INTEGER))) AS actual,
       printf('%9s', printf('%,d', CAST(round(actual - planned) AS INTEGER))) AS variance,
       printf('%7s', CASE WHEN planned = 0 THEN '' ELSE printf('%+.1f%%', 100 * (actual - planned) / planned) END) AS var_pct,
       printf('%9s', printf('%,d', CAST(round(prorated) AS INTEGER))) AS prorated,
       printf('%6s', CASE WHEN prorated = 0 THEN '' ELSE printf('%.2f', actual / prorated) END) AS pacing,
       CASE category WHEN 'all' THEN '当月合计' WHEN 'salaries' THEN '工资' WHEN 'promotion' THEN '推广' WHEN 'prizes' THEN '奖品'
         WHEN 'placements' THEN '投放' WHEN 'events' THEN '活动' WHEN 'tools' THEN '工具' ELSE '其他' END AS 中文
FROM (
  SELECT month, category, 0 AS total_row, sum(planned) AS planned, sum(actual) AS actual, sum(prorated_plan) AS prorated
  FROM v_budget_month WHERE campaign_id = (SELECT campaign FROM temp.budget_args) GROUP BY month, category
  UNION ALL
  SELECT month, 'all', 1, sum(planned), sum(actual), sum(prorated_plan)
  FROM v_budget_month WHERE campaign_id = (SELECT campaign FROM temp.budget_args) GROUP BY month
)
ORDER BY month, total_row, category;
.print
.print 3. Lines over their plan  超支的预算项
SELECT line_id AS line, term_text(category) AS category, printf('%9s', printf('%,d', CAST(planned AS INTEGER))) AS planned,
       printf('%9s', printf('%,d', CAST(actual AS INTEGER))) AS actual,
       printf('%9s', printf('%+,d', CAST(variance AS INTEGER))) AS variance,
       printf('%7s', printf('%+.1f%%', 100 * variance_pct)) AS var_pct, term_text(item) AS item
FROM v_budget_variance
WHERE campaign_id = (SELECT campaign FROM temp.budget_args) AND variance > 0
ORDER BY variance DESC;
.print
.print 4. Channels: cost per follower and steadiness  渠道效率
SELECT term_text(code) AS channel, printf('%8s', printf('%,d', CAST(coalesce(spend, 0) AS INTEGER))) AS spend,
       printf('%8s', CASE WHEN followers IS NULL THEN '-' ELSE printf('%,d', CAST(followers AS INTEGER)) END) AS followers,
       printf('%8s', CASE WHEN (cost_per_follower) IS NULL THEN '' ELSE printf('%.2f', cost_per_follower) END) AS per_follower,
       printf('%5s', CASE WHEN (cv) IS NULL THEN '' ELSE printf('%.2f', cv) END) AS cv, coalesce(zero_days, '') AS zero_days,
       coalesce(steadiness, '') AS steadiness,
       term_text(name_zh) || ' ' || CASE steadiness WHEN 'steady' THEN '稳定' WHEN 'uneven' THEN '波动' WHEN 'spiky' THEN '脉冲' ELSE '' END AS 中文
FROM v_channel_efficiency WHERE campaign_id = (SELECT campaign FROM temp.budget_args)
ORDER BY cost_per_follower IS NULL, cost_per_follower;
-- a campaign without channels says so, rather than an empty section
.headers off
.mode list
-- a channel with spend and no followers recorded is not one that brought none
SELECT printf('no followers recorded for %s: add what each brought a day to channel_values (its inflow metric) to see its cost per follower',
              term_text(group_concat(code, ', ')))
FROM v_channel_efficiency WHERE campaign_id = (SELECT campaign FROM temp.budget_args) AND followers IS NULL
HAVING count(*) > 0;
SELECT 'no channels in this campaign: add them to channels (and their followers to channel_values) to see what each costs a follower'
WHERE NOT EXISTS (SELECT 1 FROM v_channel_efficiency WHERE campaign_id = (SELECT campaign FROM temp.budget_args));
