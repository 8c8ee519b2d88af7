-- store.sql: stores the answers growthops-clickhouse brought back from
-- ClickHouse (temp.answers: metric, first_day, last_day, value, each value
-- holding on every day from first_day to last_day) as metric values of one
-- account (temp.answer_args: account, server), in one transaction.  It
-- refuses, naming the problem, before anything is written: an account that
-- is not there, a metric the catalogue lacks, a row that is not a metric,
-- two days and a number (0 or more).  A value already there is left alone, so storing
-- the same answers again changes nothing.  Prints what it did, after the
-- commit.
BEGIN IMMEDIATE;

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: no account %s in the accounts table (add it first; nothing stored)', quote(account))
  FROM temp.answer_args a
  WHERE NOT EXISTS (SELECT 1 FROM main.accounts WHERE CAST(account_id AS TEXT) = a.account OR name = a.account)) AS m)
WHERE raise_error(m);

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

SELECT printf('growthops-clickhouse: %s: %d values of %d metrics from %s to %s, %d new or changed',
              a.server, count(*), count(DISTINCT v.metric), ifnull(min(v.day), '-'), ifnull(max(v.day), '-'),
              (SELECT n FROM temp.answer_changes))
FROM temp.answer_values v, temp.answer_args a;
