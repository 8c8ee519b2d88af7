-- channels.sql: the followers each channel brought, day by day.  A real
-- team reads them from each channel's QR code (渠道二维码) or invitation
-- links; here they are made up, deterministically, from the imported net
-- follows: a share of each day per channel of the phase, the weekly
-- event's followers on Saturdays, the placements' in one burst each (the
-- method's "500 one day, then nothing for 3 days"), and two trade-show days.
PRAGMA foreign_keys = ON;
BEGIN;
DELETE FROM channel_values;
WITH
share(phase_id, channel_id, weight) AS (VALUES
  (1, 1, 0.55), (1, 2, 0.30), (1, 10, 0.08),
  (2, 2, 0.22), (2, 3, 0.33), (2, 4, 0.14), (2, 10, 0.05),
  (3, 2, 0.10), (3, 3, 0.28), (3, 4, 0.07), (3, 7, 0.15), (3, 8, 0.12), (3, 10, 0.04)),
net AS (
  SELECT v.day, v.value, p.phase_id
  FROM metric_values v JOIN phases p ON v.day BETWEEN p.starts AND p.ends
  WHERE v.account_id = 1 AND v.metric = 'wx_net_follows'
)
INSERT INTO channel_values(channel_id, metric, day, value)
SELECT s.channel_id, 'wx_net_follows', n.day,
       round(n.value * s.weight * (0.8 + 0.4 * ((CAST(julianday(n.day) AS INTEGER) * 7919 + s.channel_id * 104729) * 2654435761 % 4294967296) / 4294967296.0))
FROM net n JOIN share s ON s.phase_id = n.phase_id
UNION ALL
SELECT 5, 'wx_net_follows', n.day, CASE WHEN strftime('%w', n.day) = '6' THEN round(n.value * 0.3) ELSE 0 END
FROM net n WHERE n.day >= '2025-04-05'
UNION ALL
SELECT 6, 'wx_net_follows', n.day,
       CASE WHEN (julianday(n.day) - julianday('2025-04-09')) % 14 = 0 THEN 420 + (CAST(julianday(n.day) AS INTEGER) % 7) * 20 ELSE 0 END
FROM net n WHERE n.day >= '2025-04-09'
UNION ALL
SELECT 9, 'wx_net_follows', n.day, 380 FROM net n WHERE n.day IN ('2025-08-16', '2025-08-17');
COMMIT;
