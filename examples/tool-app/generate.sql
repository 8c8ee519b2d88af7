-- generate.sql: three and a half months of made-up but deterministic data
-- for the tool-app example, 1 March to 15 June 2025, written as the
-- exports the team has:
--   wechat-users.csv     the subscription account's user analysis (用户分析,
--                        with a BOM, as Excel saves it)
--   wechat-articles.csv  its article analysis per day (图文分析)
--   weibo-posts.csv      the Weibo account's post list
--   weibo-followers.csv  the Weibo account's followers by day (the data
--                        centre's numbers, one column per metric code)
--   app-daily.csv        the app's own daily report (installs, new and
--                        total registered users, daily active users)
--   events.csv           the app's event log for 3,000 of its new users
--                        (install, register, use), for the events table
-- Run in the directory the files go to:  sqlite3 :memory: < generate.sql
-- The same numbers every run: the noise is a hash of the day and a salt.
--
-- What the numbers do, against the plan (campaign.sql):
--   WeChat   500 subscribers the first month, then about 25 a day: ahead
--            in March and April, behind in May, about on plan in June;
--   Weibo    12,950 followers on 28 February, 14,000 on 31 March, then
--            12,000 more in April and May (about 26,000 on 31 May), not
--            quite the summer's pace in June; posts 2 a day in March, 75 in
--            April, 102 in May (+36%), reposts about doubling and comments
--            +64% from April to May;
--   the app  registrations behind plan in March, ahead in April, on plan
--            in May, behind in June; the daily active rate drifting from
--            about 34% to 26% as the base grows, some days under 30%.
.bail on
CREATE TABLE noise(i INTEGER, k INTEGER, n REAL, PRIMARY KEY (i, k));
WITH RECURSIVE i(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM i WHERE i < 122),
               k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 15)
-- (each a multiplicative hash mixed twice by x xor (x >> 15): a hash of i
-- alone would step through its values in a pattern a chart shows)
INSERT INTO noise
SELECT i, k, (((y | (y >> 15)) - (y & (y >> 15))) * 2246822519 % 4294967296) / 4294967296.0
FROM (SELECT i, k, ((x | (x >> 15)) - (x & (x >> 15))) * 73244475 % 4294967296 AS y
      FROM (SELECT i, k, (i * 7919 + k * 104729 + 54321) * 2654435761 % 4294967296 AS x FROM i, k));

-- The days, i = 0 (1 March) to 106 (15 June), with each account's planned
-- daily gain and the month's performance against it.
CREATE TABLE d AS
WITH RECURSIVE days(i, day) AS (
  SELECT 0, '2025-03-01' UNION ALL SELECT i + 1, date(day, '+1 day') FROM days WHERE day < '2025-06-15')
SELECT i, day, substr(day, 6, 2) AS month,
       CASE WHEN day <= '2025-03-31' THEN 500.0 / 31 ELSE 2300.0 / 91 END AS wx_plan,
       CASE substr(day, 6, 2) WHEN '03' THEN 1.04 WHEN '04' THEN 1.03 WHEN '05' THEN 0.93 ELSE 1.0 END AS wx_perf,
       CASE WHEN day <= '2025-04-30' THEN 6000.0 / 61
            WHEN day <= '2025-05-31' THEN (6000 * sqrt(2.5) - 6000) / 31 ELSE (15000 - 6000 * sqrt(2.5)) / 30 END AS app_plan,
       CASE substr(day, 6, 2) WHEN '03' THEN 0.88 WHEN '04' THEN 1.09 WHEN '05' THEN 1.0 ELSE 0.92 END AS app_perf
FROM days;

-- WeChat: new follows by the plan, a few unfollows, the cumulative count.
CREATE TABLE u AS
SELECT i, day, new, unf, new - unf AS net, sum(new - unf) OVER (ORDER BY i) AS cum
FROM (SELECT i, day, new, CAST(round(new * (0.03 + 0.05 * (SELECT n FROM noise WHERE noise.i = x.i AND k = 1))) AS INTEGER) AS unf
      FROM (SELECT i, day, CAST(round(wx_plan * wx_perf * (0.8 + 0.4 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 0)) * 1.055) AS INTEGER) AS new
            FROM d) x);

-- One article a day, delivered to yesterday's subscribers.
CREATE TABLE a AS
SELECT i, day, delivered, reads,
       CAST(round(reads * 1.3) AS INTEGER) AS read_times,
       CAST(round(reads * (0.10 + 0.05 * n3)) AS INTEGER) AS original_reads,
       CAST(round(reads * (0.10 + 0.05 * n3) * 1.1) AS INTEGER) AS original_read_times,
       CAST(round(reads * (0.04 + 0.04 * n4)) AS INTEGER) AS shares,
       CAST(round(reads * (0.04 + 0.04 * n4) * 1.2) AS INTEGER) AS share_times,
       CAST(round(reads * 0.03) AS INTEGER) AS favourites
FROM (SELECT u.i, u.day, delivered,
             CAST(round(delivered * (0.12 + 0.08 * (SELECT n FROM noise WHERE noise.i = u.i AND k = 2))) AS INTEGER) AS reads,
             (SELECT n FROM noise WHERE noise.i = u.i AND k = 3) AS n3,
             (SELECT n FROM noise WHERE noise.i = u.i AND k = 4) AS n4
      FROM (SELECT i, day, CAST(round(coalesce(lag(cum) OVER (ORDER BY i), 0) * 0.98) AS INTEGER) AS delivered FROM u) u);

-- Weibo followers: each period's gain spread over its days by a noisy
-- weight, in whole followers that add up to it (March 1,050, April and May
-- 12,000, 1 to 15 June 1,800).
CREATE TABLE wf AS
SELECT i, day, net, unf, net + unf AS new, 12950 + sum(net) OVER (ORDER BY i) AS cum
FROM (SELECT i, day, net, CAST(round(net * 0.05 + 4 * (SELECT n FROM noise WHERE noise.i = x.i AND k = 6)) AS INTEGER) AS unf
      FROM (SELECT i, day,
                   CAST(round(total * sum(w) OVER (PARTITION BY part ORDER BY i) / sum(w) OVER (PARTITION BY part)) AS INTEGER)
                   - coalesce(CAST(round(total * (sum(w) OVER (PARTITION BY part ORDER BY i) - w) / sum(w) OVER (PARTITION BY part)) AS INTEGER), 0) AS net
            FROM (SELECT i, day, 0.6 + 0.8 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 5) AS w,
                         CASE WHEN day <= '2025-03-31' THEN 1 WHEN day <= '2025-05-31' THEN 2 ELSE 3 END AS part,
                         CASE WHEN day <= '2025-03-31' THEN 1050 WHEN day <= '2025-05-31' THEN 12000 ELSE 1800 END AS total
                  FROM d)) x);

-- Weibo posts: 2 a day in March; in April 2 and 3 on alternate days (75);
-- in May 3 a day and a fourth on days 3, 6, 9 ... 27 (102, +36%); 3 a day
-- in June.  Reposts and comments per post rise from April to May so that
-- the month's reposts about double and its comments rise by about 64%.
CREATE TABLE w AS
SELECT d.i, d.day || ' ' || t.at AS posted, t.slot,
       CAST(round((8 + 16 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 7 + t.slot)) * CASE d.month WHEN '03' THEN 0.9 WHEN '04' THEN 1.0 WHEN '05' THEN 1.485 ELSE 1.5 END) AS INTEGER) AS reposts,
       CAST(round((4 + 8 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 8 + t.slot)) * CASE d.month WHEN '03' THEN 0.9 WHEN '04' THEN 1.0 WHEN '05' THEN 1.229 ELSE 1.2 END) AS INTEGER) AS comments,
       CAST(round((20 + 50 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 9 + t.slot)) * (1 + d.i / 80.0)) AS INTEGER) AS likes
FROM d, (SELECT 0 AS slot, '08:30' AS at UNION ALL SELECT 1, '12:15' UNION ALL SELECT 2, '18:40' UNION ALL SELECT 3, '21:30') t
WHERE t.slot < 2
   OR (t.slot = 2 AND (d.month IN ('05', '06') OR (d.month = '04' AND CAST(substr(d.day, 9, 2) AS INTEGER) % 2 = 1)))
   OR (t.slot = 3 AND d.month = '05' AND CAST(substr(d.day, 9, 2) AS INTEGER) % 3 = 0 AND substr(d.day, 9, 2) <= '27');

-- The app: registrations by the plan, installs ahead of them, the daily
-- active users a share of the registered (drifting down as the base grows).
CREATE TABLE app AS
SELECT i, day, installs, regs, registered,
       CAST(round(registered * (0.345 - 0.0008 * i + 0.08 * ((SELECT n FROM noise WHERE noise.i = r.i AND k = 12) - 0.5))) AS INTEGER) AS active
FROM (SELECT i, day, regs, sum(regs) OVER (ORDER BY i) AS registered,
             CAST(round(regs / (0.55 + 0.15 * (SELECT n FROM noise WHERE noise.i = x.i AND k = 11))) AS INTEGER) AS installs
      FROM (SELECT i, day, CAST(round(app_plan * app_perf * (0.8 + 0.4 * (SELECT n FROM noise WHERE noise.i = d.i AND k = 10))) AS INTEGER) AS regs
            FROM d) x) r;

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
SELECT posted AS 发布时间, printf('word of the day %s, post %d', substr(posted, 1, 10), slot + 1) AS 微博内容,
       reposts AS 转发数, comments AS 评论数, likes AS 点赞数
FROM w ORDER BY i, slot;
.once weibo-followers.csv
SELECT day AS 日期, new AS wb_new_followers, unf AS wb_unfollows, net AS wb_net_followers, cum AS wb_followers
FROM wf ORDER BY i;
.once app-daily.csv
SELECT day AS date, installs AS app_installs, regs AS app_new_registrations, registered AS app_registered,
       active AS app_active_users
FROM app ORDER BY i;

-- The app's event log (events.csv: user_id, ts, event) for 3,000 of its new
-- users, in local (Beijing) time: each installs (more of them later, as the
-- app grows); 62% register, most within the hour, the rest one to five
-- days later (so some fall outside a 3-day window); 80% of those use a
-- word list within a day of registering; then some come back to use it
-- week after week, fewer as the weeks go by.
-- h(u, w): a hash of the user and the week (week 0 for the user's own
-- draws); r(x, m) = (x * m % 2^32) / 2^32 gives several draws from one hash.
CREATE TABLE eh AS
WITH RECURSIVE n(u) AS (SELECT 1 UNION ALL SELECT u + 1 FROM n WHERE u < 3000),
               w(w) AS (SELECT 0 UNION ALL SELECT w + 1 FROM w WHERE w < 15)
SELECT u, w, ((x | (x >> 15)) - (x & (x >> 15))) * 73244475 % 4294967296 AS x
FROM (SELECT u, w, (u * 7919 + w * 104729 + 67890) * 2654435761 % 4294967296 AS x FROM n, w);

CREATE TABLE eu AS
SELECT u, f, t0, t_reg, t_reg IS NOT NULL AND r6 < 0.8 AS used,
       datetime(t_reg, printf('+%d seconds', 120 + CAST(r7 * 86000 AS INTEGER))) AS t_use,
       CASE WHEN t_reg IS NOT NULL THEN 0.35 + 0.45 * r8 ELSE 0 END AS loyalty
FROM (
  SELECT *, CASE WHEN r3 < 0.62 THEN datetime(t0, printf('+%d seconds',
              CASE WHEN r4 < 0.75 THEN 60 + CAST(r5 * 3000 AS INTEGER) ELSE 86400 * (1 + CAST(r5 * 5 AS INTEGER)) END)) END AS t_reg
  FROM (
    SELECT u, f, r3, r4, r5, r6, r7, r8,
           datetime('2025-03-01', printf('+%d days', f), printf('+%d seconds', 25200 + CAST(r2 * 57600 AS INTEGER))) AS t0
    FROM (
      SELECT u, CAST(106.999 * max(x * 1103515245 % 4294967296, x * 668265263 % 4294967296) / 4294967296.0 AS INTEGER) AS f,
             (x * 374761393 % 4294967296) / 4294967296.0 AS r2, (x * 1664525 % 4294967296) / 4294967296.0 AS r3,
             (x * 22695477 % 4294967296) / 4294967296.0 AS r4, (x * 134775813 % 4294967296) / 4294967296.0 AS r5,
             (x * 214013 % 4294967296) / 4294967296.0 AS r6, (x * 16807 % 4294967296) / 4294967296.0 AS r7,
             (x * 48271 % 4294967296) / 4294967296.0 AS r8
      FROM eh WHERE w = 0)));

CREATE TABLE ev AS
WITH back AS (
  SELECT eu.u, datetime('2025-03-01', printf('+%d days', eu.f + 7 * eh.w - 3 + CAST(s1 * 6 AS INTEGER)),
                        printf('+%d seconds', 25200 + CAST(s2 * 57600 AS INTEGER))) AS t, eu.t_reg
  FROM eu JOIN (SELECT u, w, (x * 1103515245 % 4294967296) / 4294967296.0 AS s0, (x * 668265263 % 4294967296) / 4294967296.0 AS s1,
                       (x * 374761393 % 4294967296) / 4294967296.0 AS s2
                FROM eh WHERE w > 0) eh ON eh.u = eu.u
  WHERE s0 < eu.loyalty * (1 - eh.w / 12.0))
SELECT * FROM (
  SELECT u AS user_id, t0 AS ts, 'install' AS event FROM eu
  UNION ALL SELECT u, t_reg, 'register' FROM eu WHERE t_reg IS NOT NULL
  UNION ALL SELECT u, t_use, 'use' FROM eu WHERE used
  UNION ALL SELECT u, t, 'use' FROM back WHERE t > t_reg)
WHERE ts < '2025-06-16';
.once events.csv
SELECT user_id, ts, event FROM ev ORDER BY user_id, ts, event;
