-- daily.sql: any daily numbers a platform does not export as one of the
-- other kinds (an app's daily active users, Weibo followers ...), one of
-- two shapes, told apart by the header:
--   wide  a date column (date or 日期) and one column per metric code of
--         the catalogue: a row a day, one value per metric; an empty cell
--         stores nothing for that metric and day
--   long  the columns date, metric, value: a row per day and metric
-- Values are checked against the metric's kind: a ratio is never
-- imported (its numerator and denominator are), a level is not below 0.
-- Read by growthops-import (see wechat-users.sql).
CREATE TEMP VIEW import_daily_shape(shape, date_field) AS
SELECT CASE WHEN (SELECT count(*) FROM temp.import_header WHERE name IN ('metric', 'value')) = 2 THEN 'long' ELSE 'wide' END,
       coalesce((SELECT name FROM temp.import_header WHERE name IN ('date', '日期') ORDER BY col LIMIT 1), 'date');

INSERT INTO temp.import_fields
SELECT 0, date_field, NULL, 'date' FROM temp.import_daily_shape
UNION ALL SELECT 1, 'metric', NULL, 'metric' FROM temp.import_daily_shape WHERE shape = 'long'
UNION ALL SELECT 2, 'value', NULL, 'number' FROM temp.import_daily_shape WHERE shape = 'long'
UNION ALL SELECT h.col + 1, h.name, h.name, 'number?'
  FROM temp.import_header h, temp.import_daily_shape s
  WHERE s.shape = 'wide' AND h.name <> s.date_field AND h.name <> '';
INSERT INTO temp.import_rows VALUES ('day');

-- In the wide shape every other column is a metric of the catalogue, and
-- not a ratio.
SELECT 1 FROM (SELECT (
  SELECT printf('%s row %d column %s: %s', a.file, a.header_row, f.field,
           CASE WHEN m.code IS NULL THEN
                  printf('no metric %s in the catalogue (daily takes a date column and metric codes of metrics.code, or the columns date, metric, value)', quote(f.field))
                ELSE printf('%s is a ratio: import its numerator %s and denominator %s, never the ratio', m.code, m.numerator, m.denominator) END)
  FROM temp.import_fields f LEFT JOIN main.metrics m ON m.code = f.metric, temp.import_args a
  WHERE f.type = 'number?' AND (m.code IS NULL OR m.kind = 'ratio')
  ORDER BY f.pos LIMIT 1) AS m) WHERE raise_error(m);
