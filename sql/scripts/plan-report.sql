-- plan-report.sql: the plan of a campaign, as the team reads it: phases and
-- the growth each needs, targets by month (followers against the target
-- drawn with bar()), the north star day by day (a sparkline() a month),
-- targets by week, the team with its hire-by dates.  Run plan.sql first
-- (it writes the targets).
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
SELECT printf('== %s  %s ==', name_en, name_zh) FROM temp.report_args;
SELECT printf('account: %s (%s)   north star 北极星指标: %s (%s)   %s to %s   as of %s',
              a.name, a.name_zh, m.name_en, m.name_zh, r.starts, r.ends, r.as_of)
FROM temp.report_args r JOIN accounts a ON a.account_id = r.account_id JOIN metrics m ON m.code = r.north_star;
.print
.print 1. Phases and the growth each needs  阶段与所需增长
.mode column
.headers on
SELECT p.seq AS '#', p.name_en AS phase, p.starts AS "from", p.ends AS "to",
       CAST(julianday(p.ends) - julianday(p.starts) + 1 AS INTEGER) AS days,
       printf('%,d', CAST(p.start_value AS INTEGER)) AS start,
       printf('%,d', CAST(p.target_value AS INTEGER)) AS target,
       printf('%,d', CAST(round((p.target_value - p.start_value) / (julianday(p.ends) - julianday(p.starts) + 1)) AS INTEGER)) AS per_day,
       CASE WHEN p.start_value > 0 THEN printf('%.0f%%', 100 * (pow(p.target_value / p.start_value,
            30.4375 / (julianday(p.ends) - julianday(p.starts) + 1)) - 1)) ELSE '-' END AS growth_a_month,
       p.method,
       p.name_zh || ' ' || m.name_zh AS 中文
FROM phases p JOIN metrics m ON m.code = p.metric
WHERE p.campaign_id = (SELECT campaign FROM temp.report_args) ORDER BY p.seq;
.print
.print 2. Targets by month  月度目标
SELECT period AS month,
       printf('%9s', CASE WHEN followers IS NULL THEN '-' ELSE printf('%,d', CAST(followers AS INTEGER)) END) AS followers,
       printf('%9s', CASE WHEN followers_actual IS NULL THEN '-' ELSE printf('%,d', CAST(followers_actual AS INTEGER)) END) AS actual,
       coalesce(bar(followers_actual, followers, 10), '') AS of_target,
       printf('%11s', CASE WHEN net IS NULL THEN '-' ELSE printf('%,d', CAST(net AS INTEGER)) END) AS net_follows,
       printf('%8s', CASE WHEN orders IS NULL THEN '-' ELSE printf('%,d', CAST(orders AS INTEGER)) END) AS orders,
       printf('%8s', CASE WHEN orders_actual IS NULL THEN '-' ELSE printf('%,d', CAST(orders_actual AS INTEGER)) END) AS actual_,
       printf('%13s', CASE WHEN registrations IS NULL THEN '-' ELSE printf('%,d', CAST(registrations AS INTEGER)) END) AS registrations,
       printf('%5s', CASE WHEN posts IS NULL THEN '-' ELSE printf('%,d', CAST(posts AS INTEGER)) END) AS posts,
       targets_met
FROM (
  SELECT t.period,
         sum(CASE WHEN t.metric = 'wx_followers' THEN t.target END) AS followers,
         sum(CASE WHEN t.metric = 'wx_followers' THEN t.actual END) AS followers_actual,
         sum(CASE WHEN t.metric = 'wx_net_follows' THEN t.target END) AS net,
         sum(CASE WHEN t.metric = 'o2o_orders' THEN t.target END) AS orders,
         sum(CASE WHEN t.metric = 'o2o_orders' THEN t.actual END) AS orders_actual,
         sum(CASE WHEN t.metric = 'o2o_new_registrations' THEN t.target END) AS registrations,
         sum(CASE WHEN t.metric = 'wb_posts' THEN t.target END) AS posts,
         CASE WHEN count(t.actual) = 0 THEN '' ELSE printf('%d of %d', sum(t.status = 'met'), count(t.actual)) END AS targets_met
  FROM v_target_attainment t
  WHERE t.campaign_id = (SELECT campaign FROM temp.report_args) AND t.grain = 'month'
  GROUP BY t.period
) ORDER BY period;
.print
.print 3. The north star day by day  北极星指标每日走势
-- One line a month up to as_of: the campaign's north star (daily orders
-- for an O2O service) as a sparkline(), one character a day (a gap for a
-- day without data), the lowest and highest day, and the days that met
-- their day target (kpi_status; plan.sql writes them).
SELECT month, line AS daily, printf('%7s', printf('%,d', CAST(round(low) AS INTEGER))) AS low,
       printf('%7s', printf('%,d', CAST(round(high) AS INTEGER))) AS high,
       CASE WHEN day_targets = 0 THEN '' ELSE printf('%d of %d', days_met, day_targets) END AS days_met,
       metric || ' ' || name_zh AS 中文
FROM (
  SELECT month, metric, name_zh, min(line) AS line, min(value) AS low, max(value) AS high,
         sum(kpi_status(value, target, NULL, direction) = 'met') AS days_met, count(target) AS day_targets
  FROM (SELECT x.*, sparkline(value) OVER (PARTITION BY month ORDER BY day
                                            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS line
        FROM (
    SELECT period_key(d.key, 'month') AS month, m.code AS metric, m.name_zh, m.direction, d.key AS day,
           CASE m.kind
             WHEN 'ratio' THEN (SELECT n.value / nullif(dn.value, 0) FROM metric_values n JOIN metric_values dn
                                  ON dn.account_id = n.account_id AND dn.metric = m.denominator AND dn.day = n.day
                                WHERE n.account_id = r.account_id AND n.metric = m.numerator AND n.day = d.key)
             ELSE (SELECT v.value FROM metric_values v WHERE v.account_id = r.account_id AND v.metric = m.code AND v.day = d.key)
           END AS value,
           (SELECT t.value FROM targets t WHERE t.campaign_id = r.campaign AND t.metric = m.code AND t.grain = 'day'
              AND t.period = d.key AND t.person_id IS NULL AND t.role_id IS NULL ORDER BY t.target_id LIMIT 1) AS target,
           d.first_day
    FROM temp.report_args r JOIN metrics m ON m.code = r.north_star
    JOIN periods(r.starts, min(r.ends, r.as_of), 'day') d
        ) x)
  GROUP BY month
  HAVING count(value) > 0
)
ORDER BY month;
.print
.print 4. Targets by week, this month and next  周目标
SELECT period AS week, first_day AS monday,
       printf('%9s', CASE WHEN followers IS NULL THEN '-' ELSE printf('%,d', CAST(followers AS INTEGER)) END) AS followers,
       printf('%9s', CASE WHEN followers_actual IS NULL THEN '-' ELSE printf('%,d', CAST(followers_actual AS INTEGER)) END) AS actual,
       coalesce(bar(followers_actual, followers, 10), '') AS of_target,
       printf('%11s', CASE WHEN net IS NULL THEN '-' ELSE printf('%,d', CAST(net AS INTEGER)) END) AS net_follows,
       printf('%8s', CASE WHEN orders IS NULL THEN '-' ELSE printf('%,d', CAST(orders AS INTEGER)) END) AS orders,
       printf('%8s', CASE WHEN orders_actual IS NULL THEN '-' ELSE printf('%,d', CAST(orders_actual AS INTEGER)) END) AS actual_,
       printf('%13s', CASE WHEN registrations IS NULL THEN '-' ELSE printf('%,d', CAST(registrations AS INTEGER)) END) AS registrations
FROM (
  SELECT t.period, min(t.first_day) AS first_day,
         sum(CASE WHEN t.metric = 'wx_followers' THEN t.target END) AS followers,
         sum(CASE WHEN t.metric = 'wx_followers' THEN t.actual END) AS followers_actual,
         sum(CASE WHEN t.metric = 'wx_net_follows' THEN t.target END) AS net,
         sum(CASE WHEN t.metric = 'o2o_orders' THEN t.target END) AS orders,
         sum(CASE WHEN t.metric = 'o2o_orders' THEN t.actual END) AS orders_actual,
         sum(CASE WHEN t.metric = 'o2o_new_registrations' THEN t.target END) AS registrations
  FROM v_target_attainment t
  WHERE t.campaign_id = (SELECT campaign FROM temp.report_args) AND t.grain = 'week'
    AND t.last_day >= date((SELECT as_of FROM temp.report_args), 'start of month')
    AND t.first_day <= date((SELECT as_of FROM temp.report_args), 'start of month', '+2 months', '-1 day')
  GROUP BY t.period
) ORDER BY period;
.print
.print 5. The team, with hire-by dates  团队与招聘时间
SELECT s.code AS role, s.heads, coalesce(s.needed, '') AS needed, s.joins_on, s.hire_by,
       printf('%7s', printf('%,d', CAST(r.monthly_cost AS INTEGER))) AS monthly_cost,
       (SELECT count(DISTINCT a.person_id) FROM assignments a WHERE a.role_id = s.role_id
         AND a.starts <= (SELECT as_of FROM temp.report_args)) AS hired,
       coalesce((SELECT group_concat(pe.name, ', ') FROM assignments a JOIN people pe ON pe.person_id = a.person_id
                 WHERE a.role_id = s.role_id), '') || ' · ' || s.title_zh AS 人员与岗位
FROM (SELECT DISTINCT campaign_id, role_id, code, title_zh, joins_on, hire_by, heads, needed FROM v_staffing) s
JOIN roles r ON r.role_id = s.role_id
WHERE s.campaign_id = (SELECT campaign FROM temp.report_args) ORDER BY s.joins_on, s.role_id;
SELECT period AS month, sum(heads) AS heads, printf('%9s', printf('%,d', CAST(sum(cost) AS INTEGER))) AS team_cost,
       '每月人力成本' AS 中文
FROM v_staffing WHERE campaign_id = (SELECT campaign FROM temp.report_args)
GROUP BY period ORDER BY period;
