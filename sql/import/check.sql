-- check.sql: the checks of every cell of an import that stores metric
-- values (growthops-import reads it after header.sql).  Each stops the
-- import at its first problem with raise_error(), naming the file's row
-- (the header is row 1) and column; nothing has been written yet.  The
-- pattern is header.sql's.

-- 4. Every cell parses.  Dates: 2025-05-01, 2025/5/1 or 20250501, written
-- as YYYY-MM-DD and checked by the schema's own date expression (the one of
-- schemas/growthops.sql's header, word for word with day_text for x: a day
-- the import accepts is a day metric_values stores), then read by
-- growthops' calendar (period_key); never by SQLite's date() or time(),
-- whose 3.40 round trip refuses 0300-03-01 and accepts 0300-02-29.  A time
-- ('time' fields) follows after a space or a T: HH:MM, HH:MM:SS or
-- HH:MM:SS.fff, hours 00 to 23 as growthops' own parser reads them (24:00
-- is refused: write 00:00 of the next day; a time zone is refused: the
-- platforms write the local time of the day they count).  Numbers: digits with an
-- optional sign and decimal point, and commas only as thousands
-- separators (1,234,567; never 12,5 or 1,2,3), at most 1e15 in size (a
-- longer run of digits would be stored as Inf, or lose its last digits).
-- Metric codes ('metric' fields): a metric of the catalogue that is not a
-- ratio (a ratio is imported as its numerator and denominator).
-- Each step ends in LIMIT -1 OFFSET 0, which SQLite does not flatten into
-- the next: each column is computed once per cell, not again wherever the
-- next step names it.
CREATE TEMP TABLE import_parsed AS
SELECT row, pos, field, metric, type, cell,
       CASE WHEN type IN ('date', 'time')
                 AND typeof(day_text) = 'text' AND length(CAST(day_text AS BLOB)) = 10
                 AND day_text GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                 AND substr(day_text, 6, 2) BETWEEN '01' AND '12'
                 AND substr(day_text, 9, 2) BETWEEN '01' AND CASE
                   WHEN substr(day_text, 6, 2) IN ('04', '06', '09', '11') THEN '30'
                   WHEN substr(day_text, 6, 2) <> '02' THEN '31'
                   WHEN substr(day_text, 1, 4) % 4 = 0 AND (substr(day_text, 1, 4) % 100 <> 0 OR substr(day_text, 1, 4) % 400 = 0) THEN '29'
                   ELSE '28' END
                 AND (time_text IS NULL
                      OR (type = 'time' AND substr(time_text, 1, 2) < '24'
                          AND (time_text GLOB '[0-2][0-9]:[0-5][0-9]'
                               OR time_text GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
                               OR (time_text GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9]*'
                                   AND substr(time_text, 10) NOT GLOB '*[^0-9]*'))))
            THEN period_key(day_text || coalesce(' ' || time_text, ''), 'day') END AS day,
       CASE WHEN number_ok AND abs(CAST(digits AS REAL)) <= 1e15
            THEN CAST(digits AS REAL) END AS value,
       number_ok,
       CASE WHEN type = 'metric' THEN (SELECT kind FROM main.metrics WHERE code = trim(cell)) END AS metric_kind
FROM (
  SELECT *,
         type IN ('number', 'number?') AND unsigned <> '' AND unsigned NOT GLOB '*[^0-9.,]*'
           AND unsigned GLOB '*[0-9]*'
           AND length(unsigned) - length(replace(unsigned, '.', '')) <= 1
           AND (instr(unsigned, ',') = 0
                OR (integer_part GLOB '[1-9]*' AND instr(substr(unsigned, length(integer_part) + 1), ',') = 0
                    AND printf('%,d', CAST(replace(integer_part, ',', '') AS INTEGER)) = integer_part)) AS number_ok
  FROM (
    SELECT *,
           CASE WHEN instr(unsigned, '.') > 0 THEN substr(unsigned, 1, instr(unsigned, '.') - 1) ELSE unsigned END AS integer_part,
           CASE WHEN ymd GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
                  THEN substr(ymd, 1, 4) || '-' || substr(ymd, 5, 2) || '-' || substr(ymd, 7, 2)
                WHEN substr(ymd, 1, 5) GLOB '[0-9][0-9][0-9][0-9]-'
                     AND (mm GLOB '[0-9]' OR mm GLOB '[0-9][0-9]')
                     AND (dd GLOB '[0-9]' OR dd GLOB '[0-9][0-9]')
                  THEN printf('%s-%02d-%02d', substr(ymd, 1, 4), CAST(mm AS INTEGER), CAST(dd AS INTEGER))
           END AS day_text
    FROM (
      SELECT *,
             substr(substr(ymd, 6), 1, instr(substr(ymd, 6), '-') - 1) AS mm,
             CASE WHEN instr(substr(ymd, 6), '-') > 0 THEN substr(substr(ymd, 6), instr(substr(ymd, 6), '-') + 1) END AS dd,
             CASE WHEN substr(num_text, 1, 1) IN ('-', '+') THEN substr(num_text, 2) ELSE num_text END AS unsigned,
             replace(num_text, ',', '') AS digits
      FROM (
        SELECT *,
               CASE WHEN instr(dt, ' ') > 0 THEN substr(dt, 1, instr(dt, ' ') - 1) ELSE dt END AS ymd,
               CASE WHEN instr(dt, ' ') = 0 THEN NULL
                    WHEN trim(substr(dt, instr(dt, ' ') + 1)) GLOB '[0-9]:*'
                      THEN '0' || trim(substr(dt, instr(dt, ' ') + 1))
                    ELSE trim(substr(dt, instr(dt, ' ') + 1)) END AS time_text
        FROM (
          SELECT c.row, c.pos, f.field, f.metric, f.type, c.cell,
                 replace(replace(trim(c.cell), '/', '-'), 'T', ' ') AS dt,
                 trim(c.cell) AS num_text
          FROM temp.import_cells c JOIN temp.import_fields f ON f.pos = c.pos LIMIT -1 OFFSET 0
        ) LIMIT -1 OFFSET 0
      ) LIMIT -1 OFFSET 0
    ) LIMIT -1 OFFSET 0
  ) LIMIT -1 OFFSET 0
);
CREATE INDEX temp.import_parsed_day ON import_parsed(pos, day);
CREATE INDEX temp.import_parsed_row ON import_parsed(row, type);

SELECT 1 FROM (SELECT (
  SELECT printf(a.place || ': %s', a.file, p.row, p.field,
           CASE WHEN p.cell IS NULL OR trim(p.cell) = '' THEN
                  CASE p.type WHEN 'number' THEN 'empty, a number belongs here'
                              WHEN 'date' THEN 'empty, a date belongs here'
                              WHEN 'metric' THEN 'empty, a metric code belongs here'
                              ELSE 'empty, a date and time belong here' END
                WHEN p.type = 'metric' AND p.metric_kind IS NULL THEN
                  'no metric ' || quote(substr(trim(p.cell), 1, 40)) || ' in the catalogue (metrics.code; add it first)'
                WHEN p.type = 'metric' THEN
                  (SELECT printf('%s is a ratio: import its numerator %s and denominator %s, never the ratio', code, numerator, denominator)
                   FROM main.metrics WHERE code = trim(p.cell))
                WHEN p.number_ok THEN 'out of range: ' || quote(substr(p.cell, 1, 40)) || ' (at most 1e15 in size)'
                WHEN p.type IN ('number', 'number?') AND a.place LIKE '%item%' AND p.cell GLOB '"*"' THEN
                  'not a number: ' || quote(substr(p.cell, 1, 40)) || ' (a JSON string: the data API writes numbers as numbers)'
                WHEN p.type IN ('number', 'number?') AND instr(p.cell, ',') > 0 THEN
                  'not a number: ' || quote(substr(p.cell, 1, 40))
                  || ' (a comma is read only as a thousands separator, as in 1,234,567; a decimal comma: write 12.5)'
                WHEN p.type IN ('number', 'number?') THEN 'not a number: ' || quote(substr(p.cell, 1, 40))
                WHEN p.type = 'date' THEN 'not a date: ' || quote(substr(p.cell, 1, 40)) || ' (write 2025-05-01)'
                ELSE 'not a date and time: ' || quote(substr(p.cell, 1, 40)) || ' (write 2025-05-01 12:30, hours 00 to 23)' END)
  FROM temp.import_parsed p, temp.import_args a
  WHERE (p.type = 'number' AND p.value IS NULL)
     OR (p.type = 'number?' AND p.value IS NULL AND trim(ifnull(p.cell, '')) <> '')
     OR (p.type IN ('date', 'time') AND p.day IS NULL)
     OR (p.type = 'metric' AND p.metric_kind IS NOT 'flow' AND p.metric_kind IS NOT 'level')
  ORDER BY p.row, p.pos LIMIT 1) AS m) WHERE raise_error(m);

-- 5. A level is a count at the end of a day: never below 0.
SELECT 1 FROM (SELECT (
  SELECT printf(a.place || ': %s is below 0, and %s is a level (a count at the end of the day)',
                a.file, p.row, p.field, quote(p.cell), m.code)
  FROM temp.import_parsed p
  LEFT JOIN temp.import_parsed q ON q.row = p.row AND q.type = 'metric'
  JOIN main.metrics m ON m.code = coalesce(p.metric, trim(q.cell)), temp.import_args a
  WHERE p.value < 0 AND m.kind = 'level'
  ORDER BY p.row, p.pos LIMIT 1) AS m) WHERE raise_error(m);

-- 6. A daily export gives each day once (each metric's day, in a long file).
SELECT 1 FROM (SELECT (
  SELECT printf(a.place || ': %s is already on row %d', a.file, p.row, p.field,
                p.day || coalesce(' for ' || trim(pm.cell), ''), q.row)
  FROM temp.import_parsed p
  JOIN temp.import_parsed q ON q.pos = p.pos AND q.day = p.day AND q.row < p.row
  LEFT JOIN temp.import_parsed pm ON pm.row = p.row AND pm.type = 'metric'
  LEFT JOIN temp.import_parsed qm ON qm.row = q.row AND qm.type = 'metric',
       temp.import_args a, temp.import_rows r
  WHERE p.type IN ('date', 'time') AND r.per = 'day' AND trim(pm.cell) IS trim(qm.cell)
  ORDER BY p.row, q.row LIMIT 1) AS m) WHERE raise_error(m);
