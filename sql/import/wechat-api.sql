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
