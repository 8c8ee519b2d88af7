-- events.sql: an event log into the events table, one row an event:
--   user_id     the user, a whole number
--   ts          when: ISO-8601 text as growthops reads it (2025-05-01,
--               2025-05-01 12:30, 2025-05-01T12:30:00.250+08:00 ...) or
--               unix seconds
--   event       what happened, text (not empty or white space)
--   properties  optional: a JSON object, or empty (stored in
--               event_properties, by user_id, ts and event)
-- An event already in the table (the same user, ts and event) is left
-- alone, so importing the same file again adds nothing.  The events
-- table has no account, so ACCOUNT is optional: given, it is checked like
-- every import's, and not stored.  check-events.sql and store-events.sql
-- do the rest.
INSERT INTO temp.import_fields VALUES
  (0, 'user_id', NULL, 'user'),
  (1, 'ts', NULL, 'instant'),
  (2, 'event', NULL, 'text'),
  (3, 'properties', NULL, 'json?');
INSERT INTO temp.import_rows VALUES ('event');
