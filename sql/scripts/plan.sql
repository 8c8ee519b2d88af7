-- plan.sql: writes the targets of every phase of a campaign, on each of
-- its accounts, down to days.
--
--   sqlite3 plan.db
--   sqlite3> .load ./growthops
--   sqlite3> .timeout 5000                      -- before .parameter (it reads the database)
--   sqlite3> .parameter set :campaign 1      -- default 1
--   sqlite3> .read sql/scripts/plan.sql
--
-- For each phase (on its account: the campaign's unless named) and each
-- grain (day, week, month):
--   levels  the phase's own target (followers by its last day) becomes a
--           milestone path, compound or linear as the phase says
--           (growth_path; a phase's 'compound' is the same growth every
--           month, drawn by days and weeks as well, so a day's or a week's
--           target on a month's last day equals the month's); each
--           period's target is the level to reach by its last day, whole,
--           with the previous milestone as baseline;
--   flows   the level's daily change (the metric's change_of: net follows
--           for followers) gets each period's gain on the path; the phase's
--           flow goals (orders, new registrations, posts) are split into
--           months, each month into its weeks and each week into its
--           days (kpi_split, by calendar days, whole numbers that add up
--           exactly to the goal, a month and a week to their days);
--   ratios  a ratio goal (order conversion 10%, floor 8%) holds in every
--           period, floor included.
-- A goal without an account is on its phase's account.  Each account has
-- its own path: phases of two accounts may overlap.  A period that
-- straddles two phases of an account (a month) sums the flows of both, and
-- takes the level and the ratios of the phase it ends in.  The rows the
-- script wrote before (source 'plan') are replaced, in one transaction;
-- targets written by hand are left alone.  Prints what it wrote.
-- The preamble, the same in every script (docs/toolkit.md, "The preamble"):
-- the database's views and triggers may not call unsafe functions,
-- foreign keys hold, and every parameter is checked by script_param().
.timeout 5000
PRAGMA trusted_schema = OFF;
PRAGMA foreign_keys = ON;
.bail on
SELECT 1 WHERE script_guard('plan.sql');
DROP TABLE IF EXISTS temp.plan_args;
CREATE TEMP TABLE plan_args AS SELECT script_param('plan.sql', ':campaign', :campaign, 'id', 1, (SELECT group_concat(campaign_id) FROM campaigns)) AS campaign;

BEGIN IMMEDIATE;
DELETE FROM targets
WHERE source = 'plan' AND campaign_id = (SELECT campaign FROM temp.plan_args);

DROP TABLE IF EXISTS temp.plan_rows;
CREATE TEMP TABLE plan_rows AS
WITH
grains(grain) AS (VALUES ('day'), ('week'), ('month')),
-- the campaign's phases, each on its account (v_phases: the campaign's
-- unless named) with the method its path is drawn with
ph AS (
  SELECT p.*, c.account_id AS campaign_account
  FROM v_phases p JOIN campaigns c ON c.campaign_id = p.campaign_id
  WHERE p.campaign_id = (SELECT campaign FROM temp.plan_args)
),
-- the level to reach by each period's last day: growth_path(); compounded
-- per month at every grain, so that a day's or a week's target on a
-- month's last day is the month's
path AS (
  SELECT ph.phase_id, ph.account_id, ph.campaign_account, ph.metric, ph.department, g.grain,
         gp.key, gp.first_day, gp.last_day, round(gp.value) AS value, ph.start_value
  FROM ph, grains g,
       growth_path(ph.start_value, ph.target_value, ph.starts, ph.ends, g.grain, ph.path_method) gp
),
path_gain AS (
  SELECT *, value - coalesce(lag(value) OVER (PARTITION BY phase_id, grain ORDER BY key), round(start_value)) AS gain
  FROM path
),
-- a goal without an account is on its phase's account
goal AS (
  SELECT go.*, coalesce(go.account_id, ph.account_id) AS goal_account, ph.campaign_account,
         ph.starts, ph.ends
  FROM phase_goals go JOIN ph ON ph.phase_id = go.phase_id
),
-- kpi_split(value, starts, ends, grain): by calendar days, whole numbers
-- that add up exactly (largest remainder), one grain inside the other: the
-- goal into months, each month's whole target into its weeks' days in it,
-- each of those into days; so the days of a month add up to the month's
-- target and those of a week to the week's (a week across two months is
-- the sum of its two parts).  Splitting the goal into each grain on its
-- own gives days that do not add up to their month.  The floor is split
-- by the same shares
split_day AS (
  SELECT go.metric, m.direction, go.goal_account, go.campaign_account, go.kind, go.department,
         mo.key AS month, wk.key AS week, d.key AS day, d.target_whole,
         go.floor * mo.share * wk.share * d.share AS floor_part
  FROM goal go
  JOIN metrics m ON m.code = go.metric AND m.kind = 'flow'
  JOIN kpi_split(go.value, go.starts, go.ends, 'month') mo
  JOIN kpi_split(mo.target_whole, mo.first_day, mo.last_day, 'week') wk
  JOIN kpi_split(wk.target_whole, wk.first_day, wk.last_day, 'day') d
),
split AS (
  SELECT s.*, g.grain,
         CASE g.grain WHEN 'day' THEN s.day WHEN 'week' THEN s.week ELSE s.month END AS key
  FROM split_day s CROSS JOIN grains g
),
-- the ratio goals, one per period of each phase
ratio AS (
  SELECT go.phase_id, go.metric, go.goal_account, go.campaign_account, go.kind, go.department,
         go.value, go.floor, g.grain, pr.key, pr.last_day
  FROM goal go
  JOIN metrics m ON m.code = go.metric AND m.kind = 'ratio'
  CROSS JOIN grains g
  JOIN periods(go.starts, go.ends, g.grain) pr
)
-- levels, per account: the phase the period ends in; the baseline is the
-- level due by the end of the period before (the start of the account's
-- first phase for the first)
SELECT metric, nullif(account_id, campaign_account) AS account_id, grain, key AS period, value, NULL AS floor,
       coalesce(lag(value) OVER (PARTITION BY account_id, metric, grain ORDER BY key),
                (SELECT f.start_value FROM ph f WHERE f.account_id = x.account_id AND f.metric = x.metric
                 ORDER BY f.starts LIMIT 1)) AS baseline,
       'outcome' AS kind, department
FROM (SELECT *, row_number() OVER (PARTITION BY account_id, metric, grain, key ORDER BY last_day DESC) AS n
      FROM path_gain) x
WHERE n = 1
UNION ALL
-- the level's daily change: the gains, summed over the account's phases
SELECT m.change_of, nullif(p.account_id, p.campaign_account), p.grain, p.key, sum(p.gain), NULL, NULL,
       'outcome', min(p.department)
FROM path_gain p JOIN metrics m ON m.code = p.metric
WHERE m.change_of IS NOT NULL
GROUP BY p.account_id, m.change_of, p.grain, p.key
UNION ALL
-- flow goals, summed over the phases
SELECT metric, nullif(goal_account, campaign_account), grain, key, sum(target_whole),
       -- whole, rounded down (the sum of the parts' products, less its
       -- floating-point noise), never on the wrong side of the target
       CASE min(direction) WHEN 'lower' THEN max(floor(round(sum(floor_part), 6)), sum(target_whole))
                           ELSE min(floor(round(sum(floor_part), 6)), sum(target_whole)) END,
       NULL, min(kind), min(department)
FROM split GROUP BY metric, goal_account, grain, key
UNION ALL
-- ratio goals: the phase the period ends in
SELECT metric, nullif(goal_account, campaign_account), grain, key, value, floor, NULL, kind, department
FROM (SELECT *, row_number() OVER (PARTITION BY metric, goal_account, grain, key ORDER BY last_day DESC) AS n
      FROM ratio)
WHERE n = 1;

INSERT INTO targets(campaign_id, metric, account_id, grain, period, value, floor, baseline, kind, department, source)
SELECT (SELECT campaign FROM temp.plan_args), metric, account_id, grain, period, value, floor, baseline, kind, department, 'plan'
FROM temp.plan_rows;

-- each count with its unit, singular for 1
SELECT printf('plan: campaign %d: %d %s for %d %s on %d %s, %d %s, %d %s, %d %s',
              (SELECT campaign FROM temp.plan_args), targets, CASE targets WHEN 1 THEN 'target' ELSE 'targets' END,
              metrics, CASE metrics WHEN 1 THEN 'metric' ELSE 'metrics' END,
              accounts, CASE accounts WHEN 1 THEN 'account' ELSE 'accounts' END,
              months, CASE months WHEN 1 THEN 'month' ELSE 'months' END,
              weeks, CASE weeks WHEN 1 THEN 'week' ELSE 'weeks' END,
              days, CASE days WHEN 1 THEN 'day' ELSE 'days' END)
FROM (SELECT count(*) AS targets, count(DISTINCT metric) AS metrics, count(DISTINCT ifnull(account_id, 0)) AS accounts,
             count(DISTINCT CASE grain WHEN 'month' THEN period END) AS months,
             count(DISTINCT CASE grain WHEN 'week' THEN period END) AS weeks,
             count(DISTINCT CASE grain WHEN 'day' THEN period END) AS days
      FROM temp.plan_rows);
COMMIT;
