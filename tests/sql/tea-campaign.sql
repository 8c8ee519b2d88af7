-- tea-campaign.sql: a campaign unlike the O2O example, for the toolkit's
-- tests (scripts.test, views.test, report.test), written into an empty
-- database made from schemas/growthops.sql.  Three accounts: a WeChat
-- subscription account, a Weibo account and a tool app, whose north star
-- is the daily active rate; a funnel over the app's events (install ->
-- register -> use) and one over its daily metrics (installs ->
-- registrations).  The numbers are chosen so that the tests can work them
-- by hand (see the comments beside each test).
PRAGMA foreign_keys = ON;
BEGIN;
-- as of Sunday 13 April 2025: last week is W15, 7 to 13 April
INSERT INTO settings VALUES ('as_of', '2025-04-13');

INSERT INTO accounts(account_id, name, name_zh, platform) VALUES
  (1, 'Tea notes', '茶事笔记', 'wechat_subscription'),
  (2, 'Tea notes Weibo', '茶事微博', 'weibo'),
  (3, 'Brew timer', '泡茶计时', 'app');

-- The north star is the app's daily active rate, on account 3.
INSERT INTO campaigns(campaign_id, name_en, name_zh, account_id, north_star, north_star_account_id, starts, ends)
VALUES (1, 'Tea season', '茶季推广', 1, 'app_active_rate', 3, '2025-01-01', '2025-06-30');

-- WeChat (the campaign's account): 500 subscribers the first month, then
-- 20 a day (500 + 20 x 150 days = 3,500 by 30 June); Weibo 3,000 ->
-- 20,000 by 30 June, the same growth every month (+37.2%); the app 0 ->
-- 9,100 registered users from 1 April, 100 a day.  Phases of the three
-- accounts overlap; those of one account do not.
INSERT INTO phases(phase_id, campaign_id, seq, name_en, name_zh, starts, ends, metric, start_value, target_value, method, department, account_id) VALUES
  (1, 1, 1, 'first subscribers', '首批订阅', '2025-01-01', '2025-01-31', 'wx_followers', 0, 500, 'linear', 'content', NULL),
  (2, 1, 2, 'steady inflow', '稳定增长', '2025-02-01', '2025-06-30', 'wx_followers', 500, 3500, 'linear', 'content', NULL),
  (3, 1, 3, 'Weibo growth', '微博增长', '2025-01-01', '2025-06-30', 'wb_followers', 3000, 20000, 'compound', 'pr', 2),
  (4, 1, 4, 'app launch', '应用上线', '2025-04-01', '2025-06-30', 'app_registered', 0, 9100, 'linear', 'product', 3);

-- The app's daily active rate 30%, floor 20% (on its phase's account); a
-- Weibo post a day (a task).
INSERT INTO phase_goals(phase_id, metric, account_id, value, floor, kind, department) VALUES
  (4, 'app_active_rate', NULL, 0.30, 0.20, 'outcome', 'product'),
  (3, 'wb_posts', NULL, 181, NULL, 'task', 'pr');

-- The funnels: the app's onboarding over its events, within 3 days of the
-- install (cohorts: those who register); installs -> registrations over
-- the app's daily numbers.
INSERT INTO funnels(funnel_id, campaign_id, name_en, name_zh, source, account_id, window_seconds, cohort_step) VALUES
  (1, 1, 'app onboarding', '应用新手漏斗', 'events', NULL, 259200, 2),
  (2, 1, 'installs to sign-ups', '安装到注册', 'metrics', 3, NULL, NULL);
INSERT INTO funnel_steps(funnel_id, step, metric, event, name_en, name_zh) VALUES
  (1, 1, NULL, 'install', 'installed', '安装'),
  (1, 2, NULL, 'register', 'registered', '注册'),
  (1, 3, NULL, 'use', 'used a timer', '使用'),
  (2, 1, 'app_installs', NULL, NULL, NULL),
  (2, 2, 'app_new_registrations', NULL, NULL, NULL);

-- 1 to 13 April (day n).  WeChat: 1,640 + 20n subscribers (1,900 on 13
-- April), 20 net new a day.  Weibo: 8,350 + 50n followers (9,000), 50 a
-- day, a post a day.  The app: 100n registered users, 100 new a day, 150
-- installs; daily active users 30% of the registered, but in W15 (n = 7 to
-- 13) 35%, 25%, 15%, 30%, 32%, 18%, 40%: 245, 200, 135, 300, 352, 216, 520.
WITH RECURSIVE d(n, day) AS (SELECT 1, '2025-04-01' UNION ALL SELECT n + 1, date(day, '+1 day') FROM d WHERE n < 13)
INSERT INTO metric_values(account_id, metric, day, value)
SELECT 1, 'wx_followers', day, 1640 + 20 * n FROM d UNION ALL
SELECT 1, 'wx_net_follows', day, 20 FROM d UNION ALL
SELECT 2, 'wb_followers', day, 8350 + 50 * n FROM d UNION ALL
SELECT 2, 'wb_net_followers', day, 50 FROM d UNION ALL
SELECT 2, 'wb_posts', day, 1 FROM d UNION ALL
SELECT 3, 'app_registered', day, 100 * n FROM d UNION ALL
SELECT 3, 'app_new_registrations', day, 100 FROM d UNION ALL
SELECT 3, 'app_installs', day, 150 FROM d UNION ALL
SELECT 3, 'app_active_users', day,
       CASE n WHEN 7 THEN 245 WHEN 8 THEN 200 WHEN 9 THEN 135 WHEN 10 THEN 300 WHEN 11 THEN 352
              WHEN 12 THEN 216 WHEN 13 THEN 520 ELSE 30 * n END FROM d;

-- The app's events.  In 3 days of the install: user 1 installs,
-- registers and uses it on 7 April (3 steps); user 2 registers 4 days after
-- installing (1); user 3 uses it with no install seen (0); user 4
-- registers the next day (2); user 5 does all three on 11 April (3);
-- user 6 installed on 31 March (W14), registered on 1 April and used it on
-- 8 April, 8 days later (2; in W15 only the use: 0).
INSERT INTO events(user_id, ts, event) VALUES
  (1, '2025-04-07 09:00:00', 'install'), (1, '2025-04-07 09:10:00', 'register'), (1, '2025-04-07 10:00:00', 'use'),
  (2, '2025-04-08 09:00:00', 'install'), (2, '2025-04-12 09:00:00', 'register'),
  (3, '2025-04-09 12:00:00', 'use'),
  (4, '2025-04-10 12:00:00', 'install'), (4, '2025-04-11 08:00:00', 'register'),
  (5, '2025-04-11 20:00:00', 'install'), (5, '2025-04-11 20:05:00', 'register'), (5, '2025-04-12 07:30:00', 'use'),
  (6, '2025-03-31 18:00:00', 'install'), (6, '2025-04-01 09:00:00', 'register'), (6, '2025-04-08 21:00:00', 'use');
COMMIT;
