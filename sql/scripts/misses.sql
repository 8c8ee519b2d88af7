-- misses.sql: who missed their targets several periods running.  For each
-- person and KPI, the latest run of consecutive months not met, up to the
-- last month evaluated; with the method's advice: an experienced person who
-- misses again and again raises the question of fit, a newcomer gets a
-- trial period and training.
--
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1      -- default 1
--   sqlite3> .parameter set :runs 2          -- default 2: months running
--   sqlite3> .parameter set :month "'2025-08'"  -- default: the last whole
--                                               --   month before as_of
--   sqlite3> .read sql/scripts/misses.sql
--
-- Only months in the job count (v_evaluation: a month without a day in the
-- job is "not in the job", never a miss), and only months that are over on
-- as_of: a running month is not yet missed.  The advice goes to people who
-- hold a job in the campaign at the end of :month (or on as_of, if that is
-- earlier); the others are listed as no longer in the job.
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('misses.sql');
DROP TABLE IF EXISTS temp.misses_args;
CREATE TEMP TABLE misses_args AS
SELECT a.*, min(period_end(a.month || '-01', 'month'), a.as_of) AS holds_on
FROM (SELECT script_param('misses.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign,
             script_param('misses.sql', ':runs', :runs, 'count', 2) AS runs,
             script_param('misses.sql', ':month', :month, 'month',
                          period_key(date(as_of, '+1 day', 'start of month', '-1 day'), 'month')) AS month,
             as_of
      FROM (SELECT script_param('misses.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of)) a;
.mode list
.headers off
SELECT printf('== Repeated misses 连续未达标: %d %s or more running, up to %s ==', runs, CASE runs WHEN 1 THEN 'month' ELSE 'months' END,
              term_text(month))
FROM temp.misses_args;
SELECT printf('%s is running on %s: not counted (a month is missed when it is over)  进行中的月份不计', term_text(month), as_of)
FROM temp.misses_args WHERE as_of < period_end(month || '-01', 'month');
.mode column
.headers on
WITH e AS (
  SELECT v.person_id, v.name, v.metric, v.name_zh, v.period, v.status,
         row_number() OVER (PARTITION BY v.person_id, v.metric ORDER BY v.period DESC) AS back
  FROM v_evaluation v, temp.misses_args a
  WHERE v.campaign_id = a.campaign AND v.grain = 'month' AND v.period <= a.month
    AND v.days_in_job > 0 AND v.running = 0
),
run AS (
  -- months missed in a row, counting back from the latest
  SELECT person_id, name, metric, name_zh,
         coalesce((SELECT min(back) FROM e e2 WHERE e2.person_id = e.person_id AND e2.metric = e.metric
                   AND e2.status = 'met'), max(back) + 1) - 1 AS months,
         max(period) AS latest
  FROM e GROUP BY person_id, metric
)
SELECT term_text(r.name) AS person, term_text(p.experience) AS experience, term_text(r.metric) AS metric,
       r.months AS months_missed, term_text(r.latest) AS up_to,
       CASE WHEN NOT h.holds THEN 'none: no longer in the job'
            WHEN p.experience = 'experienced' THEN 'question the fit for the role'
            ELSE 'trial period and training' END AS advice,
       term_text(r.name_zh) || ' ' || CASE WHEN NOT h.holds THEN '已离岗'
                                WHEN p.experience = 'experienced' THEN '考虑岗位是否合适' ELSE '试错期与培训' END AS 中文
FROM run r JOIN people p ON p.person_id = r.person_id, temp.misses_args a
JOIN (SELECT pe.person_id,
             EXISTS (SELECT 1 FROM assignments x JOIN roles ro ON ro.role_id = x.role_id, temp.misses_args a2
                      WHERE x.person_id = pe.person_id AND ro.campaign_id = a2.campaign
                        AND x.starts <= a2.holds_on AND (x.ends IS NULL OR x.ends >= a2.holds_on)) AS holds
      FROM people pe) h ON h.person_id = r.person_id
WHERE r.months >= a.runs
ORDER BY r.months DESC, r.person_id, r.metric;
