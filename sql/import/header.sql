-- header.sql: the checks of every import before its cells (growthops-import
-- reads it after the KIND's .sql).  Each stops the import at its first
-- problem with raise_error(), naming the file's row (the header is row 1)
-- and column; nothing has been written yet.  The pattern
--   SELECT 1 FROM (SELECT (<the first problem's message, or NULL>) AS m) WHERE raise_error(m);
-- fails with the message, or returns no row when all is well.

-- 1. The header names every field the export must have (a field whose
-- type ends in ? may be left out), once.  After a
-- conversion from another encoding, a header that does not match means
-- the guess was wrong: the message says how to save the file instead.  A
-- header with invisible characters (a second byte-order mark, a zero-width
-- space) is shown as read, those characters escaped (header_seen).
SELECT 1 FROM (SELECT (
  SELECT printf('%s row %d: missing column %s (%s needs the columns %s)%s%s', a.file, a.header_row, f.field, a.kind,
                (SELECT group_concat(field, ', ') FROM (SELECT field FROM temp.import_fields ORDER BY pos)),
                CASE WHEN a.header_seen IS NOT NULL THEN
                  printf('; the header as read: %s (invisible characters shown as \uXXXX: delete them)', a.header_seen)
                ELSE '' END,
                CASE WHEN a.converted IS NOT NULL THEN
                  printf('; the file is not UTF-8 and was read as %s, which may be wrong: save it as "CSV UTF-8" in Excel and import that',
                         CASE WHEN a.converted LIKE '%UTF-16%' THEN 'UTF-16' ELSE 'GB18030 (GBK)' END)
                ELSE '' END)
  FROM temp.import_fields f, temp.import_args a
  WHERE a.header_row IS NOT NULL AND f.type NOT LIKE '%?' AND f.field NOT IN (SELECT name FROM temp.import_header)
  ORDER BY f.pos LIMIT 1) AS m) WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('%s row %d: column %s is there twice (columns %s and %s): keep one',
                a.file, a.header_row, h.name, h.letter, h2.letter)
  FROM temp.import_header h JOIN temp.import_header h2 ON h2.name = h.name AND h2.col > h.col, temp.import_args a
  WHERE h.name IN (SELECT field FROM temp.import_fields)
  ORDER BY h.col, h2.col LIMIT 1) AS m) WHERE raise_error(m);

-- 2. There are rows below it.
SELECT 1 FROM (SELECT (
  SELECT CASE WHEN header_row IS NULL THEN printf('%s: the answer''s list is empty (no days to import)', file)
              ELSE printf('%s row %d: no rows below the header', file, header_row + 1) END
  FROM temp.import_args
  WHERE NOT EXISTS (SELECT 1 FROM temp.import_data)) AS m) WHERE raise_error(m);

-- 3. The account exists (events may name none).
SELECT 1 FROM (SELECT (
  SELECT printf('%s: no account %s in the accounts table (add it first)', kind, quote(account))
  FROM temp.import_args a
  WHERE a.account IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.accounts WHERE CAST(account_id AS TEXT) = a.account OR name = a.account)) AS m)
WHERE raise_error(m);
-- and is one: a number that is one account's id and another's name is
-- refused, not taken as the id in silence.
SELECT 1 FROM (SELECT (
  SELECT printf('%s: account %s is ambiguous: the id of account %s and the name of account %d; give %s or %d instead',
                a.kind, quote(a.account), quote(i.name), n.account_id, quote(i.name), n.account_id)
  FROM temp.import_args a
  JOIN main.accounts i ON CAST(i.account_id AS TEXT) = a.account
  JOIN main.accounts n ON n.name = a.account AND n.account_id <> i.account_id
  ORDER BY n.account_id LIMIT 1) AS m)
WHERE raise_error(m);
