-- workbook.sql: the three tables of the method's management section, as
-- growthops-export writes them to an .xlsx workbook for finance and HR.
-- Read by exporter.py with :campaign (an id) and :month ('2025-08', the
-- evaluation's month) bound; it defines:
--   export_args     the campaign, its names, the month, as_of, and
--                   provisional: 1 when the month is not over on as_of
--   export_sheets   sheet, title (Chinese and English), the view it shows
--   export_columns  per sheet and position: the column of the view, the
--                   Chinese and the English header, the format: text,
--                   date, integer, money, percent, pacing (0.00), metric
--                   (by the row's unit: a share as a percentage, yuan as
--                   money, else a count) or wrap (long text)
--   export_budget, export_budget_month, export_evaluation, export_roles
--                   one row a line, month, KPI or role, then a totals row
--                   (合计 Total)
-- The numbers come from the toolkit's views (v_budget_variance,
-- v_budget_month, v_evaluation, v_staffing), so the workbook follows them.
CREATE TEMP TABLE export_args AS
SELECT c.campaign_id AS campaign, c.name_en, c.name_zh, :month AS month, s.as_of,
       s.as_of < min(period_end(:month || '-01', 'month'), c.ends) AS provisional
FROM main.campaigns c, v_settings s WHERE c.campaign_id = :campaign;

CREATE TEMP TABLE export_sheets(pos INTEGER PRIMARY KEY, sheet TEXT, title_zh TEXT, title_en TEXT, view TEXT);
INSERT INTO temp.export_sheets VALUES
  (1, '预算表 Budget', '预算表', 'Budget', 'export_budget'),
  (2, '月度预算 Budget by month', '月度预算', 'Budget by month', 'export_budget_month'),
  (3, '考评表 Evaluation', '考评表', 'Evaluation', 'export_evaluation'),
  (4, '岗位描述表 Roles', '岗位描述表', 'Job descriptions', 'export_roles');

CREATE TEMP TABLE export_columns(sheet INTEGER, pos INTEGER, name TEXT, zh TEXT, en TEXT, format TEXT,
                                 PRIMARY KEY (sheet, pos));
INSERT INTO temp.export_columns VALUES
  (1, 1, 'line', '编号', 'Line', 'integer'),
  (1, 2, 'phase', '阶段', 'Phase', 'text'),
  (1, 3, 'category', '类别', 'Category', 'text'),
  (1, 4, 'item', '预算项', 'Item', 'wrap'),
  (1, 5, 'channel', '渠道', 'Channel', 'text'),
  (1, 6, 'starts', '开始', 'Starts', 'date'),
  (1, 7, 'ends', '结束', 'Ends', 'date'),
  (1, 8, 'planned', '计划', 'Planned', 'money'),
  (1, 9, 'spent', '已花费', 'Spent', 'money'),
  (1, 10, 'variance', '差异', 'Variance', 'money'),
  (1, 11, 'variance_pct', '差异率', 'Variance %', 'percent'),
  (1, 12, 'prorated', '按时计划', 'Prorated plan', 'money'),
  (1, 13, 'pacing', '进度', 'Pacing', 'pacing'),
  (2, 1, 'month', '月份', 'Month', 'text'),
  (2, 2, 'planned', '计划', 'Planned', 'money'),
  (2, 3, 'spent', '已花费', 'Spent', 'money'),
  (2, 4, 'variance', '差异', 'Variance', 'money'),
  (2, 5, 'variance_pct', '差异率', 'Variance %', 'percent'),
  (2, 6, 'prorated', '按时计划', 'Prorated plan', 'money'),
  (2, 7, 'pacing', '进度', 'Pacing', 'pacing'),
  (3, 1, 'person', '姓名', 'Person', 'text'),
  (3, 2, 'role', '岗位', 'Role', 'text'),
  (3, 3, 'kpi_zh', '指标', 'KPI (中文)', 'text'),
  (3, 4, 'kpi_en', '指标 (英文)', 'KPI', 'text'),
  (3, 5, 'weight', '权重', 'Weight', 'percent'),
  (3, 6, 'target', '目标', 'Target', 'metric'),
  (3, 7, 'actual', '实际', 'Actual', 'metric'),
  (3, 8, 'attainment', '完成率', 'Attainment', 'percent'),
  (3, 9, 'status', '状态', 'Status', 'text'),
  (3, 10, 'payout_share', '奖金比例', 'Payout share', 'percent'),
  (3, 11, 'days_in_job', '在岗天数', 'Days in job', 'integer'),
  (3, 12, 'period_days', '考核期天数', 'Days in period', 'integer'),
  (3, 13, 'payout', '奖金', 'Payout', 'money'),
  (4, 1, 'code', '岗位代码', 'Code', 'text'),
  (4, 2, 'title_zh', '岗位', 'Role (中文)', 'text'),
  (4, 3, 'title_en', '岗位 (英文)', 'Role', 'text'),
  (4, 4, 'department', '部门', 'Department', 'text'),
  (4, 5, 'headcount', '人数', 'Headcount', 'integer'),
  (4, 6, 'joins_phase', '加入阶段', 'Joins in', 'text'),
  (4, 7, 'joins_on', '到岗日期', 'Joins on', 'date'),
  (4, 8, 'hire_by', '招聘截止', 'Hire by', 'date'),
  (4, 9, 'duties', '岗位职责', 'Duties', 'wrap'),
  (4, 10, 'requirements', '任职要求', 'Requirements', 'wrap'),
  (4, 11, 'monthly_cost', '月薪 (每人)', 'Monthly cost per head', 'money'),
  (4, 12, 'cost', '月成本', 'Monthly cost', 'money');

-- The budget table: each line, then the campaign's totals (variance % and
-- pacing of the sums, never a sum of ratios).
CREATE TEMP VIEW export_budget AS
SELECT line, phase, category, item, channel, starts, ends, planned, spent, variance, variance_pct, prorated, pacing, unit
FROM (
  SELECT 0 AS total_row, b.line_id AS line, coalesce(p.name_zh || ' ' || p.name_en, '全程 whole campaign') AS phase,
         b.category, b.item, coalesce(ch.name_zh || ' ' || ch.code, '') AS channel, b.starts, b.ends,
         b.planned, b.actual AS spent, b.variance, b.variance_pct, b.prorated_plan AS prorated, b.pacing, NULL AS unit
  FROM v_budget_variance b
  LEFT JOIN main.phases p ON p.phase_id = b.phase_id
  LEFT JOIN main.channels ch ON ch.channel_id = b.channel_id
  WHERE b.campaign_id = (SELECT campaign FROM temp.export_args)
  UNION ALL
  SELECT 1, NULL, '合计 Total', NULL, NULL, NULL, NULL, NULL,
         sum(planned), sum(actual), sum(variance), sum(variance) / nullif(sum(planned), 0),
         sum(prorated_plan), sum(actual) / nullif(sum(prorated_plan), 0), NULL
  FROM v_budget_variance WHERE campaign_id = (SELECT campaign FROM temp.export_args)
)
ORDER BY total_row, line;

-- The budget per month: the lines' planned and spent spread over their
-- months by calendar days (v_budget_month), summed per month, with the
-- variance, the plan prorated to as_of and the pacing of those sums (a
-- month not begun has no prorated plan, so no pacing); then the
-- campaign's totals, which are the budget table's.
CREATE TEMP VIEW export_budget_month AS
SELECT month, planned, spent, variance, variance_pct, prorated, pacing, unit
FROM (
  SELECT 0 AS total_row, month, planned, spent, spent - planned AS variance,
         (spent - planned) / nullif(planned, 0) AS variance_pct, prorated,
         spent / nullif(prorated, 0) AS pacing, NULL AS unit
  FROM (SELECT month, sum(planned) AS planned, sum(actual) AS spent, sum(prorated_plan) AS prorated
        FROM v_budget_month WHERE campaign_id = (SELECT campaign FROM temp.export_args) GROUP BY month)
  UNION ALL
  SELECT 1, '合计 Total', sum(planned), sum(actual), sum(actual) - sum(planned),
         (sum(actual) - sum(planned)) / nullif(sum(planned), 0), sum(prorated_plan),
         sum(actual) / nullif(sum(prorated_plan), 0), NULL
  FROM v_budget_month WHERE campaign_id = (SELECT campaign FROM temp.export_args)
)
ORDER BY total_row, month;

-- The evaluation table for the month: each KPI of the people with a day in
-- the job in it, with those days of the month's (the payout is prorated by
-- them: bonus base x weight x payout share x days in job / days in
-- period), then the total payout.  A person with no day in the job in the
-- month ('not in the job' in v_evaluation) is not evaluated for it, is paid
-- nothing and is left out, as evaluation.sql records the month.
CREATE TEMP VIEW export_evaluation AS
SELECT person, role, kpi_zh, kpi_en, weight, target, actual, attainment, status, payout_share,
       days_in_job, period_days, payout, unit
FROM (
  SELECT 0 AS total_row, e.person_id, e.name AS person, coalesce(r.title_zh || ' ' || r.title_en, '') AS role,
         e.name_zh AS kpi_zh, e.name_en AS kpi_en, e.weight, e.target, e.actual, e.attainment, e.status,
         e.payout_share, e.days_in_job, e.period_days, e.payout, m.unit, e.metric
  FROM v_evaluation e
  JOIN main.metrics m ON m.code = e.metric
  LEFT JOIN main.roles r ON r.role_id = e.role_id
  WHERE e.campaign_id = (SELECT campaign FROM temp.export_args) AND e.grain = 'month'
    AND e.period = (SELECT month FROM temp.export_args) AND e.days_in_job > 0
  UNION ALL
  SELECT 1, NULL, '合计 Total', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         sum(e.payout), NULL, NULL
  FROM v_evaluation e
  WHERE e.campaign_id = (SELECT campaign FROM temp.export_args) AND e.grain = 'month'
    AND e.period = (SELECT month FROM temp.export_args) AND e.days_in_job > 0
)
ORDER BY total_row, person_id, weight DESC, metric;

-- The job-description table: each role with its department, the phase it
-- joins in (none for a role joining on a date of its own), the day it
-- joins (its joins_on, else its phase's first day, else the campaign's:
-- v_staffing), the hire-by day, its duties and requirements and its monthly
-- cost (headcount x cost per head), then the heads and the monthly cost of
-- the whole team.
CREATE TEMP VIEW export_roles AS
SELECT code, title_zh, title_en, department, headcount, joins_phase, joins_on, hire_by, duties, requirements,
       monthly_cost, cost, unit
FROM (
  SELECT 0 AS total_row, r.role_id, r.code, r.title_zh, r.title_en, r.department, r.headcount,
         CASE WHEN r.joins_on IS NULL THEN coalesce(p.name_zh || ' ' || p.name_en, '全程 from the start') END AS joins_phase,
         (SELECT s.joins_on FROM v_staffing s WHERE s.role_id = r.role_id LIMIT 1) AS joins_on,
         (SELECT s.hire_by FROM v_staffing s WHERE s.role_id = r.role_id LIMIT 1) AS hire_by,
         r.duties, r.requirements, r.monthly_cost, r.headcount * r.monthly_cost AS cost, NULL AS unit
  FROM main.roles r LEFT JOIN main.phases p ON p.phase_id = r.joins_phase_id
  WHERE r.campaign_id = (SELECT campaign FROM temp.export_args)
  UNION ALL
  SELECT 1, NULL, '合计 Total', NULL, NULL, NULL, sum(headcount), NULL, NULL, NULL, NULL, NULL, NULL,
         sum(headcount * monthly_cost), NULL
  FROM main.roles WHERE campaign_id = (SELECT campaign FROM temp.export_args)
)
ORDER BY total_row, role_id;
