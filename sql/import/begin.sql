-- begin.sql: the temp tables every import declares (importer.py runs it
-- first, fills import_args and the file's header or JSON text, then runs
-- the KIND's .sql, which fills import_fields and import_rows):
--   import_args    the kind, the file's name, the account as given; the note
--                  when the file was converted from another encoding; the
--                  header's row; how a message names a cell (a printf
--                  pattern over file, row and field); the header as read,
--                  its invisible characters escaped, when it has any
--                  (header_seen, else NULL)
--   import_header  the file's header, column by column from 0, with the
--                  column's letter as Excel shows it (A, B, ... AA)
--   import_json    a data API answer, the whole JSON text
--   import_fields  the export's fields: position, header, the metric it
--                  feeds (NULL for the date), type 'date', 'time', 'number',
--                  'metric' (a metric code, in long files), or for events
--                  'user', 'instant', 'text'; a type ending in ? may be
--                  empty, or left out of the file: 'number?' (no value
--                  stored), 'json?' (an event's properties)
--   import_rows    'day' (one row a day: a day given twice is an error),
--                  'post' (many rows a day, summed; each row also counts one
--                  wb_posts), 'sum' (many rows a day, summed) or 'event' (a
--                  row is an event)
-- importer.py then puts the cells in import_data(row, f0, f1, ...), fi the
-- cell of field i, and makes the view import_cells(row, pos, cell) over it;
-- rows are numbered as the file numbers them (the header is row 1).
CREATE TEMP TABLE import_args(kind TEXT, file TEXT, account TEXT, converted TEXT, header_row INTEGER, place TEXT,
                               header_seen TEXT);
CREATE TEMP TABLE import_header(col INTEGER PRIMARY KEY, name TEXT, letter TEXT);
CREATE TEMP TABLE import_json(doc TEXT);
CREATE TEMP TABLE import_fields(pos INTEGER PRIMARY KEY, field TEXT, metric TEXT, type TEXT);
CREATE TEMP TABLE import_rows(per TEXT);
