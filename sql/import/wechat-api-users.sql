-- wechat-api-users.sql: the WeChat data API's user answers, JSON as the
-- platform sends them (one file per call):
--   getusersummary   {"list": [{"ref_date": "2025-05-01", "user_source": 0,
--                    "new_user": 10, "cancel_user": 1}, ...]}: one item per
--                    day and source, summed per day into new follows,
--                    unfollows and net follows (new - cancelled)
--   getusercumulate  {"list": [{"ref_date": "2025-05-01", "cumulate_user": 1217}]}:
--                    cumulative followers, one item a day
-- Items are named by their place in the list (item 1 is the first).  Read
-- by growthops-import after wechat-api.sql.
INSERT INTO temp.import_fields
SELECT * FROM (VALUES (0, 'ref_date', NULL, 'date'), (1, 'new_user', 'wx_new_follows', 'number'),
                      (2, 'cancel_user', 'wx_unfollows', 'number'),
                      (3, 'new_user - cancel_user', 'wx_net_follows', 'number'))
WHERE (SELECT answer FROM temp.import_api) IS NOT 'getusercumulate'
UNION ALL
SELECT * FROM (VALUES (0, 'ref_date', NULL, 'date'), (1, 'cumulate_user', 'wx_followers', 'number'))
WHERE (SELECT answer FROM temp.import_api) = 'getusercumulate';
INSERT INTO temp.import_rows
SELECT CASE answer WHEN 'getusercumulate' THEN 'day' ELSE 'sum' END FROM temp.import_api;

CREATE TEMP TABLE import_data AS
SELECT i.key + 1 AS row, json_extract(i.value, '$.ref_date') AS f0,
       (SELECT n.cell FROM temp.import_api_numbers n
         WHERE n.item = i.key + 1 AND n.field = CASE WHEN p.answer = 'getusercumulate' THEN 'cumulate_user' ELSE 'new_user' END) AS f1,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'cancel_user') AS f2,
       CASE WHEN json_type(i.value, '$.new_user') IN ('integer', 'real') AND json_type(i.value, '$.cancel_user') IN ('integer', 'real')
            THEN json_extract(i.value, '$.new_user') - json_extract(i.value, '$.cancel_user') END AS f3
FROM temp.import_json j, json_each(j.doc, '$.list') i, temp.import_api p;
