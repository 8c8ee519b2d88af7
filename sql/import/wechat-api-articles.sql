-- wechat-api-articles.sql: the WeChat data API's article answers, JSON as
-- the platform sends them (one file per call):
--   getarticlesummary  one item per article and day ({"ref_date", "msgid",
--                      "title", "int_page_read_user", ...}): summed per day
--   getuserread        one item a day (with "user_source", one per source
--                      and 99999999 for all of them: only that one is read
--                      where it is there)
-- Both give, per day: article readers and reads (int_page_read_user,
-- int_page_read_count), original-page readers and reads (ori_page_...),
-- sharers and shares (share_user, share_count), favourites
-- (add_to_fav_user).  The API's answers have no delivered count (送达人数):
-- the backend's export (wechat-articles) does.  Readers summed over
-- articles count a person who read two articles twice; getuserread counts
-- the day's readers.  Read by growthops-import after wechat-api.sql.
INSERT INTO temp.import_fields VALUES
  (0, 'ref_date', NULL, 'date'),
  (1, 'int_page_read_user', 'wx_reads', 'number'),
  (2, 'int_page_read_count', 'wx_read_times', 'number'),
  (3, 'ori_page_read_user', 'wx_original_reads', 'number'),
  (4, 'ori_page_read_count', 'wx_original_read_times', 'number'),
  (5, 'share_user', 'wx_shares', 'number'),
  (6, 'share_count', 'wx_share_times', 'number'),
  (7, 'add_to_fav_user', 'wx_favourites', 'number');
INSERT INTO temp.import_rows
SELECT CASE answer WHEN 'getuserread' THEN 'day' ELSE 'sum' END FROM temp.import_api;

CREATE TEMP TABLE import_data AS
SELECT i.key + 1 AS row, json_extract(i.value, '$.ref_date') AS f0,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'int_page_read_user') AS f1,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'int_page_read_count') AS f2,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'ori_page_read_user') AS f3,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'ori_page_read_count') AS f4,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'share_user') AS f5,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'share_count') AS f6,
       (SELECT n.cell FROM temp.import_api_numbers n WHERE n.item = i.key + 1 AND n.field = 'add_to_fav_user') AS f7
FROM temp.import_json j, json_each(j.doc, '$.list') i, temp.import_api p
WHERE p.answer IS NOT 'getuserread'
   OR json_extract(i.value, '$.user_source') IS 99999999
   OR NOT EXISTS (SELECT 1 FROM json_each(j.doc, '$.list') t WHERE json_extract(t.value, '$.user_source') IS 99999999);
