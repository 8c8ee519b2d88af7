-- campaign.sql: the method's O2O case as data: a local-services WeChat
-- service account, its campaign and phases, funnels, channels, weekly
-- events, team, KPIs and budget.  build.sh reads it into a database made from
-- schemas/growthops.sql and sql/views.sql (growthops loaded).
PRAGMA foreign_keys = ON;
BEGIN;

INSERT INTO settings VALUES ('as_of', '2025-08-31');

INSERT INTO accounts(account_id, name, name_zh, platform) VALUES
  (1, 'Xiamen life service account', '厦门生活服务号', 'wechat_service'),
  (2, 'Xiamen life Weibo', '厦门生活官方微博', 'weibo');

-- One north star: daily orders.
INSERT INTO campaigns(campaign_id, name_en, name_zh, account_id, north_star, starts, ends) VALUES
  (1, 'Xiamen O2O launch', '厦门本地生活服务号推广', 1, 'o2o_orders', '2025-03-01', '2025-09-29');

-- The three phases: 1,000 seed followers in 30 days, 50,000 in three
-- months, 100,000 in three more; a steady daily inflow in each (linear).
INSERT INTO phases(phase_id, campaign_id, seq, name_en, name_zh, starts, ends, metric, start_value, target_value, method, department) VALUES
  (1, 1, 1, 'seed users', '种子用户期', '2025-03-01', '2025-03-30', 'wx_followers', 0, 1000, 'linear', 'growth'),
  (2, 1, 2, 'initial users', '初始用户期', '2025-03-31', '2025-06-29', 'wx_followers', 1000, 50000, 'linear', 'growth'),
  (3, 1, 3, 'brand', '品牌期', '2025-06-30', '2025-09-29', 'wx_followers', 50000, 100000, 'linear', 'growth');

-- The phases' other goals, a little above what the team expects: orders
-- (the north star), registrations, order conversion with its 8% floor, the
-- article rates, and the Weibo account's posts (a task) and reposts.
INSERT INTO phase_goals(phase_id, metric, account_id, value, floor, kind, department) VALUES
  (1, 'o2o_orders', NULL, 250, NULL, 'outcome', 'sales'),
  (2, 'o2o_orders', NULL, 12500, 10000, 'outcome', 'sales'),
  (3, 'o2o_orders', NULL, 33000, 26400, 'outcome', 'sales'),
  (1, 'o2o_new_registrations', NULL, 300, NULL, 'outcome', 'growth'),
  (2, 'o2o_new_registrations', NULL, 13000, NULL, 'outcome', 'growth'),
  (3, 'o2o_new_registrations', NULL, 36000, NULL, 'outcome', 'growth'),
  (1, 'o2o_order_conversion', NULL, 0.10, 0.08, 'outcome', 'sales'),
  (2, 'o2o_order_conversion', NULL, 0.10, 0.08, 'outcome', 'sales'),
  (3, 'o2o_order_conversion', NULL, 0.10, 0.08, 'outcome', 'sales'),
  (2, 'wx_open_rate', NULL, 0.15, 0.10, 'outcome', 'content'),
  (3, 'wx_open_rate', NULL, 0.15, 0.10, 'outcome', 'content'),
  (2, 'wx_share_rate', NULL, 0.05, 0.03, 'outcome', 'content'),
  (3, 'wx_share_rate', NULL, 0.05, 0.03, 'outcome', 'content'),
  (1, 'wb_posts', 2, 90, NULL, 'task', 'pr'),
  (2, 'wb_posts', 2, 273, NULL, 'task', 'pr'),
  (3, 'wb_posts', 2, 276, NULL, 'task', 'pr'),
  (1, 'wb_reposts', 2, 2000, NULL, 'outcome', 'pr'),
  (2, 'wb_reposts', 2, 13000, NULL, 'outcome', 'pr'),
  (3, 'wb_reposts', 2, 22000, NULL, 'outcome', 'pr');

-- The funnels the reports show: visitors -> new registrations -> orders
-- over the daily report's numbers, and visit -> register -> order per user
-- over the event log, within 7 days of the visit (the weekly cohorts are
-- the users who register).
INSERT INTO funnels(funnel_id, campaign_id, name_en, name_zh, source, account_id, window_seconds, cohort_step) VALUES
  (1, 1, 'visitors to orders', '访问到下单', 'metrics', NULL, NULL, NULL),
  (2, 1, 'visit to order', '访问到下单(用户)', 'events', NULL, 7 * 86400, 2);
INSERT INTO funnel_steps(funnel_id, step, metric, event, name_en, name_zh) VALUES
  (1, 1, 'o2o_visitors', NULL, 'visitors', '访问用户'),
  (1, 2, 'o2o_new_registrations', NULL, 'new registrations', '新注册'),
  (1, 3, 'o2o_orders', NULL, 'orders', '订单'),
  (2, 1, NULL, 'visit', NULL, '访问'),
  (2, 2, NULL, 'register', NULL, '注册'),
  (2, 3, NULL, 'order', NULL, '下单');

INSERT INTO channels(channel_id, code, name_en, name_zh, account_id, daily_capacity, note) VALUES
  (1, 'referral', 'invitation game', '邀请有礼', NULL, NULL, 'register: 10-yuan coupon; referral: 10-yuan coupon'),
  (2, 'groups', 'WeChat groups', '微信群', NULL, NULL, '2 own groups of 500; later 500 local groups per account'),
  (3, 'secondary', 'secondary WeChat accounts', '微信小号', NULL, 500, '10 accounts x 50 friends a day, 3 accounts a person'),
  (4, 'weibo', 'Weibo', '微博导流', 2, NULL, 'from the Weibo account to the service account'),
  (5, 'events', 'weekly events', '每周活动', NULL, NULL, 'one event a week: coupons, gift packs, red packets'),
  (6, 'placements', 'local account placements', '本地公众号投放', NULL, NULL, 'a soft article from 3,000 yuan: monitor each'),
  (7, 'copromotion', 'co-promotion with local O2O apps', '本地O2O应用互推', NULL, NULL, NULL),
  (8, 'ground', 'ground promotion', '地推', NULL, NULL, 'malls, schools, communities'),
  (9, 'shows', 'trade shows', '行业展会', NULL, NULL, NULL),
  (10, 'pr', 'PR and media', '公关媒介', NULL, NULL, 'monthly press plan, new media contacts every week');

INSERT INTO phase_channels(phase_id, channel_id, main) VALUES
  (1, 1, 1), (1, 2, 1), (1, 10, 0),
  (2, 2, 1), (2, 3, 1), (2, 4, 1), (2, 5, 1), (2, 6, 0), (2, 10, 0),
  (3, 2, 0), (3, 3, 1), (3, 4, 0), (3, 5, 1), (3, 6, 0), (3, 7, 1), (3, 8, 1), (3, 9, 0), (3, 10, 0);

-- One event a week, on Saturdays, from the initial phase on.
INSERT INTO campaign_events(campaign_id, day, name_en, name_zh, channel_id, prize)
SELECT 1, first_day, printf('weekly event %d', row_number() OVER (ORDER BY first_day)),
       printf('第%d期周活动', row_number() OVER (ORDER BY first_day)), 5,
       CASE (row_number() OVER (ORDER BY first_day)) % 4
         WHEN 1 THEN 'coupons' WHEN 2 THEN 'gift packs' WHEN 3 THEN 'red packets'
         ELSE 'top up 100, get 20 free' END
FROM periods('2025-04-05', '2025-09-27', 'day') WHERE strftime('%w', first_day) = '6';

-- The job-description table: 1 + 1 + 2 + 1 + 1, each role in the
-- department its people report to on Fridays.  The specialists' workload:
-- 25,000 friends through secondary accounts in the initial phase, 150 a
-- person-day (3 accounts x 50), two weeks to full speed.
INSERT INTO roles(role_id, campaign_id, code, title_en, title_zh, department, headcount, joins_phase_id, monthly_cost, duties, requirements, lead_days, workload_units, units_per_person_day, ramp_days) VALUES
  (1, 1, 'promotion_manager', 'new-media promotion manager', '新媒体推广经理', 'growth', 1, 2, 15000,
   'Owns the follower target of the phase: tests the channels, moves budget to the one that takes off, runs the Monday meeting.',
   'Three years of WeChat or Weibo growth with numbers to show; has managed a small team and a budget.', 30, NULL, NULL, 0),
  (2, 1, 'copywriter', 'copywriter', '文案', 'content', 1, 2, 9000,
   'Writes the daily article, the event pages (H5) and the soft articles for placements; keeps the open rate at 15%.',
   'A portfolio of articles with their open and share rates; writes fast in a social tone.', 30, NULL, NULL, 0),
  (3, 1, 'operations_specialist', 'new-media operations specialist', '新媒体运营专员', 'growth', 2, 2, 8000,
   'Runs three secondary accounts each (50 new friends a day per account) and the local WeChat groups; posts the events.',
   'One year of community or WeChat operations; patient with users, keeps a daily log of numbers.', 21, 25000, 150, 14),
  (4, 1, 'channel_manager', 'channel manager (BD)', '渠道经理', 'sales', 1, 3, 14000,
   'Signs co-promotions with local O2O apps, malls, schools and communities; measures each partner by followers and orders.',
   'Two years of business development in local services; a network of local partners.', 45, NULL, NULL, 0),
  (5, 1, 'pr_manager', 'PR / media manager', '公关媒介经理', 'pr', 1, NULL, 12000,
   'Writes the monthly press plan, adds new media contacts every week, runs the Weibo account, reports reach, clicks, reads and likes.',
   'Three years of media relations; knows the local press and new-media accounts.', 30, NULL, NULL, 0);

INSERT INTO people(person_id, name, experience) VALUES
  (1, 'Chen Jing', 'experienced'), (2, 'Liu Yang', 'experienced'), (3, 'Zhou Min', 'newcomer'),
  (4, 'Wu Hao', 'newcomer'), (5, 'Sun Li', 'experienced'), (6, 'Zheng Kai', 'experienced');

-- Who holds which role from when: the second specialist joined two weeks
-- late, the channel manager two weeks into the brand phase.
INSERT INTO assignments(person_id, role_id, starts, ends) VALUES
  (1, 5, '2025-03-01', NULL), (2, 1, '2025-03-31', NULL), (3, 2, '2025-03-31', NULL),
  (4, 3, '2025-03-31', NULL), (5, 3, '2025-04-14', NULL), (6, 4, '2025-07-14', NULL);

-- KPIs per role, monthly.  Bonus base: the money at 100% payout a month.
-- Curves: '[[0,0],[1,1]]' pays in proportion to completion, capped at 100%;
-- the manager's pays nothing below 60% and up to 130% at 150%.
INSERT INTO kpi_assignments(campaign_id, role_id, metric, grain, weight, curve, bonus_base) VALUES
  (1, 1, 'wx_net_follows', 'month', 0.6, '[[0.6,0],[1,1],[1.5,1.3]]', 5000),
  (1, 1, 'o2o_orders', 'month', 0.4, '[[0.6,0],[1,1],[1.5,1.3]]', 5000),
  (1, 2, 'wx_open_rate', 'month', 0.5, '[[0.5,0],[1,1]]', 3000),
  (1, 2, 'wx_share_rate', 'month', 0.5, '[[0.5,0],[1,1]]', 3000),
  (1, 3, 'wx_net_follows', 'month', 0.7, '[[0,0],[1,1]]', 2500),
  (1, 3, 'o2o_new_registrations', 'month', 0.3, '[[0,0],[1,1]]', 2500),
  (1, 4, 'o2o_orders', 'month', 0.6, '[[0.5,0],[1,1],[1.5,1.2]]', 4000),
  (1, 4, 'o2o_new_registrations', 'month', 0.4, '[[0.5,0],[1,1]]', 4000),
  (1, 5, 'wb_posts', 'month', 0.4, '[[0,0],[1,1]]', 3000),
  (1, 5, 'wb_reposts', 'month', 0.6, '[[0,0],[1,1]]', 3000);

-- Tasks: assign with the result expected, coach, check.
INSERT INTO tasks(campaign_id, person_id, title, assigned_on, metric, expected, due, coached_on, coaching, checked_on, result) VALUES
  (1, 4, 'join 100 more local WeChat groups', '2025-08-04', 'wx_net_follows', 1500, '2025-08-10', '2025-08-06', 'introduce yourself before any link', '2025-08-11', 1320),
  (1, 2, 'mid-autumn event: page and prizes ready', '2025-08-25', 'wx_net_follows', 3000, '2025-09-07', NULL, NULL, NULL, NULL);

-- Problems noted in the last week of August, for the Friday summary.
INSERT INTO problems(campaign_id, department, day, text, owner, status) VALUES
  (1, 'growth', '2025-08-27', 'group invitations: 90 of 150 a day since Monday, two groups removed our secondary accounts', 4, 'in progress'),
  (1, 'content', '2025-08-29', 'open rate 13.7% this week against 15%: Tuesday''s and Thursday''s articles below 12%', 3, 'open');

-- The budget, line by line.  Salaries come from the team (v_staffing's
-- monthly cost, per phase); the rest by item.
INSERT INTO budget_lines(campaign_id, phase_id, channel_id, category, item, planned, actual) VALUES
  (1, 1, 1, 'prizes', 'register coupons, 10 yuan', 8000, 8600),
  (1, 1, 1, 'prizes', 'referral coupons, 10 yuan', 4000, 5200),
  (1, 1, 2, 'events', 'seed group games and red packets', 2000, 1700),
  (1, 2, 3, 'tools', '10 phones and SIM cards for secondary accounts', 12000, 11400),
  (1, 2, 4, 'promotion', 'Weibo promoted posts', 15000, 16800),
  (1, 2, 5, 'prizes', 'weekly event prizes, 13 weeks', 26000, 24500),
  (1, 2, 6, 'placements', 'soft articles on local accounts, 6 x 3,000', 18000, 18000),
  (1, 2, 2, 'prizes', 'group red packets', 6000, 7300),
  (1, 3, 5, 'prizes', 'weekly event prizes, 13 weeks', 26000, 18200),
  (1, 3, 6, 'placements', 'soft articles on local accounts, 4 x 3,000', 12000, 9000),
  (1, 3, 7, 'promotion', 'co-promotion coupons with local O2O apps', 20000, 11500),
  (1, 3, 8, 'promotion', 'ground promotion: malls, schools, communities', 30000, 26800),
  (1, 3, 9, 'events', 'trade show booth and materials', 15000, 14200),
  (1, NULL, 10, 'promotion', 'press releases and media gifts', 10000, 6100);

INSERT INTO budget_lines(campaign_id, phase_id, channel_id, category, item, planned, actual)
SELECT s.campaign_id, ph.phase_id, NULL, 'salaries', printf('%s x %d', s.title_en, s.heads),
       round(sum(s.cost * (julianday(min(s.last_day, ph.ends)) - julianday(max(s.first_day, ph.starts)) + 1)
                 / (julianday(s.last_day) - julianday(s.first_day) + 1))), 0
FROM v_staffing s JOIN phases ph ON ph.campaign_id = s.campaign_id
 AND ph.starts <= s.last_day AND ph.ends >= s.first_day
GROUP BY s.role_id, ph.phase_id;
-- Salaries paid so far: the days each person has worked in the phase, up
-- to 31 August, at the role's monthly cost (12 months in 365 days).
UPDATE budget_lines SET actual = coalesce((
  SELECT round(sum(max(0, julianday(min(ph.ends, '2025-08-31')) - julianday(max(ph.starts, a.starts)) + 1))
               * r.monthly_cost * 12 / 365)
  FROM roles r JOIN assignments a ON a.role_id = r.role_id JOIN phases ph ON ph.phase_id = budget_lines.phase_id
  WHERE budget_lines.item = printf('%s x %d', r.title_en, r.headcount)), 0)
WHERE category = 'salaries';
COMMIT;
