-- wechat-users.sql: the WeChat backend's user analysis (用户分析), one row a
-- day.  Read by growthops-import, whose importer.py puts the
-- cells of these fields in temp.import_data; check.sql and store.sql do the rest.
INSERT INTO temp.import_fields VALUES
  (0, '日期', NULL, 'date'),
  (1, '新关注人数', 'wx_new_follows', 'number'),
  (2, '取消关注人数', 'wx_unfollows', 'number'),
  (3, '净增关注人数', 'wx_net_follows', 'number'),
  (4, '累积关注人数', 'wx_followers', 'number');
INSERT INTO temp.import_rows VALUES ('day');
