-- smoke.sql: what every client smoke test runs (tests/clients/*.test):
-- the calendar, the charts, a funnel and KPI queries.
-- One statement per line; lines starting with "--" are skipped.  Each
-- client prints every row as "N: v1|v2|..." (N = the statement's number
-- counting from 1, NULL as "NULL") and the output must equal
-- smoke.expected.  Results are text or integers only, so that no client's
-- way of printing reals matters.
SELECT length(growthops_version()) > 0;
SELECT key, days FROM periods('2025-01-15', '2025-03-31', 'month');
SELECT period_key('2025-03-01', 'week'), period_end('2024-02-10', 'month');
CREATE TABLE daily(day TEXT, orders INTEGER, visitors INTEGER);
INSERT INTO daily VALUES ('2025-03-03', 120, 1500), ('2025-03-04', 135, 1600), ('2025-03-05', 128, 1550), ('2025-03-06', NULL, 1400), ('2025-03-07', 160, 1800), ('2025-03-08', 210, 2300), ('2025-03-09', 190, 2100);
SELECT sparkline(orders), sum(orders), printf('%.4f', 1.0 * sum(orders) / sum(visitors)) FROM (SELECT * FROM daily ORDER BY day);
SELECT day, sparkline(orders) OVER (ORDER BY day ROWS 2 PRECEDING) FROM daily ORDER BY day LIMIT 3;
SELECT bar(3200, 4000, 10), bar(19, 80, 10), bar(1000, 4000, 10);
-- The funnel (docs/funnel.md): visit -> register -> order within a day.
CREATE TABLE events(user_id INTEGER, ts TEXT, event TEXT);
INSERT INTO events VALUES (1, '2025-03-01 10:00', 'visit'), (1, '2025-03-01 10:05', 'register'), (1, '2025-03-01 10:30', 'order'), (2, '2025-03-01 11:00', 'visit'), (2, '2025-03-01 11:20', 'register'), (3, '2025-03-01 12:00', 'visit'), (3, '2025-03-03 12:00', 'order'), (4, '2025-03-02 09:00', 'visit');
SELECT user_id, window_funnel(86400, ts, event = 'visit', event = 'register', event = 'order') FROM events GROUP BY user_id ORDER BY user_id;
SELECT user_id, retention(date(ts) = '2025-03-01', date(ts) = '2025-03-02', date(ts) = '2025-03-03') FROM events GROUP BY user_id ORDER BY user_id;
SELECT step, name, users, printf('%.4f', overall_rate), overall_rate >= 0.08 FROM funnel_stages('[["visitors", 12000], ["registered", 4800], ["ordering", 1020]]');
CREATE VIRTUAL TABLE o2o USING funnel(events, user_id, ts, event, '["visit","register","order"]', 86400);
SELECT step, name, users, printf('%.2f', overall_rate), bar(users, 4, 4) FROM o2o;
-- KPIs (docs/kpi.md): the week's 943 orders against a target of 900 (met,
-- 104.78%); its order conversion 943 / 12250 = 7.70% against 8% with a 7%
-- floor (behind); a payout on a curve; June's 10,000 orders split to weeks
-- and a week's 2,334 to weighted days (whole targets that add up exactly);
-- a weighted score.
SELECT sum(orders), printf('%.4f', kpi_attainment(sum(orders), 900)), kpi_status(sum(orders), 900), kpi_status(1.0 * sum(orders) / sum(visitors), 0.08, 0.07), printf('%.2f', kpi_payout(kpi_attainment(4600, 5000), '[[0.6,0],[1,1],[1.5,1.2]]')) FROM daily;
SELECT key, days, target_whole FROM kpi_split(10000, '2025-06-01', '2025-06-30', 'week');
SELECT count(*), sum(target_whole), group_concat(target_whole) FROM kpi_split(2334, '2025-06-02', '2025-06-08', 'day', '[1, 1, 1, 1, 1.2, 1.5, 1.5]');
SELECT printf('%.4f', kpi_score(s, w)) FROM (SELECT 0.9 AS s, 0.5 AS w UNION ALL SELECT 1.2, 0.3 UNION ALL SELECT 0.5, 0.2);
