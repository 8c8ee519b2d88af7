-- check-events.sql: the checks of every row of an events import
-- (growthops-import reads it after header.sql), in one pass over
-- import_data; the first problem stops the import with raise_error(),
-- naming the file's row and column.  import_event_values holds each row's
-- values as they will be stored, its UTC day, and problem: the message, or
-- NULL.
--   user_id     a whole number, written as one (7, not 7.0), stored as an integer
--   ts          ISO-8601 text exactly as growthops' parser reads it: a date
--               YYYY-MM-DD (a real one, by the schema's own date
--               expression, word for word: never SQLite's date()),
--               then optionally T or a space and HH:MM, HH:MM:SS or
--               HH:MM:SS.fff (hours 00 to 23), then optionally Z or an
--               offset +HH:MM / -HH:MM (at most 14 hours) that keeps its
--               UTC day within the years 0000 to 9999; spaces around it
--               are allowed and removed.  Or unix seconds within the years
--               0000 to 9999 (stored as a number).
--   event       text that is not empty or white space
--   properties  empty, or a JSON object
-- Text read from a file converted from GB18030 is stored only when the
-- header has Chinese text that matched: else it could be mojibake.
CREATE TEMP TABLE import_event_values AS
WITH guess(unconfirmed) AS MATERIALIZED (
  -- A conversion from GB18030 is a guess that a Chinese header confirms;
  -- with an all-ASCII header, no converted text is stored.
  SELECT (SELECT converted FROM temp.import_args) LIKE '%GB18030%'
         AND NOT EXISTS (SELECT 1 FROM temp.import_header WHERE length(CAST(name AS BLOB)) <> length(name))),
-- Each step ends in LIMIT -1 OFFSET 0, which SQLite does not flatten into
-- the next: it runs as a co-routine, a row at a time, each column computed
-- once (flattened, a column would be computed again wherever the next step
-- names it).
cells AS (
  SELECT row, f0 AS user_cell, f1 AS ts_cell, f2 AS event_cell, f3 AS properties_cell,
         trim(ifnull(f0, ''), ' ' || char(9, 10, 13)) AS user_text,
         trim(ifnull(f1, ''), ' ' || char(9, 10, 11, 12, 13)) AS ts_text,
         trim(ifnull(f2, ''), char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) AS event_text,
         trim(ifnull(f3, ''), ' ' || char(9, 10, 13)) AS properties_text
  FROM temp.import_data LIMIT -1 OFFSET 0
),
-- The day of an ISO time, its first ten characters, checked once for the
-- short way and the long one below by the schema's date expression (word
-- for word, with day_text for x).
days AS (
  SELECT *,
         typeof(day_text) = 'text' AND length(CAST(day_text AS BLOB)) = 10
           AND day_text GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
           AND substr(day_text, 6, 2) BETWEEN '01' AND '12'
           AND substr(day_text, 9, 2) BETWEEN '01' AND CASE
             WHEN substr(day_text, 6, 2) IN ('04', '06', '09', '11') THEN '30'
             WHEN substr(day_text, 6, 2) <> '02' THEN '31'
             WHEN substr(day_text, 1, 4) % 4 = 0 AND (substr(day_text, 1, 4) % 100 <> 0 OR substr(day_text, 1, 4) % 400 = 0) THEN '29'
             ELSE '28' END AS day_ok
  FROM (SELECT *, substr(ts_text, 1, 10) AS day_text FROM cells) LIMIT -1 OFFSET 0
),
-- The usual times take a short way: 2025-05-01, 2025-05-01 12:30,
-- 2025-05-01 12:30:00 (or with a T), optionally with Z or an offset +08:00,
-- in the years 1900 to 2099 (the day checked by the schema's date
-- expression), and unix seconds of 9 or 10 digits (1973 to 2286).  fast is
-- 1 for such an ISO time, 2 for such unix seconds, 0 for every other cell,
-- which the steps below check in full.
sorted AS (
  SELECT *,
         CASE WHEN (ts_text GLOB '[12][09][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                    OR ts_text GLOB '[12][09][0-9][0-9]-[01][0-9]-[0-3][0-9][ T][0-2][0-9]:[0-5][0-9]'
                    OR ts_text GLOB '[12][09][0-9][0-9]-[01][0-9]-[0-3][0-9][ T][0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
                    OR ts_text GLOB '[12][09][0-9][0-9]-[01][0-9]-[0-3][0-9][ T][0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'
                    OR ts_text GLOB '[12][09][0-9][0-9]-[01][0-9]-[0-3][0-9][ T][0-2][0-9]:[0-5][0-9]:[0-5][0-9][+-][01][0-9]:[0-5][0-9]')
                   AND substr(ts_text, 1, 2) IN ('19', '20') AND substr(ts_text, 12, 2) < '24'
                   AND substr(ts_text, 21, 2) <= '14'
                   AND day_ok THEN 1
              WHEN ts_text GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
                   OR ts_text GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN 2
              ELSE 0 END AS fast
  FROM days LIMIT -1 OFFSET 0
),
-- The parts of an ISO time: the day, the clock after it, and what follows
-- the minutes (seconds and fraction, then the zone).
parts AS (
  SELECT *,
         CASE WHEN substr(after_minutes, 1, 1) <> ':' THEN after_minutes
              WHEN substr(after_minutes, 2) NOT GLOB '[0-5][0-9]*' THEN 'bad'
              WHEN substr(after_minutes, 4, 1) <> '.' THEN substr(after_minutes, 4)
              WHEN substr(after_minutes, 5, 1) NOT GLOB '[0-9]' THEN 'bad'
              ELSE ltrim(substr(after_minutes, 5), '0123456789') END AS zone
  FROM (
    SELECT *, substr(ts_text, 11) AS clock, substr(ts_text, 17) AS after_minutes,
           (ts_text GLOB '[0-9]*' OR ts_text GLOB '-[0-9]*')
             AND substr(ts_text, 2) NOT GLOB '*[^0-9.]*'
             AND length(ts_text) - length(replace(ts_text, '.', '')) <= 1
             AND substr(ts_text, -1) <> '.' AS unix_like
    FROM sorted WHERE fast = 0 LIMIT -1 OFFSET 0
  ) LIMIT -1 OFFSET 0
),
flags AS (
  SELECT *,
         unix_like AND abs(CAST(ts_text AS REAL)) < 1e12
           AND CAST(ts_text AS REAL) >= -62167219200 AND CAST(ts_text AS REAL) < 253402300800 AS unix_ok,
         day_ok
           AND (clock = '' OR (substr(clock, 1, 1) IN ('T', ' ')
                AND substr(clock, 2) GLOB '[0-2][0-9]:[0-5][0-9]*' AND substr(clock, 2, 2) < '24'
                AND (zone IN ('', 'Z', 'z')
                     OR (zone GLOB '[+-][0-9][0-9]:[0-5][0-9]' AND substr(zone, 2, 2) <= '14')))) AS iso_ok
  FROM parts
  UNION ALL
  SELECT *, NULL, NULL, fast = 2, NULL, fast = 2, fast = 1
  FROM sorted WHERE fast > 0
  LIMIT -1 OFFSET 0
),
checked AS (
SELECT row, CAST(user_text AS INTEGER) AS user_id,
       CASE WHEN unix_ok THEN CASE WHEN instr(ts_text, '.') > 0 THEN CAST(ts_text AS REAL) ELSE CAST(ts_text AS INTEGER) END
            ELSE ts_text END AS ts,
       event_text AS event, nullif(properties_text, '') AS properties,
       CASE
         WHEN user_text = '' THEN 'user_id: empty, a user id belongs here'
         WHEN NOT (user_text GLOB '[0-9]*' OR user_text GLOB '-[0-9]*') OR substr(user_text, 2) GLOB '*[^0-9]*'
              OR length(user_text) > 18
           THEN 'user_id: not a whole number: ' || quote(substr(user_cell, 1, 40)) || ' (user ids are integers)'
         WHEN ts_text = '' THEN 'ts: empty, a time belongs here'
         WHEN unix_like AND NOT unix_ok
           THEN 'ts: unix seconds out of range: ' || quote(substr(ts_cell, 1, 40)) || ' (the years 0000 to 9999)'
         WHEN NOT unix_ok AND NOT iso_ok
           THEN 'ts: not a time: ' || quote(substr(ts_cell, 1, 40))
                || ' (ISO-8601 such as 2025-05-01 12:30:00 or 2025-05-01T12:30:00+08:00, a 4-digit year and hours 00 to 23; or unix seconds)'
         -- the schema's check of the calendar's ends, word for word with
         -- ts_text for t: on 0000-01-01 a time before its '+' offset is
         -- the day before; on 9999-12-31 a time plus its '-' offset past
         -- 24:00 is the day after
         WHEN NOT unix_ok
              AND ((ts_text GLOB '0000-01-01?*+[0-9][0-9]:[0-9][0-9]' AND substr(ts_text, 12, 5) < substr(ts_text, -5))
                   OR (ts_text GLOB '9999-12-31?*-[0-9][0-9]:[0-9][0-9]'
                       AND substr(ts_text, 12, 2) * 60 + substr(ts_text, 15, 2)
                           + substr(ts_text, -5, 2) * 60 + substr(ts_text, -2) >= 1440))
           THEN 'ts: out of range: ' || quote(substr(ts_cell, 1, 40)) || ' (its offset takes its UTC day past the years 0000 to 9999)'
         WHEN event_text = '' THEN 'event: empty, an event name belongs here'
         WHEN properties_text <> '' AND NOT (json_valid(properties_text) AND json_type(properties_text) = 'object')
           THEN 'properties: not a JSON object: ' || quote(substr(properties_cell, 1, 40)) || ' (write {"key": value}, or leave it empty)'
         WHEN (SELECT unconfirmed FROM guess) AND length(CAST(event_text || properties_text AS BLOB)) <> length(event_text || properties_text)
           THEN (CASE WHEN length(CAST(event_text AS BLOB)) <> length(event_text) THEN 'event' ELSE 'properties' END)
                || ': the file is not UTF-8 and was read as GB18030 (GBK), which its header (all ASCII) cannot confirm: '
                || 'save it as "CSV UTF-8" in Excel and import that'
       END AS problem
FROM flags LIMIT -1 OFFSET 0
)
-- growthops' own calendar reads every time once more: a time it could not
-- read would stop the import here, with its message.
SELECT *, CASE WHEN problem IS NULL THEN period_key(ts, 'day') END AS day FROM checked;

SELECT 1 FROM (SELECT (
  SELECT printf('%s row %d column %s', a.file, v.row, v.problem)
  FROM temp.import_event_values v, temp.import_args a
  WHERE v.problem IS NOT NULL ORDER BY v.row LIMIT 1) AS m) WHERE raise_error(m);
