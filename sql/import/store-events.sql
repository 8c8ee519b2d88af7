-- store-events.sql: stores a checked events import (growthops-import reads
-- it after check-events.sql) in one transaction: every event that is not
-- in the table yet (the same user_id, ts and event), and the properties
-- of those that have them.  Importing the same file again adds nothing.
BEGIN IMMEDIATE;
CREATE TEMP TABLE import_new_events AS
SELECT user_id, ts, event, properties FROM temp.import_event_values c
WHERE NOT EXISTS (SELECT 1 FROM main.events e WHERE e.user_id = c.user_id AND e.ts = c.ts AND e.event = c.event)
ORDER BY row;

INSERT INTO main.events(user_id, ts, event) SELECT user_id, ts, event FROM temp.import_new_events ORDER BY rowid;
INSERT OR IGNORE INTO main.event_properties(user_id, ts, event, properties)
SELECT user_id, ts, event, properties FROM temp.import_new_events WHERE properties IS NOT NULL;

CREATE TEMP TABLE import_result AS
SELECT printf('%s: %s: %,d %s of %,d %s from %s to %s, %,d new', kind, file,
              events, CASE events WHEN 1 THEN 'event' ELSE 'events' END,
              users, CASE users WHEN 1 THEN 'user' ELSE 'users' END, first_day, last_day, new) AS line
FROM (SELECT a.kind, a.file, count(*) AS events, count(DISTINCT c.user_id) AS users, min(c.day) AS first_day,
             max(c.day) AS last_day, (SELECT count(*) FROM temp.import_new_events) AS new
      FROM temp.import_event_values c, temp.import_args a);
