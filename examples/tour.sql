-- tour.sql: what growthops offers, shown on the sqlite3 shell.
.mode box
SELECT growthops_version() AS version;
SELECT period_key('2025-03-01', 'week') AS week_key,
       period_start('2025-03-05', 'week') AS week_starts,
       period_end('2025-02-10', 'month') AS month_ends;
SELECT * FROM periods('2025-01-15', '2025-06-30', 'month');
-- Charts in the terminal: a week of orders as a line, and progress bars.
WITH daily(day, orders) AS (VALUES ('2025-03-03', 120), ('2025-03-04', 135),
  ('2025-03-05', 128), ('2025-03-06', NULL), ('2025-03-07', 160),
  ('2025-03-08', 210), ('2025-03-09', 190))
SELECT sparkline(orders) AS orders_this_week, min(orders) AS low, max(orders) AS high
FROM (SELECT * FROM daily ORDER BY day);
WITH channel(name, followers, target) AS (VALUES ('wechat', 3200, 4000),
  ('weibo', 1000, 4000), ('groups', 4400, 4000))
SELECT name, followers, target, bar(followers, target, 10) AS progress FROM channel;
