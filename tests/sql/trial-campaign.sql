-- trial-campaign.sql: a campaign of a shape unlike the examples, planned
-- from an empty database (tests/sql/trial_campaign.test): a yoga studio's
-- paid membership, January to March 2026, from a WeChat service account
-- (the campaign's account) and a Douyin account (platform 'other', with
-- metrics of its own), whose new paid members are the north star.  Three
-- phases: the service account's followers 2,000 -> 4,000 -> 10,000,
-- linear, and the Douyin followers 5,000 -> 20,000 over the three months,
-- compound.  An events funnel (live -> shop -> trial -> paid) by channel
-- and a metrics funnel (views -> trials -> members); a Douyin operator who
-- joins on 10 February, an editor who leaves on 20 February and her
-- successor from 23 February; KPIs to roles and to the lead; budget lines
-- by month and one over the campaign; tasks and a problem of the last week.
-- As of Sunday 15 March 2026.
PRAGMA foreign_keys = ON;
INSERT INTO settings VALUES ('as_of', '2026-03-15');
INSERT INTO metrics(code, name_en, name_zh, kind, unit, direction, numerator, denominator, change_of, inflow, outflow, platform, source) VALUES
  ('dy_new_followers', 'Douyin new followers', '抖音新增粉丝', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'other', '新增粉丝数'),
  ('dy_unfollows', 'Douyin unfollows', '抖音取关', 'flow', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'other', '取关粉丝数'),
  ('dy_net_followers', 'Douyin net followers', '抖音净增粉丝', 'flow', 'people', 'higher', NULL, NULL, NULL, 'dy_new_followers', 'dy_unfollows', 'other', '净增粉丝数'),
  ('dy_followers', 'Douyin followers', '抖音粉丝数', 'level', 'people', 'higher', NULL, NULL, 'dy_net_followers', NULL, NULL, 'other', '粉丝总数'),
  ('dy_video_views', 'Douyin video views', '抖音视频播放量', 'flow', 'views', 'higher', NULL, NULL, NULL, NULL, NULL, 'other', '播放量'),
  ('mb_trials', 'membership trials started', '会员试用开通', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', NULL),
  ('mb_new_members', 'new paid members', '新增付费会员', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', NULL),
  ('mb_trial_conversion', 'trial to paid conversion', '试用转付费率', 'ratio', 'share', 'higher', 'mb_new_members', 'mb_trials', NULL, NULL, NULL, 'any', NULL);
INSERT INTO accounts(account_id, name, name_zh, platform) VALUES
  (1, 'Lotus Yoga service', '莲花瑜伽服务号', 'wechat_service'),
  (2, 'Lotus Yoga Douyin', '莲花瑜伽抖音号', 'other');
INSERT INTO campaigns(campaign_id, name_en, name_zh, account_id, north_star, starts, ends, north_star_account_id) VALUES
  (1, 'Lotus Yoga paid membership', '莲花瑜伽付费会员', 1, 'mb_new_members', '2026-01-01', '2026-03-31', 2);
INSERT INTO phases(phase_id, campaign_id, seq, name_en, name_zh, starts, ends, metric, start_value, target_value, method, department, account_id) VALUES
  (1, 1, 1, 'warm-up', '预热期', '2026-01-01', '2026-01-31', 'wx_followers', 2000, 4000, 'linear', 'content', NULL),
  (2, 1, 2, 'membership launch', '会员上线', '2026-02-01', '2026-03-31', 'wx_followers', 4000, 10000, 'linear', 'content', NULL),
  (3, 1, 3, 'Douyin push', '抖音推广', '2026-01-01', '2026-03-31', 'dy_followers', 5000, 20000, 'compound', 'video', 2);
INSERT INTO phase_goals(phase_id, metric, account_id, value, floor, kind, department) VALUES
  (3, 'mb_new_members', NULL, 1000, 600, 'outcome', 'video'),
  (3, 'mb_trial_conversion', NULL, 0.25, 0.15, 'outcome', 'video'),
  (3, 'dy_video_views', NULL, 450000, NULL, 'task', 'video');
INSERT INTO channels(channel_id, code, name_en, name_zh, account_id, inflow_metric) VALUES
  (1, 'douyin_live', 'Douyin live', '抖音直播', 2, 'dy_net_followers'),
  (2, 'wechat_menu', 'service account menu', '服务号菜单', 1, 'wx_net_follows'),
  (3, 'friends', 'member referrals', '会员推荐', 1, 'wx_net_follows');
-- the event log's channel, for the funnel's breakdown (the import leaves it to us)
ALTER TABLE events ADD COLUMN channel TEXT;
INSERT INTO funnels(funnel_id, campaign_id, name_en, name_zh, source, window_seconds, cohort_step, breakdown) VALUES
  (1, 1, 'live to member', '直播到会员', 'events', 7 * 86400, 3, 'channel');
INSERT INTO funnel_steps(funnel_id, step, event, name_en, name_zh) VALUES
  (1, 1, 'watch_live', 'watched a live', '看直播'),
  (1, 2, 'open_shop', 'opened the shop', '进店'),
  (1, 3, 'start_trial', 'started a trial', '开通试用'),
  (1, 4, 'pay_member', 'paid', '付费');
INSERT INTO funnels(funnel_id, campaign_id, name_en, name_zh, source, account_id) VALUES
  (2, 1, 'views to members', '播放到会员', 'metrics', 2);
INSERT INTO funnel_steps(funnel_id, step, metric) VALUES
  (2, 1, 'dy_video_views'), (2, 2, 'mb_trials'), (2, 3, 'mb_new_members');
INSERT INTO roles(role_id, campaign_id, code, title_en, title_zh, department, headcount, joins_on, monthly_cost, duties, requirements, lead_days) VALUES
  (1, 1, 'growth_lead', 'membership growth lead', '会员增长负责人', 'growth', 1, NULL, 20000,
   'Owns the paid members and both accounts'' targets; runs the Monday meeting.', 'Three years of membership or subscription growth.', 30),
  (2, 1, 'douyin_operator', 'Douyin operator', '抖音运营', 'video', 2, NULL, 10000,
   'Runs two lives a day and the short videos; converts viewers to trials and members.', 'One year of Douyin live operations.', 21),
  (3, 1, 'wechat_editor', 'service account editor', '服务号编辑', 'content', 1, NULL, 9000,
   'Writes the weekly push and the menu pages; brings 100 new followers a day.', 'A portfolio of WeChat articles.', 30);
INSERT INTO people(person_id, name, experience) VALUES
  (1, 'Wu Fang', 'experienced'), (2, 'Deng Hui', 'experienced'), (3, 'Song Jia', 'newcomer'),
  (4, 'Xu Ming', 'newcomer'), (5, 'Luo Yan', 'newcomer');
INSERT INTO assignments(person_id, role_id, starts, ends) VALUES
  (1, 1, '2026-01-01', NULL), (2, 2, '2026-01-01', NULL), (3, 2, '2026-02-10', NULL),
  (4, 3, '2026-01-01', '2026-02-20'), (5, 3, '2026-02-23', NULL);
INSERT INTO kpi_assignments(campaign_id, role_id, person_id, metric, grain, weight, curve, bonus_base) VALUES
  (1, 2, NULL, 'dy_net_followers', 'month', 0.5, '[[0,0],[1,1]]', 4000),
  (1, 2, NULL, 'mb_new_members', 'month', 0.5, '[[0,0],[1,1]]', 4000),
  (1, 3, NULL, 'wx_net_follows', 'month', 1.0, '[[0,0],[1,1]]', 3000),
  (1, NULL, 1, 'mb_new_members', 'month', 0.7, '[[0.5,0],[1,1],[1.5,1.5]]', 8000),
  (1, NULL, 1, 'mb_trial_conversion', 'month', 0.3, '[[0.5,0],[1,1],[1.5,1.5]]', 8000);
INSERT INTO budget_lines(campaign_id, phase_id, channel_id, category, item, planned, actual, month) VALUES
  (1, 3, 1, 'promotion', 'Douyin DOU+ boosts', 8000, 7500, '2026-01'),
  (1, 3, 1, 'promotion', 'Douyin DOU+ boosts', 12000, 13800, '2026-02'),
  (1, 3, 1, 'promotion', 'Douyin DOU+ boosts', 12000, 5000, '2026-03'),
  (1, 1, 2, 'prizes', 'free class vouchers', 3000, 2600, '2026-01'),
  (1, 2, 3, 'prizes', 'referral gift mats', 4000, 3900, '2026-02'),
  (1, 2, 3, 'prizes', 'referral gift mats', 4000, 1500, '2026-03');
INSERT INTO budget_lines(campaign_id, category, item, planned, actual) VALUES
  (1, 'tools', 'live streaming kit', 9000, 9000);
INSERT INTO tasks(campaign_id, person_id, title, assigned_on, metric, expected, due, coached_on, coaching, checked_on, result) VALUES
  (1, 3, 'two lives a day, 40 trials a day', '2026-03-09', 'mb_trials', 280, '2026-03-15', '2026-03-11', 'open with the trial offer', '2026-03-15', 280),
  (1, 5, 'menu page for the member offer', '2026-03-09', 'wx_net_follows', 700, '2026-03-13', NULL, NULL, NULL, NULL),
  (1, 2, 'DOU+ test on three videos', '2026-03-16', 'dy_net_followers', 2100, '2026-03-20', NULL, NULL, NULL, NULL);
INSERT INTO problems(campaign_id, department, day, text, owner, status) VALUES
  (1, 'video', '2026-03-12', 'trial to paid: 25% (10 of 40 a day), target 25%, but refunds on 3 of them', 3, 'open');
