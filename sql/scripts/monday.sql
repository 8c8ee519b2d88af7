-- monday.sql: the Monday report.  Last week against its targets (what is
-- behind, and by how much, with a bar of the attainment), last week day by
-- day (a sparkline a metric: daily orders, followers, ...), the funnel of
-- last week, this week's targets.
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1            -- default 1
--   sqlite3> .parameter set :week "'2025-08-25'"   -- last week's Monday
--   sqlite3> .read sql/scripts/monday.sql
--
-- :week defaults to the last whole week before as_of (settings, else
-- today).  In the shell a date must be quoted twice, as above: unquoted,
-- 2025-08-25 is arithmetic.  The report reads the targets of the two weeks
-- and, through the primary key of metric_values, only those weeks' values
-- (bench/toolkit measures it).
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('monday.sql');
DROP TABLE IF EXISTS temp.monday_args;
CREATE TEMP TABLE monday_args AS
SELECT campaign, week, date(week, '+6 days') AS week_end,
       date(week, '+7 days') AS next_week, date(week, '+13 days') AS next_end,
       period_key(week, 'week') AS week_key, period_key(date(week, '+7 days'), 'week') AS next_key
FROM (SELECT script_param('monday.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
             script_param('monday.sql', ':week', :week, 'week', date(as_of, '-6 days')) AS week
      FROM (SELECT script_param('monday.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of));

-- Each target of the two weeks with its actual: a flow summed over the
-- week's days, a level's last value, a ratio of the sums of its parts.
DROP TABLE IF EXISTS temp.monday;
CREATE TEMP TABLE monday AS
SELECT t.target_id, t.account_id, t.period, t.metric, m.name_en, m.name_zh, m.kind AS metric_kind, m.direction, m.unit,
       t.kind, t.department, t.value AS target, t.floor, t.first_day, t.last_day,
       CASE m.kind
         WHEN 'flow' THEN (SELECT sum(v.value) FROM metric_values v
                           WHERE v.account_id = t.account_id AND v.metric = t.metric
                             AND v.day BETWEEN t.first_day AND t.last_day)
         WHEN 'level' THEN (SELECT v.value FROM metric_values v
                            WHERE v.account_id = t.account_id AND v.metric = t.metric
                              AND v.day BETWEEN t.first_day AND t.last_day ORDER BY v.day DESC LIMIT 1)
         ELSE (SELECT sum(v.value) FROM metric_values v
               WHERE v.account_id = t.account_id AND v.metric = m.numerator
                 AND v.day BETWEEN t.first_day AND t.last_day)
            / (SELECT sum(v.value) FROM metric_values v
               WHERE v.account_id = t.account_id AND v.metric = m.denominator
                 AND v.day BETWEEN t.first_day AND t.last_day)
       END AS actual
FROM v_targets t JOIN metrics m ON m.code = t.metric
WHERE t.campaign_id = (SELECT campaign FROM temp.monday_args) AND t.grain = 'week'
  AND t.period IN ((SELECT week_key FROM temp.monday_args), (SELECT next_key FROM temp.monday_args));

.mode list
.headers off
SELECT printf('== Monday report 周一例会: %s, week %s (%s to %s) ==', c.name_en, a.week_key, a.week, a.week_end)
FROM temp.monday_args a JOIN campaigns c ON c.campaign_id = a.campaign;
.print
.print 1. Last week against its targets and floors  上周目标达成
.mode column
.headers on
-- attainment: kpi_attainment() (target / actual where lower is better),
-- drawn as a bar() 10 cells wide at 100% (clipped above it);
-- status: kpi_status() against the target and the floor
SELECT metric,
       printf('%10s', CASE WHEN unit IN ('share') THEN printf('%.1f%%', 100 * target) ELSE printf('%,d', CAST(round(target) AS INTEGER)) END) AS target,
       printf('%10s', CASE WHEN floor IS NULL THEN '' WHEN unit IN ('share') THEN printf('%.1f%%', 100 * floor) ELSE printf('%,d', CAST(round(floor) AS INTEGER)) END) AS floor,
       printf('%10s', CASE WHEN actual IS NULL THEN '-' WHEN unit IN ('share') THEN printf('%.1f%%', 100 * actual) ELSE printf('%,d', CAST(round(actual) AS INTEGER)) END) AS actual,
       printf('%6s', CASE WHEN attainment IS NULL THEN '-' ELSE printf('%.0f%%', 100 * attainment) END) AS done,
       coalesce(bar(attainment, 1, 10), '') AS progress,
       status,
       printf('%10s', CASE WHEN status IN ('no data', 'met') THEN ''
                           WHEN unit = 'share' THEN printf('%.1f pt', 100 * abs(target - actual))
                           ELSE printf('%,d', CAST(round(abs(target - actual)) AS INTEGER)) END) AS behind_by,
       department AS owner,
       name_zh || ' ' || CASE status WHEN 'no data' THEN '无数据' WHEN 'met' THEN '达成'
                                     WHEN 'below floor' THEN '低于保底' ELSE '落后' END AS 中文
FROM (SELECT *, kpi_attainment(actual, target, direction) AS attainment,
             CASE WHEN actual IS NULL THEN 'no data' ELSE kpi_status(actual, target, floor, direction) END AS status
      FROM temp.monday WHERE period = (SELECT week_key FROM temp.monday_args))
ORDER BY status IN ('no data', 'met'), metric;
.print
.print 2. Last week day by day, Monday to Sunday  上周每日走势
-- Each flow and level with a target last week: its daily values as a
-- sparkline() (a gap for a day without data), the lowest and highest day,
-- and on how many days the day's target (plan.sql writes them) was met.
SELECT metric, line AS mon_to_sun,
       printf('%9s', CASE WHEN low IS NULL THEN '-' ELSE printf('%,d', CAST(round(low) AS INTEGER)) END) AS low,
       printf('%9s', CASE WHEN high IS NULL THEN '-' ELSE printf('%,d', CAST(round(high) AS INTEGER)) END) AS high,
       CASE WHEN day_targets = 0 THEN '' ELSE printf('%d of %d', days_met, day_targets) END AS days_met,
       name_zh AS 中文
FROM (
  SELECT metric, name_zh, min(line) AS line, min(value) AS low, max(value) AS high,
         sum(kpi_status(value, target, NULL, direction) = 'met') AS days_met,
         count(target) AS day_targets
  FROM (
    SELECT k.metric, k.name_zh, k.direction, d.key AS day, v.value,
           (SELECT dt.value FROM targets dt
             WHERE dt.campaign_id = (SELECT campaign FROM temp.monday_args) AND dt.metric = k.metric
               AND dt.grain = 'day' AND dt.period = d.key AND dt.person_id IS NULL AND dt.role_id IS NULL
             ORDER BY dt.target_id LIMIT 1) AS target,
           sparkline(v.value) OVER (PARTITION BY k.metric ORDER BY d.key
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS line
    FROM (SELECT DISTINCT metric, name_zh, direction, account_id FROM temp.monday
          WHERE period = (SELECT week_key FROM temp.monday_args) AND metric_kind IN ('flow', 'level')) k
    CROSS JOIN periods((SELECT week FROM temp.monday_args), (SELECT week_end FROM temp.monday_args), 'day') d
    LEFT JOIN metric_values v ON v.account_id = k.account_id AND v.metric = k.metric AND v.day = d.key
  )
  GROUP BY metric
)
ORDER BY metric;
.print
.print 3. Last week's funnel  上周转化漏斗
-- funnel_stages() over the week's sums: visitors, new registrations,
-- orders (their last rate is the order conversion, floor 8%).  Counts that
-- rise from one step to the next are no funnel: then a note instead.
DROP TABLE IF EXISTS temp.monday_funnel;
CREATE TEMP TABLE monday_funnel AS
SELECT f.step, f.stage, f.stage_zh,
       (SELECT sum(v.value) FROM metric_values v
         WHERE v.account_id = (SELECT c.account_id FROM campaigns c WHERE c.campaign_id = (SELECT campaign FROM temp.monday_args))
           AND v.metric = f.metric
           AND v.day BETWEEN (SELECT week FROM temp.monday_args) AND (SELECT week_end FROM temp.monday_args)) AS users
FROM (SELECT 1 AS step, 'visitors' AS stage, '访问用户' AS stage_zh, 'o2o_visitors' AS metric
      UNION ALL SELECT 2, 'new registrations', '新注册', 'o2o_new_registrations'
      UNION ALL SELECT 3, 'orders', '订单', 'o2o_orders') f;
SELECT s.step, s.name AS stage, printf('%9s', printf('%,d', CAST(s.users AS INTEGER))) AS users,
       printf('%9s', CASE WHEN (100 * s.step_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.step_rate) END) AS step_rate,
       printf('%8s', CASE WHEN (100 * s.overall_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.overall_rate) END) AS overall,
       printf('%9s', CASE WHEN (CAST(s.drop_off AS INTEGER)) IS NULL THEN '' ELSE printf('%,d', CAST(s.drop_off AS INTEGER)) END) AS drop_off,
       f.stage_zh AS 中文
FROM funnel_stages((SELECT CASE WHEN count(users) = 3 AND max(users > prev) = 0
                                THEN json_group_array(json_array(stage, users)) END
                    FROM (SELECT stage, users, lag(users) OVER (ORDER BY step) AS prev FROM temp.monday_funnel ORDER BY step))) s
JOIN temp.monday_funnel f ON f.step = s.step
ORDER BY s.step;
.mode list
.headers off
SELECT CASE WHEN count(users) < 3 THEN 'no funnel: the week has no O2O numbers  无漏斗数据'
            ELSE 'no funnel: a later step counts more than the one before  各步数字不递减,无法构成漏斗' END
FROM temp.monday_funnel
HAVING count(users) < 3 OR max(users > (SELECT f2.users FROM temp.monday_funnel f2 WHERE f2.step = temp.monday_funnel.step - 1)) = 1;
.mode column
.headers on
.print
.print 4. This week's targets  本周目标
SELECT metric,
       printf('%10s', CASE WHEN unit IN ('share') THEN printf('%.1f%%', 100 * target) ELSE printf('%,d', CAST(round(target) AS INTEGER)) END) AS target,
       printf('%10s', CASE WHEN floor IS NULL THEN '' WHEN unit IN ('share') THEN printf('%.1f%%', 100 * floor) ELSE printf('%,d', CAST(round(floor) AS INTEGER)) END) AS floor,
       printf('%10s', CASE WHEN metric_kind = 'flow' THEN printf('%,d', CAST(round(target / 7.0) AS INTEGER)) ELSE '' END) AS per_day,
       kind, department AS owner, name_zh AS 中文
FROM temp.monday WHERE period = (SELECT next_key FROM temp.monday_args)
ORDER BY metric;
.print
.print 5. Tasks: last week's checked, this week's due  任务: 上周检查与本周到期
-- The tasks table's assign -> coach -> check loop: the tasks checked last
-- week (or due in it and not checked), their result against the result
-- expected; then the tasks due this week, with their coaching so far.
.print last week, checked or due  上周已检查或到期的任务
SELECT pe.name AS person, t.title AS task, coalesce(t.metric, '') AS metric,
       printf('%9s', printf('%,d', CAST(round(t.expected) AS INTEGER))) AS expected,
       printf('%9s', CASE WHEN t.checked_on IS NULL THEN '-' ELSE printf('%,d', CAST(round(t.result) AS INTEGER)) END) AS result,
       printf('%6s', CASE WHEN t.checked_on IS NULL OR t.expected = 0 THEN '-' ELSE printf('%.0f%%', 100.0 * t.result / t.expected) END) AS done,
       t.due, coalesce(t.checked_on, 'not checked') AS checked,
       CASE WHEN t.checked_on IS NULL THEN '未检查' WHEN t.result >= t.expected THEN '达成' ELSE '未达成' END AS 中文
FROM tasks t JOIN people pe ON pe.person_id = t.person_id, temp.monday_args a
WHERE t.campaign_id = a.campaign
  AND (t.checked_on BETWEEN a.week AND a.week_end OR (t.checked_on IS NULL AND t.due BETWEEN a.week AND a.week_end))
ORDER BY pe.name, t.due, t.task_id;
.print this week, due  本周到期的任务
SELECT pe.name AS person, t.title AS task, coalesce(t.metric, '') AS metric,
       printf('%9s', printf('%,d', CAST(round(t.expected) AS INTEGER))) AS expected,
       t.assigned_on AS assigned, t.due, coalesce(t.coached_on, 'not yet') AS coached,
       coalesce(t.coaching, '') AS coaching
FROM tasks t JOIN people pe ON pe.person_id = t.person_id, temp.monday_args a
WHERE t.campaign_id = a.campaign AND t.due BETWEEN a.next_week AND a.next_end
ORDER BY pe.name, t.due, t.task_id;
