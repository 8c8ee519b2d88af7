-- smoke.sql: what every client smoke test runs (tests/clients/*.test).
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
