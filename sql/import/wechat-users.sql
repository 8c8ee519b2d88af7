-- wechat-users.sql: the WeChat backend's user analysis (用户分析), one row a
-- day.  Read by growthops-import after ".import" has put the file in
-- temp.import_raw; check.sql and store.sql do the rest.
INSERT INTO temp.import_fields VALUES
  (0, '日期', NULL, 'date'),
  (1, '新关注人数', 'wx_new_follows', 'number'),
  (2, '取消关注人数', 'wx_unfollows', 'number'),
  (3, '净增关注人数', 'wx_net_follows', 'number'),
  (4, '累积关注人数', 'wx_followers', 'number');
INSERT INTO temp.import_rows VALUES ('day');
CREATE TEMP VIEW import_cells(row, pos, cell) AS
  SELECT rowid + 1, 0, [日期] FROM temp.import_raw UNION ALL
  SELECT rowid + 1, 1, [新关注人数] FROM temp.import_raw UNION ALL
  SELECT rowid + 1, 2, [取消关注人数] FROM temp.import_raw UNION ALL
  SELECT rowid + 1, 3, [净增关注人数] FROM temp.import_raw UNION ALL
  SELECT rowid + 1, 4, [累积关注人数] FROM temp.import_raw;
