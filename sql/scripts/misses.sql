-- misses.sql: who missed their targets several periods running.  For each
-- person and KPI, the latest run of consecutive months not met, up to the
-- last month evaluated; with the talk's advice: an experienced person who
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
.timeout 5000
DROP TABLE IF EXISTS temp.misses_args;
CREATE TEMP TABLE misses_args AS
SELECT coalesce(:campaign, 1) AS campaign, coalesce(:runs, 2) AS runs,
       coalesce(:month, period_key(date((SELECT as_of FROM v_settings), '+1 day', 'start of month', '-1 day'), 'month')) AS month;
SELECT 1 FROM (SELECT (SELECT printf('misses.sql: :runs must be a whole number of months, 1 or more, got %s', quote(runs))
                       FROM temp.misses_args WHERE typeof(runs) <> 'integer' OR runs < 1) AS m)
WHERE raise_error(m);
.mode list
.headers off
SELECT printf('== Repeated misses 连续未达标: %d months or more running, up to %s ==', runs, month) FROM temp.misses_args;
.mode column
.headers on
WITH e AS (
  SELECT v.person_id, v.name, v.metric, v.name_zh, v.period, v.status,
         row_number() OVER (PARTITION BY v.person_id, v.metric ORDER BY v.period DESC) AS back
  FROM v_evaluation v, temp.misses_args a
  WHERE v.campaign_id = a.campaign AND v.grain = 'month' AND v.period <= a.month
),
run AS (
  -- months missed in a row, counting back from the latest
  SELECT person_id, name, metric, name_zh,
         coalesce((SELECT min(back) FROM e e2 WHERE e2.person_id = e.person_id AND e2.metric = e.metric
                   AND e2.status = 'met'), max(back) + 1) - 1 AS months,
         max(period) AS latest
  FROM e GROUP BY person_id, metric
)
SELECT r.name AS person, p.experience, r.metric, r.months AS months_missed, r.latest AS up_to,
       CASE p.experience WHEN 'experienced' THEN 'question the fit for the role'
                         ELSE 'trial period and training' END AS advice,
       r.name_zh || ' ' || CASE p.experience WHEN 'experienced' THEN '考虑岗位是否合适' ELSE '试错期与培训' END AS 中文
FROM run r JOIN people p ON p.person_id = r.person_id, temp.misses_args a
WHERE r.months >= a.runs
ORDER BY r.months DESC, r.person_id, r.metric;
