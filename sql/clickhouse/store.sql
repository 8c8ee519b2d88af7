-- store.sql: stores the answers growthops-clickhouse brought back from
-- ClickHouse (temp.answers: metric, first_day, last_day, value, each value
-- holding on every day from first_day to last_day) as metric values of one
-- account (temp.answer_args: account, server), in one transaction: the
-- command opens it (BEGIN IMMEDIATE) and runs plan_funnels.sql in it first,
-- which gives the funnels as they are now (temp.plan_funnels) beside the
-- ones the server was asked about (temp.answer_funnels).  It adds the
-- funnels' step metrics to the catalogue where they are missing (flows,
-- platform any), and refuses, naming the problem, before anything is
-- written: an account that is not there, funnels that changed meanwhile, a
-- step metric the catalogue holds as a level or a ratio, a metric the
-- catalogue lacks, a row that is not a metric, two days and a number (0 or
-- more).  A value already there is left alone, so storing the same answers
-- again changes nothing.  Prints what it did, after the commit.

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: no account %s in the accounts table (add it first; nothing stored)', quote(account))
  FROM temp.answer_args a
  WHERE NOT EXISTS (SELECT 1 FROM main.accounts WHERE CAST(account_id AS TEXT) = a.account OR name = a.account)) AS m)
WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: the funnels of %s changed while %s answered (funnel %s): run the command again (nothing stored)',
                quote(a.account), a.server, d.funnel_id)
  FROM temp.answer_args a,
       (SELECT funnel_id FROM (SELECT * FROM temp.answer_funnels EXCEPT SELECT * FROM temp.plan_funnels)
        UNION
        SELECT funnel_id FROM (SELECT * FROM temp.plan_funnels EXCEPT SELECT * FROM temp.answer_funnels)) d
  ORDER BY CAST(d.funnel_id AS INTEGER) LIMIT 1) AS m)
WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: the catalogue (metrics) holds %s as a %s; funnel %d''s step counts are flows (users entering that day): delete its row, the command adds it (nothing stored)',
                quote(s.metric), m.kind, s.funnel_id)
  FROM temp.plan_funnel_steps s JOIN main.metrics m ON m.code = s.metric
  WHERE m.kind IS NOT 'flow'
  ORDER BY s.funnel_id, s.step LIMIT 1) AS m)
WHERE raise_error(m);

CREATE TEMP TABLE answer_metrics AS
SELECT * FROM temp.plan_funnel_steps WHERE metric NOT IN (SELECT code FROM main.metrics);
INSERT INTO main.metrics(code, name_en, name_zh, kind, unit, direction, platform, source)
SELECT metric, name_en, name_zh, 'flow', 'user-days', 'higher', 'any',
       printf('events: users who entered funnel %d that day (its first step) and reached step %d within its window', funnel_id, step)
FROM temp.answer_metrics
ORDER BY funnel_id, step;

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: %s answered for metric %s, which the catalogue (metrics) lacks: add its row (schemas/growthops.sql lists it; nothing stored)',
                (SELECT server FROM temp.answer_args), quote(w.metric))
  FROM temp.answers w
  WHERE w.metric NOT IN (SELECT code FROM main.metrics)
  ORDER BY w.metric LIMIT 1) AS m)
WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: %s answered %s for %s from %s to %s: not two days and a number, 0 or more (nothing stored)',
                (SELECT server FROM temp.answer_args), quote(w.value), w.metric, quote(w.first_day), quote(w.last_day))
  FROM temp.answers w
  WHERE date(w.first_day, '+0 days') IS NOT w.first_day OR date(w.last_day, '+0 days') IS NOT w.last_day
     OR w.last_day < w.first_day
     OR w.value GLOB '*[^0-9.]*' OR w.value NOT GLOB '*[0-9]*' OR w.value GLOB '*.*.*'
  LIMIT 1) AS m)
WHERE raise_error(m);

CREATE TEMP TABLE answer_values(metric TEXT, day TEXT, value, PRIMARY KEY (metric, day));
INSERT INTO temp.answer_values
SELECT w.metric, p.key, w.value + 0
FROM temp.answers w, periods(w.first_day, w.last_day, 'day') p;

INSERT INTO main.metric_values(account_id, metric, day, value)
SELECT (SELECT account_id FROM main.accounts, temp.answer_args a
        WHERE CAST(account_id AS TEXT) = a.account OR name = a.account
        ORDER BY CAST(account_id AS TEXT) = a.account DESC LIMIT 1),
       metric, day, value
FROM temp.answer_values WHERE true
ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value
WHERE value IS NOT excluded.value;

CREATE TEMP TABLE answer_changes AS SELECT changes() AS n;
COMMIT;

SELECT printf('growthops-clickhouse: %s: %d %s of %d %s from %s to %s, %d new or changed',
              server, n_values, CASE n_values WHEN 1 THEN 'value' ELSE 'values' END,
              metrics, CASE metrics WHEN 1 THEN 'metric' ELSE 'metrics' END, first_day, last_day, changed)
FROM (SELECT a.server, count(*) AS n_values, count(DISTINCT v.metric) AS metrics, ifnull(min(v.day), '-') AS first_day,
             ifnull(max(v.day), '-') AS last_day, (SELECT n FROM temp.answer_changes) AS changed
      FROM temp.answer_values v, temp.answer_args a);
SELECT printf('growthops-clickhouse: added %d funnel step %s to the catalogue (metrics): %s',
              count(*), CASE count(*) WHEN 1 THEN 'metric' ELSE 'metrics' END, group_concat(metric, ', '))
FROM (SELECT metric FROM temp.answer_metrics ORDER BY funnel_id, step) HAVING count(*) > 0;
