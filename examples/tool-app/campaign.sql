-- campaign.sql: the tool-app example as data: a vocabulary app with a
-- WeChat subscription account and a Weibo account, its campaign and
-- phases on the three accounts, the goals, the app's funnel, the team
-- (joining in the middle of months), KPIs given to roles and to a person,
-- and a budget by month.  demo.sh reads it into a database made from
-- schemas/growthops.sql and sql/views.sql (growthops loaded); docs/toolkit.md
-- ("Planning from an empty database") walks through it step by step.
PRAGMA foreign_keys = ON;
BEGIN;

INSERT INTO settings VALUES ('as_of', '2025-06-15');

INSERT INTO accounts(account_id, name, name_zh, platform) VALUES
  (1, 'Daily Words notes', '每日单词笔记', 'wechat_subscription'),
  (2, 'Daily Words Weibo', '每日单词官方微博', 'weibo'),
  (3, 'Daily Words app', '每日单词App', 'app');

-- The north star of a tool app: its daily active rate, on the app (the
-- campaign's account).
INSERT INTO campaigns(campaign_id, name_en, name_zh, account_id, north_star, starts, ends) VALUES
  (1, 'Daily Words spring launch', '每日单词春季推广', 3, 'app_active_rate', '2025-03-01', '2025-06-30');

-- Each account's level and its path.  The subscription account: 500
-- subscribers the first month, then 2,300 in 91 days (25 a day: more than
-- 20).  Weibo: 14,000 followers on 31 March to 26,000 on 31 May, the same
-- growth each month (+36.3%), then 30,000 by 30 June.  The app: 6,000
-- registered users by 30 April, a steady inflow from the launch, then
-- 15,000 by 30 June, the same growth each month (+58.1%).  Phases of the
-- three accounts overlap; those of one account do not.
INSERT INTO phases(phase_id, campaign_id, seq, name_en, name_zh, starts, ends, metric, start_value, target_value, method, department, account_id) VALUES
  (1, 1, 1, 'first subscribers', '首批订阅', '2025-03-01', '2025-03-31', 'wx_followers', 0, 500, 'linear', 'content', 1),
  (2, 1, 2, 'steady inflow', '稳定涨粉', '2025-04-01', '2025-06-30', 'wx_followers', 500, 2800, 'linear', 'content', 1),
  (3, 1, 3, 'Weibo spring push', '微博春季推广', '2025-04-01', '2025-05-31', 'wb_followers', 14000, 26000, 'compound', 'pr', 2),
  (4, 1, 4, 'Weibo summer', '微博夏季', '2025-06-01', '2025-06-30', 'wb_followers', 26000, 30000, 'compound', 'pr', 2),
  (5, 1, 5, 'app launch', '应用上线', '2025-03-01', '2025-04-30', 'app_registered', 0, 6000, 'linear', 'product', NULL),
  (6, 1, 6, 'app growth', '应用增长', '2025-05-01', '2025-06-30', 'app_registered', 6000, 15000, 'compound', 'product', NULL);

-- The other goals: the daily active rate 30%, floor 20% (the north star);
-- the articles' open rate 15%, floor 10%; Weibo posts (a task) and the
-- average reposts a post, floor 12.
INSERT INTO phase_goals(phase_id, metric, account_id, value, floor, kind, department) VALUES
  (5, 'app_active_rate', NULL, 0.30, 0.20, 'outcome', 'product'),
  (6, 'app_active_rate', NULL, 0.30, 0.20, 'outcome', 'product'),
  (1, 'wx_open_rate', NULL, 0.15, 0.10, 'outcome', 'content'),
  (2, 'wx_open_rate', NULL, 0.15, 0.10, 'outcome', 'content'),
  (3, 'wb_posts', NULL, 170, NULL, 'task', 'pr'),
  (4, 'wb_posts', NULL, 90, NULL, 'task', 'pr'),
  (3, 'wb_avg_reposts', NULL, 18, 12, 'outcome', 'pr'),
  (4, 'wb_avg_reposts', NULL, 22, 15, 'outcome', 'pr');

-- The app's funnel over its event log: install -> register -> use a word
-- list, within 3 days of the install; the weekly cohorts are those who
-- register.
INSERT INTO funnels(funnel_id, campaign_id, name_en, name_zh, source, window_seconds, cohort_step) VALUES
  (1, 1, 'app onboarding', '新用户上手', 'events', 3 * 86400, 2);
INSERT INTO funnel_steps(funnel_id, step, event, name_en, name_zh) VALUES
  (1, 1, 'install', 'installed', '安装'),
  (1, 2, 'register', 'registered', '注册'),
  (1, 3, 'use', 'used a word list', '使用词表');

-- The team: the lead and the editor from the start, the Weibo operator
-- from 17 March, two app growth specialists from 14 April (the second
-- joins on 19 May).
INSERT INTO roles(role_id, campaign_id, code, title_en, title_zh, department, headcount, joins_on, monthly_cost, duties, requirements, lead_days) VALUES
  (1, 1, 'growth_lead', 'growth lead', '增长负责人', 'growth', 1, NULL, 16000,
   'Owns the daily active rate and the three accounts'' targets; runs the Monday meeting and moves budget to the channel that works.',
   'Three years of app or new-media growth with numbers to show; has run a budget.', 30),
  (2, 1, 'content_editor', 'subscription account editor', '公众号编辑', 'content', 1, NULL, 9000,
   'Writes the daily word article and the keyword replies; keeps the open rate at 15% and 25 new subscribers a day.',
   'A portfolio of articles with their open and share rates; good English.', 30),
  (3, 1, 'weibo_operator', 'Weibo operator', '微博运营', 'pr', 1, '2025-03-17', 9000,
   'Posts three times a day, answers comments, runs the promoted posts; reports followers, reposts and comments each week.',
   'One year of Weibo operations; writes short and fast.', 21),
  (4, 1, 'app_growth', 'app growth specialist', '应用增长专员', 'product', 2, '2025-04-14', 8500,
   'Runs the app store ads and the onboarding tests; follows installs, registrations and the daily active rate every day.',
   'One year of app marketing or user operations; at home with an event log.', 30);

INSERT INTO people(person_id, name, experience) VALUES
  (1, 'Zhao Lei', 'experienced'), (2, 'Lin Xia', 'newcomer'), (3, 'He Jun', 'experienced'),
  (4, 'Ma Li', 'newcomer'), (5, 'Qian Yu', 'newcomer');
INSERT INTO assignments(person_id, role_id, starts, ends) VALUES
  (1, 1, '2025-03-01', NULL), (2, 2, '2025-03-01', NULL), (3, 3, '2025-03-17', NULL),
  (4, 4, '2025-04-14', NULL), (5, 4, '2025-05-19', NULL);

-- KPIs, monthly, pay in proportion to completion ('[[0,0],[1,1]]': capped
-- at 100%), the lead's nothing below 60% and up to 130% at 150%.  Given to
-- a role (everyone in it) or to a person (the lead).
INSERT INTO kpi_assignments(campaign_id, role_id, person_id, metric, grain, weight, curve, bonus_base) VALUES
  (1, 2, NULL, 'wx_net_follows', 'month', 0.6, '[[0,0],[1,1]]', 3000),
  (1, 2, NULL, 'wx_open_rate', 'month', 0.4, '[[0,0],[1,1]]', 3000),
  (1, 3, NULL, 'wb_net_followers', 'month', 0.6, '[[0,0],[1,1]]', 3000),
  (1, 3, NULL, 'wb_avg_reposts', 'month', 0.4, '[[0,0],[1,1]]', 3000),
  (1, 4, NULL, 'app_new_registrations', 'month', 0.5, '[[0,0],[1,1]]', 2500),
  (1, 4, NULL, 'app_active_rate', 'month', 0.5, '[[0,0],[1,1]]', 2500),
  (1, NULL, 1, 'app_active_rate', 'month', 0.6, '[[0.6,0],[1,1],[1.5,1.3]]', 6000),
  (1, NULL, 1, 'app_new_registrations', 'month', 0.4, '[[0.6,0],[1,1],[1.5,1.3]]', 6000);

-- The budget by month: app store ads, Weibo's promoted posts, the
-- subscription account's giveaway, a content licence for the whole
-- campaign (spread over its months by calendar days), and the team's
-- salaries month by month from the roles (v_staffing), paid at each
-- month's end for the days each person held the job.
INSERT INTO budget_lines(campaign_id, phase_id, category, item, planned, actual, month) VALUES
  (1, NULL, 'promotion', 'app store search ads', 10000, 9400, '2025-03'),
  (1, NULL, 'promotion', 'app store search ads', 12000, 12600, '2025-04'),
  (1, NULL, 'promotion', 'app store search ads', 15000, 14200, '2025-05'),
  (1, NULL, 'promotion', 'app store search ads', 15000, 7100, '2025-06'),
  (1, 3, 'promotion', 'Weibo promoted posts', 6000, 6000, '2025-04'),
  (1, 3, 'promotion', 'Weibo promoted posts', 6000, 6900, '2025-05'),
  (1, 4, 'promotion', 'Weibo promoted posts', 8000, 3500, '2025-06'),
  (1, NULL, 'prizes', 'subscriber giveaway: word cards', 2000, 1850, '2025-03'),
  (1, NULL, 'prizes', 'subscriber giveaway: word cards', 1000, 1000, '2025-04'),
  (1, NULL, 'prizes', 'subscriber giveaway: word cards', 1000, 1200, '2025-05'),
  (1, NULL, 'prizes', 'subscriber giveaway: word cards', 1000, 400, '2025-06');
INSERT INTO budget_lines(campaign_id, category, item, planned, actual) VALUES
  (1, 'tools', 'word-list content licence', 12000, 12000);
INSERT INTO budget_lines(campaign_id, category, item, planned, actual, month)
SELECT s.campaign_id, 'salaries', 'team salaries', round(sum(s.cost)),
       coalesce((SELECT round(sum(r.monthly_cost * (julianday(min(s.last_day, coalesce(a.ends, s.last_day)))
                                                    - julianday(max(period_start(s.last_day, 'month'), a.starts)) + 1)
                                  / (julianday(s.last_day) - julianday(period_start(s.last_day, 'month')) + 1)))
                 FROM assignments a JOIN roles r ON r.role_id = a.role_id
                 WHERE r.campaign_id = s.campaign_id AND a.starts <= s.last_day
                   AND (a.ends IS NULL OR a.ends >= period_start(s.last_day, 'month'))
                   AND s.last_day < (SELECT value FROM settings WHERE name = 'as_of')), 0),
       s.period
FROM v_staffing s GROUP BY s.campaign_id, s.period;

-- Tasks of the last weeks: assign with the result expected, coach, check.
INSERT INTO tasks(campaign_id, person_id, title, assigned_on, metric, expected, due, coached_on, coaching, checked_on, result) VALUES
  (1, 5, 'test two onboarding screens against the current one', '2025-06-02', 'app_new_registrations', 700, '2025-06-08', '2025-06-04', 'one change at a time, a week each', '2025-06-09', 655),
  (1, 3, 'a word-of-the-day series with a repost prize', '2025-06-09', 'wb_net_followers', 900, '2025-06-15', NULL, NULL, NULL, NULL),
  (1, 2, 'keyword replies for the 50 most searched words', '2025-06-09', 'wx_net_follows', 200, '2025-06-20', NULL, NULL, NULL, NULL);

-- A problem noted in the week of 9 June, for the Friday summary.
INSERT INTO problems(campaign_id, department, day, text, owner, status) VALUES
  (1, 'product', '2025-06-11', 'daily active rate 23.8% on 10 June against 30%: users who registered in May open the app less than one day in four', 4, 'open');
COMMIT;
