-- generate.sql: six months of made-up but deterministic data for the O2O
-- example, 1 March to 31 August 2025, written as the exports people have:
--   wechat-users.csv     WeChat user analysis (with a BOM, as Excel saves it)
--   wechat-articles.csv  WeChat article analysis per day
--   weibo-posts.csv      the Weibo post list
--   o2o-daily.csv        the service's own daily numbers
--   events.csv           the service's event log for 4,000 of its users
--                        (visit, register, order), for the events table
-- Run in the directory the files go to:  sqlite3 :memory: < generate.sql
-- The same numbers every run: the noise is a hash of the day and a salt.
-- Follower growth runs ahead of plan in March and June, behind in April,
-- July and August; Saturdays (the weekly event, from April) bring more.
.bail on
CREATE TABLE noise(i INTEGER, k INTEGER, n REAL, PRIMARY KEY (i, k));
WITH RECURSIVE i(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM i WHERE i < 183),
               k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 15)
INSERT INTO noise
SELECT i, k, ((i * 7919 + k * 104729 + 12345) * 2654435761 % 4294967296) / 4294967296.0 FROM i, k;

CREATE TABLE d AS
WITH RECURSIVE days(i, day) AS (
  SELECT 0, '2025-03-01' UNION ALL SELECT i + 1, date(day, '+1 day') FROM days WHERE day < '2025-08-31')
SELECT i, day,
       CASE WHEN day <= '2025-03-30' THEN 1000.0 / 30
            WHEN day <= '2025-06-29' THEN 49000.0 / 91 ELSE 50000.0 / 92 END AS plan_gain,
       CASE substr(day, 6, 2) WHEN '03' THEN 1.06 WHEN '04' THEN 0.93 WHEN '05' THEN 1.02
                              WHEN '06' THEN 1.08 WHEN '07' THEN 0.96 ELSE 0.90 END AS perf,
       CASE WHEN day < '2025-04-05' THEN 1.0
            WHEN strftime('%w', day) = '6' THEN 1.6 ELSE 0.9 END AS dayf
FROM days;

CREATE TABLE u AS
SELECT i, day, new, unf, new - unf AS net, sum(new - unf) OVER (ORDER BY i) AS cum
FROM (
  SELECT i, day, new, CAST(round(new * (0.06 + 0.04 * (SELECT n FROM noise WHERE noise.i = x.i AND k = 1))) AS INTEGER) AS unf
  FROM (SELECT d.i, d.day,
               CAST(round(plan_gain * perf * dayf * (0.85 + 0.3 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 0)) * 1.087) AS INTEGER) AS new
        FROM d) x
);

CREATE TABLE a AS
SELECT i, day, delivered, reads,
       CAST(round(reads * 1.25) AS INTEGER) AS read_times,
       CAST(round(reads * (0.08 + 0.04 * n3)) AS INTEGER) AS original_reads,
       CAST(round(reads * (0.08 + 0.04 * n3) * 1.1) AS INTEGER) AS original_read_times,
       CAST(round(reads * (0.035 + 0.03 * n4)) AS INTEGER) AS shares,
       CAST(round(reads * (0.035 + 0.03 * n4) * 1.3) AS INTEGER) AS share_times,
       CAST(round(reads * 0.02) AS INTEGER) AS favourites
FROM (
  SELECT u.i, u.day, delivered,
         CAST(round(delivered * (0.115 + 0.06 * (SELECT n FROM noise WHERE noise.i = u.i AND k = 2))) AS INTEGER) AS reads,
         (SELECT n FROM noise WHERE noise.i = u.i AND k = 3) AS n3,
         (SELECT n FROM noise WHERE noise.i = u.i AND k = 4) AS n4
  FROM (SELECT i, day, CAST(round(coalesce(lag(cum) OVER (ORDER BY i), 0) * 0.97) AS INTEGER) AS delivered FROM u) u
);

CREATE TABLE o AS
SELECT i, day, visitors, regs, sum(regs) OVER (ORDER BY i) AS registered,
       CAST(round(sum(regs) OVER (ORDER BY i) * (0.10 + 0.06 * n8)) AS INTEGER) AS active,
       orders, round(orders * (38 + 14 * n10), 1) AS gmv
FROM (
  SELECT i, day, visitors,
         CAST(round(visitors * (0.08 + 0.05 * n7)) AS INTEGER) AS regs,
         CAST(round(visitors * (0.07 + 0.05 * n9)) AS INTEGER) AS orders, n8, n10
  FROM (
    SELECT u.i, u.day,
           CAST(round((u.cum * 0.05 + 40 + 30 * (SELECT n FROM noise WHERE noise.i = u.i AND k = 6))
                      * (CASE WHEN d.dayf > 1 THEN 1.3 ELSE 1 END)) AS INTEGER) AS visitors,
           (SELECT n FROM noise WHERE noise.i = u.i AND k = 7) AS n7,
           (SELECT n FROM noise WHERE noise.i = u.i AND k = 8) AS n8,
           (SELECT n FROM noise WHERE noise.i = u.i AND k = 9) AS n9,
           (SELECT n FROM noise WHERE noise.i = u.i AND k = 10) AS n10
    FROM u JOIN d ON d.i = u.i
  )
);

-- Weibo: three posts a day (two on some days), more reposts as it grows.
CREATE TABLE w AS
SELECT d.i, d.day || ' ' || t.at AS posted, t.slot,
       CAST(round((4 + 30 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 11 + t.slot)) * (1 + d.i / 45.0)) AS INTEGER) AS reposts,
       CAST(round((2 + 12 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 12 + t.slot)) * (1 + d.i / 60.0)) AS INTEGER) AS comments,
       CAST(round((10 + 60 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 13 + t.slot)) * (1 + d.i / 50.0)) AS INTEGER) AS likes
FROM d, (SELECT 0 AS slot, '09:30' AS at UNION ALL SELECT 1, '13:00' UNION ALL SELECT 2, '20:15') t
WHERE t.slot < 2 OR (SELECT n FROM noise WHERE noise.i = d.i AND k = 14) >= 0.2;

-- A BOM first, then plain comma-separated text (numbers and dates need no quotes).
.mode list
.separator ,
.headers off
.once wechat-users.csv
SELECT c1, c2, c3, c4, c5 FROM (
  SELECT -1 AS i, char(65279) || '日期' AS c1, '新关注人数' AS c2, '取消关注人数' AS c3, '净增关注人数' AS c4, '累积关注人数' AS c5
  UNION ALL SELECT i, day, new, unf, net, cum FROM u) ORDER BY i;
.mode csv
.headers on
.once wechat-articles.csv
SELECT day AS 日期, delivered AS 送达人数, reads AS 图文页阅读人数, read_times AS 图文页阅读次数,
       original_reads AS 原文页阅读人数, original_read_times AS 原文页阅读次数, shares AS 分享转发人数,
       share_times AS 分享转发次数, favourites AS 微信收藏人数
FROM a ORDER BY i;
.once weibo-posts.csv
SELECT posted AS 发布时间, printf('post %d of %s', slot + 1, substr(posted, 1, 10)) AS 微博内容,
       reposts AS 转发数, comments AS 评论数, likes AS 点赞数
FROM w ORDER BY i, slot;
.once o2o-daily.csv
SELECT day AS date, visitors, regs AS new_registrations, registered, active AS active_users, orders, gmv
FROM o ORDER BY i;

-- The service's own event log (events.csv: user_id, ts, event) for 4,000 of
-- its users, in local (Beijing) time: each comes first to visit, later in the
-- six months more often (the service grows); 45% register, most within the
-- hour, the rest within three days; 60% of those order within a week.  Then
-- some come back week after week (a visit, and for registered users often an
-- order): registered users more often, everyone less as the weeks go by, so
-- users go dormant and some come back (resurrect).
-- h(u, w): a hash of the user and the week (week 0 for the user's own draws);
-- r(x, m) = (x * m % 2^32) / 2^32 gives several draws from one hash.
CREATE TABLE eh AS
WITH RECURSIVE n(u) AS (SELECT 1 UNION ALL SELECT u + 1 FROM n WHERE u < 4000),
               w(w) AS (SELECT 0 UNION ALL SELECT w + 1 FROM w WHERE w < 26)
SELECT u, w, ((x | (x >> 15)) - (x & (x >> 15))) * 73244475 % 4294967296 AS x
FROM (SELECT u, w, (u * 7919 + w * 104729 + 12345) * 2654435761 % 4294967296 AS x FROM n, w);

CREATE TABLE eu AS
SELECT u, f, t0, reg, t_reg, t_reg IS NOT NULL AND r6 < 0.6 AS ordered,
       datetime(t_reg, printf('+%d seconds', 600 + CAST(r7 * 6.5 * 86400 AS INTEGER))) AS t_ord,
       CASE WHEN reg THEN 0.3 + 0.5 * r8 ELSE 0.25 * r8 END AS loyalty
FROM (
  SELECT *, CASE WHEN reg THEN datetime(t0, printf('+%d seconds',
              CASE WHEN r4 < 0.7 THEN 300 + CAST(r5 * 3000 AS INTEGER) ELSE 86400 * (1 + CAST(r5 * 3 AS INTEGER)) END)) END AS t_reg
  FROM (
    SELECT u, f, r3 < 0.45 AS reg, r4, r5, r6, r7, r8,
           datetime('2025-03-01', printf('+%d days', f), printf('+%d seconds', 28800 + CAST(r2 * 50400 AS INTEGER))) AS t0
    FROM (
      SELECT u, CAST(183.999 * max(x * 1103515245 % 4294967296, x * 668265263 % 4294967296) / 4294967296.0 AS INTEGER) AS f,
             (x * 374761393 % 4294967296) / 4294967296.0 AS r2, (x * 1664525 % 4294967296) / 4294967296.0 AS r3,
             (x * 22695477 % 4294967296) / 4294967296.0 AS r4, (x * 134775813 % 4294967296) / 4294967296.0 AS r5,
             (x * 214013 % 4294967296) / 4294967296.0 AS r6, (x * 16807 % 4294967296) / 4294967296.0 AS r7,
             (x * 48271 % 4294967296) / 4294967296.0 AS r8
      FROM eh WHERE w = 0)));

CREATE TABLE ev AS
WITH back AS (
  SELECT eu.u, eu.reg, eu.t_reg, s3,
         datetime('2025-03-01', printf('+%d days', eu.f + 7 * eh.w - 2 + CAST(s1 * 5 AS INTEGER)),
                  printf('+%d seconds', 28800 + CAST(s2 * 50400 AS INTEGER))) AS t
  FROM eu JOIN (SELECT u, w, (x * 1103515245 % 4294967296) / 4294967296.0 AS s0, (x * 668265263 % 4294967296) / 4294967296.0 AS s1,
                       (x * 374761393 % 4294967296) / 4294967296.0 AS s2, (x * 1664525 % 4294967296) / 4294967296.0 AS s3
                FROM eh WHERE w > 0) eh ON eh.u = eu.u
  WHERE s0 < eu.loyalty * (1 - eh.w / 16.0))
SELECT * FROM (
  SELECT u AS user_id, t0 AS ts, 'visit' AS event FROM eu
  UNION ALL SELECT u, t_reg, 'register' FROM eu WHERE reg
  UNION ALL SELECT u, t_ord, 'order' FROM eu WHERE ordered
  UNION ALL SELECT u, t, 'visit' FROM back
  UNION ALL SELECT u, datetime(t, printf('+%d seconds', 1200 + CAST(s3 * 20000 AS INTEGER) % 2400)), 'order'
  FROM back WHERE reg AND t > t_reg AND s3 < 0.45)
WHERE ts < '2025-09-01';
.once events.csv
SELECT user_id, ts, event FROM ev ORDER BY user_id, ts, event;
