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
-- each count with its unit, singular for 1
SELECT printf('%s: %s: %d %s, %d %s from %s to %s, %d %s, %d new or changed',
              kind, file, items, CASE WHEN header_row IS NULL THEN CASE items WHEN 1 THEN 'item' ELSE 'items' END
                                      ELSE CASE items WHEN 1 THEN 'row' ELSE 'rows' END END,
              days, CASE days WHEN 1 THEN 'day' ELSE 'days' END, first_day, last_day,
              n_values, CASE n_values WHEN 1 THEN 'value' ELSE 'values' END, changed) AS line
FROM (SELECT a.kind, a.file, a.header_row, (SELECT count(*) FROM temp.import_data) AS items,
             count(DISTINCT v.day) AS days, min(v.day) AS first_day, max(v.day) AS last_day, count(*) AS n_values,
             changes() AS changed
      FROM temp.import_values v, temp.import_args a);
