-- weibo-posts.sql: a Weibo post list, one row a post (发布时间 is the post's
-- time, '2025-04-01 12:30').  Stored per day: posts (the rows of the day),
-- and the day's reposts, comments and likes summed.  Export whole days: a
-- day in the file replaces that day's numbers.  Read by growthops-import.
INSERT INTO temp.import_fields VALUES
  (0, '发布时间', NULL, 'time'),
  (1, '转发数', 'wb_reposts', 'number'),
  (2, '评论数', 'wb_comments', 'number'),
  (3, '点赞数', 'wb_likes', 'number');
INSERT INTO temp.import_rows VALUES ('post');
