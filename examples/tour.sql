-- tour.sql: what growthops offers, shown on the sqlite3 shell.
.mode box
SELECT growthops_version() AS version;
SELECT period_key('2025-03-01', 'week') AS week_key,
       period_start('2025-03-05', 'week') AS week_starts,
       period_end('2025-02-10', 'month') AS month_ends;
SELECT * FROM periods('2025-01-15', '2025-06-30', 'month');
