-- wechat-articles.sql: the WeChat backend's article analysis (图文分析) per
-- day, one row a day.  Read by growthops-import (see wechat-users.sql).
INSERT INTO temp.import_fields VALUES
  (0, '日期', NULL, 'date'),
  (1, '送达人数', 'wx_delivered', 'number'),
  (2, '图文页阅读人数', 'wx_reads', 'number'),
  (3, '图文页阅读次数', 'wx_read_times', 'number'),
  (4, '原文页阅读人数', 'wx_original_reads', 'number'),
  (5, '原文页阅读次数', 'wx_original_read_times', 'number'),
  (6, '分享转发人数', 'wx_shares', 'number'),
  (7, '分享转发次数', 'wx_share_times', 'number'),
  (8, '微信收藏人数', 'wx_favourites', 'number');
INSERT INTO temp.import_rows VALUES ('day');
