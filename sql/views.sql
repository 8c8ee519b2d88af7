-- views.sql: the toolkit's views over schemas/growthops.sql.
--
--   sqlite3 plan.db
--   sqlite3> .load ./growthops
--   sqlite3> .read sql/views.sql
--
-- The views call growthops functions (period_key, kpi_status, ...), so a
-- connection that reads them loads growthops first.  All of them are
-- innocuous: they work with PRAGMA trusted_schema=OFF.
--
--   v_settings            the day the reports are written for (as_of)
--   v_targets             targets with their first and last day and account
--   v_phases              phases with their account and the path method
--                         growth_path() draws them with
--   v_metric_period       any metric per account and day, week, month,
--                         quarter or year, aggregated by its kind
--   v_metric_growth       the same with the previous period and the growth
--   v_reference_check     the method's reference values against the data
--   v_target_attainment   each target against its actual
--   v_budget_lines        each budget line's days (its month, its dates)
--   v_north_star          each campaign's north star day by day, against
--                         its day targets and floors
--   v_budget_variance     each budget line: variance, prorated plan, pacing
--   v_budget_month        the same per line and month (by calendar days)
--   v_channel_efficiency  spend, followers, cost per follower, steadiness
--   v_evaluation          per person, period and KPI: attainment, score, pay
--   v_staffing            heads per role and month, hire-by dates, cost
--   v_data_quality        what is wrong with the data, one row a problem

-- 'as_of' from settings, else today.  Checked as the scripts check it: the
-- views compare it with days as text, so a value that is not a date
-- 'YYYY-MM-DD' ('2025-2-10' sorts after 2025-09-30) is an error, never an
-- actual that counts the wrong days.
CREATE VIEW v_settings AS
SELECT script_param('views.sql', 'as_of', (SELECT value FROM settings WHERE name = 'as_of'), 'date', date('now')) AS as_of;

-- The five grains of the calendar.
CREATE VIEW v_grains(grain) AS
VALUES ('day'), ('week'), ('month'), ('quarter'), ('year');

-- Targets with the first and last day of their period (from its key) and
-- the account they measure (the campaign's unless named).
CREATE VIEW v_targets AS
SELECT target_id, campaign_id, title, metric, account_id, grain, period,
       first_day, period_end(first_day, grain) AS last_day,
       value, floor, baseline, kind, department, role_id, person_id, source
FROM (
  SELECT t.target_id, t.campaign_id, t.title, t.metric,
         coalesce(t.account_id, c.account_id) AS account_id, t.grain, t.period,
         CASE t.grain
           WHEN 'day' THEN t.period
           WHEN 'week' THEN date(substr(t.period, 1, 4) || '-01-04',
             '-' || ((CAST(strftime('%w', substr(t.period, 1, 4) || '-01-04') AS INTEGER) + 6) % 7) || ' days',
             '+' || ((CAST(substr(t.period, 7) AS INTEGER) - 1) * 7) || ' days')
           WHEN 'month' THEN t.period || '-01'
           WHEN 'quarter' THEN substr(t.period, 1, 4) || '-'
             || printf('%02d', (CAST(substr(t.period, 7) AS INTEGER) - 1) * 3 + 1) || '-01'
           WHEN 'year' THEN t.period || '-01-01'
         END AS first_day,
         t.value, t.floor, t.baseline, t.kind, t.department, t.role_id, t.person_id, t.source
  FROM targets t JOIN campaigns c ON c.campaign_id = t.campaign_id
);

-- Phases with the account they measure (the campaign's unless named) and
-- the method growth_path() draws their path with: a phase's 'compound' is
-- the same growth every month ('compound_month'), so that the plan's day,
-- week and month targets agree at every month's end; months is the
-- phase's length in months (a part-month by its share of days), so that
-- growth_compound(start_value, target_value, months) is its growth a month.
CREATE VIEW v_phases AS
SELECT p.phase_id, p.campaign_id, p.seq, p.name_en, p.name_zh, p.starts, p.ends,
       coalesce(p.account_id, c.account_id) AS account_id, p.metric, p.start_value,
       p.target_value, p.method,
       CASE p.method WHEN 'compound' THEN 'compound_month' ELSE p.method END AS path_method,
       p.department,
       CAST(julianday(p.ends) - julianday(p.starts) + 1 AS INTEGER) AS days,
       (SELECT sum(m.days * 1.0 / (julianday(period_end(m.first_day, 'month'))
                                   - julianday(period_start(m.first_day, 'month')) + 1))
          FROM periods(p.starts, p.ends, 'month') m) AS months
FROM phases p JOIN campaigns c ON c.campaign_id = p.campaign_id;

-- Per account, metric, grain and period: the sum, and the value on the last
-- day with data (SQLite takes the bare column "value" from the row of
-- max(day)), of the days up to as_of only: as_of is "today" for every
-- report, and values stored for later days (as_of left behind while the
-- imports go on) are no actual yet.  The building block of v_metric_period.
CREATE VIEW v_metric_sums AS
SELECT v.account_id, v.metric, g.grain, period_key(v.day, g.grain) AS period,
       sum(v.value) AS total, max(v.day) AS last_data_day, v.value AS last_value,
       count(*) AS days_with_data
FROM metric_values v, v_grains g
WHERE v.day <= (SELECT as_of FROM v_settings)
GROUP BY v.account_id, v.metric, g.grain, period;

-- Any metric per account and period, by its kind:
--   flow   the sum of the days (new follows, orders, GMV);
--   level  the value on the period's last day with data (followers);
--   ratio  the sum of the numerator over the sum of the denominator
--          (never an average of daily ratios); NULL when the denominator
--          sums to 0.  A ratio's own stored values are not used (see
--          v_data_quality).
-- first_day and last_day are the period's; days_with_data counts the days
-- that have a value (for a ratio, those of the denominator).
CREATE VIEW v_metric_period AS
SELECT s.account_id, s.metric, m.kind, s.grain, s.period,
       period_start(s.last_data_day, s.grain) AS first_day,
       period_end(s.last_data_day, s.grain) AS last_day,
       CASE m.kind WHEN 'flow' THEN s.total ELSE s.last_value END AS value,
       NULL AS numerator_value, NULL AS denominator_value,
       s.days_with_data, s.last_data_day
FROM v_metric_sums s JOIN metrics m ON m.code = s.metric
WHERE m.kind <> 'ratio'
UNION ALL
SELECT n.account_id, m.code, 'ratio', n.grain, n.period,
       period_start(d.last_data_day, d.grain), period_end(d.last_data_day, d.grain),
       n.total / d.total, n.total, d.total, d.days_with_data,
       max(n.last_data_day, d.last_data_day)
FROM metrics m
JOIN v_metric_sums n ON n.metric = m.numerator
JOIN v_metric_sums d ON d.metric = m.denominator AND d.account_id = n.account_id
                    AND d.grain = n.grain AND d.period = n.period
WHERE m.kind = 'ratio';

-- The same with the value of the period before (NULL when that period has
-- no data) and the growth over it: value / previous - 1.
CREATE VIEW v_metric_growth AS
SELECT account_id, metric, kind, grain, period, first_day, last_day, value,
       CASE WHEN prev_period = period_key(date(first_day, '-1 day'), grain)
            THEN prev_value END AS previous,
       CASE WHEN prev_period = period_key(date(first_day, '-1 day'), grain) AND prev_value <> 0
            THEN value / prev_value - 1 END AS growth
FROM (
  SELECT p.*, lag(period) OVER w AS prev_period, lag(value) OVER w AS prev_value
  FROM v_metric_period p
  WINDOW w AS (PARTITION BY account_id, metric, grain ORDER BY period)
);

-- The method's reference values (metric_references) against the data: one
-- row per account, reference and period, verdict 'below', 'above' or
-- 'within'.  Growth references apply while the previous period's value is
-- in [base_from, base_below); a reference with an account_platform, to the
-- accounts of that platform only.
-- A period not over on as_of (running = 1, elapsed_days of its days) is
-- judged against the part of the reference due by as_of (low_to_date,
-- high_to_date; the reference itself for a period that is over): a flow's
-- value in proportion to the days gone, a flow's growth likewise on the
-- period before ((1 + low) x elapsed / days - 1), a level's or a ratio's
-- growth compounded over the days gone ((1 + low)^(elapsed / days) - 1, as
-- the plan's compound path spreads a month), a level's or a ratio's value
-- as it stands.
CREATE VIEW v_reference_check AS
SELECT account_id, metric, measure, grain, period, observed, low, high,
       CASE
         WHEN low_to_date IS NOT NULL AND observed < low_to_date THEN 'below'
         WHEN high_to_date IS NOT NULL AND observed > high_to_date THEN 'above'
         ELSE 'within'
       END AS verdict,
       note, running, elapsed_days, days, low_to_date, high_to_date
FROM (
  SELECT c.*,
         CASE WHEN NOT running THEN low
              WHEN measure = 'value' AND kind = 'flow' THEN low * elapsed_days / days
              WHEN measure = 'value' THEN low
              WHEN kind = 'flow' THEN (1 + low) * elapsed_days / days - 1
              ELSE pow(max(0, 1 + low), 1.0 * elapsed_days / days) - 1 END AS low_to_date,
         CASE WHEN NOT running THEN high
              WHEN measure = 'value' AND kind = 'flow' THEN high * elapsed_days / days
              WHEN measure = 'value' THEN high
              WHEN kind = 'flow' THEN (1 + high) * elapsed_days / days - 1
              ELSE pow(max(0, 1 + high), 1.0 * elapsed_days / days) - 1 END AS high_to_date
  FROM (
    SELECT g.account_id, r.metric, r.measure, r.grain, g.period, g.kind,
           CASE r.measure WHEN 'value' THEN g.value ELSE g.growth END AS observed,
           r.low, r.high, r.note,
           s.as_of < g.last_day AS running,
           CAST(min(julianday(g.last_day), julianday(s.as_of)) - julianday(g.first_day) + 1 AS INTEGER) AS elapsed_days,
           CAST(julianday(g.last_day) - julianday(g.first_day) + 1 AS INTEGER) AS days
    FROM metric_references r
    JOIN v_metric_growth g ON g.metric = r.metric AND g.grain = r.grain
    JOIN accounts a ON a.account_id = g.account_id
    CROSS JOIN v_settings s
    WHERE (CASE r.measure WHEN 'value' THEN g.value ELSE g.growth END) IS NOT NULL
      AND (r.account_platform IS NULL OR r.account_platform = a.platform)
      AND (r.measure = 'value'
           OR ((r.base_from IS NULL OR g.previous >= r.base_from)
               AND (r.base_below IS NULL OR g.previous < r.base_below)))
  ) c
);

-- Each target against its actual (v_metric_period of the target's account,
-- metric and period):
--   attainment  kpi_attainment(): actual / target (target / actual where
--               lower is better)
--   progress    kpi_progress(): (actual - baseline) / (target - baseline);
--               baseline 0 when not given
--   status      kpi_status(): 'met', 'behind', 'below floor'; 'no data'
--               when there is no actual
--   elapsed_days, expected_to_date: for a period still running on as_of,
--               the days gone and, for a flow, the target prorated to them
--               (on_pace compares the actual with it)
CREATE VIEW v_target_attainment AS
SELECT t.target_id, t.campaign_id, t.metric, m.name_en, m.name_zh, m.kind AS metric_kind,
       m.direction, t.kind, t.title, t.department, t.role_id, t.person_id, t.account_id,
       t.grain, t.period, t.first_day, t.last_day,
       t.value AS target, t.floor, t.baseline, p.value AS actual,
       kpi_attainment(p.value, t.value, m.direction) AS attainment,
       kpi_progress(p.value, coalesce(t.baseline, 0), t.value) AS progress,
       CASE WHEN p.value IS NULL THEN 'no data'
            ELSE kpi_status(p.value, t.value, t.floor, m.direction) END AS status,
       CAST(julianday(t.last_day) - julianday(t.first_day) + 1 AS INTEGER) AS days,
       CAST(max(0, min(julianday(t.last_day), julianday(s.as_of)) - julianday(t.first_day) + 1) AS INTEGER) AS elapsed_days,
       CASE WHEN m.kind = 'flow' THEN
         t.value * max(0, min(julianday(t.last_day), julianday(s.as_of)) - julianday(t.first_day) + 1)
                 / (julianday(t.last_day) - julianday(t.first_day) + 1) END AS expected_to_date,
       CASE WHEN m.kind = 'flow' AND p.value IS NOT NULL THEN
         (CASE m.direction WHEN 'higher' THEN p.value >= 0.999999999 * t.value * max(0, min(julianday(t.last_day), julianday(s.as_of)) - julianday(t.first_day) + 1)
                 / (julianday(t.last_day) - julianday(t.first_day) + 1)
          ELSE p.value <= 1.000000001 * t.value * max(0, min(julianday(t.last_day), julianday(s.as_of)) - julianday(t.first_day) + 1)
                 / (julianday(t.last_day) - julianday(t.first_day) + 1) END) END AS on_pace
FROM v_targets t
JOIN metrics m ON m.code = t.metric
CROSS JOIN v_settings s
LEFT JOIN v_metric_period p ON p.account_id = t.account_id AND p.metric = t.metric
                           AND p.grain = t.grain AND p.period = t.period;

-- The days of each budget line: its month within its phase's (else its
-- campaign's) dates; else its own dates, else its phase's, else its
-- campaign's.  elapsed: the line's days gone by as_of.
CREATE VIEW v_budget_lines AS
SELECT b.line_id, b.campaign_id, b.phase_id, b.channel_id, b.category, b.item, b.month,
       b.planned, b.actual, d.starts, d.ends, s.as_of,
       CAST(julianday(d.ends) - julianday(d.starts) + 1 AS INTEGER) AS duration_days,
       CAST(max(0, min(julianday(d.ends), julianday(s.as_of)) - julianday(d.starts) + 1) AS INTEGER) AS elapsed_days
FROM budget_lines b
JOIN (SELECT b2.line_id,
             CASE WHEN b2.month IS NOT NULL THEN max(b2.month || '-01', coalesce(p.starts, c.starts))
                  ELSE coalesce(b2.starts, p.starts, c.starts) END AS starts,
             CASE WHEN b2.month IS NOT NULL THEN min(period_end(b2.month || '-01', 'month'), coalesce(p.ends, c.ends))
                  ELSE coalesce(b2.ends, p.ends, c.ends) END AS ends
      FROM budget_lines b2 JOIN campaigns c ON c.campaign_id = b2.campaign_id
      LEFT JOIN phases p ON p.phase_id = b2.phase_id) d ON d.line_id = b.line_id
CROSS JOIN v_settings s;

-- Each campaign's north star day by day over the campaign's dates, on its
-- account (north_star_account_id, else the campaign's): the day's value (a
-- flow or a level as stored; a ratio as the day's numerator over its
-- denominator, NULL when that is 0 or either is missing; NULL after as_of,
-- where nothing is an actual yet), and the day's
-- target and floor (plan.sql writes them; the first such target of the
-- day that is not a person's or a role's).
CREATE VIEW v_north_star AS
SELECT c.campaign_id, d.key AS day, m.code AS metric, m.name_en, m.name_zh, m.kind, m.unit, m.direction,
       a.account_id, a.name AS account,
       CASE
         WHEN d.key > s.as_of THEN NULL
         WHEN m.kind = 'ratio' THEN (SELECT n.value / nullif(dn.value, 0) FROM metric_values n JOIN metric_values dn
                                       ON dn.account_id = n.account_id AND dn.metric = m.denominator AND dn.day = n.day
                                     WHERE n.account_id = a.account_id AND n.metric = m.numerator AND n.day = d.key)
         ELSE (SELECT v.value FROM metric_values v WHERE v.account_id = a.account_id AND v.metric = m.code AND v.day = d.key)
       END AS value,
       t.value AS target, t.floor
FROM campaigns c
JOIN metrics m ON m.code = c.north_star
JOIN accounts a ON a.account_id = coalesce(c.north_star_account_id, c.account_id)
JOIN periods(c.starts, c.ends, 'day') d
CROSS JOIN v_settings s
LEFT JOIN targets t ON t.target_id = (
  SELECT t2.target_id FROM targets t2
  WHERE t2.campaign_id = c.campaign_id AND t2.metric = m.code AND t2.grain = 'day' AND t2.period = d.key
    AND coalesce(t2.account_id, c.account_id) = a.account_id AND t2.person_id IS NULL AND t2.role_id IS NULL
  ORDER BY t2.target_id LIMIT 1);

-- Each budget line: variance = actual - planned, variance_pct = variance /
-- planned; the plan prorated to the days gone by as_of over the line's
-- days (v_budget_lines), and pacing = actual / prorated plan (above 1:
-- spending ahead of plan).
CREATE VIEW v_budget_variance AS
SELECT line_id, campaign_id, phase_id, channel_id, category, item, month,
       starts, ends, planned, actual, actual - planned AS variance,
       (actual - planned) / nullif(planned, 0) AS variance_pct,
       duration_days, elapsed_days,
       planned * elapsed_days / duration_days AS prorated_plan,
       actual / nullif(planned * elapsed_days / duration_days, 0) AS pacing
FROM v_budget_lines;

-- Each budget line per month of its days: planned and actual spread by
-- calendar days with kpi_split (whole yuan that add up exactly to the
-- line; a line of one month keeps all of it there).  A line's actual is not
-- dated: it is spread over the line's days gone by as_of (all of it on the
-- first day while none is gone), so every month of a line spanning several
-- shows the line's own pacing; a line per month shows each month's.
--   days, elapsed_days  the line's days in the month, and those gone
--   prorated_plan       planned x elapsed_days / days
--   pacing              actual / prorated plan (NULL before the month)
CREATE VIEW v_budget_month AS
SELECT l.line_id, l.campaign_id, l.phase_id, l.channel_id, l.category, l.item, pl.key AS month,
       pl.first_day, pl.last_day, pl.days,
       CAST(max(0, min(julianday(pl.last_day), julianday(l.as_of)) - julianday(pl.first_day) + 1) AS INTEGER) AS elapsed_days,
       pl.target_whole + (l.planned - round(l.planned)) * pl.share AS planned,
       coalesce(ac.actual, 0.0) AS actual,
       coalesce(ac.actual, 0.0) - (pl.target_whole + (l.planned - round(l.planned)) * pl.share) AS variance,
       (pl.target_whole + (l.planned - round(l.planned)) * pl.share)
         * max(0, min(julianday(pl.last_day), julianday(l.as_of)) - julianday(pl.first_day) + 1) / pl.days AS prorated_plan,
       coalesce(ac.actual, 0.0)
         / nullif((pl.target_whole + (l.planned - round(l.planned)) * pl.share)
                  * max(0, min(julianday(pl.last_day), julianday(l.as_of)) - julianday(pl.first_day) + 1) / pl.days, 0) AS pacing
FROM v_budget_lines l
JOIN kpi_split(l.planned, l.starts, l.ends, 'month') pl
LEFT JOIN (
  SELECT l2.line_id, sp.key AS month, sp.target_whole + (l2.actual - round(l2.actual)) * sp.share AS actual
  FROM v_budget_lines l2
  JOIN kpi_split(l2.actual, l2.starts, max(l2.starts, min(l2.ends, l2.as_of)), 'month') sp
) ac ON ac.line_id = l.line_id AND ac.month = pl.key;

-- Per campaign and channel: spend (budget lines' actual), the followers
-- the channel brought in the campaign's dates (channel_values of its
-- inflow metric, net follows by default), cost per follower (a ratio of
-- sums) and how steady the daily inflow is over the days from its first to
-- its last day with data (missing days count as 0):
--   cv           standard deviation / mean of the daily inflow
--   zero_days    days with no inflow
--   peak_share   the best day's share of the whole inflow
--   steadiness   'steady' (cv <= 0.5, no zero day), 'uneven' (cv <= 1),
--                'spiky' (the method's "500 one day, then nothing for 3 days")
CREATE VIEW v_channel_efficiency AS
SELECT campaign_id, channel_id, code, name_en, name_zh, planned, spend,
       followers, spend / nullif(followers, 0) AS cost_per_follower,
       CAST(days AS INTEGER) AS days, CAST(zero_days AS INTEGER) AS zero_days, mean_daily,
       sqrt(max(0, sum_sq / days - mean_daily * mean_daily)) / nullif(mean_daily, 0) AS cv,
       peak / nullif(followers, 0) AS peak_share,
       CASE WHEN days IS NULL THEN NULL
            WHEN zero_days = 0 AND sqrt(max(0, sum_sq / days - mean_daily * mean_daily)) <= 0.5 * mean_daily THEN 'steady'
            WHEN sqrt(max(0, sum_sq / days - mean_daily * mean_daily)) <= mean_daily THEN 'uneven'
            ELSE 'spiky' END AS steadiness
FROM (
  SELECT c.campaign_id, ch.channel_id, ch.code, ch.name_en, ch.name_zh,
         (SELECT sum(planned) FROM budget_lines b WHERE b.campaign_id = c.campaign_id AND b.channel_id = ch.channel_id) AS planned,
         (SELECT sum(actual) FROM budget_lines b WHERE b.campaign_id = c.campaign_id AND b.channel_id = ch.channel_id) AS spend,
         i.followers, i.days, i.days - i.positive_days AS zero_days,
         i.followers * 1.0 / i.days AS mean_daily, i.sum_sq, i.peak
  FROM campaigns c
  CROSS JOIN channels ch
  LEFT JOIN (
    SELECT c2.campaign_id, v.channel_id, sum(v.value) AS followers,
           julianday(max(v.day)) - julianday(min(v.day)) + 1 AS days,
           sum(v.value > 0) AS positive_days, sum(v.value * v.value) AS sum_sq, max(v.value) AS peak
    FROM campaigns c2 JOIN channels ch2 JOIN channel_values v
      ON v.channel_id = ch2.channel_id AND v.metric = ch2.inflow_metric
     AND v.day BETWEEN c2.starts AND c2.ends
    GROUP BY c2.campaign_id, v.channel_id
  ) i ON i.campaign_id = c.campaign_id AND i.channel_id = ch.channel_id
  WHERE i.followers IS NOT NULL
     OR EXISTS (SELECT 1 FROM budget_lines b WHERE b.campaign_id = c.campaign_id AND b.channel_id = ch.channel_id)
);

-- Per person, period and KPI: the KPI's target (the person's own, else
-- the role's, else the campaign's for that metric and period), actual,
-- attainment, the share of the bonus its curve pays, and the money.  A
-- role's KPI is held by everyone ever assigned to the role, a person's KPI
-- by that person; each counts only the days its holder holds a job in the
-- campaign (for a role's KPI, that role), from an assignment's start to its
-- end, within the campaign's dates:
--   days_in_job  those days in the period, up to as_of (a running
--                period's days to come are not in the job yet)
--   period_days  the period's days within the campaign's dates
--   status       kpi_status() (or 'no data'); 'not in the job' for a
--                period without a day in the job: no attainment, no
--                payout, not in the score, never a miss
--   payout_share kpi_payout(attainment, curve): nothing below the curve's
--                first point, straight lines between points, the last
--                point's payout at and above it
--   payout       bonus_base x weight x payout_share x days_in_job /
--                period_days: a period partly in the job pays its part
--                (proration); the target and the attainment stay the
--                period's, since the actual is the account's, not the
--                person's own
--   score        the person's weighted attainment in the period,
--                kpi_score(attainment, weight) over their KPIs in the job
--   total_payout the person's payouts in the period, summed
-- For a period not over on as_of (running = 1): elapsed_days (of
-- period_days), actual_to_date (the actual, which counts the days up to
-- as_of only, as every actual does), pace (a flow's actual_to_date
-- per day gone; a level's gain per day over the target's baseline),
-- projected (the actual at that pace by the period's end; a ratio, and a
-- level without a baseline, as they stand on as_of) and
-- projected_attainment.  A period that is over has actual_to_date =
-- actual.  A KPI without a target in a period is not evaluated.
CREATE VIEW v_evaluation AS
WITH holders AS (
  SELECT DISTINCT a.person_id, k.kpi_id FROM kpi_assignments k JOIN assignments a ON a.role_id = k.role_id
  UNION
  SELECT k.person_id, k.kpi_id FROM kpi_assignments k WHERE k.person_id IS NOT NULL
),
-- each holder's periods with a target of the KPI's metric and grain, the
-- role it is judged in (a person's KPI: the role held last in the period)
held AS (
  SELECT h.person_id, k.kpi_id, k.campaign_id, k.role_id AS kpi_role_id, k.metric, k.grain,
         k.weight, k.curve, k.bonus_base, t.period, t.first_day, t.last_day,
         max(t.first_day, c.starts) AS from_day, min(t.last_day, c.ends) AS to_day,
         coalesce(k.role_id,
                  (SELECT a.role_id FROM assignments a JOIN roles r ON r.role_id = a.role_id
                    WHERE a.person_id = h.person_id AND r.campaign_id = k.campaign_id
                      AND a.starts <= t.last_day AND (a.ends IS NULL OR a.ends >= t.first_day)
                    ORDER BY a.starts DESC, a.role_id LIMIT 1)) AS role_id
  FROM holders h
  JOIN kpi_assignments k ON k.kpi_id = h.kpi_id
  JOIN campaigns c ON c.campaign_id = k.campaign_id
  JOIN (SELECT DISTINCT campaign_id, metric, grain, period, first_day, last_day FROM v_targets) t
    ON t.campaign_id = k.campaign_id AND t.metric = k.metric AND t.grain = k.grain
),
-- the days in the job: each day of the period (within the campaign) up to
-- as_of that an assignment covers, counted once however many cover it; a
-- day still to come is no day in the job yet
counted AS (
  SELECT held.*,
         CASE WHEN from_day <= to_day THEN CAST(julianday(to_day) - julianday(from_day) + 1 AS INTEGER) ELSE 0 END AS period_days,
         CASE WHEN from_day <= min(to_day, s.as_of) THEN
           (SELECT count(*) FROM periods(held.from_day, min(held.to_day, s.as_of), 'day') d
             WHERE EXISTS (SELECT 1 FROM assignments a JOIN roles r ON r.role_id = a.role_id
                            WHERE a.person_id = held.person_id AND r.campaign_id = held.campaign_id
                              AND (held.kpi_role_id IS NULL OR a.role_id = held.kpi_role_id)
                              AND a.starts <= d.key AND (a.ends IS NULL OR a.ends >= d.key)))
         ELSE 0 END AS days_in_job
  FROM held CROSS JOIN v_settings s
),
matched AS (
  SELECT x.*, ta.target_id, ta.target, ta.floor, ta.baseline, ta.actual, ta.direction, ta.metric_kind,
         CASE WHEN x.days_in_job > 0 THEN ta.attainment END AS attainment,
         CASE WHEN x.days_in_job > 0 THEN ta.status ELSE 'not in the job' END AS status,
         CAST(max(0, min(julianday(x.to_day), julianday(s.as_of)) - julianday(x.from_day) + 1) AS INTEGER) AS elapsed_days,
         -- v_metric_period counts the days up to as_of only: the actual is
         -- the actual to date
         ta.actual AS actual_to_date,
         row_number() OVER (PARTITION BY x.person_id, x.kpi_id, x.period
                            ORDER BY (ta.person_id IS NOT NULL) DESC, (ta.role_id IS NOT NULL) DESC, ta.target_id) AS pick
  FROM counted x
  CROSS JOIN v_settings s
  JOIN v_target_attainment ta
    ON ta.campaign_id = x.campaign_id AND ta.metric = x.metric AND ta.grain = x.grain AND ta.period = x.period
   AND (ta.person_id = x.person_id
        OR (ta.person_id IS NULL AND (ta.role_id = x.role_id OR ta.role_id IS NULL)))
),
paced AS (
  SELECT m.*, kpi_payout(m.attainment, m.curve) AS payout_share,
         CASE WHEN m.elapsed_days < m.period_days THEN 1 ELSE 0 END AS running,
         CASE WHEN m.days_in_job > 0 AND m.elapsed_days > 0 AND m.actual IS NOT NULL THEN
           CASE WHEN m.metric_kind = 'flow' THEN m.actual_to_date / m.elapsed_days
                WHEN m.metric_kind = 'level' AND m.baseline IS NOT NULL THEN (m.actual_to_date - m.baseline) / m.elapsed_days END
         END AS pace
  FROM matched m WHERE m.pick = 1
),
projected AS (
  SELECT p.*,
         CASE WHEN p.days_in_job = 0 OR p.actual IS NULL THEN NULL
              WHEN p.running = 0 THEN p.actual
              WHEN p.metric_kind = 'flow' THEN p.pace * p.period_days
              WHEN p.metric_kind = 'level' AND p.pace IS NOT NULL THEN p.baseline + p.pace * p.period_days
              ELSE p.actual_to_date END AS projected
  FROM paced p
)
SELECT m.person_id, pe.name, m.role_id, m.campaign_id, m.grain, m.period, m.first_day, m.last_day,
       m.kpi_id, m.metric, mt.name_en, mt.name_zh, m.weight, m.target, m.floor, m.actual,
       m.attainment, m.status, m.curve, m.payout_share,
       m.days_in_job, m.period_days,
       CASE WHEN m.days_in_job > 0 THEN
         m.bonus_base * m.weight * coalesce(m.payout_share, 0) * m.days_in_job / m.period_days
       ELSE 0.0 END AS payout,
       kpi_score(m.attainment, m.weight) OVER p AS score,
       sum(CASE WHEN m.days_in_job > 0 THEN
             m.bonus_base * m.weight * coalesce(m.payout_share, 0) * m.days_in_job / m.period_days
           ELSE 0.0 END) OVER p AS total_payout,
       m.running, m.elapsed_days, m.pace, m.projected,
       kpi_attainment(m.projected, m.target, m.direction) AS projected_attainment,
       m.actual_to_date
FROM projected m
JOIN people pe ON pe.person_id = m.person_id
JOIN metrics mt ON mt.code = m.metric
WINDOW p AS (PARTITION BY m.person_id, m.campaign_id, m.grain, m.period);

-- Per role and month of its campaign from the day it joins (its joins_on,
-- else its joining phase's first day, else the campaign's start): the
-- heads it has (its headcount), the hire-by date (the joining day less the
-- role's lead_days), the heads assigned, and the month's cost (heads x
-- monthly cost, prorated by the days of the month the role works).  For a
-- role with a workload (workload_units to deliver at units_per_person_day,
-- ramp_days to full speed, from the joining day to the end of its joining
-- phase, else of the campaign), needed is the most people staffing_plan()
-- says the workload takes: above heads, the role is short.
CREATE VIEW v_staffing AS
SELECT r.campaign_id, r.role_id, r.code, r.title_en, r.title_zh, r.department,
       j.joins_on, date(j.joins_on, '-' || r.lead_days || ' days') AS hire_by,
       p.key AS period, p.first_day, p.last_day,
       r.headcount AS heads,
       CASE WHEN r.workload_units IS NOT NULL AND r.units_per_person_day IS NOT NULL THEN
         (SELECT max(sp.people) FROM staffing_plan(r.workload_units, j.joins_on, j.work_ends,
                                                  r.units_per_person_day, r.ramp_days) sp) END AS needed,
       (SELECT count(DISTINCT a.person_id) FROM assignments a
         WHERE a.role_id = r.role_id AND a.starts <= p.last_day
           AND (a.ends IS NULL OR a.ends >= p.first_day)) AS assigned,
       r.headcount * r.monthly_cost * p.days
         / (julianday(period_end(p.first_day, 'month')) - julianday(period_start(p.first_day, 'month')) + 1) AS cost
FROM roles r
JOIN (SELECT r2.role_id, coalesce(r2.joins_on, ph.starts, c.starts) AS joins_on,
             coalesce(ph.ends, c.ends) AS work_ends, c.ends AS campaign_ends
      FROM roles r2 JOIN campaigns c ON c.campaign_id = r2.campaign_id
      LEFT JOIN phases ph ON ph.phase_id = r2.joins_phase_id) j ON j.role_id = r.role_id
JOIN periods(j.joins_on, j.campaign_ends, 'month') p;

-- What is wrong with the data: one row per problem, with the account and
-- metric (where there is one), the day, and a detail saying by how much.
--   'level does not follow its change'  followers(t) - followers(t-1) is
--                                     not net follows(t)
--   'flow is not inflow - outflow'     net follows is not new - unfollows
--   'gap'                              days without a value between the
--                                      first and the last day of a series
--   'ratio above 1'                    a stored share above 1, or a day
--                                      whose numerator exceeds its
--                                      denominator (reads > delivered)
--   'negative'                         a count below 0
--   'kpi weights do not sum to 1'      a role's or person's KPI weights
CREATE VIEW v_data_quality AS
SELECT l.account_id, l.metric, l.day, 'level does not follow its change' AS problem,
       printf('%s %s - %s %s = %s, but %s = %s', l.metric, l.day, l.metric, l.prev_day,
              l.value - l.prev_value, m.change_of, f.value) AS detail
FROM (SELECT account_id, metric, day, value,
             lag(day) OVER w AS prev_day, lag(value) OVER w AS prev_value
      FROM metric_values WHERE metric IN (SELECT code FROM metrics WHERE change_of IS NOT NULL)
      WINDOW w AS (PARTITION BY account_id, metric ORDER BY day)) l
JOIN metrics m ON m.code = l.metric
JOIN metric_values f ON f.account_id = l.account_id AND f.metric = m.change_of AND f.day = l.day
WHERE l.prev_day = date(l.day, '-1 day') AND abs(l.value - l.prev_value - f.value) > 1e-9
UNION ALL
SELECT n.account_id, n.metric, n.day, 'flow is not inflow - outflow',
       printf('%s = %s, but %s - %s = %s', n.metric, n.value, m.inflow, m.outflow, i.value - o.value)
FROM metrics m
JOIN metric_values n ON n.metric = m.code
JOIN metric_values i ON i.account_id = n.account_id AND i.metric = m.inflow AND i.day = n.day
JOIN metric_values o ON o.account_id = n.account_id AND o.metric = m.outflow AND o.day = n.day
WHERE m.inflow IS NOT NULL AND abs(n.value - (i.value - o.value)) > 1e-9
UNION ALL
SELECT account_id, metric, date(day, '+1 day'), 'gap',
       printf('no value from %s to %s (%d %s)', date(day, '+1 day'), date(next_day, '-1 day'),
              gap_days, CASE gap_days WHEN 1 THEN 'day' ELSE 'days' END)
FROM (SELECT account_id, metric, day, next_day, CAST(julianday(next_day) - julianday(day) - 1 AS INTEGER) AS gap_days
      FROM (SELECT account_id, metric, day, lead(day) OVER w AS next_day
            FROM metric_values WINDOW w AS (PARTITION BY account_id, metric ORDER BY day)))
WHERE next_day > date(day, '+1 day')
UNION ALL
SELECT v.account_id, v.metric, v.day, 'ratio above 1', printf('%s = %s', v.metric, v.value)
FROM metric_values v JOIN metrics m ON m.code = v.metric
WHERE m.kind = 'ratio' AND m.unit = 'share' AND v.value > 1
UNION ALL
SELECT n.account_id, m.code, n.day, 'ratio above 1',
       printf('%s %s > %s %s', m.numerator, n.value, m.denominator, d.value)
FROM metrics m
JOIN metric_values n ON n.metric = m.numerator
JOIN metric_values d ON d.account_id = n.account_id AND d.metric = m.denominator AND d.day = n.day
WHERE m.kind = 'ratio' AND m.unit = 'share' AND n.value > d.value
UNION ALL
SELECT v.account_id, v.metric, v.day, 'negative', printf('%s = %s', v.metric, v.value)
FROM metric_values v JOIN metrics m ON m.code = v.metric
WHERE v.value < 0 AND m.inflow IS NULL
UNION ALL
SELECT NULL, NULL, NULL, 'kpi weights do not sum to 1',
       printf('campaign %d %s %d, %s KPIs: weights sum to %s',
              campaign_id, CASE WHEN role_id IS NOT NULL THEN 'role' ELSE 'person' END,
              coalesce(role_id, person_id), grain, round(sum(weight), 6))
FROM kpi_assignments
GROUP BY campaign_id, role_id, person_id, grain
HAVING abs(sum(weight) - 1) > 1e-9;
