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
--   sqlite3> .parameter set :from "'2025-03-01'"    -- the charts' first day; default:
--                                                   -- the Monday 8 weeks before as_of's week
--   sqlite3> .parameter set :to "'2025-09-29'"      -- their last day; default: the
--                                                   -- Sunday 4 weeks after as_of's week
--   sqlite3> .parameter set :month "'2025-07'"      -- the payouts' month; default: the
--                                                   -- last whole month up to as_of
--   sqlite3> .once report.html
--   sqlite3> .read sql/reports/report.sql
--
-- The page follows the plan, in Chinese and English:
--   1. each account's level against its own path: one chart per account
--      and level metric of the phases, day by day over the charts' range
--      (clipped to the campaign), the milestone path growth_path() draws
--      through each phase (compound per month, as plan.sql writes it), the
--      phases' names each on a row of its own, as_of marked;
--   2. the north star day by day, on its account, against its day targets
--      and floors (a ratio as the day's numerator over its denominator);
--   3. last week's funnels, the campaign's own (none: no section), with the
--      step rates (funnel_stages()) and, where the catalogue has the ratio
--      of the last step to the first, its target and floor;
--   4. KPI attainment: last week's targets against their actuals, each with
--      its owner, the target (100%) and the floor (保底) marked;
--   5. the payouts of the evaluated month (:month): each person's money,
--      score and days in the job (v_evaluation), a running month marked
--      provisional;
--   6. the budget: each category's spend against its plan prorated to
--      as_of (pacing = spend / prorated plan), and month by month, planned,
--      spent and prorated (v_budget_month).
-- The payouts and the budget by month are the toolkit's views' (sql/views.sql),
-- as of settings' as_of (else today; the payouts' heading names that day
-- when the page's as_of is another); a database without the views says so.
-- A section without data says which data is missing; a database without
-- the toolkit's tables (schemas/growthops.sql) gives a page that says so.
-- Every value the page takes from the database is written through
-- html_escape() (numbers through printf's number formats): a database
-- file may come from anyone.  The script only reads: its work tables are
-- in temp and in an attached in-memory database.
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
CREATE TABLE report_empty.accounts(account_id, name, name_zh, platform);
CREATE TABLE report_empty.campaigns(campaign_id, name_en, name_zh, account_id, north_star, starts, ends,
                                    north_star_account_id);
CREATE TABLE report_empty.phases(phase_id, campaign_id, seq, name_en, name_zh, starts, ends, metric,
                                 start_value, target_value, method, department, account_id);
CREATE TABLE report_empty.metrics(code, name_en, name_zh, kind, unit, direction, numerator, denominator);
CREATE TABLE report_empty.metric_values(account_id, metric, day, value);
CREATE TABLE report_empty.targets(target_id, campaign_id, metric, account_id, grain, period, value, floor,
                                  kind, department, role_id, person_id);
CREATE TABLE report_empty.roles(role_id, title_en, title_zh);
CREATE TABLE report_empty.people(person_id, name);
CREATE TABLE report_empty.budget_lines(line_id, campaign_id, phase_id, category, item, planned, actual,
                                       starts, ends, month);
CREATE TABLE report_empty.funnels(funnel_id, campaign_id, name_en, name_zh, source, account_id,
                                  window_seconds, cohort_step, breakdown);
CREATE TABLE report_empty.channels(channel_id, code, name_en, name_zh);
CREATE TABLE report_empty.funnel_steps(funnel_id, step, metric, event, name_en, name_zh);
CREATE TABLE report_empty.events(user_id, ts, event);
CREATE TABLE report_empty.v_budget_lines(line_id, campaign_id, category, planned, actual, starts, ends);
CREATE TABLE report_empty.v_budget_month(line_id, campaign_id, month, planned, actual, prorated_plan);
CREATE TABLE report_empty.v_evaluation(person_id, name, role_id, campaign_id, grain, period, days_in_job,
                                       period_days, payout, score, total_payout, running, status, elapsed_days);
CREATE TABLE report_empty.v_settings(as_of);
.bail on

-- The report's arguments, each through script_param() (a wrong one stops
-- the script with the line that sets it right, before any of the page is
-- written).  as_of: the parameter, else settings' as_of, else the last day
-- with data, else today.  The charts' range: :from and :to, else the weeks
-- around as_of (8 before its week, 4 after), within the campaign's dates.
DROP TABLE IF EXISTS temp.report_args;
CREATE TEMP TABLE report_args AS
SELECT c.campaign_id, c.name_en, c.name_zh, c.account_id, c.north_star, c.starts, c.ends,
       coalesce(c.north_star_account_id, c.account_id) AS north_star_account,
       a.as_of,
       period_start(date(a.as_of, '-6 days'), 'week') AS week,
       date(period_start(date(a.as_of, '-6 days'), 'week'), '+6 days') AS week_end,
       period_key(date(a.as_of, '-6 days'), 'week') AS week_key,
       max(c.starts, a.chart_from) AS x0,
       min(c.ends, a.chart_to) AS x1,
       (SELECT count(*) FROM main.sqlite_schema WHERE type = 'table'
          AND name IN ('campaigns', 'phases', 'metrics', 'metric_values', 'targets', 'budget_lines')) AS tables,
       (SELECT count(*) FROM main.sqlite_schema WHERE type = 'view'
          AND name IN ('v_evaluation', 'v_budget_lines', 'v_budget_month')) = 3 AS views,
       (SELECT count(*) FROM funnels f WHERE f.campaign_id = c.campaign_id) AS n_funnels,
       a.month, a.month || '-01' AS month_first, period_end(a.month || '-01', 'month') AS month_last
FROM (SELECT as_of, campaign,
             script_param('report.sql', ':month', :month, 'month',
                          period_key(date(as_of, '+1 day', 'start of month', '-1 day'), 'month')) AS month,
             script_param('report.sql', ':from', :from, 'date', date(period_start(as_of, 'week'), '-56 days')) AS chart_from,
             script_param('report.sql', ':to', :to, 'date', date(period_start(as_of, 'week'), '+34 days')) AS chart_to
      FROM (SELECT script_param('report.sql', ':as_of', :as_of, 'date',
                                coalesce(script_param('report.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date'),
                                         (SELECT max(day) FROM metric_values WHERE date(day) IS day), date('now'))) AS as_of,
                   script_param('report.sql', ':campaign', :campaign, 'id', (SELECT min(campaign_id) FROM campaigns),
                                (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign)) a
LEFT JOIN campaigns c ON c.campaign_id = a.campaign;
-- The sections' numbers: the funnels' only when the campaign has one.
DROP TABLE IF EXISTS temp.report_sections;
CREATE TEMP TABLE report_sections AS
SELECT 1 AS levels, 2 AS north_star, 3 AS funnels, 3 + (n_funnels > 0) AS kpi, 4 + (n_funnels > 0) AS payouts,
       5 + (n_funnels > 0) AS budget
FROM temp.report_args;
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
<title>' || coalesce(html_escape(name_en), 'growthops') ||
' · 周报 Monday report · ' || html_escape(as_of) || '</title>
<style>
body { font-family: "Noto Sans CJK SC", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 24px auto; max-width: 960px; color: #1f2933; background: #fff; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 0; }
.sub { color: #52606d; margin-top: 0; }
.missing { background: #fff8e1; border-left: 4px solid #f0b429; padding: 8px 12px; }
table { border-collapse: collapse; margin-top: 8px; font-size: 14px; }
td, th { padding: 3px 10px; text-align: right; border-bottom: 1px solid #eef2f6; }
th:first-child, td:first-child { text-align: left; }
svg { display: block; margin-top: 8px; }
svg text { font-size: 12px; fill: #334e68; }
svg text.owner { font-size: 11px; fill: #627d98; }
.met { fill: #2f9e44; } .behind { fill: #f59f00; } .below { fill: #e03131; } .nodata { fill: #adb5bd; }
.legend span { display: inline-block; margin-right: 16px; font-size: 13px; }
</style>
</head>
<body>
<h1>' || CASE WHEN campaign_id IS NULL THEN '增长周报 Monday report'
              ELSE html_escape(name_zh) || ' · ' || html_escape(name_en) END || '</h1>
<p class="sub">周一例会 Monday meeting · 截至 as of ' || html_escape(as_of) ||
  CASE WHEN campaign_id IS NULL THEN '' ELSE ' · 上周 last week ' || html_escape(week_key) || ' (' || html_escape(week) || ' – ' ||
                                              html_escape(week_end) || ')' END ||
  ' · growthops ' || growthops_version() || '</p>'
FROM temp.report_args;

-- What is missing for the whole page.
SELECT '<p class="missing" id="missing-schema">缺少数据表:此数据库没有 growthops 工具包的表。' ||
       'This database has none of the toolkit''s tables (campaigns, phases, metrics, metric_values, targets, budget_lines): ' ||
       'create them with <code>sqlite3 plan.db &lt; schemas/growthops.sql</code>, then import the data.</p>'
FROM temp.report_args WHERE tables = 0;
SELECT '<p class="missing" id="missing-campaign">缺少活动:campaigns 表中没有推广活动' ||
       CASE WHEN :campaign IS NOT NULL THEN '(编号 ' || html_escape(:campaign) || ')' ELSE '' END ||
       '。No campaign' || CASE WHEN :campaign IS NOT NULL THEN ' ' || html_escape(:campaign) ELSE '' END ||
       ' in the campaigns table: add one (its account, north-star metric and dates) and its phases.</p>'
FROM temp.report_args WHERE tables > 0 AND campaign_id IS NULL;
SELECT '<p class="missing" id="missing-range">图表日期范围不在活动期内。The charts'' range (' || html_escape(x0) || ' – ' ||
       html_escape(x1) || ') is outside the campaign (' || html_escape(starts) || ' – ' || html_escape(ends) ||
       '): set :from and :to within it.</p>'
FROM temp.report_args WHERE campaign_id IS NOT NULL AND NOT (x0 <= x1);

------------------------------------------------------------------------
-- 1. Each account's level against its path
------------------------------------------------------------------------
SELECT '<h2 id="levels">' || s.levels || '. 各账号水平指标与目标路径 Each account''s level against its path</h2>' ||
       '<p class="sub">' || html_escape(x0) || ' – ' || html_escape(x1) || '</p>'
FROM temp.report_args, temp.report_sections s WHERE campaign_id IS NOT NULL;

-- One chart per account and level metric the campaign's phases have.
DROP TABLE IF EXISTS temp.report_levels;
CREATE TEMP TABLE report_levels AS
SELECT row_number() OVER (ORDER BY l.account_id, l.metric) AS n, l.account_id, l.metric,
       a.name AS account, a.name_zh AS account_zh, m.name_en AS metric_en, m.name_zh AS metric_zh
FROM (SELECT DISTINCT coalesce(p.account_id, r.account_id) AS account_id, p.metric
      FROM temp.report_args r JOIN phases p ON p.campaign_id = r.campaign_id) l
JOIN metrics m ON m.code = l.metric AND m.kind = 'level'
LEFT JOIN accounts a ON a.account_id = l.account_id;
-- The milestone of every day of the range (the level by the day's end),
-- drawn as plan.sql writes it; and the actual level.
DROP TABLE IF EXISTS temp.report_path;
CREATE TEMP TABLE report_path AS
SELECT l.n, g.key AS day, g.value AS target
FROM temp.report_args r
JOIN temp.report_levels l
JOIN phases p ON p.campaign_id = r.campaign_id AND coalesce(p.account_id, r.account_id) = l.account_id
             AND p.metric = l.metric
JOIN growth_path(p.start_value, p.target_value, p.starts, p.ends, 'day',
                 CASE p.method WHEN 'compound' THEN 'compound_month' ELSE p.method END) g
WHERE g.key BETWEEN r.x0 AND r.x1;
DROP TABLE IF EXISTS temp.report_level;
CREATE TEMP TABLE report_level AS
SELECT l.n, v.day, v.value
FROM temp.report_args r JOIN temp.report_levels l
JOIN metric_values v ON v.account_id = l.account_id AND v.metric = l.metric
 AND v.day BETWEEN r.x0 AND min(r.x1, r.as_of)
WHERE typeof(v.value) IN ('integer', 'real');
-- The phases' names, each on a row of its own under the plot (so that no
-- two ever overlap), from the phase's first day in the range, or ending at
-- the plot's right edge when the name would not fit (its width estimated:
-- 12.5 px for a wide character, 7.5 px for another).
DROP TABLE IF EXISTS temp.report_phase_labels;
CREATE TEMP TABLE report_phase_labels AS
SELECT n, row, x, starts_here, label,
       x + 4 + 12.5 * wide + 7.5 * (chars - wide) > 880 AS at_end
FROM (SELECT l.n, row_number() OVER (PARTITION BY l.n ORDER BY p.starts) - 1 AS row,
             60 + 820 * (julianday(max(p.starts, r.x0)) - julianday(r.x0)) / max(julianday(r.x1) - julianday(r.x0), 1) AS x,
             p.starts >= r.x0 AS starts_here,
             html_escape(substr(p.name_zh, 1, 24)) || ' ' || html_escape(substr(p.name_en, 1, 40)) AS label,
             length(substr(p.name_zh, 1, 24) || ' ' || substr(p.name_en, 1, 40)) AS chars,
             (length(CAST(substr(p.name_zh, 1, 24) || ' ' || substr(p.name_en, 1, 40) AS BLOB))
              - length(substr(p.name_zh, 1, 24) || ' ' || substr(p.name_en, 1, 40))) / 2 AS wide
      FROM temp.report_args r JOIN temp.report_levels l
      JOIN phases p ON p.campaign_id = r.campaign_id AND coalesce(p.account_id, r.account_id) = l.account_id
                   AND p.metric = l.metric AND p.starts <= r.x1 AND p.ends >= r.x0);
-- Each chart's frame: 900 wide, plot area x 60..880, y 20..280, a row of
-- 18 px per phase name under it, the range's dates under those.  The y
-- axis starts at 0, or just below the lowest value when every value is
-- well above 0 (a few weeks of a large account).
DROP TABLE IF EXISTS temp.report_frame;
CREATE TEMP TABLE report_frame AS
SELECT n, x0, x1, xspan, lo, y0, max(y0 + 1, hi + 0.05 * (hi - y0)) AS y1,
       300 + 18 * rows + 4 AS date_y, 300 + 18 * rows + 12 AS height
FROM (SELECT l.n, r.x0, r.x1, max(julianday(r.x1) - julianday(r.x0), 1) AS xspan,
             min(coalesce((SELECT min(target) FROM temp.report_path p WHERE p.n = l.n), 0),
                 coalesce((SELECT min(value) FROM temp.report_level v WHERE v.n = l.n), 1e308)) AS lo,
             max(coalesce((SELECT max(target) FROM temp.report_path p WHERE p.n = l.n), 0),
                 coalesce((SELECT max(value) FROM temp.report_level v WHERE v.n = l.n), 0), 1) AS hi,
             CASE WHEN min(coalesce((SELECT min(target) FROM temp.report_path p WHERE p.n = l.n), 0),
                           coalesce((SELECT min(value) FROM temp.report_level v WHERE v.n = l.n), 1e308))
                       > 0.3 * max(coalesce((SELECT max(target) FROM temp.report_path p WHERE p.n = l.n), 0),
                                   coalesce((SELECT max(value) FROM temp.report_level v WHERE v.n = l.n), 0), 1)
                  THEN 0.9 * min(coalesce((SELECT min(target) FROM temp.report_path p WHERE p.n = l.n), 0),
                                 coalesce((SELECT min(value) FROM temp.report_level v WHERE v.n = l.n), 1e308))
                  ELSE 0 END AS y0,
             (SELECT count(*) FROM temp.report_phase_labels b WHERE b.n = l.n) AS rows
      FROM temp.report_args r JOIN temp.report_levels l WHERE r.x0 <= r.x1);

SELECT '<p class="missing" id="missing-path">缺少目标路径:活动的阶段(phases)没有以水平指标(如累积关注人数)为目标。' ||
       'No target path: the campaign''s phases have no level target (e.g. cumulative followers by the phase''s last day).</p>'
FROM temp.report_args WHERE campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.report_levels);

-- A chart per account and level: its title, the missing data if any, the
-- chart and the last day's actual against the path.
SELECT '<h3 id="level-' || l.n || '">' || coalesce(html_escape(l.account_zh) || ' ', '') ||
       html_escape(coalesce(l.account, '?')) || ' · ' || html_escape(l.metric_zh) || ' ' || html_escape(l.metric_en) || '</h3>' ||
       CASE WHEN NOT EXISTS (SELECT 1 FROM temp.report_level v WHERE v.n = l.n)
            THEN '<p class="missing" id="missing-level-' || l.n || '">缺少数据:metric_values 中没有 ' || html_escape(l.metric) ||
                 ' 的数值。No ' || html_escape(l.metric) || ' values in metric_values for ' || html_escape(coalesce(l.account, '?')) ||
                 ' from ' || html_escape(f.x0) || ' to ' || html_escape(min(f.x1, a.as_of)) ||
                 ': import the platform''s numbers.</p>' ELSE '' END ||
  '<svg id="chart-level-' || l.n || '" xmlns="http://www.w3.org/2000/svg" width="900" height="' || f.height ||
  '" viewBox="0 0 900 ' || f.height || '" role="img" aria-label="level against its path">' ||
  -- axes and horizontal grid lines at quarters of the y range
  '<rect x="60" y="20" width="820" height="260" fill="#f8fafc" stroke="#d9e2ec"/>' ||
  (SELECT group_concat(printf('<line x1="60" x2="880" y1="%.1f" y2="%.1f" stroke="#e4e7eb"/><text x="54" y="%.1f" text-anchor="end">%s</text>',
                              280 - 260 * q / 4.0, 280 - 260 * q / 4.0, 284 - 260 * q / 4.0,
                              printf('%,d', CAST(round(f.y0 + (f.y1 - f.y0) * q / 4.0) AS INTEGER))), '')
     FROM (SELECT 0 AS q UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)) ||
  -- phase boundaries, and each phase's name on its row
  coalesce((SELECT group_concat(
              CASE WHEN b.starts_here THEN printf('<line x1="%.1f" x2="%.1f" y1="20" y2="%d" stroke="#9fb3c8" stroke-dasharray="2 3"/>',
                                                  b.x, b.x, 288 + 18 * b.row) ELSE '' END ||
              CASE WHEN b.at_end THEN printf('<text class="phase-label" x="880" y="%d" text-anchor="end">%s</text>', 300 + 18 * b.row, b.label)
                   ELSE printf('<text class="phase-label" x="%.1f" y="%d">%s</text>', b.x + 4, 300 + 18 * b.row, b.label) END, '')
            FROM (SELECT * FROM temp.report_phase_labels WHERE n = l.n ORDER BY row) b), '') ||
  -- the target path (dashed) and the actual level (solid)
  coalesce('<polyline class="line-target" fill="none" stroke="#829ab1" stroke-width="2" stroke-dasharray="6 4" points="' ||
           (SELECT group_concat(printf('%.1f,%.1f', 60 + 820 * (julianday(day) - julianday(f.x0)) / f.xspan,
                                       280 - 260 * (target - f.y0) / (f.y1 - f.y0)), ' ')
              FROM (SELECT * FROM temp.report_path WHERE n = l.n ORDER BY day)) || '"/>', '') ||
  coalesce('<polyline class="line-actual" fill="none" stroke="#1971c2" stroke-width="2.5" points="' ||
           (SELECT group_concat(printf('%.1f,%.1f', 60 + 820 * (julianday(day) - julianday(f.x0)) / f.xspan,
                                       280 - 260 * (value - f.y0) / (f.y1 - f.y0)), ' ')
              FROM (SELECT * FROM temp.report_level WHERE n = l.n ORDER BY day)) || '"/>', '') ||
  -- as_of, when it is in the range
  CASE WHEN a.as_of BETWEEN f.x0 AND f.x1 THEN
    printf('<line x1="%.1f" x2="%.1f" y1="20" y2="280" stroke="#e03131"/><text x="%.1f" y="14" text-anchor="middle">%s</text>',
           60 + 820 * (julianday(a.as_of) - julianday(f.x0)) / f.xspan, 60 + 820 * (julianday(a.as_of) - julianday(f.x0)) / f.xspan,
           min(850, max(90, 60 + 820 * (julianday(a.as_of) - julianday(f.x0)) / f.xspan)), html_escape(a.as_of)) ELSE '' END ||
  printf('<text x="60" y="%d">%s</text><text x="880" y="%d" text-anchor="end">%s</text>',
         f.date_y, html_escape(f.x0), f.date_y, html_escape(f.x1)) ||
  '</svg>' ||
  coalesce((SELECT printf('<p id="level-summary-%d">%s:实际 actual %s,路径 path %s,完成 %s。</p>', l.n, html_escape(v.day),
                          printf('%,d', CAST(round(v.value) AS INTEGER)), printf('%,d', CAST(round(t.target) AS INTEGER)),
                          CASE WHEN t.target > 0 THEN printf('%.0f%%', 100.0 * v.value / t.target) ELSE '-' END)
              FROM (SELECT * FROM temp.report_level WHERE n = l.n ORDER BY day DESC LIMIT 1) v
              JOIN temp.report_path t ON t.n = l.n AND t.day = v.day), '')
FROM temp.report_levels l JOIN temp.report_frame f ON f.n = l.n, temp.report_args a
ORDER BY l.n;
SELECT '<p class="legend"><span><svg width="28" height="10"><line x1="0" x2="28" y1="5" y2="5" stroke="#829ab1" stroke-width="2" stroke-dasharray="6 4"/></svg> 目标路径 target path</span>' ||
       '<span><svg width="28" height="10"><line x1="0" x2="28" y1="5" y2="5" stroke="#1971c2" stroke-width="2.5"/></svg> 实际 actual</span></p>'
WHERE EXISTS (SELECT 1 FROM temp.report_frame);

------------------------------------------------------------------------
-- 2. The north star day by day
------------------------------------------------------------------------
SELECT '<h2 id="north-star">' || s.north_star || '. 北极星指标 The north star day by day: ' ||
       coalesce(html_escape(m.name_zh) || ' ' || html_escape(m.name_en), html_escape(r.north_star)) ||
       coalesce(' · ' || html_escape(a.name), '') || '</h2>'
FROM temp.report_args r JOIN temp.report_sections s LEFT JOIN metrics m ON m.code = r.north_star
LEFT JOIN accounts a ON a.account_id = r.north_star_account
WHERE r.campaign_id IS NOT NULL;
-- Each day of the range: the value (up to as_of; a ratio as the day's
-- numerator over its denominator), the day's target and floor.
DROP TABLE IF EXISTS temp.report_ns;
CREATE TEMP TABLE report_ns AS
SELECT d.key AS day, m.unit, m.kind, m.direction,
       CASE WHEN d.key > r.as_of THEN NULL
            WHEN m.kind = 'ratio' THEN (SELECT n.value / nullif(dn.value, 0) FROM metric_values n JOIN metric_values dn
                                          ON dn.account_id = n.account_id AND dn.metric = m.denominator AND dn.day = n.day
                                        WHERE n.account_id = r.north_star_account AND n.metric = m.numerator AND n.day = d.key
                                          AND typeof(n.value) IN ('integer', 'real') AND typeof(dn.value) IN ('integer', 'real'))
            ELSE (SELECT v.value FROM metric_values v WHERE v.account_id = r.north_star_account AND v.metric = m.code
                    AND v.day = d.key AND typeof(v.value) IN ('integer', 'real'))
       END AS value,
       t.value AS target, t.floor
FROM temp.report_args r JOIN metrics m ON m.code = r.north_star
JOIN periods(r.x0, r.x1, 'day') d
LEFT JOIN targets t ON t.target_id = (
  SELECT t2.target_id FROM targets t2
  WHERE t2.campaign_id = r.campaign_id AND t2.metric = m.code AND t2.grain = 'day' AND t2.period = d.key
    AND coalesce(t2.account_id, r.account_id) = r.north_star_account AND t2.person_id IS NULL AND t2.role_id IS NULL
    AND typeof(t2.value) IN ('integer', 'real')
  ORDER BY t2.target_id LIMIT 1)
WHERE r.x0 <= r.x1;
SELECT '<p class="missing" id="missing-north-star">北极星指标暂无数据:' || coalesce(html_escape(a.name), '') || ' 没有 ' ||
       html_escape(r.north_star) || ' 的数值。The north star ' || html_escape(r.north_star) || ' has no values on ' ||
       html_escape(coalesce(a.name, 'account ' || r.north_star_account)) || ' from ' || html_escape(r.x0) || ' to ' ||
       html_escape(min(r.x1, r.as_of)) || ': import its numbers' ||
       CASE WHEN (SELECT kind FROM metrics WHERE code = r.north_star) = 'ratio' THEN ' (a ratio: its numerator and denominator)' ELSE '' END ||
       '.</p>'
FROM temp.report_args r LEFT JOIN accounts a ON a.account_id = r.north_star_account
WHERE r.campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.report_ns WHERE value IS NOT NULL);
-- The chart: the value (solid), the day targets (dashed), the floors
-- (dotted, red); y from 0.  A share is labelled in %, another ratio with
-- two decimals, a count whole.
SELECT '<svg id="chart-north-star" xmlns="http://www.w3.org/2000/svg" width="900" height="320" viewBox="0 0 900 320" role="img" aria-label="north star">' ||
  '<rect x="60" y="20" width="820" height="260" fill="#f8fafc" stroke="#d9e2ec"/>' ||
  (SELECT group_concat(printf('<line x1="60" x2="880" y1="%.1f" y2="%.1f" stroke="#e4e7eb"/><text x="54" y="%.1f" text-anchor="end">%s</text>',
                              280 - 260 * q / 4.0, 280 - 260 * q / 4.0, 284 - 260 * q / 4.0,
                              CASE WHEN g.unit = 'share' THEN printf('%.0f%%', 100 * g.ymax * q / 4.0)
                                   WHEN g.kind = 'ratio' THEN printf('%.2f', g.ymax * q / 4.0)
                                   ELSE printf('%,d', CAST(round(g.ymax * q / 4.0) AS INTEGER)) END), '')
     FROM (SELECT 0 AS q UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)) ||
  coalesce('<polyline id="ns-floor" fill="none" stroke="#e03131" stroke-width="1.5" stroke-dasharray="2 3" points="' ||
           (SELECT group_concat(printf('%.1f,%.1f', 60 + 820 * (julianday(day) - julianday(a.x0)) / g.xspan, 280 - 260 * floor / g.ymax), ' ')
              FROM (SELECT * FROM temp.report_ns WHERE typeof(floor) IN ('integer', 'real') ORDER BY day)) || '"/>', '') ||
  coalesce('<polyline id="ns-target" fill="none" stroke="#829ab1" stroke-width="2" stroke-dasharray="6 4" points="' ||
           (SELECT group_concat(printf('%.1f,%.1f', 60 + 820 * (julianday(day) - julianday(a.x0)) / g.xspan, 280 - 260 * target / g.ymax), ' ')
              FROM (SELECT * FROM temp.report_ns WHERE target IS NOT NULL ORDER BY day)) || '"/>', '') ||
  coalesce('<polyline id="ns-actual" fill="none" stroke="#1971c2" stroke-width="2.5" points="' ||
           (SELECT group_concat(printf('%.1f,%.1f', 60 + 820 * (julianday(day) - julianday(a.x0)) / g.xspan, 280 - 260 * value / g.ymax), ' ')
              FROM (SELECT * FROM temp.report_ns WHERE value IS NOT NULL ORDER BY day)) || '"/>', '') ||
  CASE WHEN a.as_of BETWEEN a.x0 AND a.x1 THEN
    printf('<line x1="%.1f" x2="%.1f" y1="20" y2="280" stroke="#e03131"/><text x="%.1f" y="14" text-anchor="middle">%s</text>',
           60 + 820 * (julianday(a.as_of) - julianday(a.x0)) / g.xspan, 60 + 820 * (julianday(a.as_of) - julianday(a.x0)) / g.xspan,
           min(850, max(90, 60 + 820 * (julianday(a.as_of) - julianday(a.x0)) / g.xspan)), html_escape(a.as_of)) ELSE '' END ||
  printf('<text x="60" y="304">%s</text><text x="880" y="304" text-anchor="end">%s</text>', html_escape(a.x0), html_escape(a.x1)) ||
  '</svg><p class="legend"><span style="color:#1971c2">— 实际 actual</span><span style="color:#829ab1">- - 目标 target</span>' ||
  '<span style="color:#e03131">··· 保底 floor</span></p>' ||
  coalesce((SELECT printf('<p id="north-star-summary">%s:%s,目标 target %s,保底 floor %s:%s。</p>', html_escape(n.day),
                          CASE WHEN n.unit = 'share' THEN printf('%.1f%%', 100 * n.value) WHEN n.kind = 'ratio' THEN printf('%.2f', n.value)
                               ELSE printf('%,d', CAST(round(n.value) AS INTEGER)) END,
                          CASE WHEN n.target IS NULL THEN '-' WHEN n.unit = 'share' THEN printf('%.1f%%', 100 * n.target)
                               WHEN n.kind = 'ratio' THEN printf('%.2f', n.target) ELSE printf('%,d', CAST(round(n.target) AS INTEGER)) END,
                          CASE WHEN typeof(n.floor) NOT IN ('integer', 'real') THEN '-' WHEN n.unit = 'share' THEN printf('%.1f%%', 100 * n.floor)
                               WHEN n.kind = 'ratio' THEN printf('%.2f', n.floor) ELSE printf('%,d', CAST(round(n.floor) AS INTEGER)) END,
                          CASE WHEN n.target IS NULL THEN '无目标 no target'
                               ELSE CASE kpi_status(n.value, n.target, CASE WHEN typeof(n.floor) IN ('integer', 'real') THEN n.floor END,
                                                    CASE WHEN n.direction = 'lower' THEN 'lower' ELSE 'higher' END)
                                      WHEN 'met' THEN '达成 met' WHEN 'below floor' THEN '低于保底 below floor' ELSE '落后 behind' END END)
              FROM (SELECT * FROM temp.report_ns WHERE value IS NOT NULL ORDER BY day DESC LIMIT 1) n), '')
FROM temp.report_args a,
     (SELECT max(julianday(a2.x1) - julianday(a2.x0), 1) AS xspan,
             max(coalesce(max(n.value), 0), coalesce(max(n.target), 0),
                 coalesce(max(CASE WHEN typeof(n.floor) IN ('integer', 'real') THEN n.floor END), 0), 1e-9) * 1.1 AS ymax,
             max(n.unit) AS unit, max(n.kind) AS kind
      FROM temp.report_ns n, temp.report_args a2) g
WHERE EXISTS (SELECT 1 FROM temp.report_ns WHERE value IS NOT NULL);

------------------------------------------------------------------------
-- 3. Last week's funnels: the campaign's own
------------------------------------------------------------------------
SELECT '<h2 id="funnels">' || s.funnels || '. 上周转化漏斗 Last week''s funnels</h2>'
FROM temp.report_args, temp.report_sections s WHERE campaign_id IS NOT NULL AND n_funnels > 0;
-- Each step's count: a metrics funnel sums its metric over last week on
-- its account; an events funnel counts the users whose events of last
-- week reach the step within its window (window_funnel_steps()).
DROP TABLE IF EXISTS temp.report_funnel;
CREATE TEMP TABLE report_funnel AS
WITH f AS (
  SELECT f.*, row_number() OVER (ORDER BY f.funnel_id) AS n, coalesce(f.account_id, r.account_id) AS funnel_account,
         (SELECT json_group_array(event) FROM (SELECT event FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step)) AS names
  FROM funnels f JOIN temp.report_args r ON f.campaign_id = r.campaign_id
),
steps AS (
  SELECT s.*, row_number() OVER (PARTITION BY s.funnel_id ORDER BY s.step) AS place
  FROM funnel_steps s WHERE s.funnel_id IN (SELECT funnel_id FROM f)
),
depth AS (
  SELECT f.funnel_id, e.user_id, window_funnel_steps(f.window_seconds, e.ts, e.event, f.names) AS depth
  FROM f JOIN (SELECT * FROM events ORDER BY user_id, ts) e
    ON period_key(e.ts, 'day') BETWEEN (SELECT week FROM temp.report_args) AND (SELECT week_end FROM temp.report_args)
  WHERE f.source = 'events'
  GROUP BY f.funnel_id, e.user_id
)
SELECT f.n, f.funnel_id, f.name_en AS funnel, f.name_zh AS funnel_zh, f.source, s.place AS step, s.metric,
       coalesce(s.name_en, m.name_en, s.event) AS stage, coalesce(s.name_zh, m.name_zh, s.event) AS stage_zh,
       CASE f.source
         WHEN 'metrics' THEN (SELECT sum(v.value) FROM metric_values v, temp.report_args a
                              WHERE v.account_id = f.funnel_account AND v.metric = s.metric
                                AND v.day BETWEEN a.week AND a.week_end AND typeof(v.value) IN ('integer', 'real'))
         ELSE (SELECT count(*) FROM depth d WHERE d.funnel_id = f.funnel_id AND d.depth >= s.place)
       END AS users,
       f.funnel_account
FROM f JOIN steps s ON s.funnel_id = f.funnel_id
LEFT JOIN metrics m ON m.code = s.metric;
-- funnel_stages() wants counts that never rise: else no funnel.
DROP TABLE IF EXISTS temp.report_stages;
CREATE TEMP TABLE report_stages AS
SELECT g.n, st.step, st.users, st.step_rate, st.overall_rate, st.drop_off
FROM (SELECT n, CASE WHEN count(users) = count(*) AND max(coalesce(users > prev, 0)) = 0 AND min(users) >= 0
                     THEN json_group_array(json_array(stage, users)) END AS stages
      FROM (SELECT n, step, stage, users, lag(users) OVER (PARTITION BY n ORDER BY step) AS prev
              FROM temp.report_funnel ORDER BY n, step)
      GROUP BY n) g,
     funnel_stages(g.stages) st;
-- The ratio of a metrics funnel's last step to its first, where the
-- catalogue has it (orders / visitors: the order conversion), with last
-- week's target and floor.
DROP TABLE IF EXISTS temp.report_funnel_ratio;
CREATE TEMP TABLE report_funnel_ratio AS
SELECT f.n, m.code, m.name_en, m.name_zh, m.direction, t.value AS target, t.floor
FROM (SELECT n, funnel_account, max(CASE WHEN step = 1 THEN metric END) AS first_metric,
             max(CASE WHEN step = (SELECT max(step) FROM temp.report_funnel x WHERE x.n = y.n) THEN metric END) AS last_metric
      FROM temp.report_funnel y WHERE source = 'metrics' GROUP BY n) f
JOIN metrics m ON m.kind = 'ratio' AND m.numerator = f.last_metric AND m.denominator = f.first_metric
LEFT JOIN targets t ON t.target_id = (
  SELECT t2.target_id FROM targets t2, temp.report_args a
  WHERE t2.campaign_id = a.campaign_id AND t2.metric = m.code AND t2.grain = 'week' AND t2.period = a.week_key
    AND coalesce(t2.account_id, a.account_id) = f.funnel_account AND t2.person_id IS NULL AND t2.role_id IS NULL
  ORDER BY t2.target_id LIMIT 1);

-- The breakdown by channel of each events funnel whose plan asks for one
-- (funnels.breakdown = 'channel'), as the Monday report's 5b: the users
-- by the channel of their first step-1 event of last week (first touch;
-- at the same time the smaller channel, none first), the five channels
-- with most entrants, the rest as 'other', none as '(none)', each a row
-- of users per step.  (SELECT *, NULL AS channel FROM events) reads the
-- events' channel column where there is one, NULL where there is none.
DROP TABLE IF EXISTS temp.report_breakdown;
CREATE TEMP TABLE report_breakdown AS
WITH f AS (
  SELECT r.n, f.funnel_id, f.window_seconds,
         (SELECT json_group_array(event) FROM (SELECT event FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step)) AS names,
         (SELECT event FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step LIMIT 1) AS first_event
  FROM (SELECT *, NULL AS breakdown FROM funnels) f
  JOIN (SELECT DISTINCT n, funnel_id FROM temp.report_funnel) r ON r.funnel_id = f.funnel_id
  WHERE f.source = 'events' AND f.breakdown = 'channel'
    AND EXISTS (SELECT 1 FROM pragma_table_info('events') WHERE name = 'channel')
),
e AS (
  SELECT user_id, ts, event, channel,
         CASE WHEN typeof(ts) IN ('integer', 'real') THEN ts ELSE (julianday(ts) - 2440587.5) * 86400 END AS t
  FROM (SELECT *, NULL AS channel FROM events)
  WHERE period_key(ts, 'day') BETWEEN (SELECT week FROM temp.report_args) AND (SELECT week_end FROM temp.report_args)
),
depth AS (
  SELECT f.n, e.user_id, window_funnel_steps(f.window_seconds, e.ts, e.event, f.names) AS depth
  FROM f JOIN (SELECT * FROM e ORDER BY user_id, t) e GROUP BY f.n, e.user_id
),
touch AS (
  SELECT f.n, e.user_id, e.channel, row_number() OVER (PARTITION BY f.n, e.user_id ORDER BY e.t, e.channel) AS k
  FROM f JOIN e ON e.event = f.first_event
),
entrants AS (
  SELECT d.n, d.depth, t.channel FROM depth d
  JOIN touch t ON t.n = d.n AND t.user_id = d.user_id AND t.k = 1
  WHERE d.depth >= 1
),
ranked AS (
  SELECT n, channel, row_number() OVER (PARTITION BY n ORDER BY count(*) DESC, channel) AS place
  FROM entrants WHERE channel IS NOT NULL GROUP BY n, channel
),
labelled AS (
  SELECT e.n, e.depth,
         CASE WHEN e.channel IS NULL THEN 7 WHEN r.place <= 5 THEN r.place ELSE 6 END AS place,
         CASE WHEN e.channel IS NULL THEN '(none)' WHEN r.place <= 5 THEN e.channel ELSE 'other' END AS channel
  FROM entrants e LEFT JOIN ranked r ON r.n = e.n AND r.channel = e.channel
)
SELECT l.n, l.place, l.channel, s.step, sum(l.depth >= s.step) AS users
FROM labelled l JOIN (SELECT DISTINCT n, step FROM temp.report_funnel) s ON s.n = l.n
GROUP BY l.n, l.place, l.channel, s.step;
-- A funnel's breakdown as an HTML table (or the note of a missing channel
-- column), to follow its chart.
DROP TABLE IF EXISTS temp.report_breakdown_html;
CREATE TEMP TABLE report_breakdown_html AS
SELECT h.n,
       '<table id="breakdown-funnel-' || h.n || '"><caption>按渠道 by channel:每位用户上周首次 ' ||
       html_escape(h.first_zh) || ' 的渠道 the channel of each user''s first ' || html_escape(h.first_en) ||
       ' last week</caption><tr><th>渠道 channel</th>' || h.heads || '<th>总转化 overall</th></tr>' ||
       (SELECT group_concat(row, '') FROM (
          SELECT '<tr><td>' || html_escape(coalesce(ch.name_zh || ' · ' || ch.name_en, b.channel)) || '</td>' ||
                 group_concat('<td>' || printf('%,d', b.users) || '</td>', '') ||
                 '<td>' || printf('%.1f%%', 100.0 * max(CASE WHEN b.step = h.last THEN b.users END)
                                          / max(CASE WHEN b.step = 1 THEN b.users END)) || '</td></tr>' AS row
          FROM (SELECT * FROM temp.report_breakdown WHERE n = h.n ORDER BY place, step) b
          LEFT JOIN channels ch ON ch.code = b.channel
          GROUP BY b.place, b.channel ORDER BY b.place)) || '</table>' AS html
FROM (SELECT n, max(step) AS last,
             max(CASE WHEN step = 1 THEN stage END) AS first_en, max(CASE WHEN step = 1 THEN stage_zh END) AS first_zh,
             group_concat('<th>' || html_escape(stage_zh) || ' ' || html_escape(stage) || '</th>', '') AS heads
      FROM (SELECT * FROM temp.report_funnel ORDER BY n, step) GROUP BY n) h
WHERE h.n IN (SELECT n FROM temp.report_breakdown)
UNION ALL
SELECT r.n, '<p class="missing" id="missing-channel-' || r.n || '">缺少渠道数据:漏斗按渠道拆分,但 events 表没有 channel 列。' ||
            'The plan breaks this funnel down by channel, but the events table has no channel column: add it ' ||
            '(ALTER TABLE events ADD COLUMN channel TEXT) and import the channels.</p>'
FROM (SELECT *, NULL AS breakdown FROM funnels) f
JOIN (SELECT DISTINCT n, funnel_id FROM temp.report_funnel) r ON r.funnel_id = f.funnel_id
WHERE f.source = 'events' AND f.breakdown = 'channel'
  AND NOT EXISTS (SELECT 1 FROM pragma_table_info('events') WHERE name = 'channel');

-- A funnel a row: its title, what is missing if anything, the chart (a
-- bar a step, centred, as wide as its share of the first step) and the
-- overall conversion, with the catalogue's ratio of it where there is one,
-- and its breakdown by channel where the plan asks for one.
SELECT '<h3 id="funnel-' || h.n || '">' || html_escape(h.funnel_zh) || ' · ' || html_escape(h.funnel) || '</h3>' ||
       CASE WHEN h.known < h.steps
            THEN '<p class="missing" id="missing-funnel-' || h.n || '">缺少漏斗数据:上周(' || html_escape(a.week) || ' – ' ||
                 html_escape(a.week_end) || ')没有 ' || html_escape(h.unknown_zh) ||
                 ' 的数值。No values of ' || html_escape(h.unknown) || ' last week: import them.</p>'
            WHEN c.chart IS NULL
            THEN '<p class="missing" id="missing-funnel-' || h.n || '">各步数字不递减,无法构成漏斗。A later step counts more than the one before: no funnel.</p>'
            ELSE c.chart END || coalesce((SELECT html FROM temp.report_breakdown_html b WHERE b.n = h.n), '')
FROM (SELECT n, max(funnel) AS funnel, max(funnel_zh) AS funnel_zh, count(users) AS known, count(*) AS steps,
             group_concat(CASE WHEN users IS NULL THEN stage_zh END, '、') AS unknown_zh,
             group_concat(CASE WHEN users IS NULL THEN stage END, ', ') AS unknown
      FROM temp.report_funnel GROUP BY n) h
CROSS JOIN temp.report_args a
LEFT JOIN (
  SELECT s.n, '<svg id="chart-funnel-' || s.n || '" xmlns="http://www.w3.org/2000/svg" width="900" height="' || (10 + 50 * count(*)) ||
       '" viewBox="0 0 900 ' || (10 + 50 * count(*)) || '" role="img" aria-label="funnel">' ||
       group_concat(printf('<rect class="funnel-bar" x="%.1f" y="%d" width="%.1f" height="36" fill="#4dabf7"/>' ||
                           '<text x="10" y="%d">%s %s</text><text x="450" y="%d" text-anchor="middle" style="fill:#102a43">%s</text>' ||
                           '<text x="890" y="%d" text-anchor="end">%s</text>',
                           450 - 290 * s.w, 10 + 50 * (s.step - 1), max(1, 580 * s.w),
                           33 + 50 * (s.step - 1), html_escape(substr(f.stage_zh, 1, 16)), html_escape(substr(f.stage, 1, 30)),
                           33 + 50 * (s.step - 1), printf('%,d', CAST(s.users AS INTEGER)),
                           33 + 50 * (s.step - 1),
                           CASE WHEN s.step = 1 THEN '100%'
                                ELSE printf('步 step %.1f%% · 总 overall %.1f%%', 100 * coalesce(s.step_rate, 0), 100 * coalesce(s.overall_rate, 0)) END), '') ||
       '</svg>' ||
       (SELECT printf('<p id="funnel-summary-%d">总转化 overall %.1f%%%s</p>', s.n, 100 * coalesce(l.overall_rate, 0),
                      coalesce((SELECT printf(' · %s %s%s%s', html_escape(r.name_zh), html_escape(r.name_en),
                                              CASE WHEN r.target IS NULL THEN '' ELSE printf(',目标 target %.1f%%', 100 * r.target) END,
                                              CASE WHEN typeof(r.floor) IN ('integer', 'real') THEN printf(',保底 floor %.1f%%:%s', 100 * r.floor,
                                                     CASE kpi_status(l.overall_rate, coalesce(r.target, r.floor), r.floor,
                                                                     CASE WHEN r.direction = 'lower' THEN 'lower' ELSE 'higher' END)
                                                       WHEN 'met' THEN '达标 met' WHEN 'below floor' THEN '低于保底 below the floor'
                                                       ELSE '高于保底 above the floor' END) ELSE '' END)
                                FROM temp.report_funnel_ratio r WHERE r.n = s.n), ''))
          FROM temp.report_stages l WHERE l.n = s.n AND l.step = (SELECT max(step) FROM temp.report_stages x WHERE x.n = s.n)) AS chart
  FROM (SELECT s.*, CASE WHEN (SELECT users FROM temp.report_stages t WHERE t.n = s.n AND t.step = 1) > 0
                         THEN s.users * 1.0 / (SELECT users FROM temp.report_stages t WHERE t.n = s.n AND t.step = 1) ELSE 0 END AS w
          FROM temp.report_stages s ORDER BY s.n, s.step) s
  JOIN temp.report_funnel f ON f.n = s.n AND f.step = s.step
  GROUP BY s.n) c ON c.n = h.n
ORDER BY h.n;

------------------------------------------------------------------------
-- 4. KPI attainment against targets and floors
------------------------------------------------------------------------
SELECT '<h2 id="kpi">' || s.kpi || '. 上周目标达成 KPI attainment against targets and floors</h2>'
FROM temp.report_args, temp.report_sections s WHERE campaign_id IS NOT NULL;
DROP TABLE IF EXISTS temp.report_kpi;
CREATE TEMP TABLE report_kpi AS
SELECT t.target_id, t.metric, m.name_en, m.name_zh, m.unit, m.direction, t.value AS target,
       CASE WHEN typeof(t.floor) IN ('integer', 'real') THEN t.floor END AS floor,
       coalesce(t.account_id, a.account_id) AS account_id,
       -- the owner: the person, else the role, else the department
       coalesce((SELECT pe.name FROM people pe WHERE pe.person_id = t.person_id),
                (SELECT ro.title_en FROM roles ro WHERE ro.role_id = t.role_id), t.department) AS owner,
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
                AND typeof(t.value) IN ('integer', 'real')
JOIN metrics m ON m.code = t.metric;
-- attainment: kpi_attainment(), actual / target (target / actual where
-- lower is better); the floor on the same scale; the status from
-- kpi_status() (its 'below floor' is the CSS class 'below').
DROP TABLE IF EXISTS temp.report_kpi2;
CREATE TEMP TABLE report_kpi2 AS
SELECT k.*,
       kpi_attainment(actual, target, dir) AS attainment,
       kpi_attainment(floor, target, dir) AS floor_at,
       CASE WHEN actual IS NULL THEN 'nodata'
            ELSE replace(kpi_status(actual, target, floor, dir), 'below floor', 'below') END AS status,
       row_number() OVER (ORDER BY metric, account_id, target_id) AS n
FROM (SELECT k.*, CASE WHEN direction = 'lower' THEN 'lower' ELSE 'higher' END AS dir FROM temp.report_kpi k) k;

SELECT '<p class="missing" id="missing-kpi">缺少目标:targets 表中没有上周(' || html_escape(week_key) || ')的周目标。' ||
       'No weekly targets for last week (' || html_escape(week_key) || ') in the targets table: write them with the plan script (sql/scripts/plan.sql).</p>'
FROM temp.report_args WHERE campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.report_kpi2);

-- Bars on a scale of 0 to 150% of the target: the target at 100%, the
-- floor marked; under each name its account and its owner.
SELECT '<svg id="chart-kpi" xmlns="http://www.w3.org/2000/svg" width="900" height="' || (40 + 40 * count(*)) ||
       '" viewBox="0 0 900 ' || (40 + 40 * count(*)) || '" role="img" aria-label="KPI attainment">' ||
       '<line x1="596.7" x2="596.7" y1="4" y2="' || (16 + 40 * count(*)) || '" stroke="#102a43"/>' ||
       '<text x="596.7" y="' || (32 + 40 * count(*)) || '" text-anchor="middle">目标 target 100%</text>' ||
       group_concat(printf('<text x="10" y="%d">%s %s</text><text class="owner" x="10" y="%d">%s</text>' ||
                           '<rect class="kpi-bar %s" x="280" y="%d" width="%.1f" height="18"/>' ||
                           '%s<text x="890" y="%d" text-anchor="end">%s</text>',
                           18 + 40 * (n - 1), html_escape(substr(name_zh, 1, 12)), html_escape(substr(name_en, 1, 24)),
                           32 + 40 * (n - 1),
                           '负责 owner: ' || coalesce(html_escape(substr(owner, 1, 24)), '-') || ' · ' ||
                             coalesce((SELECT html_escape(substr(ac.name, 1, 20)) FROM accounts ac WHERE ac.account_id = k.account_id), '-'),
                           status, 10 + 40 * (n - 1), 475 * min(1.5, coalesce(attainment, 0)) / 1.5,
                           CASE WHEN floor_at IS NOT NULL THEN
                             printf('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#e03131" stroke-width="2"/>',
                                    280 + 475 * min(1.5, floor_at) / 1.5, 280 + 475 * min(1.5, floor_at) / 1.5,
                                    6 + 40 * (n - 1), 32 + 40 * (n - 1)) ELSE '' END,
                           24 + 40 * (n - 1),
                           CASE WHEN attainment IS NULL THEN '无数据 no data'
                                ELSE printf('%.0f%% %s', 100 * attainment,
                                            CASE status WHEN 'met' THEN '达成 met' WHEN 'below' THEN '低于保底 below floor'
                                                        ELSE '落后 behind' END) END), '') ||
       '</svg><p class="legend"><span style="color:#e03131">| 保底 floor</span>' ||
       '<span style="color:#2f9e44">■ 达成 met</span><span style="color:#f59f00">■ 落后 behind</span>' ||
       '<span style="color:#e03131">■ 低于保底 below floor</span></p>'
FROM (SELECT * FROM temp.report_kpi2 ORDER BY n) k
HAVING count(*) > 0;

------------------------------------------------------------------------
-- 5. The payouts of the evaluated month
------------------------------------------------------------------------
-- The payouts are v_evaluation's, as of the views' as_of (settings'): the
-- heading says so when the page's differs, and runs the month by theirs.
SELECT '<h2 id="payouts">' || s.payouts || '. 月度奖金 Payouts, ' || html_escape(a.month) ||
       CASE WHEN v.as_of IS NOT a.as_of
            THEN ' · 截至 as of ' || html_escape(v.as_of) || ' (the views'': settings'' as_of, else today), not the page''s '
                 || html_escape(a.as_of) ELSE '' END ||
       CASE WHEN v.as_of < a.month_last AND v.as_of >= a.month_first
            THEN ' · 进行中,暂定 running on ' || html_escape(v.as_of) || ': provisional' ELSE '' END || '</h2>'
FROM temp.report_args a, temp.report_sections s,
     (SELECT CASE WHEN a.views THEN coalesce((SELECT as_of FROM v_settings), a.as_of) ELSE a.as_of END AS as_of
        FROM temp.report_args a) v
WHERE a.campaign_id IS NOT NULL;
-- Per person with a day in the job in the month (v_evaluation: each KPI
-- against its target, the money prorated by the days in the job): the
-- month's payout, score and days; and who was not in the job.
DROP TABLE IF EXISTS temp.report_payouts;
CREATE TEMP TABLE report_payouts AS
SELECT p.*, r.title_en AS role, r.title_zh AS role_zh,
       row_number() OVER (ORDER BY p.in_job DESC, p.payout DESC, p.person_id) AS n
FROM (SELECT e.person_id, max(e.name) AS name, max(e.total_payout) AS payout, max(e.score) AS score,
             max(e.days_in_job) AS days_in_job, max(e.period_days) AS period_days, max(e.running) AS running,
             max(e.elapsed_days) AS elapsed_days,
             max(e.role_id) AS role_id, max(e.days_in_job) > 0 AS in_job
      FROM temp.report_args a
      JOIN v_evaluation e ON e.campaign_id = a.campaign_id AND e.grain = 'month' AND e.period = a.month
      GROUP BY e.person_id) p
LEFT JOIN roles r ON r.role_id = p.role_id;

SELECT '<p class="missing" id="missing-payouts">缺少考评:' || html_escape(a.month) || ' 没有可考评的 KPI。' ||
       CASE WHEN NOT a.views
            THEN 'The payouts are read from the toolkit''s view v_evaluation, which this database lacks: add the views with ' ||
                 '<code>sqlite3 -cmd &#39;.load ./growthops&#39; plan.db &#39;.read sql/views.sql&#39;</code>.'
            WHEN a.month_last < a.starts OR a.month_first > a.ends
            THEN 'The month ' || html_escape(a.month) || ' lies outside the campaign (' || html_escape(a.starts) || ' – ' ||
                 html_escape(a.ends) || '): set :month within it.'
            ELSE 'No KPI of ' || html_escape(a.month) || ' has a target: give roles or people their KPIs (kpi_assignments) ' ||
                 'and write the targets with sql/scripts/plan.sql.' END || '</p>'
FROM temp.report_args a WHERE a.campaign_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.report_payouts WHERE in_job);

-- A bar a person, as long as the payout against the month's largest
-- (from x 440, right of the longest role line); under the name the role,
-- the days in the job and the score.  Part of the month: fewer days in the
-- job than its days gone (a running month's days to come are no one's).
SELECT '<svg id="chart-payouts" xmlns="http://www.w3.org/2000/svg" width="900" height="' || (10 + 40 * count(*)) ||
       '" viewBox="0 0 900 ' || (10 + 40 * count(*)) || '" role="img" aria-label="payouts">' ||
       group_concat(printf('<text x="10" y="%d">%s</text><text class="owner" x="10" y="%d">%s</text>' ||
                           '<rect class="payout-bar" x="440" y="%d" width="%.1f" height="18" fill="%s"/>' ||
                           '<text x="890" y="%d" text-anchor="end">%s</text>',
                           18 + 40 * (n - 1), html_escape(substr(name, 1, 30)),
                           32 + 40 * (n - 1),
                           coalesce(html_escape(substr(role_zh, 1, 12)) || ' ', '') || coalesce(html_escape(substr(role, 1, 28)), '-') ||
                             printf(' · 在岗 in the job %d/%d · 得分 score %.2f', days_in_job, period_days, coalesce(score, 0)),
                           10 + 40 * (n - 1), max(1, 330 * payout / scale),
                           CASE WHEN days_in_job < elapsed_days THEN '#f59f00' ELSE '#2f9e44' END,
                           24 + 40 * (n - 1),
                           printf('%,d', CAST(round(payout) AS INTEGER)) ||
                             CASE WHEN days_in_job < elapsed_days THEN printf(' (%d/%d)', days_in_job, period_days) ELSE '' END), '') ||
       '</svg><p class="legend"><span style="color:#2f9e44">■ 全月在岗 the whole month</span>' ||
       '<span style="color:#f59f00">■ 部分在岗,按天折算 part of it, prorated by the days in the job</span></p>' ||
       (SELECT printf('<p id="payout-summary">合计 total %s · %d 人 people%s%s</p>',
                      printf('%,d', CAST(round(sum(CASE WHEN in_job THEN payout END)) AS INTEGER)), sum(in_job),
                      coalesce(' · 未在岗 not in the job: ' ||
                               group_concat(CASE WHEN NOT in_job THEN html_escape(substr(name, 1, 30)) END, ', '), ''),
                      CASE WHEN max(running) = 1 THEN ' · 本月未结束,奖金暂定 the month is running: the payouts are provisional' ELSE '' END)
          FROM temp.report_payouts)
FROM (SELECT p.*, max(1, (SELECT max(payout) FROM temp.report_payouts)) AS scale
        FROM temp.report_payouts p WHERE in_job ORDER BY n) k
HAVING count(*) > 0;

------------------------------------------------------------------------
-- 6. Budget burn against the prorated plan
------------------------------------------------------------------------
SELECT '<h2 id="budget">' || s.budget || '. 预算消耗 Budget burn against the prorated plan</h2>'
FROM temp.report_args, temp.report_sections s WHERE campaign_id IS NOT NULL;
-- Two charts of one kind, each a row per category or month (chart 1:
-- each line over its days, v_budget_lines: its month within its phase or
-- campaign, else its own dates, its phase's, the campaign's, the plan
-- prorated to the report's as_of; chart 2: the months, v_budget_month:
-- each line spread over its months by calendar days, its spend over its
-- days gone, as of settings' as_of).
DROP TABLE IF EXISTS temp.report_budget;
CREATE TEMP TABLE report_budget AS
SELECT 1 AS chart, category AS key, sum(planned) AS planned, sum(actual) AS actual, sum(prorated) AS prorated,
       row_number() OVER (ORDER BY category) AS n
FROM (SELECT l.category, l.planned, l.actual,
             l.planned * max(0, min(julianday(l.ends), julianday(a.as_of)) - julianday(l.starts) + 1)
               / (julianday(l.ends) - julianday(l.starts) + 1) AS prorated
        FROM temp.report_args a JOIN v_budget_lines l ON l.campaign_id = a.campaign_id)
GROUP BY category
UNION ALL
SELECT 2, m.month, sum(m.planned), sum(m.actual), sum(m.prorated_plan), row_number() OVER (ORDER BY m.month)
FROM temp.report_args a JOIN v_budget_month m ON m.campaign_id = a.campaign_id
GROUP BY m.month;

SELECT '<p class="missing" id="missing-budget">缺少预算:budget_lines 表中没有此活动的预算行。' ||
       'No budget lines for this campaign in budget_lines: add each phase''s line items (planned and actual).</p>'
FROM temp.report_args a WHERE campaign_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM budget_lines b WHERE b.campaign_id = a.campaign_id);
SELECT '<p class="missing" id="missing-budget-views">缺少视图:预算按 v_budget_lines 和 v_budget_month 计算。' ||
       'The budget is read from the toolkit''s views v_budget_lines and v_budget_month, which this database lacks: ' ||
       'add them with <code>sqlite3 -cmd &#39;.load ./growthops&#39; plan.db &#39;.read sql/views.sql&#39;</code>.</p>'
FROM temp.report_args a WHERE campaign_id IS NOT NULL AND NOT views
 AND EXISTS (SELECT 1 FROM budget_lines b WHERE b.campaign_id = a.campaign_id);

-- Each chart: the row's whole plan (outline), its plan prorated (marker)
-- and its spend (bar, red above 110% of the prorated plan), on the
-- chart's scale; the categories' totals under the first.
SELECT CASE chart WHEN 2 THEN '<h3 id="budget-by-month">按月 By month</h3>' ELSE '' END ||
       '<svg id="chart-budget' || CASE chart WHEN 2 THEN '-month' ELSE '' END ||
       '" xmlns="http://www.w3.org/2000/svg" width="900" height="' || (20 + 30 * count(*)) ||
       '" viewBox="0 0 900 ' || (20 + 30 * count(*)) || '" role="img" aria-label="' ||
       CASE chart WHEN 2 THEN 'budget by month' ELSE 'budget burn' END || '">' ||
       group_concat(printf('<text x="10" y="%d">%s</text>' ||
                           '<rect x="160" y="%d" width="%.1f" height="18" fill="none" stroke="#9fb3c8"/>' ||
                           '<rect class="budget-bar" x="160" y="%d" width="%.1f" height="18" fill="%s"/>' ||
                           '<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#102a43" stroke-width="2"/>' ||
                           '<text x="890" y="%d" text-anchor="end">%s / %s · 计划 plan %s · 进度 pacing %s</text>',
                           20 + 30 * (n - 1),
                           CASE WHEN chart = 2 THEN html_escape(key)
                                ELSE CASE key WHEN 'salaries' THEN '工资 salaries' WHEN 'promotion' THEN '推广 promotion'
                                       WHEN 'prizes' THEN '奖品 prizes' WHEN 'placements' THEN '投放 placements' WHEN 'events' THEN '活动 events'
                                       WHEN 'tools' THEN '工具 tools' ELSE '其他 ' || html_escape(key) END END,
                           6 + 30 * (n - 1), 420 * planned / scale,
                           6 + 30 * (n - 1), 420 * actual / scale,
                           CASE WHEN prorated > 0 AND actual > 1.1 * prorated THEN '#e03131' ELSE '#4dabf7' END,
                           160 + 420 * prorated / scale, 160 + 420 * prorated / scale, 2 + 30 * (n - 1), 28 + 30 * (n - 1),
                           20 + 30 * (n - 1), printf('%,d', CAST(round(actual) AS INTEGER)),
                           printf('%,d', CAST(round(prorated) AS INTEGER)), printf('%,d', CAST(round(planned) AS INTEGER)),
                           CASE WHEN prorated > 0 THEN printf('%.0f%%', 100 * actual / prorated) ELSE '-' END), '') ||
       '</svg><p class="legend"><span>▯ ' || CASE chart WHEN 2 THEN '当月预算 the month''s plan' ELSE '全部预算 whole plan' END ||
       '</span><span>| 按时间折算 prorated plan</span>' ||
       '<span style="color:#4dabf7">■ 实际支出 spend</span><span style="color:#e03131">■ 超支 over 110%</span></p>' ||
       CASE chart WHEN 1 THEN
         (SELECT printf('<p id="budget-summary">合计 total:支出 spend %s,折算预算 prorated %s,全部预算 plan %s,进度 pacing %s。</p>',
                        printf('%,d', CAST(round(sum(actual)) AS INTEGER)), printf('%,d', CAST(round(sum(prorated)) AS INTEGER)),
                        printf('%,d', CAST(round(sum(planned)) AS INTEGER)),
                        CASE WHEN sum(prorated) > 0 THEN printf('%.0f%%', 100 * sum(actual) / sum(prorated)) ELSE '-' END)
            FROM temp.report_budget WHERE chart = 1) ELSE '' END
FROM (SELECT b.*, max(1, (SELECT max(max(planned, actual)) FROM temp.report_budget c WHERE c.chart = b.chart)) AS scale
        FROM temp.report_budget b ORDER BY chart, n)
GROUP BY chart ORDER BY chart;

SELECT '<p class="sub">由 growthops 生成 made by growthops: sql/reports/report.sql</p>
</body>
</html>';

DROP TABLE IF EXISTS temp.report_args;
DROP TABLE IF EXISTS temp.report_sections;
DROP TABLE IF EXISTS temp.report_levels;
DROP TABLE IF EXISTS temp.report_path;
DROP TABLE IF EXISTS temp.report_level;
DROP TABLE IF EXISTS temp.report_phase_labels;
DROP TABLE IF EXISTS temp.report_frame;
DROP TABLE IF EXISTS temp.report_ns;
DROP TABLE IF EXISTS temp.report_funnel;
DROP TABLE IF EXISTS temp.report_stages;
DROP TABLE IF EXISTS temp.report_funnel_ratio;
DROP TABLE IF EXISTS temp.report_breakdown;
DROP TABLE IF EXISTS temp.report_breakdown_html;
DROP TABLE IF EXISTS temp.report_kpi;
DROP TABLE IF EXISTS temp.report_kpi2;
DROP TABLE IF EXISTS temp.report_payouts;
DROP TABLE IF EXISTS temp.report_budget;
DETACH report_empty;
