-- begin.sql: what every import declares (growthops-import reads it before
-- the KIND's .sql, which fills these tables and defines import_cells):
--   import_fields  the export's columns: position, header, the metric it
--                  feeds (NULL for the date), type 'date', 'time' or 'number'
--   import_rows    'day' (one row a day: a day given twice is an error) or
--                  'post' (many rows a day, summed; each row also counts one
--                  wb_posts)
--   import_cells   a view, one row per cell: (row, pos, cell), row counting
--                  the header as 1
CREATE TEMP TABLE import_fields(pos INTEGER PRIMARY KEY, field TEXT, metric TEXT, type TEXT);
CREATE TEMP TABLE import_rows(per TEXT);
