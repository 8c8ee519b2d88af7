-- monday.sql: the Monday report.  Last week against its targets on each of
-- the campaign's accounts (what is behind, and by how much, with a bar of
-- the attainment), last week day by day (a sparkline a metric: daily
-- orders, followers, ...), the north star each day against its target and
-- floor, this week's targets, last week's funnels (the campaign's own:
-- none, no section), and the tasks: last week's checked (or due), result
-- against expected, and this week's due ones.
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
       period_key(week, 'week') AS week_key, period_key(date(week, '+7 days'), 'week') AS next_key, as_of,
       min(date(week, '+6 days'), as_of) AS upto
FROM (SELECT script_param('monday.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
             script_param('monday.sql', ':week', :week, 'week', date(as_of, '-6 days')) AS week, as_of
      FROM (SELECT script_param('monday.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of));
-- a week after as_of has no actuals yet: a report of it would be all 'no data'
SELECT 1 WHERE raise_error((
  SELECT printf('monday.sql: :week %s has not begun on as_of %s: .parameter set :week "''%s''"',
                week_key, as_of, period_start(date(as_of, '-6 days'), 'week'))
  FROM temp.monday_args WHERE week > as_of));

-- Each target of the two weeks with its actual: a flow summed over the
-- week's days, a level's last value, a ratio of the sums of its parts; of
-- the days up to as_of only (values stored for later days are no actual
-- yet, as in the views).
DROP TABLE IF EXISTS temp.monday;
CREATE TEMP TABLE monday AS
SELECT t.target_id, t.account_id, t.period, t.metric, m.name_en, m.name_zh, m.kind AS metric_kind, m.direction, m.unit,
       t.kind, t.department, t.value AS target, t.floor, t.first_day, t.last_day,
       CASE m.kind
         WHEN 'flow' THEN (SELECT sum(v.value) FROM metric_values v
                           WHERE v.account_id = t.account_id AND v.metric = t.metric
                             AND v.day BETWEEN t.first_day AND min(t.last_day, (SELECT as_of FROM temp.monday_args)))
         WHEN 'level' THEN (SELECT v.value FROM metric_values v
                            WHERE v.account_id = t.account_id AND v.metric = t.metric
                              AND v.day BETWEEN t.first_day AND min(t.last_day, (SELECT as_of FROM temp.monday_args)) ORDER BY v.day DESC LIMIT 1)
         ELSE (SELECT sum(v.value) FROM metric_values v
               WHERE v.account_id = t.account_id AND v.metric = m.numerator
                 AND v.day BETWEEN t.first_day AND min(t.last_day, (SELECT as_of FROM temp.monday_args)))
            / (SELECT sum(v.value) FROM metric_values v
               WHERE v.account_id = t.account_id AND v.metric = m.denominator
                 AND v.day BETWEEN t.first_day AND min(t.last_day, (SELECT as_of FROM temp.monday_args)))
       END AS actual
FROM v_targets t JOIN metrics m ON m.code = t.metric
WHERE t.campaign_id = (SELECT campaign FROM temp.monday_args) AND t.grain = 'week'
  AND t.period IN ((SELECT week_key FROM temp.monday_args), (SELECT next_key FROM temp.monday_args));

.mode list
.headers off
SELECT printf('== Monday report 周一例会: %s, week %s (%s to %s) ==', term_text(c.name_en), a.week_key, a.week, a.week_end)
FROM temp.monday_args a JOIN campaigns c ON c.campaign_id = a.campaign;
.print
.print 1. Last week against its targets and floors  上周目标达成
.mode column
.headers on
-- attainment: kpi_attainment() (target / actual where lower is better),
-- drawn as a bar() 10 cells wide at 100% (clipped above it);
-- status: kpi_status() against the target and the floor
SELECT term_text(metric) AS metric, term_text(account) AS account,
       printf('%10s', CASE WHEN unit IN ('share') THEN printf('%.1f%%', 100 * target) WHEN metric_kind = 'ratio' THEN printf('%.2f', target) ELSE printf('%,d', CAST(round(target) AS INTEGER)) END) AS target,
       printf('%10s', CASE WHEN floor IS NULL THEN '' WHEN unit IN ('share') THEN printf('%.1f%%', 100 * floor) WHEN metric_kind = 'ratio' THEN printf('%.2f', floor) ELSE printf('%,d', CAST(round(floor) AS INTEGER)) END) AS floor,
       printf('%10s', CASE WHEN actual IS NULL THEN '-' WHEN unit IN ('share') THEN printf('%.1f%%', 100 * actual) WHEN metric_kind = 'ratio' THEN printf('%.2f', actual) ELSE printf('%,d', CAST(round(actual) AS INTEGER)) END) AS actual,
       printf('%6s', CASE WHEN attainment IS NULL THEN '-' ELSE printf('%.0f%%', 100 * attainment) END) AS done,
       coalesce(bar(attainment, 1, 10), '') AS progress,
       term_text(status) AS status,
       printf('%10s', CASE WHEN status IN ('no data', 'met') THEN ''
                           WHEN unit = 'share' THEN printf('%.1f pt', 100 * abs(target - actual))
                           WHEN metric_kind = 'ratio' THEN printf('%.2f', abs(target - actual))
                           ELSE printf('%,d', CAST(round(abs(target - actual)) AS INTEGER)) END) AS behind_by,
       term_text(department) AS owner,
       term_text(name_zh) || ' ' || CASE status WHEN 'no data' THEN '无数据' WHEN 'met' THEN '达成'
                                     WHEN 'below floor' THEN '低于保底' ELSE '落后' END AS 中文
FROM (SELECT m.*, a.name AS account, kpi_attainment(actual, target, direction) AS attainment,
             CASE WHEN actual IS NULL THEN 'no data' ELSE kpi_status(actual, target, floor, direction) END AS status
      FROM temp.monday m JOIN accounts a ON a.account_id = m.account_id
      WHERE period = (SELECT week_key FROM temp.monday_args))
ORDER BY status IN ('no data', 'met'), metric, account;
.print
.print 2. Last week day by day, Monday to Sunday  上周每日走势
-- Each flow and level with a target last week: its daily values as a
-- sparkline() (a gap for a day without data), the lowest and highest day,
-- and on how many days the day's target (plan.sql writes them) was met.
SELECT term_text(metric) AS metric, term_text((SELECT name FROM accounts a WHERE a.account_id = x.account_id)) AS account, line AS mon_to_sun,
       printf('%9s', CASE WHEN low IS NULL THEN '-' ELSE printf('%,d', CAST(round(low) AS INTEGER)) END) AS low,
       printf('%9s', CASE WHEN high IS NULL THEN '-' ELSE printf('%,d', CAST(round(high) AS INTEGER)) END) AS high,
       CASE WHEN day_targets = 0 THEN '' ELSE printf('%d of %d', days_met, day_targets) END AS days_met,
       term_text(name_zh) AS 中文
FROM (
  SELECT metric, account_id, name_zh, min(line) AS line, min(value) AS low, max(value) AS high,
         sum(kpi_status(value, target, NULL, direction) = 'met') AS days_met,
         count(target) AS day_targets
  FROM (
    SELECT k.metric, k.account_id, k.name_zh, k.direction, d.key AS day, v.value,
           (SELECT dt.value FROM v_targets dt
             WHERE dt.campaign_id = (SELECT campaign FROM temp.monday_args) AND dt.metric = k.metric
               AND dt.account_id = k.account_id
               AND dt.grain = 'day' AND dt.period = d.key AND dt.person_id IS NULL AND dt.role_id IS NULL
             ORDER BY dt.target_id LIMIT 1) AS target,
           sparkline(v.value) OVER (PARTITION BY k.metric, k.account_id ORDER BY d.key
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS line
    FROM (SELECT DISTINCT metric, name_zh, direction, account_id FROM temp.monday
          WHERE period = (SELECT week_key FROM temp.monday_args) AND metric_kind IN ('flow', 'level')) k
    CROSS JOIN periods((SELECT week FROM temp.monday_args), (SELECT week_end FROM temp.monday_args), 'day') d
    LEFT JOIN metric_values v ON v.account_id = k.account_id AND v.metric = k.metric AND v.day = d.key
                             AND d.key <= (SELECT as_of FROM temp.monday_args)
  )
  GROUP BY metric, account_id
) x
ORDER BY metric, account_id;

-- 3. The north star, on its account: each day of last week against its
-- day target and floor (plan.sql writes them), a ratio as the day's
-- numerator over its denominator, then the week's value (a ratio of the
-- week's sums, a flow's sum, a level's last value).
DROP TABLE IF EXISTS temp.monday_north_star;
CREATE TEMP TABLE monday_north_star AS
SELECT n.* FROM v_north_star n, temp.monday_args g
WHERE n.campaign_id = g.campaign AND n.day BETWEEN g.week AND g.week_end;
.mode list
.headers off
.print
SELECT printf('3. The north star day by day  北极星指标每日走势: %s (%s) on %s  %s',
              term_text(name_en), term_text(metric), term_text(account), sparkline(value))
FROM (SELECT * FROM temp.monday_north_star ORDER BY day);
SELECT printf('no data: the north star has no values on %s last week  北极星指标上周无数据', term_text(account))
FROM temp.monday_north_star GROUP BY account HAVING count(value) = 0;
.mode column
.headers on
-- a share as a percentage, another ratio with two decimals, counts whole
SELECT term_text(day) AS day,
       printf('%9s', CASE WHEN value IS NULL THEN '-' WHEN unit = 'share' THEN printf('%.1f%%', 100 * value)
                          WHEN kind = 'ratio' THEN printf('%.2f', value) ELSE printf('%,d', CAST(round(value) AS INTEGER)) END) AS value,
       printf('%9s', CASE WHEN target IS NULL THEN '-' WHEN unit = 'share' THEN printf('%.1f%%', 100 * target)
                          WHEN kind = 'ratio' THEN printf('%.2f', target) ELSE printf('%,d', CAST(round(target) AS INTEGER)) END) AS target,
       printf('%9s', CASE WHEN floor IS NULL THEN '' WHEN unit = 'share' THEN printf('%.1f%%', 100 * floor)
                          WHEN kind = 'ratio' THEN printf('%.2f', floor) ELSE printf('%,d', CAST(round(floor) AS INTEGER)) END) AS floor,
       CASE WHEN value IS NULL THEN 'no data' WHEN target IS NULL THEN '' ELSE kpi_status(value, target, floor, direction) END AS status,
       term_text(name_zh) AS 中文
FROM (SELECT day, value, target, floor, unit, kind, direction, name_zh FROM temp.monday_north_star
      WHERE (SELECT count(value) FROM temp.monday_north_star) > 0
      UNION ALL
      -- the week: its value against the week's target (section 1)
      SELECT 'week ' || substr(w.period, 6), w.actual, w.target, w.floor, w.unit, w.metric_kind, w.direction, w.name_zh
      FROM temp.monday w JOIN campaigns c ON c.campaign_id = (SELECT campaign FROM temp.monday_args)
      WHERE w.period = (SELECT week_key FROM temp.monday_args) AND w.metric = c.north_star
        AND w.account_id = coalesce(c.north_star_account_id, c.account_id)
        AND (SELECT count(value) FROM temp.monday_north_star) > 0)
ORDER BY day;

.mode list
.headers off
.print
SELECT '4. This week''s targets  本周目标';
.mode column
.headers on
SELECT term_text(m.metric) AS metric, term_text(a.name) AS account,
       printf('%10s', CASE WHEN m.unit IN ('share') THEN printf('%.1f%%', 100 * m.target) WHEN m.metric_kind = 'ratio' THEN printf('%.2f', m.target) ELSE printf('%,d', CAST(round(m.target) AS INTEGER)) END) AS target,
       printf('%10s', CASE WHEN m.floor IS NULL THEN '' WHEN m.unit IN ('share') THEN printf('%.1f%%', 100 * m.floor) WHEN m.metric_kind = 'ratio' THEN printf('%.2f', m.floor) ELSE printf('%,d', CAST(round(m.floor) AS INTEGER)) END) AS floor,
       printf('%10s', CASE WHEN m.metric_kind = 'flow' THEN printf('%,d', CAST(round(m.target / 7.0) AS INTEGER)) ELSE '' END) AS per_day,
       term_text(m.kind) AS kind, term_text(m.department) AS owner, term_text(m.name_zh) AS 中文
FROM temp.monday m JOIN accounts a ON a.account_id = m.account_id
WHERE m.period = (SELECT next_key FROM temp.monday_args)
ORDER BY m.metric, a.name;

-- 5. Last week's funnels: the campaign's own (funnels, funnel_steps), in
-- funnel_id order; none, no section.  A metrics funnel sums each step's
-- metric over the week on its account; an events funnel counts the users
-- whose events of the week reach each step within its window
-- (window_funnel_steps() per user: a user counts at every step up to the
-- deepest reached).  funnel_stages() gives the rates; counts that rise
-- from one step to the next are no funnel: then a note instead.
DROP TABLE IF EXISTS temp.monday_funnel;
CREATE TEMP TABLE monday_funnel AS
WITH f AS (
  SELECT f.*, coalesce(f.account_id, c.account_id) AS funnel_account,
         (SELECT json_group_array(event) FROM (SELECT event FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step)) AS names
  FROM funnels f JOIN campaigns c ON c.campaign_id = f.campaign_id
  WHERE f.campaign_id = (SELECT campaign FROM temp.monday_args)
),
steps AS (
  SELECT s.*, row_number() OVER (PARTITION BY s.funnel_id ORDER BY s.step) AS place
  FROM funnel_steps s WHERE s.funnel_id IN (SELECT funnel_id FROM f)
),
depth AS (
  SELECT f.funnel_id, e.user_id, window_funnel_steps(f.window_seconds, e.ts, e.event, f.names) AS depth
  FROM f JOIN (SELECT * FROM events ORDER BY user_id, ts) e
    ON period_key(e.ts, 'day') BETWEEN (SELECT week FROM temp.monday_args) AND (SELECT upto FROM temp.monday_args)
  WHERE f.source = 'events'
  GROUP BY f.funnel_id, e.user_id
)
SELECT f.funnel_id, f.name_en AS funnel, f.name_zh AS funnel_zh, f.source, f.window_seconds, s.place AS step,
       coalesce(s.name_en, m.name_en, s.event) AS stage, coalesce(s.name_zh, m.name_zh, s.event) AS stage_zh,
       CASE f.source
         WHEN 'metrics' THEN (SELECT sum(v.value) FROM metric_values v
                              WHERE v.account_id = f.funnel_account AND v.metric = s.metric
                                AND v.day BETWEEN (SELECT week FROM temp.monday_args) AND (SELECT upto FROM temp.monday_args))
         ELSE (SELECT count(*) FROM depth d WHERE d.funnel_id = f.funnel_id AND d.depth >= s.place)
       END AS users
FROM f JOIN steps s ON s.funnel_id = f.funnel_id
LEFT JOIN metrics m ON m.code = s.metric;
DROP TABLE IF EXISTS temp.monday_stages;
CREATE TEMP TABLE monday_stages AS
SELECT g.funnel_id, st.step, st.name, st.users, st.step_rate, st.overall_rate, st.drop_off
FROM (SELECT funnel_id,
             CASE WHEN count(users) = count(*) AND max(coalesce(users > prev, 0)) = 0 AND min(users) >= 0
                  THEN json_group_array(json_array(stage, users)) END AS stages
      FROM (SELECT funnel_id, step, stage, users, lag(users) OVER (PARTITION BY funnel_id ORDER BY step) AS prev
            FROM temp.monday_funnel ORDER BY funnel_id, step)
      GROUP BY funnel_id) g,
     funnel_stages(g.stages) st;
.mode list
.headers off
SELECT char(10) || '5. Last week''s funnels  上周转化漏斗' WHERE EXISTS (SELECT 1 FROM temp.monday_funnel);
.mode column
.headers on
SELECT printf('%d %s', s.funnel_id, term_text(f.funnel)) AS funnel, s.step, term_text(s.name) AS stage,
       printf('%9s', printf('%,d', CAST(s.users AS INTEGER))) AS users,
       printf('%9s', CASE WHEN (100 * s.step_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.step_rate) END) AS step_rate,
       printf('%8s', CASE WHEN (100 * s.overall_rate) IS NULL THEN '' ELSE printf('%.1f%%', 100 * s.overall_rate) END) AS overall,
       printf('%9s', CASE WHEN (CAST(s.drop_off AS INTEGER)) IS NULL THEN '' ELSE printf('%,d', CAST(s.drop_off AS INTEGER)) END) AS drop_off,
       term_text(f.funnel_zh || ' · ' || f.stage_zh) AS 中文
FROM temp.monday_stages s
JOIN temp.monday_funnel f ON f.funnel_id = s.funnel_id AND f.step = s.step
ORDER BY s.funnel_id, s.step;
.mode list
.headers off
SELECT printf('funnel %d %s: %s', funnel_id, term_text(funnel),
              CASE WHEN count(users) < count(*) THEN 'no funnel: the week has no values of ' || term_text(group_concat(CASE WHEN users IS NULL THEN stage END, ', ')) || '  无漏斗数据'
                   ELSE 'no funnel: a later step counts more than the one before  各步数字不递减,无法构成漏斗' END)
FROM temp.monday_funnel
WHERE funnel_id NOT IN (SELECT funnel_id FROM temp.monday_stages)
GROUP BY funnel_id ORDER BY funnel_id;
-- 5b. The breakdown by channel of each events funnel whose plan asks for
-- one (funnels.breakdown = 'channel'): the users of 5. by the channel of
-- their first step-1 event of the week (first touch; at the same time the
-- smaller channel, none first), the five channels with most entrants
-- each, the rest as 'other', no channel as '(none)'; a channel named as
-- the plan's channels name it.  The events table's channel column is the
-- import's: without it, a note.  (SELECT *, NULL AS channel FROM events)
-- reads the column where there is one (the first of two so named) and
-- NULL where there is none, so the script runs on either.
DROP TABLE IF EXISTS temp.monday_breakdown;
CREATE TEMP TABLE monday_breakdown AS
WITH f AS (
  SELECT f.funnel_id, f.name_en, f.name_zh, f.window_seconds,
         (SELECT json_group_array(event) FROM (SELECT event FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step)) AS names,
         (SELECT event FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step LIMIT 1) AS first_event
  FROM (SELECT *, NULL AS breakdown FROM funnels) f
  WHERE f.campaign_id = (SELECT campaign FROM temp.monday_args) AND f.source = 'events' AND f.breakdown = 'channel'
    AND EXISTS (SELECT 1 FROM pragma_table_info('events') WHERE name = 'channel')
),
e AS (
  SELECT user_id, ts, event, channel,
         CASE WHEN typeof(ts) IN ('integer', 'real') THEN ts ELSE (julianday(ts) - 2440587.5) * 86400 END AS t
  FROM (SELECT *, NULL AS channel FROM events)
  WHERE period_key(ts, 'day') BETWEEN (SELECT week FROM temp.monday_args) AND (SELECT upto FROM temp.monday_args)
),
depth AS (
  SELECT f.funnel_id, e.user_id, window_funnel_steps(f.window_seconds, e.ts, e.event, f.names) AS depth
  FROM f JOIN (SELECT * FROM e ORDER BY user_id, t) e GROUP BY f.funnel_id, e.user_id
),
touch AS (
  SELECT f.funnel_id, e.user_id, e.channel,
         row_number() OVER (PARTITION BY f.funnel_id, e.user_id ORDER BY e.t, e.channel) AS n
  FROM f JOIN e ON e.event = f.first_event
),
entrants AS (
  SELECT d.funnel_id, d.depth, t.channel FROM depth d
  JOIN touch t ON t.funnel_id = d.funnel_id AND t.user_id = d.user_id AND t.n = 1
  WHERE d.depth >= 1
),
ranked AS (
  SELECT funnel_id, channel, row_number() OVER (PARTITION BY funnel_id ORDER BY count(*) DESC, channel) AS place
  FROM entrants WHERE channel IS NOT NULL GROUP BY funnel_id, channel
),
labelled AS (
  SELECT e.funnel_id, e.depth,
         CASE WHEN e.channel IS NULL THEN 7 WHEN r.place <= 5 THEN r.place ELSE 6 END AS place,
         CASE WHEN e.channel IS NULL THEN '(none)' WHEN r.place <= 5 THEN e.channel ELSE 'other' END AS channel
  FROM entrants e LEFT JOIN ranked r ON r.funnel_id = e.funnel_id AND r.channel = e.channel
),
steps AS (
  SELECT s.funnel_id, row_number() OVER (PARTITION BY s.funnel_id ORDER BY s.step) AS place
  FROM funnel_steps s WHERE s.funnel_id IN (SELECT funnel_id FROM f)
),
counts AS (
  SELECT l.funnel_id, l.place, l.channel, s.place AS step, sum(l.depth >= s.place) AS users
  FROM labelled l JOIN steps s ON s.funnel_id = l.funnel_id
  GROUP BY l.funnel_id, l.place, l.channel, s.place
)
SELECT c.funnel_id, f.name_en AS funnel, f.name_zh AS funnel_zh, c.place, c.channel,
       coalesce(ch.name_en, c.channel) AS channel_en, coalesce(ch.name_zh, c.channel) AS channel_zh,
       group_concat(printf('%,d', c.users), ' → ') AS users_by_step,
       1.0 * max(CASE WHEN c.step = (SELECT max(place) FROM steps s WHERE s.funnel_id = c.funnel_id) THEN c.users END)
         / max(CASE WHEN c.step = 1 THEN c.users END) AS overall
FROM (SELECT * FROM counts ORDER BY funnel_id, place, step) c
JOIN f ON f.funnel_id = c.funnel_id
LEFT JOIN channels ch ON ch.code = c.channel
GROUP BY c.funnel_id, c.place, c.channel;
.mode list
.headers off
SELECT printf('funnel %d %s by channel: the channel of each user''s first %s of the week  按渠道(首次触达)', f.funnel_id, term_text(f.name_en),
              (SELECT printf('''%s''', term_text(event)) FROM funnel_steps s WHERE s.funnel_id = f.funnel_id ORDER BY step LIMIT 1))
FROM funnels f WHERE f.funnel_id IN (SELECT funnel_id FROM temp.monday_breakdown) ORDER BY f.funnel_id;
SELECT printf('funnel %d %s: the plan breaks it down by channel, but the events table has no channel column: add it (ALTER TABLE events ADD COLUMN channel TEXT) and import the channels  缺少渠道数据',
              f.funnel_id, term_text(f.name_en))
FROM (SELECT *, NULL AS breakdown FROM funnels) f
WHERE f.campaign_id = (SELECT campaign FROM temp.monday_args) AND f.source = 'events' AND f.breakdown = 'channel'
  AND NOT EXISTS (SELECT 1 FROM pragma_table_info('events') WHERE name = 'channel')
ORDER BY f.funnel_id;
.mode column
.headers on
SELECT printf('%d %s', b.funnel_id, term_text(b.funnel)) AS funnel, term_text(b.channel_en) AS channel,
       printf('%24s', b.users_by_step) AS users_by_step,
       printf('%8s', CASE WHEN b.overall IS NULL THEN '' ELSE printf('%.1f%%', 100 * b.overall) END) AS overall,
       term_text(b.funnel_zh || ' · ' || b.channel_zh) AS 中文
FROM temp.monday_breakdown b ORDER BY b.funnel_id, b.place;
.mode column
.headers on
.print
.print 6. Tasks: last week's checked, this week's due  任务: 上周检查与本周到期
-- The tasks table's assign -> coach -> check loop: the tasks checked last
-- week (or due in it and not checked), their result against the result
-- expected; then the tasks due this week, with their coaching so far.
.print last week, checked or due  上周已检查或到期的任务
SELECT term_text(pe.name) AS person, term_text(t.title) AS task, term_text(coalesce(t.metric, '')) AS metric,
       printf('%9s', printf('%,d', CAST(round(t.expected) AS INTEGER))) AS expected,
       printf('%9s', CASE WHEN t.checked_on IS NULL THEN '-' ELSE printf('%,d', CAST(round(t.result) AS INTEGER)) END) AS result,
       printf('%6s', CASE WHEN t.checked_on IS NULL OR t.expected = 0 THEN '-' ELSE printf('%.0f%%', 100.0 * t.result / t.expected) END) AS done,
       term_text(t.due) AS due, term_text(coalesce(t.checked_on, 'not checked')) AS checked,
       CASE WHEN t.checked_on IS NULL THEN '未检查' WHEN t.result >= t.expected THEN '达成' ELSE '未达成' END AS 中文
FROM tasks t JOIN people pe ON pe.person_id = t.person_id, temp.monday_args a
WHERE t.campaign_id = a.campaign
  AND (t.checked_on BETWEEN a.week AND a.week_end OR (t.checked_on IS NULL AND t.due BETWEEN a.week AND a.week_end))
ORDER BY pe.name, t.due, t.task_id;
.print this week, due  本周到期的任务
SELECT term_text(pe.name) AS person, term_text(t.title) AS task, term_text(coalesce(t.metric, '')) AS metric,
       printf('%9s', printf('%,d', CAST(round(t.expected) AS INTEGER))) AS expected,
       term_text(t.assigned_on) AS assigned, term_text(t.due) AS due, term_text(coalesce(t.coached_on, 'not yet')) AS coached,
       term_text(coalesce(t.coaching, '')) AS coaching
FROM tasks t JOIN people pe ON pe.person_id = t.person_id, temp.monday_args a
WHERE t.campaign_id = a.campaign AND t.due BETWEEN a.next_week AND a.next_end
ORDER BY pe.name, t.due, t.task_id;
