-- store.sql: stores a checked import (growthops-import reads it after
-- check.sql) in one transaction: a value per account, metric and day,
-- inserted or updated; a value that is already there is left alone, so
-- importing the same file again changes nothing.  Prints what it did.
BEGIN IMMEDIATE;
CREATE TEMP TABLE import_values AS
WITH acct AS (
  SELECT account_id FROM main.accounts, temp.import_args a
  WHERE CAST(account_id AS TEXT) = a.account OR name = a.account
  ORDER BY CAST(account_id AS TEXT) = a.account DESC LIMIT 1
),
days AS (SELECT row, day FROM temp.import_parsed WHERE type IN ('date', 'time'))
SELECT (SELECT account_id FROM acct) AS account_id, p.metric, d.day, sum(p.value) AS value
FROM temp.import_parsed p JOIN days d ON d.row = p.row
WHERE p.metric IS NOT NULL
GROUP BY p.metric, d.day
UNION ALL
SELECT (SELECT account_id FROM acct), 'wb_posts', d.day, count(*)
FROM days d, temp.import_rows r WHERE r.per = 'post'
GROUP BY d.day;

INSERT INTO main.metric_values(account_id, metric, day, value)
SELECT account_id, metric, day, value FROM temp.import_values WHERE true
ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value
WHERE value IS NOT excluded.value;

SELECT printf('%s: %s: %d rows, %d days from %s to %s, %d values, %d new or changed',
              a.kind, a.file, (SELECT count(*) FROM temp.import_raw),
              count(DISTINCT v.day), min(v.day), max(v.day), count(*), changes())
FROM temp.import_values v, temp.import_args a;
COMMIT;
