-- o2o-daily.sql: the O2O service's own daily report, one row a day.
-- Read by growthops-import (see wechat-users.sql).
INSERT INTO temp.import_fields VALUES
  (0, 'date', NULL, 'date'),
  (1, 'visitors', 'o2o_visitors', 'number'),
  (2, 'new_registrations', 'o2o_new_registrations', 'number'),
  (3, 'registered', 'o2o_registered', 'number'),
  (4, 'active_users', 'o2o_active_users', 'number'),
  (5, 'orders', 'o2o_orders', 'number'),
  (6, 'gmv', 'o2o_gmv', 'number');
INSERT INTO temp.import_rows VALUES ('day');
