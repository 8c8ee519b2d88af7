-- plan-report.sql: the plan of a campaign, as the team reads it: its
-- accounts, phases and the growth each needs, each account's level against
-- its own path by month (drawn with bar()), the north star day by day
-- against its targets and floors (a sparkline() a month), the other
-- targets by month, the paths by week, the team with its hire-by dates.
-- Run plan.sql first (it writes the targets).  Everything comes from the
-- plan: the phases' accounts and metrics, the campaign's north star.
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1      -- default 1
--   sqlite3> .read sql/scripts/plan-report.sql
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('plan-report.sql');
DROP TABLE IF EXISTS temp.report_args;
CREATE TEMP TABLE report_args AS
SELECT c.campaign_id AS campaign, c.*, a.as_of
FROM (SELECT script_param('plan-report.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
             script_param('plan-report.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of) a
JOIN campaigns c ON c.campaign_id = a.campaign;
.mode list
.headers off
-- The campaign's accounts: its own, its phases', its goals', its funnels'
-- and the north star's.
DROP TABLE IF EXISTS temp.report_accounts;
CREATE TEMP TABLE report_accounts AS
SELECT a.account_id, a.name, a.name_zh, a.platform
FROM accounts a
WHERE a.account_id IN (
  SELECT account_id FROM temp.report_args UNION SELECT north_star_account_id FROM temp.report_args
  UNION SELECT account_id FROM v_phases WHERE campaign_id = (SELECT campaign FROM temp.report_args)
  UNION SELECT g.account_id FROM phase_goals g JOIN phases p ON p.phase_id = g.phase_id
         WHERE p.campaign_id = (SELECT campaign FROM temp.report_args)
  UNION SELECT account_id FROM funnels WHERE campaign_id = (SELECT campaign FROM temp.report_args));
SELECT printf('== %s  %s ==', term_text(name_en), term_text(name_zh)) FROM temp.report_args;
SELECT printf('north star 北极星指标: %s (%s) on %s   %s to %s   as of %s',
              term_text(m.name_en), term_text(m.name_zh), term_text(a.name), term_text(r.starts), term_text(r.ends), r.as_of)
FROM temp.report_args r JOIN metrics m ON m.code = r.north_star
JOIN accounts a ON a.account_id = coalesce(r.north_star_account_id, r.account_id);
SELECT printf('accounts 账号: %s', term_text(group_concat(printf('%s (%s, %s)', name, coalesce(name_zh, '-'), platform), '; ')))
FROM (SELECT * FROM temp.report_accounts ORDER BY account_id);
.print
.print 1. Phases and the growth each needs  阶段与所需增长
.mode column
.headers on
-- per_day: the gain a day; growth_a_month: growth_compound() over the
-- phase's months (a part-month by its share of days), the rate a phase
-- drawn 'compound' grows by every month
SELECT p.seq AS '#', term_text(a.name) AS account, term_text(p.name_en) AS phase, term_text(p.starts) AS "from",
       term_text(p.ends) AS "to", p.days,
       printf('%,d', CAST(p.start_value AS INTEGER)) AS start,
       printf('%,d', CAST(p.target_value AS INTEGER)) AS target,
       printf('%,d', CAST(round((p.target_value - p.start_value) / p.days) AS INTEGER)) AS per_day,
       CASE WHEN p.start_value > 0
            THEN printf('%.1f%%', 100 * growth_compound(p.start_value, p.target_value, p.months)) ELSE '-' END AS growth_a_month,
       term_text(p.method) AS method,
       term_text(p.name_zh || ' ' || m.name_zh) AS 中文
FROM v_phases p JOIN metrics m ON m.code = p.metric JOIN accounts a ON a.account_id = p.account_id
WHERE p.campaign_id = (SELECT campaign FROM temp.report_args) ORDER BY p.seq;

-- Each target of the plan (no person's or role's) with its actual, and
-- whether it is a level an account's phases draw a path for.
DROP TABLE IF EXISTS temp.report_targets;
CREATE TEMP TABLE report_targets AS
SELECT t.target_id, t.grain, t.period, t.first_day, t.last_day, t.account_id, a.name AS account, t.metric,
       t.name_zh, m.kind AS metric_kind, m.unit, t.target, t.floor, t.actual, t.attainment, t.status,
       t.elapsed_days < t.days AS running, t.on_pace,
       t.department, EXISTS (SELECT 1 FROM v_phases p WHERE p.campaign_id = t.campaign_id
                               AND p.account_id = t.account_id AND p.metric = t.metric) AS is_path
FROM v_target_attainment t JOIN metrics m ON m.code = t.metric JOIN accounts a ON a.account_id = t.account_id
WHERE t.campaign_id = (SELECT campaign FROM temp.report_args) AND t.grain IN ('week', 'month')
  AND t.person_id IS NULL AND t.role_id IS NULL;
-- the flows that are the daily change of a path's level (its gain)
DROP TABLE IF EXISTS temp.report_gains;
CREATE TEMP TABLE report_gains AS
SELECT l.target_id AS level_target, g.target AS gain, g.actual AS gained, g.target_id
FROM temp.report_targets l JOIN metrics m ON m.code = l.metric
JOIN temp.report_targets g ON g.grain = l.grain AND g.period = l.period AND g.account_id = l.account_id
                          AND g.metric = m.change_of
WHERE l.is_path;
.print
.print 2. Each account's level against its path, by month  各账号水平指标与目标路径(月)
-- path: the level to reach by the period's end (plan.sql); actual: the
-- period's last value; of_path: bar() of the actual against the path, 10
-- cells at 100%; gain: the period's daily change to reach it (net follows
-- for followers), and what it was.  By month here, by week in 5.
DROP VIEW IF EXISTS temp.report_paths;
CREATE TEMP VIEW report_paths AS
SELECT l.grain, l.period, l.first_day, l.last_day, l.account_id, l.account, l.metric,
       printf('%9s', CASE WHEN l.target IS NULL THEN '-' ELSE printf('%,d', CAST(round(l.target) AS INTEGER)) END) AS path,
       printf('%9s', CASE WHEN l.actual IS NULL THEN '-' ELSE printf('%,d', CAST(round(l.actual) AS INTEGER)) END) AS actual,
       coalesce(bar(l.actual, l.target, 10), '') AS of_path,
       printf('%8s', CASE WHEN g.gain IS NULL THEN '-' ELSE printf('%,d', CAST(round(g.gain) AS INTEGER)) END) AS gain,
       printf('%8s', CASE WHEN g.gained IS NULL THEN '-' ELSE printf('%,d', CAST(round(g.gained) AS INTEGER)) END) AS gained,
       l.name_zh
FROM temp.report_targets l
LEFT JOIN temp.report_gains g ON g.level_target = l.target_id
WHERE l.is_path;
SELECT term_text(period) AS month, term_text(account) AS account, term_text(metric) AS metric, path, actual, of_path,
       gain, gained, term_text(name_zh) AS 中文
FROM temp.report_paths WHERE grain = 'month'
ORDER BY account_id, metric, period;
.print
.print 3. The north star day by day  北极星指标每日走势
-- One line a month up to as_of: the campaign's north star, on its account
-- (a flow or a level as the day's value; a ratio as the day's numerator
-- over its denominator), one sparkline() character a day (a gap for a day
-- without data), its lowest and highest day, the day targets and floors
-- plan.sql writes, and the days that met their target (kpi_status) or
-- fell below their floor.
DROP TABLE IF EXISTS temp.report_north_star;
CREATE TEMP TABLE report_north_star AS
SELECT n.*, period_key(n.day, 'month') AS month
FROM v_north_star n, temp.report_args r
WHERE n.campaign_id = r.campaign AND n.day <= r.as_of;
-- values: a share as a percentage, another ratio with two decimals (never
-- rounded to 0), counts as whole numbers; a month whose days have
-- different targets (or floors) shows their range
SELECT term_text(month) AS month, line AS daily,
       printf('%8s', CASE WHEN unit = 'share' THEN printf('%.1f%%', 100 * low) WHEN kind = 'ratio' THEN printf('%.2f', low)
                          ELSE printf('%,d', CAST(round(low) AS INTEGER)) END) AS low,
       printf('%8s', CASE WHEN unit = 'share' THEN printf('%.1f%%', 100 * high) WHEN kind = 'ratio' THEN printf('%.2f', high)
                          ELSE printf('%,d', CAST(round(high) AS INTEGER)) END) AS high,
       printf('%8s', CASE WHEN target_lo IS NULL THEN '-' WHEN unit = 'share' THEN printf('%.1f%%', 100 * target_lo)
                          WHEN kind = 'ratio' THEN printf('%.2f', target_lo) ELSE printf('%,d', CAST(round(target_lo) AS INTEGER)) END
                     || CASE WHEN target_hi > target_lo THEN '-' || CASE WHEN unit = 'share' THEN printf('%.1f%%', 100 * target_hi)
                          WHEN kind = 'ratio' THEN printf('%.2f', target_hi) ELSE printf('%,d', CAST(round(target_hi) AS INTEGER)) END ELSE '' END) AS target,
       printf('%7s', CASE WHEN floor_lo IS NULL THEN '-' WHEN unit = 'share' THEN printf('%.1f%%', 100 * floor_lo)
                          WHEN kind = 'ratio' THEN printf('%.2f', floor_lo) ELSE printf('%,d', CAST(round(floor_lo) AS INTEGER)) END
                     || CASE WHEN floor_hi > floor_lo THEN '-' || CASE WHEN unit = 'share' THEN printf('%.1f%%', 100 * floor_hi)
                          WHEN kind = 'ratio' THEN printf('%.2f', floor_hi) ELSE printf('%,d', CAST(round(floor_hi) AS INTEGER)) END ELSE '' END) AS floor,
       CASE WHEN day_targets = 0 THEN '' ELSE printf('%d of %d', days_met, day_targets) END AS days_met,
       CASE WHEN day_floors = 0 THEN '' ELSE printf('%d', days_below) END AS below_floor,
       term_text(metric || ' ' || name_zh) AS 中文
FROM (
  SELECT month, metric, name_zh, kind, unit, min(line) AS line, min(value) AS low, max(value) AS high,
         min(target) AS target_lo, max(target) AS target_hi, min(floor) AS floor_lo, max(floor) AS floor_hi,
         sum(value IS NOT NULL AND kpi_status(value, target, NULL, direction) = 'met') AS days_met,
         count(target) AS day_targets, count(floor) AS day_floors,
         sum(value IS NOT NULL AND kpi_status(value, target, floor, direction) = 'below floor') AS days_below
  FROM (SELECT x.*, sparkline(value) OVER (PARTITION BY month ORDER BY day
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS line
        FROM temp.report_north_star x)
  GROUP BY month
  HAVING count(value) > 0
)
ORDER BY month;
.mode list
.headers off
SELECT printf('no data: the north star %s (%s) has no values on %s up to %s  北极星指标暂无数据', term_text(name_en), term_text(metric),
              term_text(account), term_text(day))
FROM (SELECT * FROM temp.report_north_star ORDER BY day DESC LIMIT 1)
WHERE NOT EXISTS (SELECT 1 FROM temp.report_north_star WHERE value IS NOT NULL);
.mode column
.headers on
.print
.print 4. The other targets by month  其他月度目标
-- Every month target that is not a path's level or its gain: flows
-- (orders, posts), ratios (conversion, open rate) with their floors;
-- done is kpi_attainment() (target / actual where lower is better)
SELECT term_text(t.period) AS month, term_text(t.account) AS account, term_text(t.metric) AS metric,
       printf('%9s', CASE WHEN t.unit = 'share' THEN printf('%.1f%%', 100 * t.target) WHEN t.metric_kind = 'ratio' THEN printf('%.2f', t.target)
                          ELSE printf('%,d', CAST(round(t.target) AS INTEGER)) END) AS target,
       printf('%9s', CASE WHEN t.floor IS NULL THEN '' WHEN t.unit = 'share' THEN printf('%.1f%%', 100 * t.floor)
                          WHEN t.metric_kind = 'ratio' THEN printf('%.2f', t.floor) ELSE printf('%,d', CAST(round(t.floor) AS INTEGER)) END) AS floor,
       printf('%9s', CASE WHEN t.actual IS NULL THEN '-' WHEN t.unit = 'share' THEN printf('%.1f%%', 100 * t.actual)
                          WHEN t.metric_kind = 'ratio' THEN printf('%.2f', t.actual) ELSE printf('%,d', CAST(round(t.actual) AS INTEGER)) END) AS actual,
       printf('%5s', CASE WHEN t.attainment IS NULL THEN '-' ELSE printf('%.0f%%', 100 * t.attainment) END) AS done,
       -- a flow of a month still running is judged by its pace (the target
       -- prorated to the days gone), not by the whole month's target
       term_text(CASE WHEN t.running AND t.on_pace IS NOT NULL THEN CASE WHEN t.on_pace THEN 'on pace' ELSE 'behind pace' END
                      ELSE t.status END) AS status,
       term_text(t.department) AS owner, term_text(t.name_zh) AS 中文
FROM temp.report_targets t
WHERE t.grain = 'month' AND NOT t.is_path AND t.target_id NOT IN (SELECT target_id FROM temp.report_gains)
ORDER BY t.account_id, t.metric, t.period;
.print
.print 5. Each account's level against its path, by week, this month and next  各账号目标路径(周)
SELECT term_text(period) AS week, term_text(first_day) AS monday, term_text(account) AS account, term_text(metric) AS metric,
       path, actual, of_path, gain, gained, term_text(name_zh) AS 中文
FROM temp.report_paths
WHERE grain = 'week'
  AND last_day >= date((SELECT as_of FROM temp.report_args), 'start of month')
  AND first_day <= date((SELECT as_of FROM temp.report_args), 'start of month', '+2 months', '-1 day')
ORDER BY account_id, metric, period;
DROP VIEW temp.report_paths;
.print
.print 6. The team, with hire-by dates  团队与招聘时间
SELECT term_text(s.code) AS role, s.heads, coalesce(s.needed, '') AS needed, term_text(s.joins_on) AS joins_on, s.hire_by,
       printf('%7s', printf('%,d', CAST(r.monthly_cost AS INTEGER))) AS monthly_cost,
       -- hired: the people in the job on as_of; one who left, or starts later, is named with the date
       (SELECT count(DISTINCT a.person_id) FROM assignments a WHERE a.role_id = s.role_id
         AND a.starts <= (SELECT as_of FROM temp.report_args)
         AND (a.ends IS NULL OR a.ends >= (SELECT as_of FROM temp.report_args))) AS hired,
       term_text(coalesce((SELECT group_concat(pe.name || CASE WHEN a.ends < (SELECT as_of FROM temp.report_args) THEN ' (to ' || a.ends || ')'
                                                              WHEN a.starts > (SELECT as_of FROM temp.report_args) THEN ' (from ' || a.starts || ')'
                                                              ELSE '' END, ', ')
                           FROM assignments a JOIN people pe ON pe.person_id = a.person_id
                           WHERE a.role_id = s.role_id), '') || ' · ' || s.title_zh) AS 人员与岗位
FROM (SELECT DISTINCT campaign_id, role_id, code, title_zh, joins_on, hire_by, heads, needed FROM v_staffing) s
JOIN roles r ON r.role_id = s.role_id
WHERE s.campaign_id = (SELECT campaign FROM temp.report_args) ORDER BY s.joins_on, s.role_id;
SELECT term_text(period) AS month, sum(heads) AS heads, printf('%9s', printf('%,d', CAST(sum(cost) AS INTEGER))) AS team_cost,
       '每月人力成本' AS 中文
FROM v_staffing WHERE campaign_id = (SELECT campaign FROM temp.report_args)
GROUP BY period ORDER BY period;
