-- wechat-api.sql: what both data API kinds check first (wechat-api-users.sql
-- and wechat-api-articles.sql read it): the file holds one answer of the
-- WeChat data API (数据统计接口), a JSON object with a list of items, read
-- with SQLite's own JSON functions.  An answer that is an error
-- ({"errcode": 61501, "errmsg": "..."}) is refused with its code, and
-- an answer the other kind imports is refused, naming that kind.
SELECT 1 FROM (SELECT (
  SELECT CASE
    WHEN NOT json_valid(j.doc) THEN
      printf('%s: not JSON (a data API answer is a JSON object such as {"list": [...]})', a.file)
    WHEN json_type(j.doc) <> 'object' THEN
      printf('%s: not a data API answer (a JSON object such as {"list": [...]}), but a JSON %s', a.file, json_type(j.doc))
    WHEN json_extract(j.doc, '$.errcode') IS NOT NULL AND json_extract(j.doc, '$.errcode') <> 0 THEN
      printf('%s: the data API answered with an error: errcode %s (%s); nothing to import', a.file,
             json_extract(j.doc, '$.errcode'), ifnull(json_extract(j.doc, '$.errmsg'), 'no errmsg'))
    WHEN json_type(j.doc, '$.list') IS NOT 'array' THEN
      printf('%s: no list in the answer (a data API answer is a JSON object such as {"list": [...]})', a.file)
  END
  FROM temp.import_json j, temp.import_args a) AS m) WHERE raise_error(m);

-- Which answer it is, by the fields of its first item, and which kind
-- imports it.
CREATE TEMP TABLE import_api_answers(answer TEXT PRIMARY KEY, kind TEXT, fields TEXT);
INSERT INTO temp.import_api_answers VALUES
  ('getusersummary', 'wechat-api-users', 'ref_date, new_user, cancel_user'),
  ('getusercumulate', 'wechat-api-users', 'ref_date, cumulate_user'),
  ('getarticlesummary', 'wechat-api-articles', 'ref_date, msgid, int_page_read_user, ...'),
  ('getuserread', 'wechat-api-articles', 'ref_date, int_page_read_user, ...');
CREATE TEMP TABLE import_api(answer TEXT);
INSERT INTO temp.import_api
SELECT CASE WHEN json_type(first, '$.new_user') IS NOT NULL OR json_type(first, '$.cancel_user') IS NOT NULL THEN 'getusersummary'
            WHEN json_type(first, '$.cumulate_user') IS NOT NULL THEN 'getusercumulate'
            WHEN json_type(first, '$.int_page_read_user') IS NOT NULL AND json_type(first, '$.msgid') IS NOT NULL THEN 'getarticlesummary'
            WHEN json_type(first, '$.int_page_read_user') IS NOT NULL THEN 'getuserread'
       END
FROM (SELECT json_extract(doc, '$.list[0]') AS first FROM temp.import_json);

SELECT 1 FROM (SELECT (
  SELECT printf('%s item 1: not an answer of %s%s', a.file,
                (SELECT group_concat(answer || ' (' || fields || ')', ' or ') FROM temp.import_api_answers WHERE kind = a.kind),
                coalesce(' but of ' || d.answer || ': import it with ' || d.kind, ''))
  FROM temp.import_api p LEFT JOIN temp.import_api_answers d ON d.answer = p.answer, temp.import_args a
  WHERE d.kind IS NOT a.kind
    AND json_array_length((SELECT doc FROM temp.import_json), '$.list') > 0) AS m) WHERE raise_error(m);

-- Each item's fields as the text the import's checks read: a JSON number
-- as its digits, anything else as the JSON it is ("1,234" with its quotes,
-- true, {}), so that a string or a boolean is "not a number" in its own
-- field (json_extract() gives true as 1, and "1,234" as text the checks
-- would read as 1234).  The kinds take their number fields from here.
CREATE TEMP TABLE import_api_numbers AS
SELECT i.key + 1 AS item, e.key AS field,
       CASE e.type WHEN 'integer' THEN e.atom WHEN 'real' THEN e.atom WHEN 'null' THEN NULL
                   WHEN 'text' THEN json_quote(e.atom) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                   ELSE e.value END AS cell
FROM temp.import_json j, json_each(j.doc, '$.list') i, json_each(i.value) e
WHERE i.type = 'object';
CREATE UNIQUE INDEX temp.import_api_numbers_item ON import_api_numbers(item, field);

-- An answer gives each day once per source (getusersummary) or article
-- (getarticlesummary): an item given twice would be summed twice.
-- import_api_key names the field that, with ref_date, makes an item's key
-- (NULL: the day alone, which check.sql checks).
CREATE TEMP TABLE import_api_key(field TEXT);
INSERT INTO temp.import_api_key
SELECT CASE answer WHEN 'getusersummary' THEN 'user_source' WHEN 'getarticlesummary' THEN 'msgid' END FROM temp.import_api;
SELECT 1 FROM (SELECT (
  SELECT printf('%s item %d: ref_date %s and %s %s are already item %d (an answer gives each day once per %s)',
                a.file, p.key + 1, json_extract(p.value, '$.ref_date'), k.field,
                json_extract(p.value, '$.' || k.field), q.key + 1,
                CASE k.field WHEN 'msgid' THEN 'article' ELSE 'source' END)
  FROM temp.import_json j, json_each(j.doc, '$.list') p, json_each(j.doc, '$.list') q,
       temp.import_api_key k, temp.import_args a
  WHERE k.field IS NOT NULL AND q.key < p.key
    AND json_extract(q.value, '$.ref_date') IS json_extract(p.value, '$.ref_date')
    AND json_extract(q.value, '$.' || k.field) IS json_extract(p.value, '$.' || k.field)
  ORDER BY p.key, q.key LIMIT 1) AS m) WHERE raise_error(m);
