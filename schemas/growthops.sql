-- growthops.sql: the shared schema of the growthops toolkit.
--
--   sqlite3 plan.db < schemas/growthops.sql
--
-- Plain SQL (no extension needed to create it or to write to it).  The
-- views of sql/views.sql and the scripts of sql/scripts/ read it with
-- growthops loaded.  The chain of the method, one group of tables each:
--   metrics        the metric catalogue (seeded below) and its reference values
--   data           accounts, channels, daily metric values, raw events
--   goal           campaigns (one north star each), phases, targets
--   budget         budget lines, planned and actual
--   team           roles (the job-description table), people, assignments
--   evaluation     KPI assignments with payout curves, evaluations, tasks
--
-- What the method rejects, the schema rejects, with a message that says why:
-- each CHECK constraint is named by its message ("CHECK constraint failed:
-- targets: a target is a number with a period ..."), and the checks that
-- need another table are triggers that RAISE the message.
--
-- Dates are ISO text 'YYYY-MM-DD'.  Periods are written as the calendar's
-- keys (period_key()): '2025-05-12', '2025-W20', '2025-05', '2025-Q2', '2025'.

PRAGMA foreign_keys = ON;

-- Settings the views read: 'as_of' (the day reports are written for;
-- date('now') when absent).
CREATE TABLE settings(
  name TEXT PRIMARY KEY,
  value
);

------------------------------------------------------------------------
-- The metric catalogue
------------------------------------------------------------------------

-- kind: 'flow' (summed over a period: new follows, orders, GMV),
--       'level' (the period's last value: cumulative followers, total
--       registered), 'ratio' (numerator / denominator, both summed over the
--       period: open rate, order conversion).
-- direction: 'higher' or 'lower' is better.
-- unit 'share' marks a ratio between 0 and 1 (v_data_quality flags more).
-- change_of: for a level, the flow that is its daily change
--       (followers(t) - followers(t-1) = net follows(t)).
-- inflow, outflow: for a flow that is a difference (net = new - unfollows).
-- source: the platform's own name for the number, where it reports it
--       (targets use the platform's definition, never a home-made one).
CREATE TABLE metrics(
  code TEXT PRIMARY KEY
    CONSTRAINT "metrics: code is lower-case letters, digits and _, starting with a letter"
    CHECK (code GLOB '[a-z]*' AND code NOT GLOB '*[^a-z0-9_]*'),
  name_en TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  kind TEXT NOT NULL
    CONSTRAINT "metrics: kind is 'flow', 'level' or 'ratio'"
    CHECK (kind IN ('flow', 'level', 'ratio')),
  unit TEXT NOT NULL,
  direction TEXT NOT NULL DEFAULT 'higher'
    CONSTRAINT "metrics: direction is 'higher' or 'lower' (which is better)"
    CHECK (direction IN ('higher', 'lower')),
  numerator TEXT REFERENCES metrics(code),
  denominator TEXT REFERENCES metrics(code),
  change_of TEXT REFERENCES metrics(code),
  inflow TEXT REFERENCES metrics(code),
  outflow TEXT REFERENCES metrics(code),
  platform TEXT NOT NULL
    CONSTRAINT "metrics: platform is 'wechat', 'weibo', 'o2o', 'app' or 'any'"
    CHECK (platform IN ('wechat', 'weibo', 'o2o', 'app', 'any')),
  source TEXT,
  CONSTRAINT "metrics: a ratio names its numerator and denominator metrics, and only a ratio does"
    CHECK ((kind = 'ratio') = (numerator IS NOT NULL AND denominator IS NOT NULL)
           AND (kind = 'ratio' OR (numerator IS NULL AND denominator IS NULL))),
  CONSTRAINT "metrics: only a level has change_of (the flow that is its daily change)"
    CHECK (change_of IS NULL OR kind = 'level'),
  CONSTRAINT "metrics: only a flow is inflow - outflow, and it names both"
    CHECK ((inflow IS NULL AND outflow IS NULL)
           OR (kind = 'flow' AND inflow IS NOT NULL AND outflow IS NOT NULL))
);

CREATE TRIGGER metrics_ratio_parts BEFORE INSERT ON metrics
WHEN new.kind = 'ratio' AND EXISTS (
  SELECT 1 FROM metrics WHERE code IN (new.numerator, new.denominator) AND kind = 'ratio')
BEGIN
  SELECT RAISE(ABORT, 'metrics: the numerator and denominator of a ratio are flows or levels, summed over the period; a ratio of ratios would average daily ratios');
END;

-- Reference values: what the talk calls good.  measure 'value' compares the
-- metric's value in a period of the grain; 'growth' compares its growth over
-- the previous period (value / previous - 1).  base_below / base_from limit
-- the reference to a level's size (50%-100% a month while the base is small,
-- 10%-20% later).  v_reference_check flags what falls outside.
CREATE TABLE metric_references(
  reference_id INTEGER PRIMARY KEY,
  metric TEXT NOT NULL REFERENCES metrics(code),
  measure TEXT NOT NULL DEFAULT 'value'
    CONSTRAINT "metric_references: measure is 'value' or 'growth'"
    CHECK (measure IN ('value', 'growth')),
  grain TEXT NOT NULL DEFAULT 'month'
    CONSTRAINT "metric_references: grain is 'day', 'week', 'month', 'quarter' or 'year'"
    CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  low REAL,
  high REAL,
  base_from REAL,
  base_below REAL,
  note TEXT NOT NULL,
  CONSTRAINT "metric_references: a reference has a low or a high value (or both), low <= high"
    CHECK ((low IS NOT NULL OR high IS NOT NULL) AND (low IS NULL OR high IS NULL OR low <= high))
);

------------------------------------------------------------------------
-- Data: accounts, channels, daily values, raw events
------------------------------------------------------------------------

CREATE TABLE accounts(
  account_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  name_zh TEXT,
  platform TEXT NOT NULL
    CONSTRAINT "accounts: platform is 'wechat_subscription', 'wechat_service', 'weibo', 'app' or 'other'"
    CHECK (platform IN ('wechat_subscription', 'wechat_service', 'weibo', 'app', 'other'))
);

-- Where followers come from: referral games, WeChat groups, secondary
-- accounts, Weibo, placements, co-promotion, ground promotion, PR ...
-- inflow_metric: the metric of channel_values that counts the followers it
-- brings (v_channel_efficiency divides spend by it).  daily_capacity: what
-- the channel can bring a day at most (10 secondary accounts x 50 friends =
-- 500), when known.
CREATE TABLE channels(
  channel_id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  account_id INTEGER REFERENCES accounts(account_id),
  inflow_metric TEXT NOT NULL DEFAULT 'wx_net_follows' REFERENCES metrics(code),
  daily_capacity REAL
    CONSTRAINT "channels: daily_capacity is a positive number"
    CHECK (daily_capacity IS NULL OR daily_capacity > 0),
  note TEXT
);

-- One value per account, metric and day, as the platform reports it.
CREATE TABLE metric_values(
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  metric TEXT NOT NULL REFERENCES metrics(code),
  day TEXT NOT NULL
    CONSTRAINT "metric_values: day is a date 'YYYY-MM-DD'"
    CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(day, '+0 days') = day),
  value REAL NOT NULL
    CONSTRAINT "metric_values: value is a number"
    CHECK (typeof(value) IN ('integer', 'real')),
  PRIMARY KEY (account_id, metric, day)
) WITHOUT ROWID;

-- The same, attributed to a channel (e.g. new follows through a channel's
-- QR code): what v_channel_efficiency divides spend by.
CREATE TABLE channel_values(
  channel_id INTEGER NOT NULL REFERENCES channels(channel_id),
  metric TEXT NOT NULL REFERENCES metrics(code),
  day TEXT NOT NULL
    CONSTRAINT "channel_values: day is a date 'YYYY-MM-DD'"
    CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(day, '+0 days') = day),
  value REAL NOT NULL
    CONSTRAINT "channel_values: value is a number"
    CHECK (typeof(value) IN ('integer', 'real')),
  PRIMARY KEY (channel_id, metric, day)
) WITHOUT ROWID;

-- Raw events for funnels and lifecycles: ts is unix seconds or ISO text.
-- The funnel, retention and lifecycle tables of growthops read a table (or
-- view) of this shape.
CREATE TABLE events(
  user_id INTEGER NOT NULL,
  ts NOT NULL
    CONSTRAINT "events: ts is unix seconds or ISO-8601 text"
    CHECK (typeof(ts) IN ('integer', 'real') OR (typeof(ts) = 'text' AND julianday(ts) IS NOT NULL)),
  event TEXT NOT NULL
);
CREATE INDEX events_user_ts ON events(user_id, ts, event);

------------------------------------------------------------------------
-- Goal: campaigns, phases, targets
------------------------------------------------------------------------

-- One north-star metric per campaign: daily orders for an O2O service,
-- daily active rate for a tool app.
CREATE TABLE campaigns(
  campaign_id INTEGER PRIMARY KEY,
  name_en TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  north_star TEXT NOT NULL REFERENCES metrics(code),
  starts TEXT NOT NULL
    CONSTRAINT "campaigns: starts is a date 'YYYY-MM-DD'"
    CHECK (starts GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(starts, '+0 days') = starts),
  ends TEXT NOT NULL
    CONSTRAINT "campaigns: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (ends GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(ends, '+0 days') = ends AND ends >= starts)
);

-- Phases: each with its level target (followers by the phase's last day).
-- start_value is the level on the day before the phase starts; the plan
-- script draws the milestone path from it ('compound' or 'linear'; a phase
-- starting from 0 is linear).
CREATE TABLE phases(
  phase_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name_en TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  starts TEXT NOT NULL
    CONSTRAINT "phases: starts is a date 'YYYY-MM-DD'"
    CHECK (starts GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(starts, '+0 days') = starts),
  ends TEXT NOT NULL
    CONSTRAINT "phases: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (ends GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(ends, '+0 days') = ends AND ends >= starts),
  metric TEXT NOT NULL REFERENCES metrics(code),
  start_value REAL NOT NULL DEFAULT 0
    CONSTRAINT "phases: start_value is a number not below 0"
    CHECK (typeof(start_value) IN ('integer', 'real') AND start_value >= 0),
  target_value REAL
    CONSTRAINT "phases: a phase has a target, a number (e.g. 50000 followers), above its start_value"
    CHECK (typeof(target_value) IN ('integer', 'real') AND target_value > start_value),
  method TEXT NOT NULL DEFAULT 'compound'
    CONSTRAINT "phases: method is 'compound' or 'linear'"
    CHECK (method IN ('compound', 'linear')),
  department TEXT NOT NULL DEFAULT 'growth',
  CONSTRAINT "phases: a phase growing from 0 is drawn 'linear' (compound growth from 0 never starts)"
    CHECK (start_value > 0 OR method = 'linear'),
  UNIQUE (campaign_id, seq)
);

CREATE TRIGGER phases_check BEFORE INSERT ON phases
BEGIN
  SELECT RAISE(ABORT, 'phases: a phase target is a level (followers, registered users by a date); split flows with targets')
   WHERE (SELECT kind FROM metrics WHERE code = new.metric) IS NOT 'level';
  SELECT RAISE(ABORT, 'phases: a phase lies within its campaign''s dates')
   WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                   AND (new.starts < c.starts OR new.ends > c.ends));
  SELECT RAISE(ABORT, 'phases: phases of a campaign do not overlap')
   WHERE EXISTS (SELECT 1 FROM phases p WHERE p.campaign_id = new.campaign_id
                   AND p.starts <= new.ends AND new.starts <= p.ends);
END;

-- A phase's other goals: flows (orders, new registrations, posts: the plan
-- script splits them over the phase's days with kpi_split) and ratios (order
-- conversion 10% with an 8% floor: held in every period).  The phase's level
-- target is its own (phases.target_value).  account_id NULL: the
-- campaign's account.
CREATE TABLE phase_goals(
  phase_id INTEGER NOT NULL REFERENCES phases(phase_id) ON DELETE CASCADE,
  metric TEXT NOT NULL REFERENCES metrics(code),
  account_id INTEGER REFERENCES accounts(account_id),
  value REAL
    CONSTRAINT "phase_goals: a goal is a number for the phase (e.g. 24000 orders): 'more orders' is a wish, not a goal"
    CHECK (typeof(value) IN ('integer', 'real')),
  floor REAL
    CONSTRAINT "phase_goals: floor is a number"
    CHECK (floor IS NULL OR typeof(floor) IN ('integer', 'real')),
  kind TEXT NOT NULL DEFAULT 'outcome'
    CONSTRAINT "phase_goals: kind is 'task' (effort, e.g. posts a week) or 'outcome' (result, e.g. orders)"
    CHECK (kind IN ('task', 'outcome')),
  department TEXT NOT NULL
);
CREATE UNIQUE INDEX phase_goals_one ON phase_goals(phase_id, metric, ifnull(account_id, 0));

CREATE TRIGGER phase_goals_kind BEFORE INSERT ON phase_goals
WHEN (SELECT kind FROM metrics WHERE code = new.metric) = 'level'
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: a level (followers by a date) is the phase''s own target (phases.target_value); goals are flows or ratios');
END;
CREATE TRIGGER phase_goals_floor BEFORE INSERT ON phase_goals
WHEN typeof(new.floor) IN ('integer', 'real') AND EXISTS (
  SELECT 1 FROM metrics m WHERE m.code = new.metric
     AND ((m.direction = 'higher' AND new.floor > new.value)
       OR (m.direction = 'lower' AND new.floor < new.value)))
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: the floor (保底) is the least acceptable result: not above the goal where higher is better, not below it where lower is better');
END;

CREATE TABLE phase_channels(
  phase_id INTEGER NOT NULL REFERENCES phases(phase_id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(channel_id),
  main INTEGER NOT NULL DEFAULT 1 CHECK (main IN (0, 1)),
  PRIMARY KEY (phase_id, channel_id)
) WITHOUT ROWID;

-- Events run for users (one a week): the prize and the channel carry it.
CREATE TABLE campaign_events(
  event_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  day TEXT NOT NULL
    CONSTRAINT "campaign_events: day is a date 'YYYY-MM-DD'"
    CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(day, '+0 days') = day),
  name_en TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  channel_id INTEGER REFERENCES channels(channel_id),
  prize TEXT
);

-- Targets: a number for a metric, a period and an owner.  kind 'task' is an
-- effort target (posts a week), 'outcome' a result (followers, orders).
-- value is the target; floor the 保底 (the least acceptable), baseline the
-- level at the start (for progress).  account_id NULL: the campaign's account.
-- source 'plan' marks the rows the plan script writes (and rewrites).
CREATE TABLE targets(
  target_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  title TEXT,
  metric TEXT REFERENCES metrics(code),
  account_id INTEGER REFERENCES accounts(account_id),
  grain TEXT,
  period TEXT,
  value REAL,
  floor REAL,
  baseline REAL,
  kind TEXT NOT NULL DEFAULT 'outcome',
  department TEXT,
  role_id INTEGER REFERENCES roles(role_id),
  person_id INTEGER REFERENCES people(person_id),
  source TEXT NOT NULL DEFAULT 'manual',
  CONSTRAINT "targets: a target is a number with a period (value, grain and period, e.g. 50000 followers in month 2025-06): 'raise brand exposure' is a wish, not a target"
    CHECK (typeof(value) IN ('integer', 'real') AND grain IS NOT NULL AND period IS NOT NULL),
  CONSTRAINT "targets: a target measures a metric of the catalogue (metrics.code); add the metric first, e.g. a Baidu index"
    CHECK (metric IS NOT NULL),
  CONSTRAINT "targets: grain is 'day', 'week', 'month', 'quarter' or 'year'"
    CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  CONSTRAINT "targets: period is the grain's key: '2025-05-12' (day), '2025-W20' (week), '2025-05' (month), '2025-Q2' (quarter), '2025' (year)"
    CHECK (CASE grain
      WHEN 'day' THEN period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(period, '+0 days') = period
      WHEN 'week' THEN period GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'
        AND substr(period, 7) BETWEEN '01' AND '53'
        AND (substr(period, 7) < '53'
             OR strftime('%w', substr(period, 1, 4) || '-01-01') = '4'
             OR (strftime('%w', substr(period, 1, 4) || '-01-01') = '3'
                 AND date(substr(period, 1, 4) || '-02-29', '+0 days') = substr(period, 1, 4) || '-02-29'))
      WHEN 'month' THEN period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' AND substr(period, 6) BETWEEN '01' AND '12'
      WHEN 'quarter' THEN period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'
      WHEN 'year' THEN period GLOB '[0-9][0-9][0-9][0-9]'
    END),
  CONSTRAINT "targets: kind is 'task' (effort, e.g. posts a week) or 'outcome' (result, e.g. followers)"
    CHECK (kind IN ('task', 'outcome')),
  CONSTRAINT "targets: a target has an owner: a department, a role or a person"
    CHECK (department IS NOT NULL OR role_id IS NOT NULL OR person_id IS NOT NULL),
  CONSTRAINT "targets: floor and baseline are numbers"
    CHECK ((floor IS NULL OR typeof(floor) IN ('integer', 'real'))
           AND (baseline IS NULL OR typeof(baseline) IN ('integer', 'real')))
);
CREATE UNIQUE INDEX targets_one ON targets(campaign_id, metric, grain, period,
  ifnull(account_id, 0), ifnull(department, ''), ifnull(role_id, 0), ifnull(person_id, 0));
CREATE INDEX targets_period ON targets(grain, period);

CREATE TRIGGER targets_floor BEFORE INSERT ON targets
WHEN typeof(new.floor) IN ('integer', 'real') AND EXISTS (
  SELECT 1 FROM metrics m WHERE m.code = new.metric
     AND ((m.direction = 'higher' AND new.floor > new.value)
       OR (m.direction = 'lower' AND new.floor < new.value)))
BEGIN
  SELECT RAISE(ABORT, 'targets: the floor (保底) is the least acceptable result: not above the target where higher is better, not below it where lower is better');
END;
CREATE TRIGGER targets_floor_update BEFORE UPDATE OF value, floor, metric ON targets
WHEN typeof(new.floor) IN ('integer', 'real') AND EXISTS (
  SELECT 1 FROM metrics m WHERE m.code = new.metric
     AND ((m.direction = 'higher' AND new.floor > new.value)
       OR (m.direction = 'lower' AND new.floor < new.value)))
BEGIN
  SELECT RAISE(ABORT, 'targets: the floor (保底) is the least acceptable result: not above the target where higher is better, not below it where lower is better');
END;

------------------------------------------------------------------------
-- Budget
------------------------------------------------------------------------

-- One line per campaign, phase, channel, category and item: the finer, the
-- better controlled.  starts/ends (default: the phase's, else the
-- campaign's dates) prorate the plan over time.
CREATE TABLE budget_lines(
  line_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  phase_id INTEGER REFERENCES phases(phase_id),
  channel_id INTEGER REFERENCES channels(channel_id),
  category TEXT NOT NULL
    CONSTRAINT "budget_lines: category is 'salaries', 'promotion', 'prizes', 'placements', 'events', 'tools' or 'other'"
    CHECK (category IN ('salaries', 'promotion', 'prizes', 'placements', 'events', 'tools', 'other')),
  item TEXT
    CONSTRAINT "budget_lines: a line names its item (e.g. 'soft article on a local account'): a lump sum cannot be controlled"
    CHECK (item IS NOT NULL AND trim(item) <> ''),
  planned REAL NOT NULL
    CONSTRAINT "budget_lines: planned is a number, 0 or more"
    CHECK (typeof(planned) IN ('integer', 'real') AND planned >= 0),
  actual REAL NOT NULL DEFAULT 0
    CONSTRAINT "budget_lines: actual is a number, 0 or more"
    CHECK (typeof(actual) IN ('integer', 'real') AND actual >= 0),
  starts TEXT
    CONSTRAINT "budget_lines: starts is a date 'YYYY-MM-DD'"
    CHECK (starts IS NULL OR (starts GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(starts, '+0 days') = starts)),
  ends TEXT
    CONSTRAINT "budget_lines: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (ends IS NULL OR (ends GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(ends, '+0 days') = ends AND ends >= ifnull(starts, ends)))
);
CREATE INDEX budget_lines_campaign ON budget_lines(campaign_id, phase_id);

CREATE TRIGGER budget_lines_phase BEFORE INSERT ON budget_lines
WHEN new.phase_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM phases WHERE phase_id = new.phase_id AND campaign_id = new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the phase belongs to another campaign');
END;

------------------------------------------------------------------------
-- Team
------------------------------------------------------------------------

-- The job-description table (岗位描述表): per campaign, each role with its
-- titles, headcount, the phase it joins in (NULL: from the start), monthly
-- cost per head, and duties and requirements written for the phase.
-- lead_days: how long hiring takes (the hire-by date is that much before
-- the joining phase starts).  Optional workload for staffing_plan():
-- workload_units of work, units_per_person_day, ramp_days.
CREATE TABLE roles(
  role_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  title_en TEXT NOT NULL,
  title_zh TEXT NOT NULL,
  headcount INTEGER NOT NULL
    CONSTRAINT "roles: headcount is a whole number, 1 or more"
    CHECK (typeof(headcount) = 'integer' AND headcount >= 1),
  joins_phase_id INTEGER REFERENCES phases(phase_id),
  monthly_cost REAL NOT NULL
    CONSTRAINT "roles: monthly_cost is a number, 0 or more"
    CHECK (typeof(monthly_cost) IN ('integer', 'real') AND monthly_cost >= 0),
  duties TEXT
    CONSTRAINT "roles: a role has duties and requirements, written for the phase (never vague)"
    CHECK (length(trim(duties)) > 0),
  requirements TEXT
    CONSTRAINT "roles: a role has duties and requirements, written for the phase (never vague)"
    CHECK (length(trim(requirements)) > 0),
  lead_days INTEGER NOT NULL DEFAULT 30
    CONSTRAINT "roles: lead_days is a whole number of days, 0 or more"
    CHECK (typeof(lead_days) = 'integer' AND lead_days >= 0),
  workload_units REAL CHECK (workload_units IS NULL OR workload_units > 0),
  units_per_person_day REAL CHECK (units_per_person_day IS NULL OR units_per_person_day > 0),
  ramp_days INTEGER NOT NULL DEFAULT 0 CHECK (ramp_days >= 0),
  UNIQUE (campaign_id, code)
);

CREATE TRIGGER roles_phase BEFORE INSERT ON roles
WHEN new.joins_phase_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM phases WHERE phase_id = new.joins_phase_id AND campaign_id = new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'roles: the joining phase belongs to another campaign');
END;

-- experience: a newcomer who misses targets gets a trial period and
-- training; an experienced person who misses again and again, a question
-- about the fit (the repeated-misses script says which).
CREATE TABLE people(
  person_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  experience TEXT NOT NULL DEFAULT 'newcomer'
    CONSTRAINT "people: experience is 'newcomer' or 'experienced'"
    CHECK (experience IN ('newcomer', 'experienced'))
);

CREATE TABLE assignments(
  person_id INTEGER NOT NULL REFERENCES people(person_id),
  role_id INTEGER NOT NULL REFERENCES roles(role_id) ON DELETE CASCADE,
  starts TEXT NOT NULL
    CONSTRAINT "assignments: starts is a date 'YYYY-MM-DD'"
    CHECK (starts GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(starts, '+0 days') = starts),
  ends TEXT
    CONSTRAINT "assignments: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (ends IS NULL OR (ends GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(ends, '+0 days') = ends AND ends >= starts)),
  PRIMARY KEY (person_id, role_id, starts)
) WITHOUT ROWID;
CREATE INDEX assignments_role ON assignments(role_id);

------------------------------------------------------------------------
-- Evaluation
------------------------------------------------------------------------

-- KPIs per role (every person in it) or per person: the metric, its weight
-- (a person's weights sum to 1), the payout curve (JSON [[attainment,
-- payout], ...], kpi_payout()'s curve; the default pays in proportion to
-- completion, capped at 100%) and the bonus base: the money at 100% payout
-- for the whole of that person's KPIs in one period of the grain.  The
-- schema checks that a curve is a non-empty [...]; kpi_payout() reads it
-- and names a wrong point.  (SQLite's JSON functions are not innocuous:
-- in a CHECK they would refuse writes under PRAGMA trusted_schema=OFF.)
CREATE TABLE kpi_assignments(
  kpi_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  role_id INTEGER REFERENCES roles(role_id),
  person_id INTEGER REFERENCES people(person_id),
  metric TEXT NOT NULL REFERENCES metrics(code),
  grain TEXT NOT NULL DEFAULT 'month'
    CONSTRAINT "kpi_assignments: grain is 'day', 'week', 'month', 'quarter' or 'year'"
    CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  weight REAL
    CONSTRAINT "kpi_assignments: weight is a number above 0 and at most 1 (a person's weights sum to 1)"
    CHECK (typeof(weight) IN ('integer', 'real') AND weight > 0 AND weight <= 1),
  curve TEXT NOT NULL DEFAULT '[[0,0],[1,1]]'
    CONSTRAINT "kpi_assignments: curve is a JSON array of [attainment, payout] points, e.g. '[[0.6,0],[1,1],[1.5,1.2]]'"
    CHECK (trim(curve) GLOB '[[]*[]]' AND trim(curve) NOT GLOB '[[][ ]*[]]' AND length(trim(curve)) > 2),
  bonus_base REAL NOT NULL
    CONSTRAINT "kpi_assignments: bonus_base is money, 0 or more"
    CHECK (typeof(bonus_base) IN ('integer', 'real') AND bonus_base >= 0),
  CONSTRAINT "kpi_assignments: a KPI belongs to a role or to a person, not both"
    CHECK ((role_id IS NULL) <> (person_id IS NULL))
);

CREATE TRIGGER kpi_assignments_weights AFTER INSERT ON kpi_assignments
WHEN (SELECT sum(weight) FROM kpi_assignments
       WHERE campaign_id = new.campaign_id AND grain = new.grain
         AND role_id IS new.role_id AND person_id IS new.person_id) > 1 + 1e-9
BEGIN
  SELECT RAISE(ABORT, 'kpi_assignments: the weights of one role''s or person''s KPIs add up to more than 1');
END;

-- A period's evaluation, recorded by the month's evaluation script.
CREATE TABLE evaluations(
  person_id INTEGER NOT NULL REFERENCES people(person_id),
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  grain TEXT NOT NULL CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  period TEXT NOT NULL,
  score REAL,
  payout REAL NOT NULL CHECK (payout >= 0),
  kpis_met INTEGER NOT NULL,
  kpis INTEGER NOT NULL,
  recorded_on TEXT NOT NULL,
  PRIMARY KEY (person_id, campaign_id, grain, period)
) WITHOUT ROWID;

-- Tasks: assign with the result expected and a due date, coach, check.
CREATE TABLE tasks(
  task_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(person_id),
  title TEXT NOT NULL,
  assigned_on TEXT NOT NULL
    CONSTRAINT "tasks: assigned_on is a date 'YYYY-MM-DD'"
    CHECK (assigned_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(assigned_on, '+0 days') = assigned_on),
  metric TEXT REFERENCES metrics(code),
  expected REAL
    CONSTRAINT "tasks: a task is assigned with the result expected, a number (followers gained, orders converted)"
    CHECK (typeof(expected) IN ('integer', 'real')),
  due TEXT
    CONSTRAINT "tasks: a task has a due date 'YYYY-MM-DD', not before it is assigned"
    CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(due, '+0 days') = due AND due >= assigned_on),
  coached_on TEXT,
  coaching TEXT,
  checked_on TEXT,
  result REAL,
  CONSTRAINT "tasks: a task is checked with its result, a number"
    CHECK (checked_on IS NULL OR typeof(result) IN ('integer', 'real'))
);
CREATE INDEX tasks_person ON tasks(person_id, due);

------------------------------------------------------------------------
-- The catalogue, seeded with the talk's metrics
------------------------------------------------------------------------

INSERT INTO metrics(code, name_en, name_zh, kind, unit, direction, numerator, denominator, change_of, inflow, outflow, platform, source) VALUES
  -- WeChat: the backend's user analysis (用户分析) and article analysis (图文分析)
  ('wx_new_follows', 'new follows', '新关注人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '用户分析 新关注人数'),
  ('wx_unfollows', 'unfollows', '取消关注人数', 'flow', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'wechat', '用户分析 取消关注人数'),
  ('wx_net_follows', 'net follows', '净增关注人数', 'flow', 'people', 'higher', NULL, NULL, NULL, 'wx_new_follows', 'wx_unfollows', 'wechat', '用户分析 净增关注人数'),
  ('wx_followers', 'cumulative followers', '累积关注人数', 'level', 'people', 'higher', NULL, NULL, 'wx_net_follows', NULL, NULL, 'wechat', '用户分析 累积关注人数'),
  ('wx_delivered', 'delivered', '送达人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 送达人数'),
  ('wx_reads', 'article readers', '图文页阅读人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 图文页阅读人数'),
  ('wx_read_times', 'article reads', '图文页阅读次数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 图文页阅读次数'),
  ('wx_original_reads', 'original-page readers', '原文页阅读人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 原文页阅读人数'),
  ('wx_original_read_times', 'original-page reads', '原文页阅读次数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 原文页阅读次数'),
  ('wx_shares', 'sharers', '分享转发人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 分享转发人数'),
  ('wx_share_times', 'shares', '分享转发次数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 分享转发次数'),
  ('wx_favourites', 'favourites', '微信收藏人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 微信收藏人数'),
  ('wx_open_rate', 'open rate', '图文阅读率', 'ratio', 'share', 'higher', 'wx_reads', 'wx_delivered', NULL, NULL, NULL, 'wechat', '图文页阅读人数 / 送达人数'),
  ('wx_read_original_rate', 'read-original rate', '原文阅读率', 'ratio', 'share', 'higher', 'wx_original_reads', 'wx_reads', NULL, NULL, NULL, 'wechat', '原文页阅读人数 / 图文页阅读人数'),
  ('wx_share_rate', 'share rate', '分享转发率', 'ratio', 'share', 'higher', 'wx_shares', 'wx_reads', NULL, NULL, NULL, 'wechat', '分享转发人数 / 图文页阅读人数'),
  ('wx_favourite_rate', 'favourite rate', '收藏率', 'ratio', 'share', 'higher', 'wx_favourites', 'wx_reads', NULL, NULL, NULL, 'wechat', '微信收藏人数 / 图文页阅读人数'),
  -- Weibo: the post list, per day; followers as the backend shows them
  ('wb_posts', 'posts', '发博数', 'flow', 'posts', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', 'posts in the post list'),
  ('wb_reposts', 'reposts', '转发数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '转发'),
  ('wb_comments', 'comments', '评论数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '评论'),
  ('wb_likes', 'likes', '点赞数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '赞'),
  ('wb_followers', 'followers', '粉丝数', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '粉丝'),
  ('wb_following', 'following', '关注数', 'level', 'accounts', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '关注'),
  ('wb_avg_reposts', 'average reposts per post', '平均转发数', 'ratio', 'per post', 'higher', 'wb_reposts', 'wb_posts', NULL, NULL, NULL, 'weibo', 'reposts of all posts / posts'),
  ('wb_avg_comments', 'average comments per post', '平均评论数', 'ratio', 'per post', 'higher', 'wb_comments', 'wb_posts', NULL, NULL, NULL, 'weibo', 'comments of all posts / posts'),
  ('wb_search_results', 'search results', '搜索结果数', 'level', 'results', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', 'results of a search for the brand'),
  -- O2O: the service's own daily report (engineering builds it)
  ('o2o_visitors', 'visitors', '访问用户数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_new_registrations', 'new registrations', '新注册用户数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_registered', 'total registered', '累计注册用户数', 'level', 'people', 'higher', NULL, NULL, 'o2o_new_registrations', NULL, NULL, 'o2o', NULL),
  ('o2o_active_users', 'active users', '活跃用户数', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', 'users active that day (summed: user-days)'),
  ('o2o_orders', 'orders', '订单数', 'flow', 'orders', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_gmv', 'GMV', '成交额', 'flow', 'yuan', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_registration_conversion', 'registration conversion', '注册转化率', 'ratio', 'share', 'higher', 'o2o_new_registrations', 'o2o_visitors', NULL, NULL, NULL, 'o2o', 'new registrations / visitors'),
  ('o2o_active_rate', 'daily active rate', '日活跃率', 'ratio', 'share', 'higher', 'o2o_active_users', 'o2o_registered', NULL, NULL, NULL, 'o2o', 'active users that day / total users'),
  ('o2o_order_conversion', 'order conversion', '下单转化率', 'ratio', 'share', 'higher', 'o2o_orders', 'o2o_visitors', NULL, NULL, NULL, 'o2o', 'orders / visiting users'),
  ('o2o_aov', 'average order value', '客单价', 'ratio', 'yuan', 'higher', 'o2o_gmv', 'o2o_orders', NULL, NULL, NULL, 'o2o', 'GMV / orders'),
  -- Any platform: counted from the events table, in SQLite or on a
  -- ClickHouse cluster (sql/clickhouse/growthops-clickhouse stores them;
  -- docs/scale-out.md).  UTC days.  Stickiness per day: DAU a flow (summed:
  -- user-days), WAU and MAU trailing 7 and 28 days (levels), DAU/MAU their
  -- ratio (over a period: sum of DAU / sum of MAU).
  ('ev_dau', 'daily active users', '日活跃用户数', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: users active that day'),
  ('ev_wau', 'weekly active users', '周活跃用户数', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: users active that day or the 6 days before'),
  ('ev_mau', 'monthly active users', '月活跃用户数', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: users active that day or the 27 days before (28 days)'),
  ('ev_dau_mau', 'stickiness (DAU/MAU)', '用户黏性', 'ratio', 'share', 'higher', 'ev_dau', 'ev_mau', NULL, NULL, NULL, 'any', 'daily active users / monthly active users'),
  -- The lifecycle (docs/lifecycle.md) by day: flows, a value a day (new
  -- summed over a week or a month is that period's new users).
  ('ev_day_new', 'new users (by day)', '新用户数（日）', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: first active that day'),
  ('ev_day_returning', 'returning users (by day)', '回访用户数（日）', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that day and the day before'),
  ('ev_day_resurrecting', 'resurrecting users (by day)', '回流用户数（日）', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that day, not the day before, but earlier'),
  ('ev_day_dormant', 'dormant users (by day)', '沉睡用户数（日）', 'flow', 'user-days', 'lower', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active the day before, not that day'),
  -- By ISO week and by month: levels, the period's count stored on each of
  -- its days (up to the last day with events), read at their own grain.
  ('ev_week_new', 'new users (by week)', '新用户数（周）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: first active that ISO week'),
  ('ev_week_returning', 'returning users (by week)', '回访用户数（周）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that week and the week before'),
  ('ev_week_resurrecting', 'resurrecting users (by week)', '回流用户数（周）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that week, not the week before, but earlier'),
  ('ev_week_dormant', 'dormant users (by week)', '沉睡用户数（周）', 'level', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active the week before, not that week'),
  ('ev_month_new', 'new users (by month)', '新用户数（月）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: first active that month'),
  ('ev_month_returning', 'returning users (by month)', '回访用户数（月）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that month and the month before'),
  ('ev_month_resurrecting', 'resurrecting users (by month)', '回流用户数（月）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that month, not the month before, but earlier'),
  ('ev_month_dormant', 'dormant users (by month)', '沉睡用户数（月）', 'level', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active the month before, not that month');

INSERT INTO metric_references(metric, measure, grain, low, high, base_from, base_below, note) VALUES
  ('wx_open_rate', 'value', 'month', 0.15, NULL, NULL, NULL, 'article open rate 15%: the high end of typical accounts'),
  ('wx_share_rate', 'value', 'month', 0.05, NULL, NULL, NULL, 'share rate 5%: the high end of typical accounts'),
  ('o2o_order_conversion', 'value', 'day', 0.08, NULL, NULL, NULL, 'order conversion floor (保底) 8% a day'),
  ('wx_followers', 'growth', 'month', 0.5, 1.0, NULL, 10000, 'follower growth 50%-100% a month while the base is small'),
  ('wx_followers', 'growth', 'month', 0.1, 0.2, 10000, NULL, 'follower growth 10%-20% a month later'),
  ('wb_followers', 'growth', 'month', 0.5, 1.0, NULL, 10000, 'follower growth 50%-100% a month while the base is small'),
  ('wb_followers', 'growth', 'month', 0.1, 0.2, 10000, NULL, 'follower growth 10%-20% a month later');
