-- check.sql: the checks of every import (growthops-import reads it after
-- the KIND's .sql).  Each stops the import at its first problem with
-- raise_error(), naming the file's row (the header is row 1) and column;
-- nothing has been written yet.  The pattern
--   SELECT 1 FROM (SELECT (<the first problem's message, or NULL>) AS m) WHERE raise_error(m);
-- fails with the message, or returns no row when all is well.

-- 1. The header names every column the export must have.
SELECT 1 FROM (SELECT (
  SELECT printf('%s row 1: missing column %s (%s needs the columns %s)', a.file, f.field, a.kind,
                (SELECT group_concat(field, ', ') FROM (SELECT field FROM temp.import_fields ORDER BY pos)))
  FROM temp.import_fields f, temp.import_args a
  WHERE f.field NOT IN (SELECT name FROM pragma_table_info('import_raw', 'temp'))
  ORDER BY f.pos LIMIT 1) AS m) WHERE raise_error(m);

-- 2. There are rows below it.
SELECT 1 FROM (SELECT (
  SELECT printf('%s row 2: no rows below the header', file) FROM temp.import_args
  WHERE NOT EXISTS (SELECT 1 FROM temp.import_raw)) AS m) WHERE raise_error(m);

-- 3. The account exists.
SELECT 1 FROM (SELECT (
  SELECT printf('%s: no account %s in the accounts table (add it first)', kind, quote(account))
  FROM temp.import_args a
  WHERE NOT EXISTS (SELECT 1 FROM main.accounts WHERE CAST(account_id AS TEXT) = a.account OR name = a.account)) AS m)
WHERE raise_error(m);

-- 4. Every cell parses.  Dates: 2025-05-01, 2025/5/1 or 20250501; a time
-- ('time' columns) follows after a space or a T.  Numbers: digits with an
-- optional sign, decimal point and thousands commas, at most 1e15 in size
-- (a longer run of digits would be stored as Inf, or lose its last digits).
CREATE TEMP TABLE import_parsed AS
SELECT row, pos, field, metric, type, cell,
       CASE WHEN type IN ('date', 'time') AND day_text IS NOT NULL
                 AND date(day_text, '+0 days') = day_text
                 AND (time_text IS NULL
                      OR (type = 'time' AND time_text GLOB '[0-9]*:[0-9][0-9]*' AND time(time_text) IS NOT NULL))
            THEN day_text END AS day,
       CASE WHEN number_ok AND abs(CAST(num_text AS REAL)) <= 1e15
            THEN CAST(num_text AS REAL) END AS value,
       number_ok
FROM (
  SELECT *,
         type = 'number' AND unsigned <> '' AND unsigned NOT GLOB '*[^0-9.]*'
           AND unsigned GLOB '*[0-9]*'
           AND length(unsigned) - length(replace(unsigned, '.', '')) <= 1 AS number_ok
  FROM (
    SELECT *,
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
             CASE WHEN instr(substr(ymd, 6), '-') > 0 THEN substr(substr(ymd, 6), instr(substr(ymd, 6), '-') + 1) END AS dd
      FROM (
        SELECT *,
               CASE WHEN instr(dt, ' ') > 0 THEN substr(dt, 1, instr(dt, ' ') - 1) ELSE dt END AS ymd,
               CASE WHEN instr(dt, ' ') = 0 THEN NULL
                    WHEN trim(substr(dt, instr(dt, ' ') + 1)) GLOB '[0-9]:*'
                      THEN '0' || trim(substr(dt, instr(dt, ' ') + 1))
                    ELSE trim(substr(dt, instr(dt, ' ') + 1)) END AS time_text,
               CASE WHEN substr(num_text, 1, 1) IN ('-', '+') THEN substr(num_text, 2) ELSE num_text END AS unsigned
        FROM (
          SELECT c.row, c.pos, f.field, f.metric, f.type, c.cell,
                 replace(replace(trim(c.cell), '/', '-'), 'T', ' ') AS dt,
                 replace(trim(c.cell), ',', '') AS num_text
          FROM temp.import_cells c JOIN temp.import_fields f ON f.pos = c.pos
        )
      )
    )
  )
);
CREATE INDEX temp.import_parsed_day ON import_parsed(pos, day);

SELECT 1 FROM (SELECT (
  SELECT printf('%s row %d column %s: %s', a.file, p.row, p.field,
           CASE WHEN p.cell IS NULL OR trim(p.cell) = '' THEN
                  CASE p.type WHEN 'number' THEN 'empty, a number belongs here'
                              WHEN 'date' THEN 'empty, a date belongs here'
                              ELSE 'empty, a date and time belong here' END
                WHEN p.type = 'number' AND p.number_ok THEN 'out of range: ' || quote(substr(p.cell, 1, 40)) || ' (at most 1e15 in size)'
                WHEN p.type = 'number' THEN 'not a number: ' || quote(substr(p.cell, 1, 40))
                WHEN p.type = 'date' THEN 'not a date: ' || quote(substr(p.cell, 1, 40)) || ' (write 2025-05-01)'
                ELSE 'not a date and time: ' || quote(substr(p.cell, 1, 40)) || ' (write 2025-05-01 12:30)' END)
  FROM temp.import_parsed p, temp.import_args a
  WHERE (p.type = 'number' AND p.value IS NULL) OR (p.type <> 'number' AND p.day IS NULL)
  ORDER BY p.row, p.pos LIMIT 1) AS m) WHERE raise_error(m);

-- 5. A daily export gives each day once.
SELECT 1 FROM (SELECT (
  SELECT printf('%s row %d column %s: %s is already on row %d', a.file, p.row, p.field, p.day, q.row)
  FROM temp.import_parsed p
  JOIN temp.import_parsed q ON q.pos = p.pos AND q.day = p.day AND q.row < p.row,
       temp.import_args a, temp.import_rows r
  WHERE p.type IN ('date', 'time') AND r.per = 'day'
  ORDER BY p.row, q.row LIMIT 1) AS m) WHERE raise_error(m);
