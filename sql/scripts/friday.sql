-- friday.sql: the Friday summary (周五总结).  Each department's week so
-- far: its targets missed, its tasks late, the problems it noted; then each
-- list in full.
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1            -- default 1
--   sqlite3> .parameter set :week "'2025-08-25'"   -- a day of the week, or
--                                                  --   its key '2025-W35'
--   sqlite3> .read sql/scripts/friday.sql
--
-- :week defaults to the week of as_of (settings, else today): on a Friday,
-- the week running.  The summary runs from the week's Monday to its Sunday
-- or as_of, whichever comes first.  A target's department is its own,
-- else its role's, else that of the role its person holds; a task's, that
-- of the role its person holds on its due date (roles.department); a
-- problem's, its own.  Missed:
--   a week target  its status on the summary's last day (kpi_status), a
--                  flow of a running week judged on pace: its actual
--                  against the target prorated to the days gone
--                  (v_target_attainment's on_pace), a level against
--                  its path: that day's target
--   a day target   each day of the week so far that missed its target
-- Late: a task due by the summary's last day and not checked by its due
-- date.  Problems: those noted in the week, and those noted before that are
-- not solved.
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('friday.sql');
DROP TABLE IF EXISTS temp.friday_args;
CREATE TEMP TABLE friday_args AS
SELECT campaign, week, date(week, '+6 days') AS week_end, min(date(week, '+6 days'), as_of) AS upto,
       period_key(week, 'week') AS week_key, as_of
FROM (SELECT script_param('friday.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
             script_param('friday.sql', ':week', :week, 'week', as_of) AS week, as_of
      FROM (SELECT script_param('friday.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of));
SELECT 1 WHERE raise_error((
  SELECT printf('friday.sql: :week %s has not begun on as_of %s: .parameter set :week "''%s''"',
                week_key, as_of, period_start(as_of, 'week'))
  FROM temp.friday_args WHERE week > as_of));

-- The department of a person on a day: the role held then (the latest
-- joined, if several).
DROP TABLE IF EXISTS temp.friday_people;
CREATE TEMP TABLE friday_people AS
SELECT pe.person_id, pe.name,
       (SELECT r.department FROM assignments a JOIN roles r ON r.role_id = a.role_id
         WHERE a.person_id = pe.person_id AND r.campaign_id = f.campaign
           AND a.starts <= f.upto AND (a.ends IS NULL OR a.ends >= f.upto)
         ORDER BY a.starts DESC, a.role_id LIMIT 1) AS department
FROM people pe, temp.friday_args f;

-- The week's targets (week and day) up to the summary's last day.
DROP TABLE IF EXISTS temp.friday_targets;
CREATE TEMP TABLE friday_targets AS
SELECT coalesce(t.department, r.department, p.department, '-') AS department,
       t.metric, t.name_zh, m.unit, t.metric_kind, t.grain, t.period, t.target, t.floor, t.actual,
       coalesce(t.expected_to_date, so_far.target) AS expected_to_date, t.elapsed_days, t.days,
       CASE WHEN t.actual IS NULL THEN 'no data'
            WHEN t.grain = 'week' AND t.metric_kind = 'flow' AND t.elapsed_days < t.days
              THEN CASE WHEN t.on_pace THEN 'on pace' ELSE 'behind pace' END
            WHEN t.grain = 'week' AND t.metric_kind = 'level' AND t.elapsed_days < t.days AND so_far.target IS NOT NULL
              THEN CASE kpi_status(t.actual, so_far.target, NULL, m.direction) WHEN 'met' THEN 'on pace' ELSE 'behind pace' END
            ELSE t.status END AS status
FROM v_target_attainment t
JOIN metrics m ON m.code = t.metric
CROSS JOIN temp.friday_args f
-- a level of a running week is judged against its path on the summary's
-- last day (that day's target), not against the level due by Sunday
LEFT JOIN v_target_attainment so_far
  ON t.grain = 'week' AND t.metric_kind = 'level' AND so_far.grain = 'day' AND so_far.period = f.upto
 AND so_far.campaign_id = t.campaign_id AND so_far.metric = t.metric AND so_far.account_id = t.account_id
 AND so_far.role_id IS t.role_id AND so_far.person_id IS t.person_id
LEFT JOIN roles r ON r.role_id = t.role_id
LEFT JOIN temp.friday_people p ON p.person_id = t.person_id
WHERE t.campaign_id = f.campaign
  AND ((t.grain = 'week' AND t.period = f.week_key)
    OR (t.grain = 'day' AND t.period BETWEEN f.week AND f.upto));

DROP TABLE IF EXISTS temp.friday_tasks;
CREATE TEMP TABLE friday_tasks AS
SELECT coalesce((SELECT r.department FROM assignments a JOIN roles r ON r.role_id = a.role_id
                  WHERE a.person_id = t.person_id AND r.campaign_id = t.campaign_id
                    AND a.starts <= t.due AND (a.ends IS NULL OR a.ends >= t.due)
                  ORDER BY a.starts DESC, a.role_id LIMIT 1), '-') AS department,
       pe.name, t.title, t.metric, t.expected, t.due, t.checked_on, t.result,
       CAST(julianday(coalesce(t.checked_on, f.upto)) - julianday(t.due) AS INTEGER) AS days_late
FROM tasks t JOIN people pe ON pe.person_id = t.person_id, temp.friday_args f
WHERE t.campaign_id = f.campaign AND t.due < f.upto
  AND (t.checked_on IS NULL OR t.checked_on > t.due)
  AND (t.checked_on IS NULL OR t.checked_on >= f.week);

DROP TABLE IF EXISTS temp.friday_problems;
CREATE TEMP TABLE friday_problems AS
SELECT pr.department, pr.day, pr.text, pe.name AS owner, pr.status, pr.day < f.week AS carried
FROM problems pr JOIN people pe ON pe.person_id = pr.owner, temp.friday_args f
WHERE pr.campaign_id = f.campaign AND pr.day <= f.upto
  AND (pr.day >= f.week OR pr.status <> 'solved');

.mode list
.headers off
SELECT printf('== Friday summary 周五总结: %s, week %s (%s to %s), up to %s ==', term_text(c.name_en), f.week_key, f.week, f.week_end, f.upto)
FROM temp.friday_args f JOIN campaigns c ON c.campaign_id = f.campaign;
.print
.print 1. Each department's week  各部门本周小结
.mode column
.headers on
-- week targets missed of the department's week targets; days that missed
-- their day target of its day targets so far; tasks late; problems noted
-- (open: not solved)
SELECT term_text(d.department) AS department,
       printf('%d of %d', (SELECT count(*) FROM temp.friday_targets t WHERE t.department = d.department AND t.grain = 'week'
                             AND t.status IN ('behind', 'below floor', 'behind pace')),
                          (SELECT count(*) FROM temp.friday_targets t WHERE t.department = d.department AND t.grain = 'week')) AS week_targets_missed,
       printf('%d of %d', (SELECT count(*) FROM temp.friday_targets t WHERE t.department = d.department AND t.grain = 'day'
                             AND t.status IN ('behind', 'below floor')),
                          (SELECT count(*) FROM temp.friday_targets t WHERE t.department = d.department AND t.grain = 'day')) AS day_targets_missed,
       (SELECT count(*) FROM temp.friday_tasks k WHERE k.department = d.department) AS tasks_late,
       printf('%d (%d open)', (SELECT count(*) FROM temp.friday_problems p WHERE p.department = d.department),
                              (SELECT count(*) FROM temp.friday_problems p WHERE p.department = d.department AND p.status <> 'solved')) AS problems
FROM (SELECT department FROM temp.friday_targets UNION SELECT department FROM temp.friday_tasks
      UNION SELECT department FROM temp.friday_problems) d
ORDER BY d.department = '-', d.department;
.print
.print 2. Targets missed  未达成的目标
-- each week target not met (or behind pace), with the days of the week so
-- far that missed the metric's day target
SELECT term_text(t.department) AS department, term_text(t.metric) AS metric,
       printf('%10s', CASE WHEN t.unit = 'share' THEN printf('%.1f%%', 100 * t.target) ELSE printf('%,d', CAST(round(t.target) AS INTEGER)) END) AS target,
       printf('%10s', CASE WHEN t.metric_kind IN ('flow', 'level') AND t.elapsed_days < t.days AND t.expected_to_date IS NOT NULL
                           THEN printf('%,d', CAST(round(t.expected_to_date) AS INTEGER)) ELSE '' END) AS due_so_far,
       printf('%10s', CASE WHEN t.actual IS NULL THEN '-' WHEN t.unit = 'share' THEN printf('%.1f%%', 100 * t.actual) ELSE printf('%,d', CAST(round(t.actual) AS INTEGER)) END) AS actual,
       term_text(t.status) AS status,
       coalesce((SELECT printf('%d of %d', sum(d.status IN ('behind', 'below floor')), count(*)) FROM temp.friday_targets d
                  WHERE d.grain = 'day' AND d.metric = t.metric AND d.department = t.department
                  HAVING count(*) > 0), '') AS days_missed,
       term_text(t.name_zh) || ' ' || CASE t.status WHEN 'behind pace' THEN '进度落后' WHEN 'below floor' THEN '低于保底' WHEN 'no data' THEN '无数据' ELSE '落后' END AS 中文
FROM temp.friday_targets t
WHERE t.grain = 'week' AND t.status IN ('behind', 'below floor', 'behind pace', 'no data')
ORDER BY t.department, t.metric;
.print
.print 3. Tasks late  逾期任务
SELECT term_text(department) AS department, term_text(name) AS person, term_text(title) AS task,
       printf('%9s', printf('%,d', CAST(round(expected) AS INTEGER))) AS expected, term_text(due) AS due,
       term_text(coalesce(checked_on, 'not checked')) AS checked, days_late,
       CASE WHEN checked_on IS NULL THEN '未检查' ELSE '逾期检查' END AS 中文
FROM temp.friday_tasks ORDER BY department, due, name;
.print
.print 4. Problems noted  问题记录
-- one line each (the text in full, never wrapped): department, day noted,
-- owner, status, the problem
.mode list
.headers off
SELECT printf('%-12s %s  %-12s %-24s %s', term_text(department), term_text(day), term_text(owner),
              term_text(status) || ' ' || CASE status WHEN 'open' THEN '待解决' WHEN 'in progress' THEN '处理中' ELSE '已解决' END,
              term_text(text) || CASE WHEN carried THEN ' (noted in an earlier week)' ELSE '' END)
FROM temp.friday_problems ORDER BY department, day, status;
.mode column
.headers on
