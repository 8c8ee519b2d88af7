-- report.sql: the Monday meeting's report as one self-contained HTML page
-- (inline CSS and SVG, nothing fetched from the network).
--
--   sqlite3 -cmd '.load growthops' plan.db '.read sql/reports/report.sql' > report.html
--
-- or in the shell, with parameters:
--
--   sqlite3> .load ./growthops
--   sqlite3> .parameter set :campaign 1             -- default: the first campaign
--   sqlite3> .parameter set :as_of "'2025-08-31'"   -- default: settings' as_of,
--                                                   -- else the last day with data
--   sqlite3> .once report.html
--   sqlite3> .read sql/reports/report.sql
--
-- The page, in Chinese and English:
--   1. followers against the target path: the phases' level metric day by
--      day, and the milestone path growth_path() draws from each phase's
--      start_value to its target_value;
--   2. last week's funnel: visitors, new registrations, orders, with the
--      step rates (funnel_stages()) and the order conversion floor of 8%;
--   3. KPI attainment: last week's targets against their actuals, with the
--      target (100%) and the floor (保底) marked;
--   4. budget burn: each category's spend against its plan prorated to
--      as_of (pacing = spend / prorated plan).
-- A section without data says which data is missing; a database without
-- the toolkit's tables (schemas/growthops.sql) gives a page that says so.
-- The script only reads: its work tables are in temp and in an attached
-- in-memory database.
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('report.sql');
.headers off
.mode list
.nullvalue ''

-- The tables the report reads, empty, in a database of their own: where
-- the main database lacks one, SQLite finds this one (main comes first), so
-- that every query below can be prepared on any database.  (Without .bail:
-- a run stopped by a wrong parameter leaves it attached for the next.)
.bail off
ATTACH ':memory:' AS report_empty;
CREATE TABLE report_empty.settings(name, value);
CREATE TABLE report_empty.campaigns(campaign_id, name_en, name_zh, account_id, north_star, starts, ends);
CREATE TABLE report_empty.phases(phase_id, campaign_id, seq, name_en, name_zh, starts, ends, metric,
                                 start_value, target_value, method);
CREATE TABLE report_empty.metrics(code, name_en, name_zh, kind, unit, direction, numerator, denominator);
CREATE TABLE report_empty.metric_values(account_id, metric, day, value);
CREATE TABLE report_empty.targets(target_id, campaign_id, metric, account_id, grain, period, value, floor,
                                  kind, department);
CREATE TABLE report_empty.budget_lines(line_id, campaign_id, phase_id, category, item, planned, actual,
                                       starts, ends);
.bail on

-- The report's arguments.
DROP TABLE IF EXISTS temp.report_args;
CREATE TEMP TABLE report_args AS
SELECT c.campaign_id, c.name_en, c.name_zh, c.account_id, c.starts, c.ends, a.as_of,
       period_start(date(a.as_of, '-6 days'), 'week') AS week,
       date(period_start(date(a.as_of, '-6 days'), 'week'), '+6 days') AS week_end,
       period_key(date(a.as_of, '-6 days'), 'week') AS week_key,
       (SELECT count(*) FROM main.sqlite_schema WHERE type = 'table'
          AND name IN ('campaigns', 'phases', 'metrics', 'metric_values', 'targets', 'budget_lines')) AS tables
FROM (SELECT script_param('report.sql', ':as_of', :as_of, 'date',
                          coalesce(script_param('report.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date'),
                                   (SELECT max(day) FROM metric_values), date('now'))) AS as_of,
             script_param('report.sql', ':campaign', :campaign, 'id', (SELECT min(campaign_id) FROM campaigns),
                          (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign) a
LEFT JOIN campaigns c ON c.campaign_id = a.campaign;
-- From here on the page is written whatever a section finds.
.bail off


------------------------------------------------------------------------
-- The page's head
------------------------------------------------------------------------
SELECT '<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>' || coalesce(replace(replace(name_en, '&', '&amp;'), '<', '&lt;'), 'growthops') ||
' · 周报 Monday report · ' || as_of || '</title>
<style>
body { font-family: "Noto Sans CJK SC", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 24px auto; max-width: 960px; color: #1f2933; background: #fff; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; }
.sub { color: #52606d; margin-top: 0; }
.missing { background: #fff8e1; border-left: 4px solid #f0b429; padding: 8px 12px; }
table { border-collapse: collapse; margin-top: 8px; font-size: 14px; }
td, th { padding: 3px 10px; text-align: right; border-bottom: 1px solid #eef2f6; }
th:first-child, td:first-child { text-align: left; }
svg { display: block; margin-top: 8px; }
svg text { font-size: 12px; fill: #334e68; }
.met { fill: #2f9e44; } .behind { fill: #f59f00; } .below { fill: #e03131; } .nodata { fill: #adb5bd; }
.legend span { display: inline-block; margin-right: 16px; font-size: 13px; }
</style>
</head>
<body>
<h1>' || CASE WHEN campaign_id IS NULL THEN '增长周报 Monday report'
              ELSE replace(replace(name_zh, '&', '&amp;'), '<', '&lt;') || ' · ' ||
                   replace(replace(name_en, '&', '&amp;'), '<', '&lt;') END || '</h1>
<p class="sub">周一例会 Monday meeting · 截至 as of ' || as_of ||
  CASE WHEN campaign_id IS NULL THEN '' ELSE ' · 上周 last week ' || week_key || ' (' || week || ' – ' || week_end || ')' END ||
  ' · growthops ' || growthops_version() || '</p>'
FROM temp.report_args;

-- What is missing for the whole page.
SELECT '<p class="missing" id="missing-schema">缺少数据表:此数据库没有 growthops 工具包的表。' ||
       'This database has none of the toolkit''s tables (campaigns, phases, metrics, metric_values, targets, budget_lines): ' ||
       'create them with <code>sqlite3 plan.db &lt; schemas/growthops.sql</code>, then import the data.</p>'
FROM temp.report_args WHERE tables = 0;
SELECT '<p class="missing" id="missing-campaign">缺少活动:campaigns 表中没有推广活动' ||
       CASE WHEN :campaign IS NOT NULL THEN '(编号 ' || :campaign || ')' ELSE '' END ||
       '。No campaign' || CASE WHEN :campaign IS NOT NULL THEN ' ' || :campaign ELSE '' END ||
       ' in the campaigns table: add one (its account, north-star metric and dates) and its phases.</p>'
FROM temp.report_args WHERE tables > 0 AND campaign_id IS NULL;

------------------------------------------------------------------------
-- 1. Followers against the target path
------------------------------------------------------------------------
SELECT '<h2 id="followers">1. 粉丝数与目标路径 Followers against the target path</h2>' FROM temp.report_args WHERE campaign_id IS NOT NULL;

-- The milestone of every day of every phase, and the actual level.
DROP TABLE IF EXISTS temp.report_path;
CREATE TEMP TABLE report_path AS
SELECT g.key AS day, g.value AS target, p.seq, p.metric
FROM temp.report_args a
JOIN phases p ON p.campaign_id = a.campaign_id
JOIN metrics m ON m.code = p.metric AND m.kind = 'level'
JOIN growth_path(p.start_value, p.target_value, p.starts, p.ends, 'day', p.method) g;
DROP TABLE IF EXISTS temp.report_level;
CREATE TEMP TABLE report_level AS
SELECT v.day, v.value
FROM temp.report_args a
JOIN metric_values v ON v.account_id = a.account_id
 AND v.metric = (SELECT metric FROM temp.report_path LIMIT 1)
 AND v.day BETWEEN a.starts AND min(a.ends, a.as_of);

-- The chart's frame: 900 x 340, plot area x 60..880, y 20..280.
DROP TABLE IF EXISTS temp.report_frame;
CREATE TEMP TABLE report_frame AS
SELECT a.starts AS x0, a.ends AS x1, julianday(a.ends) - julianday(a.starts) AS xspan,
       max(coalesce((SELECT max(target) FROM temp.report_path), 0),
           coalesce((SELECT max(value) FROM temp.report_level), 0), 1) AS ymax
FROM temp.report_args a WHERE a.campaign_id IS NOT NULL;

SELECT '<p class="missing" id="missing-path">缺少目标路径:活动的阶段(phases)没有以水平指标(如累积关注人数)为目标。' ||
       'No target path: the campaign''s phases have no level target (e.g. cumulative followers by the phase''s last day).</p>'
FROM temp.report_args WHERE campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.report_path);
SELECT '<p class="missing" id="missing-followers">缺少粉丝数据:metric_values 中没有 ' || (SELECT metric FROM temp.report_path LIMIT 1) ||
       ' 的数值。No ' || (SELECT metric FROM temp.report_path LIMIT 1) ||
       ' values in metric_values for the campaign''s account up to ' || as_of || ': import the platform''s user analysis.</p>'
FROM temp.report_args WHERE EXISTS (SELECT 1 FROM temp.report_path) AND NOT EXISTS (SELECT 1 FROM temp.report_level);

SELECT '<svg id="chart-followers" xmlns="http://www.w3.org/2000/svg" width="900" height="340" viewBox="0 0 900 340" role="img" aria-label="followers against the target path">' ||
  -- axes and horizontal grid lines at quarters of ymax
  '<rect x="60" y="20" width="820" height="260" fill="#f8fafc" stroke="#d9e2ec"/>' ||
  (SELECT group_concat(printf('<line x1="60" x2="880" y1="%.1f" y2="%.1f" stroke="#e4e7eb"/><text x="54" y="%.1f" text-anchor="end">%s</text>',
                              280 - 260 * q / 4.0, 280 - 260 * q / 4.0, 284 - 260 * q / 4.0,
                              printf('%,d', CAST(round(f.ymax * q / 4.0) AS INTEGER))), '')
     FROM (SELECT 0 AS q UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)) ||
  -- phase boundaries and names
  (SELECT group_concat(printf('<line x1="%.1f" x2="%.1f" y1="20" y2="280" stroke="#9fb3c8" stroke-dasharray="2 3"/><text x="%.1f" y="%d">%s %s</text>',
                              x, x, x + 4, CASE WHEN p.seq % 2 THEN 298 ELSE 312 END, replace(replace(p.name_zh, '&', '&amp;'), '<', '&lt;'),
                              replace(replace(p.name_en, '&', '&amp;'), '<', '&lt;')), '')
     FROM (SELECT p.*, 60 + 820 * (julianday(p.starts) - julianday(f.x0)) / max(f.xspan, 1) AS x
             FROM phases p WHERE p.campaign_id = (SELECT campaign_id FROM temp.report_args) ORDER BY p.seq) p) ||
  -- the target path (dashed) and the actual level (solid)
  '<polyline id="line-target" fill="none" stroke="#829ab1" stroke-width="2" stroke-dasharray="6 4" points="' ||
  (SELECT group_concat(printf('%.1f,%.1f', 60 + 820 * (julianday(day) - julianday(f.x0)) / max(f.xspan, 1),
                              280 - 260 * target / f.ymax), ' ')
     FROM (SELECT * FROM temp.report_path ORDER BY day)) || '"/>' ||
  coalesce('<polyline id="line-actual" fill="none" stroke="#1971c2" stroke-width="2.5" points="' ||
  (SELECT group_concat(printf('%.1f,%.1f', 60 + 820 * (julianday(day) - julianday(f.x0)) / max(f.xspan, 1),
                              280 - 260 * value / f.ymax), ' ')
     FROM (SELECT * FROM temp.report_level ORDER BY day)) || '"/>', '') ||
  -- as_of
  printf('<line x1="%.1f" x2="%.1f" y1="20" y2="280" stroke="#e03131"/><text x="%.1f" y="16" text-anchor="middle">%s</text>',
         60 + 820 * min(1, max(0, (julianday(a.as_of) - julianday(f.x0)) / max(f.xspan, 1))),
         60 + 820 * min(1, max(0, (julianday(a.as_of) - julianday(f.x0)) / max(f.xspan, 1))),
         60 + 820 * min(1, max(0, (julianday(a.as_of) - julianday(f.x0)) / max(f.xspan, 1))), a.as_of) ||
  printf('<text x="60" y="334">%s</text><text x="880" y="334" text-anchor="end">%s</text>', f.x0, f.x1) ||
  '</svg>
<p class="legend"><span><svg width="28" height="10"><line x1="0" x2="28" y1="5" y2="5" stroke="#829ab1" stroke-width="2" stroke-dasharray="6 4"/></svg> 目标路径 target path</span>' ||
  '<span><svg width="28" height="10"><line x1="0" x2="28" y1="5" y2="5" stroke="#1971c2" stroke-width="2.5"/></svg> 实际 actual</span></p>' ||
  coalesce((SELECT printf('<p id="followers-summary">%s:实际 actual %s,路径 path %s,完成 %s。</p>', l.day,
                          printf('%,d', CAST(round(l.value) AS INTEGER)), printf('%,d', CAST(round(t.target) AS INTEGER)),
                          CASE WHEN t.target > 0 THEN printf('%.0f%%', 100.0 * l.value / t.target) ELSE '-' END)
              FROM (SELECT * FROM temp.report_level ORDER BY day DESC LIMIT 1) l
              JOIN temp.report_path t ON t.day = l.day), '')
FROM temp.report_frame f, temp.report_args a
WHERE EXISTS (SELECT 1 FROM temp.report_path);

------------------------------------------------------------------------
-- 2. Last week's funnel
------------------------------------------------------------------------
SELECT '<h2 id="funnel">2. 上周转化漏斗 Last week''s funnel</h2>' FROM temp.report_args WHERE campaign_id IS NOT NULL;
DROP TABLE IF EXISTS temp.report_funnel;
CREATE TEMP TABLE report_funnel AS
SELECT f.step, f.stage, f.stage_zh, f.metric,
       (SELECT sum(v.value) FROM metric_values v, temp.report_args a
         WHERE v.account_id = a.account_id AND v.metric = f.metric
           AND v.day BETWEEN a.week AND a.week_end) AS users
FROM (SELECT 1 AS step, 'visitors' AS stage, '访问用户' AS stage_zh, 'o2o_visitors' AS metric
      UNION ALL SELECT 2, 'new registrations', '新注册', 'o2o_new_registrations'
      UNION ALL SELECT 3, 'orders', '订单', 'o2o_orders') f
WHERE (SELECT campaign_id FROM temp.report_args) IS NOT NULL;
-- funnel_stages() wants counts that never rise: else no funnel.
DROP TABLE IF EXISTS temp.report_stages;
CREATE TEMP TABLE report_stages AS
SELECT s.step, s.name, s.users, s.step_rate, s.overall_rate, s.drop_off, f.stage_zh
FROM funnel_stages((SELECT CASE WHEN count(users) = 3 AND max(users > prev) = 0 AND min(users) >= 0
                                THEN json_group_array(json_array(stage, users)) END
                    FROM (SELECT stage, users, lag(users) OVER (ORDER BY step) AS prev
                            FROM temp.report_funnel ORDER BY step))) s
JOIN temp.report_funnel f ON f.step = s.step;

SELECT '<p class="missing" id="missing-funnel">缺少漏斗数据:上周(' || a.week || ' – ' || a.week_end || ')没有 ' ||
       group_concat(f.metric, '、') || ' 的数值。No ' || group_concat(f.metric, ', ') ||
       ' values in metric_values for last week: import the O2O daily report.</p>'
FROM temp.report_args a JOIN temp.report_funnel f ON f.users IS NULL
HAVING count(*) > 0;
SELECT '<p class="missing" id="missing-funnel">各步数字不递减,无法构成漏斗。A later step counts more than the one before: no funnel.</p>'
FROM temp.report_args
WHERE NOT EXISTS (SELECT 1 FROM temp.report_stages)
  AND EXISTS (SELECT 1 FROM temp.report_funnel) AND NOT EXISTS (SELECT 1 FROM temp.report_funnel WHERE users IS NULL);

SELECT '<svg id="chart-funnel" xmlns="http://www.w3.org/2000/svg" width="900" height="' || (10 + 50 * count(*)) ||
       '" viewBox="0 0 900 ' || (10 + 50 * count(*)) || '" role="img" aria-label="funnel">' ||
       group_concat(printf('<rect class="funnel-bar" x="%.1f" y="%d" width="%.1f" height="36" fill="#4dabf7"/>' ||
                           '<text x="10" y="%d">%s %s</text><text x="450" y="%d" text-anchor="middle" style="fill:#102a43">%s</text>' ||
                           '<text x="890" y="%d" text-anchor="end">%s</text>',
                           450 - 290 * w, 10 + 50 * (step - 1), max(1, 580 * w),
                           33 + 50 * (step - 1), stage_zh, name,
                           33 + 50 * (step - 1), printf('%,d', CAST(users AS INTEGER)),
                           33 + 50 * (step - 1),
                           CASE WHEN step = 1 THEN '100%'
                                ELSE printf('步 step %.1f%% · 总 overall %.1f%%', 100 * coalesce(step_rate, 0), 100 * coalesce(overall_rate, 0)) END), '') ||
       '</svg>' ||
       (SELECT printf('<p id="funnel-summary">下单转化率 order conversion %.1f%%,保底 floor 8%%:%s</p>', 100 * overall_rate,
                      CASE WHEN overall_rate >= 0.08 THEN '达标 met' ELSE '低于保底 below the floor' END)
          FROM temp.report_stages WHERE step = 3)
FROM (SELECT s.*, CASE WHEN (SELECT users FROM temp.report_stages WHERE step = 1) > 0
                       THEN users * 1.0 / (SELECT users FROM temp.report_stages WHERE step = 1) ELSE 0 END AS w
        FROM temp.report_stages s ORDER BY step)
HAVING count(*) > 0;

------------------------------------------------------------------------
-- 3. KPI attainment against targets and floors
------------------------------------------------------------------------
SELECT '<h2 id="kpi">3. 上周目标达成 KPI attainment against targets and floors</h2>' FROM temp.report_args WHERE campaign_id IS NOT NULL;
DROP TABLE IF EXISTS temp.report_kpi;
CREATE TEMP TABLE report_kpi AS
SELECT t.target_id, t.metric, m.name_en, m.name_zh, m.unit, m.direction, t.value AS target, t.floor,
       CASE m.kind
         WHEN 'flow' THEN (SELECT sum(v.value) FROM metric_values v
                           WHERE v.account_id = coalesce(t.account_id, a.account_id) AND v.metric = t.metric
                             AND v.day BETWEEN a.week AND a.week_end)
         WHEN 'level' THEN (SELECT v.value FROM metric_values v
                            WHERE v.account_id = coalesce(t.account_id, a.account_id) AND v.metric = t.metric
                              AND v.day BETWEEN a.week AND a.week_end ORDER BY v.day DESC LIMIT 1)
         ELSE (SELECT sum(v.value) FROM metric_values v
               WHERE v.account_id = coalesce(t.account_id, a.account_id) AND v.metric = m.numerator
                 AND v.day BETWEEN a.week AND a.week_end)
            / (SELECT sum(v.value) FROM metric_values v
               WHERE v.account_id = coalesce(t.account_id, a.account_id) AND v.metric = m.denominator
                 AND v.day BETWEEN a.week AND a.week_end)
       END AS actual
FROM temp.report_args a
JOIN targets t ON t.campaign_id = a.campaign_id AND t.grain = 'week' AND t.period = a.week_key
JOIN metrics m ON m.code = t.metric;
-- attainment: kpi_attainment(), actual / target (target / actual where
-- lower is better); the floor on the same scale; the status from
-- kpi_status() (its 'below floor' is the CSS class 'below').
DROP TABLE IF EXISTS temp.report_kpi2;
CREATE TEMP TABLE report_kpi2 AS
SELECT k.*,
       kpi_attainment(actual, target, direction) AS attainment,
       kpi_attainment(floor, target, direction) AS floor_at,
       CASE WHEN actual IS NULL THEN 'nodata'
            ELSE replace(kpi_status(actual, target, floor, direction), 'below floor', 'below') END AS status,
       row_number() OVER (ORDER BY metric) AS n
FROM temp.report_kpi k;

SELECT '<p class="missing" id="missing-kpi">缺少目标:targets 表中没有上周(' || week_key || ')的周目标。' ||
       'No weekly targets for last week (' || week_key || ') in the targets table: write them with the plan script (sql/scripts/plan.sql).</p>'
FROM temp.report_args WHERE campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.report_kpi2);

-- Bars on a scale of 0 to 150% of the target: the target at 100%, the floor marked.
SELECT '<svg id="chart-kpi" xmlns="http://www.w3.org/2000/svg" width="900" height="' || (40 + 30 * count(*)) ||
       '" viewBox="0 0 900 ' || (40 + 30 * count(*)) || '" role="img" aria-label="KPI attainment">' ||
       '<line x1="596.7" x2="596.7" y1="4" y2="' || (16 + 30 * count(*)) || '" stroke="#102a43"/>' ||
       '<text x="596.7" y="' || (32 + 30 * count(*)) || '" text-anchor="middle">目标 target 100%</text>' ||
       group_concat(printf('<text x="10" y="%d">%s %s</text>' ||
                           '<rect class="kpi-bar %s" x="280" y="%d" width="%.1f" height="18"/>' ||
                           '%s<text x="890" y="%d" text-anchor="end">%s</text>',
                           20 + 30 * (n - 1), replace(name_zh, '<', '&lt;'), replace(name_en, '<', '&lt;'),
                           status, 6 + 30 * (n - 1), 475 * min(1.5, coalesce(attainment, 0)) / 1.5,
                           CASE WHEN floor_at IS NOT NULL THEN
                             printf('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#e03131" stroke-width="2"/>',
                                    280 + 475 * min(1.5, floor_at) / 1.5, 280 + 475 * min(1.5, floor_at) / 1.5,
                                    2 + 30 * (n - 1), 28 + 30 * (n - 1)) ELSE '' END,
                           20 + 30 * (n - 1),
                           CASE WHEN attainment IS NULL THEN '无数据 no data'
                                ELSE printf('%.0f%% %s', 100 * attainment,
                                            CASE status WHEN 'met' THEN '达成 met' WHEN 'below' THEN '低于保底 below floor'
                                                        ELSE '落后 behind' END) END), '') ||
       '</svg><p class="legend"><span style="color:#e03131">| 保底 floor</span>' ||
       '<span style="color:#2f9e44">■ 达成 met</span><span style="color:#f59f00">■ 落后 behind</span>' ||
       '<span style="color:#e03131">■ 低于保底 below floor</span></p>'
FROM (SELECT * FROM temp.report_kpi2 ORDER BY n)
HAVING count(*) > 0;

------------------------------------------------------------------------
-- 4. Budget burn against the prorated plan
------------------------------------------------------------------------
SELECT '<h2 id="budget">4. 预算消耗 Budget burn against the prorated plan</h2>' FROM temp.report_args WHERE campaign_id IS NOT NULL;
DROP TABLE IF EXISTS temp.report_budget;
CREATE TEMP TABLE report_budget AS
SELECT category, sum(planned) AS planned, sum(actual) AS actual, sum(prorated) AS prorated,
       row_number() OVER (ORDER BY category) AS n
FROM (SELECT b.category, b.planned, b.actual,
             b.planned * max(0, min(julianday(coalesce(b.ends, p.ends, c.ends)), julianday(a.as_of))
                                - julianday(coalesce(b.starts, p.starts, c.starts)) + 1)
               / (julianday(coalesce(b.ends, p.ends, c.ends)) - julianday(coalesce(b.starts, p.starts, c.starts)) + 1) AS prorated
        FROM temp.report_args a
        JOIN budget_lines b ON b.campaign_id = a.campaign_id
        JOIN campaigns c ON c.campaign_id = b.campaign_id
        LEFT JOIN phases p ON p.phase_id = b.phase_id)
GROUP BY category;

SELECT '<p class="missing" id="missing-budget">缺少预算:budget_lines 表中没有此活动的预算行。' ||
       'No budget lines for this campaign in budget_lines: add each phase''s line items (planned and actual).</p>'
FROM temp.report_args WHERE campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.report_budget);

-- Per category: the whole plan (outline), the plan prorated to as_of
-- (marker) and the spend (bar), on one scale.
SELECT '<svg id="chart-budget" xmlns="http://www.w3.org/2000/svg" width="900" height="' || (20 + 30 * count(*)) ||
       '" viewBox="0 0 900 ' || (20 + 30 * count(*)) || '" role="img" aria-label="budget burn">' ||
       group_concat(printf('<text x="10" y="%d">%s</text>' ||
                           '<rect x="160" y="%d" width="%.1f" height="18" fill="none" stroke="#9fb3c8"/>' ||
                           '<rect class="budget-bar" x="160" y="%d" width="%.1f" height="18" fill="%s"/>' ||
                           '<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#102a43" stroke-width="2"/>' ||
                           '<text x="890" y="%d" text-anchor="end">%s / %s · 进度 pacing %s</text>',
                           20 + 30 * (n - 1), CASE category WHEN 'salaries' THEN '工资 salaries' WHEN 'promotion' THEN '推广 promotion'
                             WHEN 'prizes' THEN '奖品 prizes' WHEN 'placements' THEN '投放 placements' WHEN 'events' THEN '活动 events'
                             WHEN 'tools' THEN '工具 tools' ELSE '其他 ' || replace(category, '<', '&lt;') END,
                           6 + 30 * (n - 1), 420 * planned / scale,
                           6 + 30 * (n - 1), 420 * actual / scale,
                           CASE WHEN prorated > 0 AND actual > 1.1 * prorated THEN '#e03131' ELSE '#4dabf7' END,
                           160 + 420 * prorated / scale, 160 + 420 * prorated / scale, 2 + 30 * (n - 1), 28 + 30 * (n - 1),
                           20 + 30 * (n - 1), printf('%,d', CAST(round(actual) AS INTEGER)),
                           printf('%,d', CAST(round(prorated) AS INTEGER)),
                           CASE WHEN prorated > 0 THEN printf('%.0f%%', 100 * actual / prorated) ELSE '-' END), '') ||
       '</svg><p class="legend"><span>▯ 全部预算 whole plan</span><span>| 按时间折算 prorated plan</span>' ||
       '<span style="color:#4dabf7">■ 实际支出 spend</span><span style="color:#e03131">■ 超支 over 110%</span></p>' ||
       (SELECT printf('<p id="budget-summary">合计 total:支出 spend %s,折算预算 prorated %s,全部预算 plan %s,进度 pacing %s。</p>',
                      printf('%,d', CAST(round(sum(actual)) AS INTEGER)), printf('%,d', CAST(round(sum(prorated)) AS INTEGER)),
                      printf('%,d', CAST(round(sum(planned)) AS INTEGER)),
                      CASE WHEN sum(prorated) > 0 THEN printf('%.0f%%', 100 * sum(actual) / sum(prorated)) ELSE '-' END)
          FROM temp.report_budget)
FROM (SELECT b.*, max(1, (SELECT max(max(planned, actual)) FROM temp.report_budget)) AS scale
        FROM temp.report_budget b ORDER BY n)
HAVING count(*) > 0;

SELECT '<p class="sub">由 growthops 生成 made by growthops: sql/reports/report.sql</p>
</body>
</html>';

DROP TABLE IF EXISTS temp.report_args;
DROP TABLE IF EXISTS temp.report_path;
DROP TABLE IF EXISTS temp.report_level;
DROP TABLE IF EXISTS temp.report_frame;
DROP TABLE IF EXISTS temp.report_funnel;
DROP TABLE IF EXISTS temp.report_stages;
DROP TABLE IF EXISTS temp.report_kpi;
DROP TABLE IF EXISTS temp.report_kpi2;
DROP TABLE IF EXISTS temp.report_budget;
DETACH report_empty;
