-- store.sql: stores a checked import (growthops-import reads it after
-- check.sql) in one transaction: a value per account, metric and day,
-- inserted or updated; a value that is already there is left alone, so
-- importing the same file again changes nothing.  Leaves the line to
-- print in temp.import_result: importer.py prints it once COMMIT has
-- succeeded.  An empty cell of a 'number?' field stores nothing.
BEGIN IMMEDIATE;
CREATE TEMP TABLE import_values AS
WITH acct AS (
  SELECT account_id FROM main.accounts, temp.import_args a
  WHERE CAST(account_id AS TEXT) = a.account OR name = a.account
  ORDER BY CAST(account_id AS TEXT) = a.account DESC LIMIT 1
),
days AS (SELECT row, day FROM temp.import_parsed WHERE type IN ('date', 'time')),
codes AS (SELECT row, trim(cell) AS code FROM temp.import_parsed WHERE type = 'metric')
SELECT (SELECT account_id FROM acct) AS account_id, coalesce(p.metric, c.code) AS metric, d.day, sum(p.value) AS value
FROM temp.import_parsed p JOIN days d ON d.row = p.row LEFT JOIN codes c ON c.row = p.row
WHERE p.type IN ('number', 'number?') AND p.value IS NOT NULL AND coalesce(p.metric, c.code) IS NOT NULL
GROUP BY 2, d.day
UNION ALL
SELECT (SELECT account_id FROM acct), 'wb_posts', d.day, count(*)
FROM days d, temp.import_rows r WHERE r.per = 'post'
GROUP BY d.day;

INSERT INTO main.metric_values(account_id, metric, day, value)
SELECT account_id, metric, day, value FROM temp.import_values WHERE true
ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value
WHERE value IS NOT excluded.value;

CREATE TEMP TABLE import_result AS
SELECT printf('%s: %s: %d %s, %d days from %s to %s, %d values, %d new or changed',
              a.kind, a.file, (SELECT count(*) FROM temp.import_data), CASE WHEN a.header_row IS NULL THEN 'items' ELSE 'rows' END,
              count(DISTINCT v.day), min(v.day), max(v.day), count(*), changes()) AS line
FROM temp.import_values v, temp.import_args a;
