-- growthops.sql: the shared schema of the growthops toolkit.
--
--   sqlite3 plan.db < schemas/growthops.sql
--
-- Plain SQL (no extension needed to create it or to write to it).  The
-- views of sql/views.sql and the scripts of sql/scripts/ read it with
-- growthops loaded.  The chain of the method, one group of tables each:
--   metrics        the metric catalogue (seeded below) and its reference values
--   data           accounts, channels, daily metric values, raw events
--   goal           campaigns (one north star each), phases (per account),
--                  targets, funnels and their steps
--   budget         budget lines, planned and actual
--   team           roles (the job-description table), people, assignments
--   evaluation     KPI assignments with payout curves, evaluations, tasks,
--                  problems noted in the week
--
-- What the method rejects, the schema rejects, with a message that says why:
-- each CHECK constraint is named by its message ("CHECK constraint failed:
-- targets: a target is a number with a period ..."), and the checks that
-- need another table are triggers that RAISE the message.
--
-- A rule holds on every write.  CHECKs hold for INSERT, UPDATE, INSERT OR
-- REPLACE and UPSERT alike.  A rule that reads another row is a pair of
-- triggers with the same body, AFTER INSERT and AFTER UPDATE (an UPSERT's
-- DO UPDATE fires the second): AFTER, so that each sees the row as stored,
-- once the CHECKs have passed and REPLACE has removed the row it replaces.
-- A change to a parent row that would break a child's rule (a campaign's
-- dates, a metric's kind or direction, a phase's campaign) is refused by a
-- trigger on the parent, with the child's message (a role's joining date
-- and a budget line's month: the parent's message, naming the child's
-- column).
--
-- Values, the same way in every table:
--   text    where the method needs words (names, titles, duties, items):
--           typeof text and not empty once every Unicode White_Space
--           character (space, tab, LF, VT, FF, CR, U+0085, U+00A0, U+1680,
--           U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the
--           invisible format characters U+200B-200D, U+2060 and U+FEFF are
--           trimmed from its ends:
--             typeof(x) = 'text' AND trim(x, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''
--   number  typeof integer or real, and finite (SQLite reads 9e999 as
--           infinity; NaN is stored as NULL):
--             typeof(x) IN ('integer', 'real') AND abs(x) < 9e999
--           a whole number is typeof integer (1.5 and 'soon' are not);
--   date    'YYYY-MM-DD' checked by our own arithmetic (valid month, day
--           within the month, leap years by the Gregorian rule), never by
--           SQLite's date(), whose 3.40 round trip refuses 0300-03-01 and
--           accepts 0300-02-29.  SQLite has no SQL functions of our own, so
--           every date column repeats the same expression (a test checks
--           that the copies are identical and runs one over every day of
--           the years 0000 to 9999 against Python); with x the column:
--             typeof(x) = 'text' AND length(CAST(x AS BLOB)) = 10
--             AND x GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
--             AND substr(x, 6, 2) BETWEEN '01' AND '12'
--             AND substr(x, 9, 2) BETWEEN '01' AND CASE
--               WHEN substr(x, 6, 2) IN ('04', '06', '09', '11') THEN '30'
--               WHEN substr(x, 6, 2) <> '02' THEN '31'
--               WHEN substr(x, 1, 4) % 4 = 0 AND (substr(x, 1, 4) % 100 <> 0 OR substr(x, 1, 4) % 400 = 0) THEN '29'
--               ELSE '28' END
--           (the length in bytes refuses a NUL and whatever follows it).
--   period  the calendar's key of its grain (targets, evaluations, the same
--           expression in both), a week's by the same arithmetic: an ISO
--           year has week 53 when its 1 January is a Thursday, or a
--           Wednesday in a leap year.  The weekday of 1 January of year y
--           is Gauss's (1 + 5((y-1) mod 4) + 4((y-1) mod 100) + 6((y-1) mod
--           400)) mod 7, 0 being Sunday, written with y + 399 for y - 1 so
--           that the year 0000 needs no negative remainder.
--   time    events.ts: what growthops reads, no more (docs/calendar.md):
--           unix seconds from 0000-01-01 to 9999-12-31, or ISO-8601 text.
--
-- Foreign keys: "a metric of the catalogue" and "within the campaign's
-- dates" hold with PRAGMA foreign_keys=OFF too: the triggers that read a
-- parent (a target's, a phase's or a goal's metric, a ratio's parts, a
-- phase's campaign, a budget line's or a role's phase) refuse a parent that
-- does not exist.  The other references (a value's account or metric, a
-- KPI's role or person, ...) are foreign keys only, and deleting or
-- renaming a parent is checked only by them: with foreign keys off, those
-- leave orphans.  So turn foreign keys on in every connection that writes,
-- and run PRAGMA foreign_key_check before reporting on a database someone
-- else wrote.
--
-- A statement that changes several rows is checked row by row, as SQLite
-- runs it: moving two phases later in one UPDATE moves the first into the
-- second on the way.  INSERT OR REPLACE deletes the row it replaces first:
-- with foreign keys on, that deletes the row's children (ON DELETE CASCADE).
--
-- Dates are ISO text 'YYYY-MM-DD'.  Periods are written as the calendar's
-- keys (period_key()): '2025-05-12', '2025-W20', '2025-05', '2025-Q2', '2025'.

PRAGMA foreign_keys = ON;

-- Settings the views read: 'as_of' (the day reports are written for;
-- date('now') when absent).
CREATE TABLE settings(
  name TEXT PRIMARY KEY,
  value
);

------------------------------------------------------------------------
-- The metric catalogue
------------------------------------------------------------------------

-- kind: 'flow' (summed over a period: new follows, orders, GMV),
--       'level' (the period's last value: cumulative followers, total
--       registered), 'ratio' (numerator / denominator, both summed over the
--       period: open rate, order conversion).
-- direction: 'higher' or 'lower' is better.
-- unit 'share' marks a ratio between 0 and 1 (v_data_quality flags more).
-- change_of: for a level, the flow that is its daily change
--       (followers(t) - followers(t-1) = net follows(t)).
-- inflow, outflow: for a flow that is a difference (net = new - unfollows).
-- source: the platform's own name for the number, where it reports it
--       (targets use the platform's definition, never a home-made one).
-- platform: whose number it is: 'wechat', 'weibo', 'o2o', 'app', 'other'
--       (a platform of the accounts' 'other': Douyin, Xiaohongshu ...) or
--       'any' (counted from the events, or on any platform).
CREATE TABLE metrics(
  code TEXT PRIMARY KEY
    CONSTRAINT "metrics: code is lower-case letters, digits and _, starting with a letter"
    CHECK (code GLOB '[a-z]*' AND code NOT GLOB '*[^a-z0-9_]*'),
  name_en TEXT NOT NULL
    CONSTRAINT "metrics: a metric has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_en) = 'text' AND trim(name_en, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  name_zh TEXT NOT NULL
    CONSTRAINT "metrics: a metric has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_zh) = 'text' AND trim(name_zh, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  kind TEXT NOT NULL
    CONSTRAINT "metrics: kind is 'flow', 'level' or 'ratio'"
    CHECK (kind IN ('flow', 'level', 'ratio')),
  unit TEXT NOT NULL,
  direction TEXT NOT NULL DEFAULT 'higher'
    CONSTRAINT "metrics: direction is 'higher' or 'lower' (which is better)"
    CHECK (direction IN ('higher', 'lower')),
  numerator TEXT REFERENCES metrics(code),
  denominator TEXT REFERENCES metrics(code),
  change_of TEXT REFERENCES metrics(code),
  inflow TEXT REFERENCES metrics(code),
  outflow TEXT REFERENCES metrics(code),
  platform TEXT NOT NULL
    CONSTRAINT "metrics: platform is 'wechat', 'weibo', 'o2o', 'app', 'other' or 'any'"
    CHECK (platform IN ('wechat', 'weibo', 'o2o', 'app', 'other', 'any')),
  source TEXT,
  CONSTRAINT "metrics: a ratio names its numerator and denominator metrics, and only a ratio does"
    CHECK ((kind = 'ratio') = (numerator IS NOT NULL AND denominator IS NOT NULL)
           AND (kind = 'ratio' OR (numerator IS NULL AND denominator IS NULL))),
  CONSTRAINT "metrics: only a level has change_of (the flow that is its daily change)"
    CHECK (change_of IS NULL OR kind = 'level'),
  CONSTRAINT "metrics: only a flow is inflow - outflow, and it names both"
    CHECK ((inflow IS NULL AND outflow IS NULL)
           OR (kind = 'flow' AND inflow IS NOT NULL AND outflow IS NOT NULL))
);

-- A ratio's parts are in the catalogue, and neither is a ratio: checked
-- for the ratio written and for a metric written that a ratio divides.
CREATE TRIGGER metrics_ratio_parts AFTER INSERT ON metrics
BEGIN
  SELECT RAISE(ABORT, 'metrics: the numerator and denominator of a ratio are metrics of the catalogue (metrics.code)')
   WHERE new.kind = 'ratio'
     AND (NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.numerator)
          OR NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.denominator));
  SELECT RAISE(ABORT, 'metrics: the numerator and denominator of a ratio are flows or levels, summed over the period; a ratio of ratios would average daily ratios')
   WHERE EXISTS (SELECT 1 FROM metrics r JOIN metrics part ON part.code IN (r.numerator, r.denominator)
                  WHERE r.kind = 'ratio' AND part.kind = 'ratio' AND new.code IN (r.code, part.code));
END;
CREATE TRIGGER metrics_ratio_parts_update AFTER UPDATE OF code, kind, numerator, denominator ON metrics
BEGIN
  SELECT RAISE(ABORT, 'metrics: the numerator and denominator of a ratio are metrics of the catalogue (metrics.code)')
   WHERE new.kind = 'ratio'
     AND (NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.numerator)
          OR NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.denominator));
  SELECT RAISE(ABORT, 'metrics: the numerator and denominator of a ratio are flows or levels, summed over the period; a ratio of ratios would average daily ratios')
   WHERE EXISTS (SELECT 1 FROM metrics r JOIN metrics part ON part.code IN (r.numerator, r.denominator)
                  WHERE r.kind = 'ratio' AND part.kind = 'ratio' AND new.code IN (r.code, part.code));
END;

-- Reference values: what the method calls good.  measure 'value' compares the
-- metric's value in a period of the grain; 'growth' compares its growth over
-- the previous period (value / previous - 1).  base_below / base_from limit
-- the reference to a level's size (50%-100% a month while the base is small,
-- 10%-20% later).  account_platform limits it to the accounts of one
-- platform (a subscription account's 20 new subscribers a day); NULL: any
-- account.  v_reference_check flags what falls outside.
CREATE TABLE metric_references(
  reference_id INTEGER PRIMARY KEY,
  metric TEXT NOT NULL REFERENCES metrics(code),
  measure TEXT NOT NULL DEFAULT 'value'
    CONSTRAINT "metric_references: measure is 'value' or 'growth'"
    CHECK (measure IN ('value', 'growth')),
  grain TEXT NOT NULL DEFAULT 'month'
    CONSTRAINT "metric_references: grain is 'day', 'week', 'month', 'quarter' or 'year'"
    CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  low REAL,
  high REAL,
  base_from REAL,
  base_below REAL,
  note TEXT NOT NULL,
  account_platform TEXT
    CONSTRAINT "metric_references: account_platform is an account's platform ('wechat_subscription', 'wechat_service', 'weibo', 'app' or 'other'), or NULL for any"
    CHECK (account_platform IS NULL OR account_platform IN ('wechat_subscription', 'wechat_service', 'weibo', 'app', 'other')),
  CONSTRAINT "metric_references: a reference has a low or a high value (or both), low <= high"
    CHECK ((low IS NOT NULL OR high IS NOT NULL) AND (low IS NULL OR high IS NULL OR low <= high)),
  CONSTRAINT "metric_references: low, high, base_from and base_below are numbers"
    CHECK ((low IS NULL OR (typeof(low) IN ('integer', 'real') AND abs(low) < 9e999))
           AND (high IS NULL OR (typeof(high) IN ('integer', 'real') AND abs(high) < 9e999))
           AND (base_from IS NULL OR (typeof(base_from) IN ('integer', 'real') AND abs(base_from) < 9e999))
           AND (base_below IS NULL OR (typeof(base_below) IN ('integer', 'real') AND abs(base_below) < 9e999)))
);

------------------------------------------------------------------------
-- Data: accounts, channels, daily values, raw events
------------------------------------------------------------------------

CREATE TABLE accounts(
  account_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
    CONSTRAINT "accounts: an account has a name (imports name the account they load)"
    CHECK (typeof(name) = 'text' AND trim(name, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  name_zh TEXT,
  platform TEXT NOT NULL
    CONSTRAINT "accounts: platform is 'wechat_subscription', 'wechat_service', 'weibo', 'app' or 'other'"
    CHECK (platform IN ('wechat_subscription', 'wechat_service', 'weibo', 'app', 'other'))
);

-- Where followers come from: referral games, WeChat groups, secondary
-- accounts, Weibo, placements, co-promotion, ground promotion, PR ...
-- inflow_metric: the metric of channel_values that counts the followers it
-- brings (v_channel_efficiency divides spend by it).  daily_capacity: what
-- the channel can bring a day at most (10 secondary accounts x 50 friends =
-- 500), when known.
CREATE TABLE channels(
  channel_id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL
    CONSTRAINT "channels: a channel has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_en) = 'text' AND trim(name_en, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  name_zh TEXT NOT NULL
    CONSTRAINT "channels: a channel has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_zh) = 'text' AND trim(name_zh, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  account_id INTEGER REFERENCES accounts(account_id),
  inflow_metric TEXT NOT NULL DEFAULT 'wx_net_follows' REFERENCES metrics(code),
  daily_capacity REAL
    CONSTRAINT "channels: daily_capacity is a positive number"
    CHECK (daily_capacity IS NULL OR (typeof(daily_capacity) IN ('integer', 'real') AND abs(daily_capacity) < 9e999
                                      AND daily_capacity > 0)),
  note TEXT
);

-- One value per account, metric and day, as the platform reports it.
CREATE TABLE metric_values(
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  metric TEXT NOT NULL REFERENCES metrics(code),
  day TEXT NOT NULL
    CONSTRAINT "metric_values: day is a date 'YYYY-MM-DD'"
    CHECK (typeof(day) = 'text' AND length(CAST(day AS BLOB)) = 10
      AND day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(day, 6, 2) BETWEEN '01' AND '12'
      AND substr(day, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(day, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(day, 6, 2) <> '02' THEN '31'
        WHEN substr(day, 1, 4) % 4 = 0 AND (substr(day, 1, 4) % 100 <> 0 OR substr(day, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  value REAL NOT NULL
    CONSTRAINT "metric_values: value is a number"
    CHECK (typeof(value) IN ('integer', 'real') AND abs(value) < 9e999),
  PRIMARY KEY (account_id, metric, day)
) WITHOUT ROWID;

-- The same, attributed to a channel (e.g. new follows through a channel's
-- QR code): what v_channel_efficiency divides spend by.
CREATE TABLE channel_values(
  channel_id INTEGER NOT NULL REFERENCES channels(channel_id),
  metric TEXT NOT NULL REFERENCES metrics(code),
  day TEXT NOT NULL
    CONSTRAINT "channel_values: day is a date 'YYYY-MM-DD'"
    CHECK (typeof(day) = 'text' AND length(CAST(day AS BLOB)) = 10
      AND day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(day, 6, 2) BETWEEN '01' AND '12'
      AND substr(day, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(day, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(day, 6, 2) <> '02' THEN '31'
        WHEN substr(day, 1, 4) % 4 = 0 AND (substr(day, 1, 4) % 100 <> 0 OR substr(day, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  value REAL NOT NULL
    CONSTRAINT "channel_values: value is a number"
    CHECK (typeof(value) IN ('integer', 'real') AND abs(value) < 9e999),
  PRIMARY KEY (channel_id, metric, day)
) WITHOUT ROWID;

-- Raw events for funnels and lifecycles: ts is unix seconds or ISO text.
-- The funnel, retention and lifecycle tables of growthops read a table (or
-- view) of this shape.
--
-- ts is what growthops reads (docs/calendar.md), no more: unix seconds
-- whose UTC day lies between 0000-01-01 and 9999-12-31, or ISO-8601 text,
-- white space around it allowed (space, tab, newline, \v, \f, CR):
-- 'YYYY-MM-DD', optionally followed by 'T' or a space and 'HH:MM', ':SS',
-- '.' and the fraction's digits, then after a time optionally 'Z' or an
-- offset '+HH:MM' / '-HH:MM' up to 14:59, which may not take the UTC day
-- past the calendar's ends.  With t the text without its white space,
-- trim(ts, char(9, 10, 11, 12, 13, 32)), the four checks are: a number in
-- range, or a t whose first ten characters pass the schema's date check
-- and which is ASCII without a NUL; the time (t from the 11th character);
-- the zone, what follows the time (t from the 17th character, from the
-- 20th after seconds, after the fraction's digits); the calendar's ends (on
-- 0000-01-01 a time before its '+' offset is the day before; on 9999-12-31
-- a time plus its '-' offset past 24:00 is the day after).  rules.test
-- checks them against growthops' own parser.
CREATE TABLE events(
  user_id INTEGER NOT NULL,
  ts NOT NULL
    CONSTRAINT "events: ts is unix seconds or ISO-8601 text"
    CHECK (CASE
      WHEN typeof(ts) IN ('integer', 'real') THEN ts >= -62167219200 AND ts < 253402300800
      WHEN typeof(ts) = 'text' THEN typeof(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10)) = 'text' AND length(CAST(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10) AS BLOB)) = 10
        AND substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10) GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
        AND substr(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10), 6, 2) BETWEEN '01' AND '12'
        AND substr(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10), 9, 2) BETWEEN '01' AND CASE
          WHEN substr(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10), 6, 2) IN ('04', '06', '09', '11') THEN '30'
          WHEN substr(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10), 6, 2) <> '02' THEN '31'
          WHEN substr(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10), 1, 4) % 4 = 0 AND (substr(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10), 1, 4) % 100 <> 0 OR substr(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 1, 10), 1, 4) % 400 = 0) THEN '29'
          ELSE '28' END
        AND length(CAST(trim(ts, char(9, 10, 11, 12, 13, 32)) AS BLOB)) = length(trim(ts, char(9, 10, 11, 12, 13, 32)))
      ELSE 0 END)
    CONSTRAINT "events: ts is unix seconds or ISO-8601 text"
    CHECK (typeof(ts) <> 'text' OR length(trim(ts, char(9, 10, 11, 12, 13, 32))) = 10
      OR (substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 11, 6) GLOB '[T ][0-2][0-9]:[0-5][0-9]'
          AND substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 12, 2) <= '23'
          AND (substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 17, 1) <> ':' OR substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 18, 2) GLOB '[0-5][0-9]')
          AND (substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 17, 1) <> ':' OR substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 20, 1) <> '.'
               OR substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 21, 1) GLOB '[0-9]')))
    CONSTRAINT "events: ts is unix seconds or ISO-8601 text"
    CHECK (typeof(ts) <> 'text' OR length(trim(ts, char(9, 10, 11, 12, 13, 32))) = 10
      OR (CASE WHEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 17, 1) <> ':' THEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 17)
                WHEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 20, 1) <> '.' THEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 20)
                ELSE ltrim(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 21), '0123456789') END) IN ('', 'Z', 'z')
      OR ((CASE WHEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 17, 1) <> ':' THEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 17)
                WHEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 20, 1) <> '.' THEN substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 20)
                ELSE ltrim(substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 21), '0123456789') END) GLOB '[+-][01][0-9]:[0-5][0-9]'
          AND substr(trim(ts, char(9, 10, 11, 12, 13, 32)), -5, 2) <= '14'))
    CONSTRAINT "events: ts is unix seconds or ISO-8601 text"
    CHECK (typeof(ts) <> 'text'
      OR NOT (trim(ts, char(9, 10, 11, 12, 13, 32)) GLOB '0000-01-01?*+[0-9][0-9]:[0-9][0-9]'
              AND substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 12, 5) < substr(trim(ts, char(9, 10, 11, 12, 13, 32)), -5))
         AND NOT (trim(ts, char(9, 10, 11, 12, 13, 32)) GLOB '9999-12-31?*-[0-9][0-9]:[0-9][0-9]'
                  AND substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 12, 2) * 60 + substr(trim(ts, char(9, 10, 11, 12, 13, 32)), 15, 2)
                      + substr(trim(ts, char(9, 10, 11, 12, 13, 32)), -5, 2) * 60 + substr(trim(ts, char(9, 10, 11, 12, 13, 32)), -2) >= 1440)),
  event TEXT NOT NULL
);
CREATE INDEX events_user_ts ON events(user_id, ts, event);

-- An event's own details (a JSON object: the order's amount, the page, the
-- channel ...), where the log has them: growthops-import's events kind
-- stores them here, by the event's user, ts and event.  Kept beside events
-- so that events keeps its three columns.  The properties are a JSON
-- object's text, '{...}'; growthops-import checks the JSON whole (a CHECK
-- calling json_valid() would make the schema unreadable under
-- trusted_schema=OFF, SQLite 3.40's JSON functions not being innocuous).
-- They belong to an event of the events table, the same user_id, ts (the
-- same value: 1740787200 is not '1740787200') and event: checked for the
-- row written.  events has no key a foreign key could name, so deleting or
-- changing an event, like deleting a parent row with foreign keys off,
-- leaves its properties behind.
CREATE TABLE event_properties(
  user_id INTEGER NOT NULL,
  ts NOT NULL,
  event TEXT NOT NULL,
  properties TEXT NOT NULL
    CONSTRAINT "event_properties: properties is a JSON object's text, '{...}'"
    CHECK (typeof(properties) = 'text' AND trim(properties, char(32, 9, 10, 13)) GLOB '{*}'),
  PRIMARY KEY (user_id, ts, event)
) WITHOUT ROWID;

CREATE TRIGGER event_properties_event AFTER INSERT ON event_properties
BEGIN
  SELECT RAISE(ABORT, 'event_properties: the properties belong to an event of the events table (the same user_id, ts and event)')
   WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = new.user_id AND e.ts = new.ts AND e.event = new.event);
END;
CREATE TRIGGER event_properties_event_update AFTER UPDATE OF user_id, ts, event ON event_properties
BEGIN
  SELECT RAISE(ABORT, 'event_properties: the properties belong to an event of the events table (the same user_id, ts and event)')
   WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = new.user_id AND e.ts = new.ts AND e.event = new.event);
END;

------------------------------------------------------------------------
-- Goal: campaigns, phases, targets
------------------------------------------------------------------------

-- One north-star metric per campaign: daily orders for an O2O service,
-- daily active rate for a tool app.  account_id is the campaign's account
-- (phases, goals, targets and funnels without one are on it); the north
-- star may be measured on another of the campaign's accounts:
-- north_star_account_id (NULL: the campaign's).  The reports show it day
-- by day against its day targets and floors (plan.sql writes them from
-- the phases and their goals).
CREATE TABLE campaigns(
  campaign_id INTEGER PRIMARY KEY,
  name_en TEXT NOT NULL
    CONSTRAINT "campaigns: a campaign has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_en) = 'text' AND trim(name_en, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  name_zh TEXT NOT NULL
    CONSTRAINT "campaigns: a campaign has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_zh) = 'text' AND trim(name_zh, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  account_id INTEGER NOT NULL REFERENCES accounts(account_id),
  north_star TEXT NOT NULL REFERENCES metrics(code),
  starts TEXT NOT NULL
    CONSTRAINT "campaigns: starts is a date 'YYYY-MM-DD'"
    CHECK (typeof(starts) = 'text' AND length(CAST(starts AS BLOB)) = 10
      AND starts GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(starts, 6, 2) BETWEEN '01' AND '12'
      AND substr(starts, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(starts, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(starts, 6, 2) <> '02' THEN '31'
        WHEN substr(starts, 1, 4) % 4 = 0 AND (substr(starts, 1, 4) % 100 <> 0 OR substr(starts, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  ends TEXT NOT NULL
    CONSTRAINT "campaigns: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (typeof(ends) = 'text' AND length(CAST(ends AS BLOB)) = 10
      AND ends GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(ends, 6, 2) BETWEEN '01' AND '12'
      AND substr(ends, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(ends, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(ends, 6, 2) <> '02' THEN '31'
        WHEN substr(ends, 1, 4) % 4 = 0 AND (substr(ends, 1, 4) % 100 <> 0 OR substr(ends, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END
      AND ends >= starts),
  north_star_account_id INTEGER REFERENCES accounts(account_id)
);

-- A campaign's new dates keep the own dates of its budget lines without a
-- phase within them (the rule of budget_lines_dates).
CREATE TRIGGER campaigns_budget_dates AFTER INSERT ON campaigns
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.campaign_id = new.campaign_id AND b.phase_id IS NULL
               AND (b.starts < new.starts OR b.ends > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'campaigns: a budget line of the campaign has dates outside the new dates (budget_lines.starts, ends)');
END;
CREATE TRIGGER campaigns_budget_dates_update AFTER UPDATE OF campaign_id, starts, ends ON campaigns
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.campaign_id = new.campaign_id AND b.phase_id IS NULL
               AND (b.starts < new.starts OR b.ends > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'campaigns: a budget line of the campaign has dates outside the new dates (budget_lines.starts, ends)');
END;

-- Phases: each with its level target (followers by the phase's last day)
-- on one account (account_id; NULL: the campaign's): "WeChat 1,000 ->
-- 50,000 -> 100,000 followers" and "Weibo 3,000 -> 20,000 by 30 June" are
-- phases of one campaign on two accounts.  Phases of one account never
-- overlap; phases of different accounts may.  start_value is the level on
-- the day before the phase starts; the plan script draws the milestone
-- path from it (growth_path): 'compound' gives the same growth rate every
-- month (28 days or 31), 'compound_day' ... 'compound_year' the same rate
-- every period of that grain, 'linear' the same gain every day; a phase
-- starting from 0 is linear.
CREATE TABLE phases(
  phase_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  seq INTEGER NOT NULL
    CONSTRAINT "phases: seq is a whole number (the phase's place in the campaign)"
    CHECK (typeof(seq) = 'integer'),
  name_en TEXT NOT NULL
    CONSTRAINT "phases: a phase has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_en) = 'text' AND trim(name_en, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  name_zh TEXT NOT NULL
    CONSTRAINT "phases: a phase has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_zh) = 'text' AND trim(name_zh, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  starts TEXT NOT NULL
    CONSTRAINT "phases: starts is a date 'YYYY-MM-DD'"
    CHECK (typeof(starts) = 'text' AND length(CAST(starts AS BLOB)) = 10
      AND starts GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(starts, 6, 2) BETWEEN '01' AND '12'
      AND substr(starts, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(starts, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(starts, 6, 2) <> '02' THEN '31'
        WHEN substr(starts, 1, 4) % 4 = 0 AND (substr(starts, 1, 4) % 100 <> 0 OR substr(starts, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  ends TEXT NOT NULL
    CONSTRAINT "phases: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (typeof(ends) = 'text' AND length(CAST(ends AS BLOB)) = 10
      AND ends GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(ends, 6, 2) BETWEEN '01' AND '12'
      AND substr(ends, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(ends, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(ends, 6, 2) <> '02' THEN '31'
        WHEN substr(ends, 1, 4) % 4 = 0 AND (substr(ends, 1, 4) % 100 <> 0 OR substr(ends, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END
      AND ends >= starts),
  metric TEXT NOT NULL REFERENCES metrics(code),
  start_value REAL NOT NULL DEFAULT 0
    CONSTRAINT "phases: start_value is a number not below 0"
    CHECK (typeof(start_value) IN ('integer', 'real') AND abs(start_value) < 9e999 AND start_value >= 0),
  target_value REAL
    CONSTRAINT "phases: a phase has a target, a number (e.g. 50000 followers), above its start_value"
    CHECK (typeof(target_value) IN ('integer', 'real') AND abs(target_value) < 9e999 AND target_value > start_value),
  method TEXT NOT NULL DEFAULT 'compound'
    CONSTRAINT "phases: method is 'compound' (the same growth every month), 'linear' (the same gain every day), or 'compound_day', 'compound_week', 'compound_month', 'compound_quarter', 'compound_year'"
    CHECK (method IN ('compound', 'linear', 'compound_day', 'compound_week', 'compound_month', 'compound_quarter', 'compound_year')),
  department TEXT NOT NULL DEFAULT 'growth'
    CONSTRAINT "phases: a phase has an owner, its department (e.g. 'growth')"
    CHECK (typeof(department) = 'text' AND trim(department, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  account_id INTEGER REFERENCES accounts(account_id),
  CONSTRAINT "phases: a phase growing from 0 is drawn 'linear' (compound growth from 0 never starts)"
    CHECK (start_value > 0 OR method = 'linear'),
  UNIQUE (campaign_id, seq)
);

-- A phase's new dates keep its budget lines' own dates within them (the
-- rule of budget_lines_dates).
CREATE TRIGGER phases_budget_dates AFTER INSERT ON phases
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.phase_id = new.phase_id
               AND (b.starts < new.starts OR b.ends > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'phases: a budget line of the phase has dates outside the new dates (budget_lines.starts, ends)');
END;
CREATE TRIGGER phases_budget_dates_update AFTER UPDATE OF phase_id, starts, ends ON phases
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.phase_id = new.phase_id
               AND (b.starts < new.starts OR b.ends > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'phases: a budget line of the phase has dates outside the new dates (budget_lines.starts, ends)');
END;

-- A phase's campaign and metric exist (with foreign keys off too), its
-- metric is a level, it lies within its campaign's dates and overlaps no
-- other phase of the campaign; a campaign's new dates and a metric's new
-- kind keep it so.
CREATE TRIGGER phases_check AFTER INSERT ON phases
BEGIN
  SELECT RAISE(ABORT, 'phases: a phase belongs to a campaign of the plan (campaigns.campaign_id)')
   WHERE NOT EXISTS (SELECT 1 FROM campaigns WHERE campaign_id = new.campaign_id);
  SELECT RAISE(ABORT, 'phases: a phase target measures a metric of the catalogue (metrics.code)')
   WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric);
  SELECT RAISE(ABORT, 'phases: a phase target is a level (followers, registered users by a date); split flows with targets')
   WHERE (SELECT kind FROM metrics WHERE code = new.metric) IS NOT 'level';
  SELECT RAISE(ABORT, 'phases: a phase lies within its campaign''s dates')
   WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                   AND (new.starts < c.starts OR new.ends > c.ends));
  SELECT RAISE(ABORT, 'phases: phases of one account do not overlap (phases of different accounts may)')
   WHERE EXISTS (SELECT 1 FROM phases p JOIN campaigns c ON c.campaign_id = p.campaign_id
                  WHERE p.campaign_id = new.campaign_id AND p.phase_id <> new.phase_id
                    AND coalesce(p.account_id, c.account_id) IS coalesce(new.account_id, c.account_id)
                    AND p.starts <= new.ends AND new.starts <= p.ends);
END;
CREATE TRIGGER phases_check_update AFTER UPDATE OF phase_id, campaign_id, account_id, starts, ends, metric ON phases
BEGIN
  SELECT RAISE(ABORT, 'phases: a phase belongs to a campaign of the plan (campaigns.campaign_id)')
   WHERE NOT EXISTS (SELECT 1 FROM campaigns WHERE campaign_id = new.campaign_id);
  SELECT RAISE(ABORT, 'phases: a phase target measures a metric of the catalogue (metrics.code)')
   WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric);
  SELECT RAISE(ABORT, 'phases: a phase target is a level (followers, registered users by a date); split flows with targets')
   WHERE (SELECT kind FROM metrics WHERE code = new.metric) IS NOT 'level';
  SELECT RAISE(ABORT, 'phases: a phase lies within its campaign''s dates')
   WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                   AND (new.starts < c.starts OR new.ends > c.ends));
  SELECT RAISE(ABORT, 'phases: phases of one account do not overlap (phases of different accounts may)')
   WHERE EXISTS (SELECT 1 FROM phases p JOIN campaigns c ON c.campaign_id = p.campaign_id
                  WHERE p.campaign_id = new.campaign_id AND p.phase_id <> new.phase_id
                    AND coalesce(p.account_id, c.account_id) IS coalesce(new.account_id, c.account_id)
                    AND p.starts <= new.ends AND new.starts <= p.ends);
END;
-- A campaign's account carries the phases that name none: a new account
-- must not make two of them overlap one of its own (with foreign keys off,
-- a replaced campaign keeps its phases).
CREATE TRIGGER campaigns_account_phases AFTER INSERT ON campaigns
WHEN EXISTS (SELECT 1 FROM phases a JOIN phases b ON b.campaign_id = a.campaign_id AND b.phase_id > a.phase_id
              WHERE a.campaign_id = new.campaign_id
                AND coalesce(a.account_id, new.account_id) IS coalesce(b.account_id, new.account_id)
                AND a.starts <= b.ends AND b.starts <= a.ends)
BEGIN
  SELECT RAISE(ABORT, 'campaigns: with this account, phases of one account would overlap (phases without an account are on the campaign''s)');
END;
CREATE TRIGGER campaigns_account_phases_update AFTER UPDATE OF campaign_id, account_id ON campaigns
WHEN EXISTS (SELECT 1 FROM phases a JOIN phases b ON b.campaign_id = a.campaign_id AND b.phase_id > a.phase_id
              WHERE a.campaign_id = new.campaign_id
                AND coalesce(a.account_id, new.account_id) IS coalesce(b.account_id, new.account_id)
                AND a.starts <= b.ends AND b.starts <= a.ends)
BEGIN
  SELECT RAISE(ABORT, 'campaigns: with this account, phases of one account would overlap (phases without an account are on the campaign''s)');
END;
CREATE TRIGGER campaigns_phase_dates AFTER INSERT ON campaigns
WHEN EXISTS (SELECT 1 FROM phases p WHERE p.campaign_id = new.campaign_id
               AND (p.starts < new.starts OR p.ends > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'phases: a phase lies within its campaign''s dates');
END;
CREATE TRIGGER campaigns_phase_dates_update AFTER UPDATE OF campaign_id, starts, ends ON campaigns
WHEN EXISTS (SELECT 1 FROM phases p WHERE p.campaign_id = new.campaign_id
               AND (p.starts < new.starts OR p.ends > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'phases: a phase lies within its campaign''s dates');
END;
CREATE TRIGGER metrics_phase_kind AFTER INSERT ON metrics
WHEN new.kind IS NOT 'level' AND EXISTS (SELECT 1 FROM phases WHERE metric = new.code)
BEGIN
  SELECT RAISE(ABORT, 'phases: a phase target is a level (followers, registered users by a date); split flows with targets');
END;
CREATE TRIGGER metrics_phase_kind_update AFTER UPDATE OF code, kind ON metrics
WHEN new.kind IS NOT 'level' AND EXISTS (SELECT 1 FROM phases WHERE metric = new.code)
BEGIN
  SELECT RAISE(ABORT, 'phases: a phase target is a level (followers, registered users by a date); split flows with targets');
END;

-- A phase's other goals: flows (orders, new registrations, posts: the plan
-- script splits them over the phase's days with kpi_split) and ratios (order
-- conversion 10% with an 8% floor: held in every period).  The phase's level
-- target is its own (phases.target_value).  account_id NULL: the phase's
-- account (the campaign's unless the phase names one).
CREATE TABLE phase_goals(
  phase_id INTEGER NOT NULL REFERENCES phases(phase_id) ON DELETE CASCADE,
  metric TEXT NOT NULL REFERENCES metrics(code),
  account_id INTEGER REFERENCES accounts(account_id),
  value REAL
    CONSTRAINT "phase_goals: a goal is a number for the phase (e.g. 24000 orders): 'more orders' is a wish, not a goal"
    CHECK (typeof(value) IN ('integer', 'real') AND abs(value) < 9e999),
  floor REAL
    CONSTRAINT "phase_goals: floor is a number"
    CHECK (floor IS NULL OR (typeof(floor) IN ('integer', 'real') AND abs(floor) < 9e999)),
  kind TEXT NOT NULL DEFAULT 'outcome'
    CONSTRAINT "phase_goals: kind is 'task' (effort, e.g. posts a week) or 'outcome' (result, e.g. orders)"
    CHECK (kind IN ('task', 'outcome')),
  department TEXT NOT NULL
    CONSTRAINT "phase_goals: a goal has an owner, its department (e.g. 'sales')"
    CHECK (typeof(department) = 'text' AND trim(department, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> '')
);
CREATE UNIQUE INDEX phase_goals_one ON phase_goals(phase_id, metric, ifnull(account_id, 0));

-- A goal's metric exists and is not a level; its floor is on the right
-- side of the goal; a metric's new kind or direction keeps them so.
CREATE TRIGGER phase_goals_kind AFTER INSERT ON phase_goals
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: a goal measures a metric of the catalogue (metrics.code)')
   WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric);
  SELECT RAISE(ABORT, 'phase_goals: a level (followers by a date) is the phase''s own target (phases.target_value); goals are flows or ratios')
   WHERE (SELECT kind FROM metrics WHERE code = new.metric) = 'level';
END;
CREATE TRIGGER phase_goals_kind_update AFTER UPDATE OF metric ON phase_goals
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: a goal measures a metric of the catalogue (metrics.code)')
   WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric);
  SELECT RAISE(ABORT, 'phase_goals: a level (followers by a date) is the phase''s own target (phases.target_value); goals are flows or ratios')
   WHERE (SELECT kind FROM metrics WHERE code = new.metric) = 'level';
END;
CREATE TRIGGER metrics_phase_goal_kind AFTER INSERT ON metrics
WHEN new.kind = 'level' AND EXISTS (SELECT 1 FROM phase_goals WHERE metric = new.code)
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: a level (followers by a date) is the phase''s own target (phases.target_value); goals are flows or ratios');
END;
CREATE TRIGGER metrics_phase_goal_kind_update AFTER UPDATE OF code, kind ON metrics
WHEN new.kind = 'level' AND EXISTS (SELECT 1 FROM phase_goals WHERE metric = new.code)
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: a level (followers by a date) is the phase''s own target (phases.target_value); goals are flows or ratios');
END;
CREATE TRIGGER phase_goals_floor AFTER INSERT ON phase_goals
WHEN typeof(new.floor) IN ('integer', 'real') AND EXISTS (
  SELECT 1 FROM metrics m WHERE m.code = new.metric
     AND ((m.direction = 'higher' AND new.floor > new.value)
       OR (m.direction = 'lower' AND new.floor < new.value)))
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: the floor (保底) is the least acceptable result: not above the goal where higher is better, not below it where lower is better');
END;
CREATE TRIGGER phase_goals_floor_update AFTER UPDATE OF metric, value, floor ON phase_goals
WHEN typeof(new.floor) IN ('integer', 'real') AND EXISTS (
  SELECT 1 FROM metrics m WHERE m.code = new.metric
     AND ((m.direction = 'higher' AND new.floor > new.value)
       OR (m.direction = 'lower' AND new.floor < new.value)))
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: the floor (保底) is the least acceptable result: not above the goal where higher is better, not below it where lower is better');
END;
CREATE TRIGGER metrics_phase_goal_floor AFTER INSERT ON metrics
WHEN EXISTS (
  SELECT 1 FROM phase_goals g WHERE g.metric = new.code AND typeof(g.floor) IN ('integer', 'real')
     AND ((new.direction = 'higher' AND g.floor > g.value)
       OR (new.direction = 'lower' AND g.floor < g.value)))
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: the floor (保底) is the least acceptable result: not above the goal where higher is better, not below it where lower is better');
END;
CREATE TRIGGER metrics_phase_goal_floor_update AFTER UPDATE OF code, direction ON metrics
WHEN EXISTS (
  SELECT 1 FROM phase_goals g WHERE g.metric = new.code AND typeof(g.floor) IN ('integer', 'real')
     AND ((new.direction = 'higher' AND g.floor > g.value)
       OR (new.direction = 'lower' AND g.floor < g.value)))
BEGIN
  SELECT RAISE(ABORT, 'phase_goals: the floor (保底) is the least acceptable result: not above the goal where higher is better, not below it where lower is better');
END;

CREATE TABLE phase_channels(
  phase_id INTEGER NOT NULL REFERENCES phases(phase_id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(channel_id),
  main INTEGER NOT NULL DEFAULT 1
    CONSTRAINT "phase_channels: main is 1 (a main channel of the phase) or 0"
    CHECK (main IN (0, 1)),
  PRIMARY KEY (phase_id, channel_id)
) WITHOUT ROWID;

-- Events run for users (one a week): the prize and the channel carry it.
CREATE TABLE campaign_events(
  event_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  day TEXT NOT NULL
    CONSTRAINT "campaign_events: day is a date 'YYYY-MM-DD'"
    CHECK (typeof(day) = 'text' AND length(CAST(day AS BLOB)) = 10
      AND day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(day, 6, 2) BETWEEN '01' AND '12'
      AND substr(day, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(day, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(day, 6, 2) <> '02' THEN '31'
        WHEN substr(day, 1, 4) % 4 = 0 AND (substr(day, 1, 4) % 100 <> 0 OR substr(day, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  name_en TEXT NOT NULL
    CONSTRAINT "campaign_events: an event has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_en) = 'text' AND trim(name_en, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  name_zh TEXT NOT NULL
    CONSTRAINT "campaign_events: an event has a name in English and in Chinese (name_en, name_zh)"
    CHECK (typeof(name_zh) = 'text' AND trim(name_zh, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  channel_id INTEGER REFERENCES channels(channel_id),
  prize TEXT
);

-- A campaign's funnels, the steps its users go through, one row a step in
-- funnel_steps (so that the schema checks every step as it is written;
-- SQLite's JSON functions could not, under trusted_schema=OFF):
--   source 'metrics': each step a flow of the daily metrics (visitors ->
--       new registrations -> orders), summed over a period on the
--       funnel's account (NULL: the campaign's);
--   source 'events': each step an event of the events table (install ->
--       register -> use); a user counts at a step when they reach it
--       within window_seconds of their first step (window_funnel_steps).
--       cohort_step: the step whose users make the weekly cohorts of
--       users.sql (e.g. those who register); NULL: users from their first
--       event.
--       breakdown: 'channel' to break the funnel down by the channel its
--       users came from (the events table's channel column, which the
--       schema leaves to the import: ALTER TABLE events ADD COLUMN channel
--       TEXT, the code of a channel of the channels table, or any text),
--       first touch: the channel of a user's first step-1 event of the
--       week; NULL: no breakdown.
-- The Monday report, users.sql and the HTML page show the campaign's own
-- funnels, in funnel_id order; a campaign without one gets none.
CREATE TABLE funnels(
  funnel_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  name_en TEXT NOT NULL
    CONSTRAINT "funnels: a funnel has a name in English and in Chinese (never vague)"
    CHECK (typeof(name_en) = 'text' AND trim(name_en, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  name_zh TEXT NOT NULL
    CONSTRAINT "funnels: a funnel has a name in English and in Chinese (never vague)"
    CHECK (typeof(name_zh) = 'text' AND trim(name_zh, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  source TEXT NOT NULL
    CONSTRAINT "funnels: source is 'metrics' (daily metrics, summed) or 'events' (the events table, per user)"
    CHECK (source IN ('metrics', 'events')),
  account_id INTEGER REFERENCES accounts(account_id),
  window_seconds REAL
    CONSTRAINT "funnels: an events funnel has a window, a positive number of seconds from its first step to its last (604800: 7 days); a metrics funnel has none"
    CHECK ((source = 'events') = (window_seconds IS NOT NULL)
           AND (window_seconds IS NULL OR (typeof(window_seconds) IN ('integer', 'real') AND abs(window_seconds) < 9e999 AND window_seconds > 0))),
  cohort_step INTEGER
    CONSTRAINT "funnels: cohort_step is a step of an events funnel, a whole number from 1"
    CHECK (cohort_step IS NULL OR (source = 'events' AND typeof(cohort_step) = 'integer' AND cohort_step >= 1)),
  breakdown TEXT
    CONSTRAINT "funnels: breakdown is 'channel' (the events' channel column), for an events funnel, or NULL"
    CHECK (breakdown IS NULL OR (source = 'events' AND breakdown = 'channel')),
  CONSTRAINT "funnels: an events funnel reads the events table, not an account's metrics (account_id is for a metrics funnel)"
    CHECK (source = 'metrics' OR account_id IS NULL)
);
CREATE INDEX funnels_campaign ON funnels(campaign_id);

-- step: the step's place, from 1 (steps run in that order); metric (a
-- metrics funnel) or event (an events funnel) names it; name_en, name_zh
-- label it in the reports (NULL: the metric's names, or the event).
CREATE TABLE funnel_steps(
  funnel_id INTEGER NOT NULL REFERENCES funnels(funnel_id) ON DELETE CASCADE,
  step INTEGER NOT NULL
    CONSTRAINT "funnel_steps: step is the step's place in its funnel, a whole number from 1"
    CHECK (typeof(step) = 'integer' AND step >= 1),
  metric TEXT REFERENCES metrics(code),
  event TEXT,
  name_en TEXT,
  name_zh TEXT,
  CONSTRAINT "funnel_steps: a step names one metric (a metrics funnel) or one event (an events funnel), not both"
    CHECK ((metric IS NULL) <> (event IS NULL)),
  CONSTRAINT "funnel_steps: a step's event is a name (never vague), as the events table writes it"
    CHECK (event IS NULL OR (typeof(event) = 'text' AND trim(event, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> '')),
  PRIMARY KEY (funnel_id, step)
) WITHOUT ROWID;

-- What a step names must fit its funnel: on insert and on update (of the
-- step, or of its funnel's source), and a metric a step sums stays a flow.
CREATE TRIGGER funnel_steps_check AFTER INSERT ON funnel_steps
BEGIN
  SELECT RAISE(ABORT, 'funnel_steps: a step of a metrics funnel names a metric of the catalogue (metrics.code): add the metric first')
   WHERE new.metric IS NOT NULL AND NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric);
  SELECT RAISE(ABORT, 'funnel_steps: a step of a metrics funnel is a flow, summed over the period (visitors, new registrations, orders): not a level or a ratio')
   WHERE (SELECT kind FROM metrics WHERE code = new.metric) IN ('level', 'ratio');
  SELECT RAISE(ABORT, 'funnel_steps: a step of a metrics funnel names its metric, a step of an events funnel its event')
   WHERE EXISTS (SELECT 1 FROM funnels f WHERE f.funnel_id = new.funnel_id
                   AND (f.source = 'metrics') <> (new.metric IS NOT NULL));
END;
CREATE TRIGGER funnel_steps_check_update AFTER UPDATE OF funnel_id, step, metric, event ON funnel_steps
BEGIN
  SELECT RAISE(ABORT, 'funnel_steps: a step of a metrics funnel names a metric of the catalogue (metrics.code): add the metric first')
   WHERE new.metric IS NOT NULL AND NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric);
  SELECT RAISE(ABORT, 'funnel_steps: a step of a metrics funnel is a flow, summed over the period (visitors, new registrations, orders): not a level or a ratio')
   WHERE (SELECT kind FROM metrics WHERE code = new.metric) IN ('level', 'ratio');
  SELECT RAISE(ABORT, 'funnel_steps: a step of a metrics funnel names its metric, a step of an events funnel its event')
   WHERE EXISTS (SELECT 1 FROM funnels f WHERE f.funnel_id = new.funnel_id
                   AND (f.source = 'metrics') <> (new.metric IS NOT NULL));
END;
CREATE TRIGGER funnels_source AFTER INSERT ON funnels
WHEN EXISTS (SELECT 1 FROM funnel_steps s WHERE s.funnel_id = new.funnel_id
               AND (new.source = 'metrics') <> (s.metric IS NOT NULL))
BEGIN
  SELECT RAISE(ABORT, 'funnels: a funnel with steps keeps its source (its steps name metrics or events): delete the steps first');
END;
CREATE TRIGGER funnels_source_update AFTER UPDATE OF funnel_id, source ON funnels
WHEN EXISTS (SELECT 1 FROM funnel_steps s WHERE s.funnel_id = new.funnel_id
               AND (new.source = 'metrics') <> (s.metric IS NOT NULL))
BEGIN
  SELECT RAISE(ABORT, 'funnels: a funnel with steps keeps its source (its steps name metrics or events): delete the steps first');
END;
CREATE TRIGGER metrics_kind_funnel AFTER INSERT ON metrics
WHEN new.kind IS NOT 'flow' AND EXISTS (SELECT 1 FROM funnel_steps WHERE metric = new.code)
BEGIN
  SELECT RAISE(ABORT, 'metrics: a metric that a funnel step sums stays a flow');
END;
CREATE TRIGGER metrics_kind_funnel_update AFTER UPDATE OF code, kind ON metrics
WHEN new.kind IS NOT 'flow' AND EXISTS (SELECT 1 FROM funnel_steps WHERE metric = new.code)
BEGIN
  SELECT RAISE(ABORT, 'metrics: a metric that a funnel step sums stays a flow');
END;

-- Targets: a number for a metric, a period and an owner.  kind 'task' is an
-- effort target (posts a week), 'outcome' a result (followers, orders).
-- value is the target; floor the 保底 (the least acceptable), baseline the
-- level at the start (for progress).  account_id NULL: the campaign's account.
-- source 'plan' marks the rows the plan script writes (and rewrites).
CREATE TABLE targets(
  target_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  title TEXT,
  metric TEXT REFERENCES metrics(code),
  account_id INTEGER REFERENCES accounts(account_id),
  grain TEXT,
  period TEXT,
  value REAL,
  floor REAL,
  baseline REAL,
  kind TEXT NOT NULL DEFAULT 'outcome',
  department TEXT,
  role_id INTEGER REFERENCES roles(role_id),
  person_id INTEGER REFERENCES people(person_id),
  source TEXT NOT NULL DEFAULT 'manual',
  CONSTRAINT "targets: a target is a number with a period (value, grain and period, e.g. 50000 followers in month 2025-06): 'raise brand exposure' is a wish, not a target"
    CHECK (typeof(value) IN ('integer', 'real') AND abs(value) < 9e999 AND grain IS NOT NULL AND period IS NOT NULL),
  CONSTRAINT "targets: a target measures a metric of the catalogue (metrics.code); add the metric first, e.g. a Baidu index"
    CHECK (metric IS NOT NULL),
  CONSTRAINT "targets: grain is 'day', 'week', 'month', 'quarter' or 'year'"
    CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  CONSTRAINT "targets: period is the grain's key: '2025-05-12' (day), '2025-W20' (week), '2025-05' (month), '2025-Q2' (quarter), '2025' (year)"
    CHECK (CASE grain
      WHEN 'day' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 10
        AND period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
        AND substr(period, 6, 2) BETWEEN '01' AND '12'
        AND substr(period, 9, 2) BETWEEN '01' AND CASE
          WHEN substr(period, 6, 2) IN ('04', '06', '09', '11') THEN '30'
          WHEN substr(period, 6, 2) <> '02' THEN '31'
          WHEN substr(period, 1, 4) % 4 = 0 AND (substr(period, 1, 4) % 100 <> 0 OR substr(period, 1, 4) % 400 = 0) THEN '29'
          ELSE '28' END
      WHEN 'week' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 8
        AND period GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'
        AND substr(period, 7) BETWEEN '01' AND CASE
          (1 + 5 * ((substr(period, 1, 4) + 399) % 4) + 4 * ((substr(period, 1, 4) + 399) % 100)
             + 6 * ((substr(period, 1, 4) + 399) % 400)) % 7
          WHEN 4 THEN '53'
          WHEN 3 THEN CASE WHEN substr(period, 1, 4) % 4 = 0 AND (substr(period, 1, 4) % 100 <> 0 OR substr(period, 1, 4) % 400 = 0) THEN '53' ELSE '52' END
          ELSE '52' END
      WHEN 'month' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 7
        AND period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' AND substr(period, 6) BETWEEN '01' AND '12'
      WHEN 'quarter' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 7
        AND period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'
      WHEN 'year' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 4
        AND period GLOB '[0-9][0-9][0-9][0-9]'
    END),
  CONSTRAINT "targets: kind is 'task' (effort, e.g. posts a week) or 'outcome' (result, e.g. followers)"
    CHECK (kind IN ('task', 'outcome')),
  CONSTRAINT "targets: a target has an owner: a department, a role or a person"
    CHECK ((typeof(department) = 'text' AND trim(department, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> '') OR role_id IS NOT NULL OR person_id IS NOT NULL),
  CONSTRAINT "targets: floor and baseline are numbers"
    CHECK ((floor IS NULL OR (typeof(floor) IN ('integer', 'real') AND abs(floor) < 9e999))
           AND (baseline IS NULL OR (typeof(baseline) IN ('integer', 'real') AND abs(baseline) < 9e999)))
);
CREATE UNIQUE INDEX targets_one ON targets(campaign_id, metric, grain, period,
  ifnull(account_id, 0), ifnull(department, ''), ifnull(role_id, 0), ifnull(person_id, 0));
CREATE INDEX targets_period ON targets(grain, period);

-- A target's metric exists (with foreign keys off too); its floor is on
-- the right side of the target, and a metric's new direction keeps it so.
CREATE TRIGGER targets_metric AFTER INSERT ON targets
WHEN NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric)
BEGIN
  SELECT RAISE(ABORT, 'targets: a target measures a metric of the catalogue (metrics.code); add the metric first, e.g. a Baidu index');
END;
CREATE TRIGGER targets_metric_update AFTER UPDATE OF metric ON targets
WHEN NOT EXISTS (SELECT 1 FROM metrics WHERE code = new.metric)
BEGIN
  SELECT RAISE(ABORT, 'targets: a target measures a metric of the catalogue (metrics.code); add the metric first, e.g. a Baidu index');
END;
CREATE TRIGGER targets_floor AFTER INSERT ON targets
WHEN typeof(new.floor) IN ('integer', 'real') AND EXISTS (
  SELECT 1 FROM metrics m WHERE m.code = new.metric
     AND ((m.direction = 'higher' AND new.floor > new.value)
       OR (m.direction = 'lower' AND new.floor < new.value)))
BEGIN
  SELECT RAISE(ABORT, 'targets: the floor (保底) is the least acceptable result: not above the target where higher is better, not below it where lower is better');
END;
CREATE TRIGGER targets_floor_update AFTER UPDATE OF value, floor, metric ON targets
WHEN typeof(new.floor) IN ('integer', 'real') AND EXISTS (
  SELECT 1 FROM metrics m WHERE m.code = new.metric
     AND ((m.direction = 'higher' AND new.floor > new.value)
       OR (m.direction = 'lower' AND new.floor < new.value)))
BEGIN
  SELECT RAISE(ABORT, 'targets: the floor (保底) is the least acceptable result: not above the target where higher is better, not below it where lower is better');
END;
CREATE TRIGGER metrics_target_floor AFTER INSERT ON metrics
WHEN EXISTS (
  SELECT 1 FROM targets t WHERE t.metric = new.code AND typeof(t.floor) IN ('integer', 'real')
     AND ((new.direction = 'higher' AND t.floor > t.value)
       OR (new.direction = 'lower' AND t.floor < t.value)))
BEGIN
  SELECT RAISE(ABORT, 'targets: the floor (保底) is the least acceptable result: not above the target where higher is better, not below it where lower is better');
END;
CREATE TRIGGER metrics_target_floor_update AFTER UPDATE OF code, direction ON metrics
WHEN EXISTS (
  SELECT 1 FROM targets t WHERE t.metric = new.code AND typeof(t.floor) IN ('integer', 'real')
     AND ((new.direction = 'higher' AND t.floor > t.value)
       OR (new.direction = 'lower' AND t.floor < t.value)))
BEGIN
  SELECT RAISE(ABORT, 'targets: the floor (保底) is the least acceptable result: not above the target where higher is better, not below it where lower is better');
END;

------------------------------------------------------------------------
-- Budget
------------------------------------------------------------------------

-- One line per campaign, phase, channel, category and item: the finer, the
-- better controlled.  A line's days: its month ('2025-04', within its
-- phase's, else its campaign's dates), or its own starts/ends, else its
-- phase's, else its campaign's dates; they prorate the plan over time and
-- spread it over months by calendar days (v_budget_variance,
-- v_budget_month).
CREATE TABLE budget_lines(
  line_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  phase_id INTEGER REFERENCES phases(phase_id),
  channel_id INTEGER REFERENCES channels(channel_id),
  category TEXT NOT NULL
    CONSTRAINT "budget_lines: category is 'salaries', 'promotion', 'prizes', 'placements', 'events', 'tools' or 'other'"
    CHECK (category IN ('salaries', 'promotion', 'prizes', 'placements', 'events', 'tools', 'other')),
  item TEXT
    CONSTRAINT "budget_lines: a line names its item (e.g. 'soft article on a local account'): a lump sum cannot be controlled"
    CHECK (typeof(item) = 'text' AND trim(item, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  planned REAL NOT NULL
    CONSTRAINT "budget_lines: planned is a number, 0 or more"
    CHECK (typeof(planned) IN ('integer', 'real') AND abs(planned) < 9e999 AND planned >= 0),
  actual REAL NOT NULL DEFAULT 0
    CONSTRAINT "budget_lines: actual is a number, 0 or more"
    CHECK (typeof(actual) IN ('integer', 'real') AND abs(actual) < 9e999 AND actual >= 0),
  starts TEXT
    CONSTRAINT "budget_lines: starts is a date 'YYYY-MM-DD'"
    CHECK (starts IS NULL OR (typeof(starts) = 'text' AND length(CAST(starts AS BLOB)) = 10
      AND starts GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(starts, 6, 2) BETWEEN '01' AND '12'
      AND substr(starts, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(starts, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(starts, 6, 2) <> '02' THEN '31'
        WHEN substr(starts, 1, 4) % 4 = 0 AND (substr(starts, 1, 4) % 100 <> 0 OR substr(starts, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END)),
  ends TEXT
    CONSTRAINT "budget_lines: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (ends IS NULL OR (typeof(ends) = 'text' AND length(CAST(ends AS BLOB)) = 10
      AND ends GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(ends, 6, 2) BETWEEN '01' AND '12'
      AND substr(ends, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(ends, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(ends, 6, 2) <> '02' THEN '31'
        WHEN substr(ends, 1, 4) % 4 = 0 AND (substr(ends, 1, 4) % 100 <> 0 OR substr(ends, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END
      AND ends >= ifnull(starts, ends))),
  month TEXT
    CONSTRAINT "budget_lines: month is a month 'YYYY-MM'"
    CHECK (month IS NULL OR (typeof(month) = 'text' AND length(CAST(month AS BLOB)) = 7
      AND month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' AND substr(month, 6) BETWEEN '01' AND '12')),
  CONSTRAINT "budget_lines: a line has a month or its own dates (starts, ends), not both"
    CHECK (month IS NULL OR (starts IS NULL AND ends IS NULL))
);
CREATE INDEX budget_lines_campaign ON budget_lines(campaign_id, phase_id);

-- A line's own dates (starts, ends) lie within its phase, else its
-- campaign; phases_budget_dates and campaigns_budget_dates keep them so
-- when those dates change.  (These rules are created before the others of
-- their tables, so that the others, which SQLite runs first, name a phase
-- that overlaps or leaves its campaign as such.)
CREATE TRIGGER budget_lines_dates AFTER INSERT ON budget_lines
WHEN new.starts IS NOT NULL OR new.ends IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the line''s dates (starts, ends) lie outside its phase')
   WHERE EXISTS (SELECT 1 FROM phases p WHERE p.phase_id = new.phase_id
                   AND (new.starts < p.starts OR new.ends > p.ends));
  SELECT RAISE(ABORT, 'budget_lines: the line''s dates (starts, ends) lie outside the campaign')
   WHERE new.phase_id IS NULL
     AND EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                   AND (new.starts < c.starts OR new.ends > c.ends));
END;
CREATE TRIGGER budget_lines_dates_update AFTER UPDATE OF campaign_id, phase_id, starts, ends ON budget_lines
WHEN new.starts IS NOT NULL OR new.ends IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the line''s dates (starts, ends) lie outside its phase')
   WHERE EXISTS (SELECT 1 FROM phases p WHERE p.phase_id = new.phase_id
                   AND (new.starts < p.starts OR new.ends > p.ends));
  SELECT RAISE(ABORT, 'budget_lines: the line''s dates (starts, ends) lie outside the campaign')
   WHERE new.phase_id IS NULL
     AND EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                   AND (new.starts < c.starts OR new.ends > c.ends));
END;

-- A line's phase exists and is of the line's campaign; a phase moved to
-- another campaign keeps it so.
CREATE TRIGGER budget_lines_phase AFTER INSERT ON budget_lines
WHEN new.phase_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM phases WHERE phase_id = new.phase_id AND campaign_id = new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the phase belongs to another campaign');
END;
CREATE TRIGGER budget_lines_phase_update AFTER UPDATE OF campaign_id, phase_id ON budget_lines
WHEN new.phase_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM phases WHERE phase_id = new.phase_id AND campaign_id = new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the phase belongs to another campaign');
END;
CREATE TRIGGER phases_budget_lines AFTER INSERT ON phases
WHEN EXISTS (SELECT 1 FROM budget_lines WHERE phase_id = new.phase_id AND campaign_id IS NOT new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the phase belongs to another campaign');
END;
CREATE TRIGGER phases_budget_lines_update AFTER UPDATE OF phase_id, campaign_id ON phases
WHEN EXISTS (SELECT 1 FROM budget_lines WHERE phase_id = new.phase_id AND campaign_id IS NOT new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the phase belongs to another campaign');
END;

-- A month has a day in common with the line's phase (else campaign): the
-- month lies between the months of its first and last day; a phase's or a
-- campaign's new dates (or a replaced one, with foreign keys off) keep it
-- so.
CREATE TRIGGER budget_lines_month AFTER INSERT ON budget_lines
WHEN new.month IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the month lies outside the line''s phase')
   WHERE EXISTS (SELECT 1 FROM phases p WHERE p.phase_id = new.phase_id
                   AND NOT new.month BETWEEN substr(p.starts, 1, 7) AND substr(p.ends, 1, 7));
  SELECT RAISE(ABORT, 'budget_lines: the month lies outside the campaign')
   WHERE new.phase_id IS NULL
     AND EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                   AND NOT new.month BETWEEN substr(c.starts, 1, 7) AND substr(c.ends, 1, 7));
END;
CREATE TRIGGER budget_lines_month_update AFTER UPDATE OF campaign_id, phase_id, month ON budget_lines
WHEN new.month IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'budget_lines: the month lies outside the line''s phase')
   WHERE EXISTS (SELECT 1 FROM phases p WHERE p.phase_id = new.phase_id
                   AND NOT new.month BETWEEN substr(p.starts, 1, 7) AND substr(p.ends, 1, 7));
  SELECT RAISE(ABORT, 'budget_lines: the month lies outside the campaign')
   WHERE new.phase_id IS NULL
     AND EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                   AND NOT new.month BETWEEN substr(c.starts, 1, 7) AND substr(c.ends, 1, 7));
END;
CREATE TRIGGER phases_budget_months AFTER INSERT ON phases
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.phase_id = new.phase_id AND b.month IS NOT NULL
               AND NOT b.month BETWEEN substr(new.starts, 1, 7) AND substr(new.ends, 1, 7))
BEGIN
  SELECT RAISE(ABORT, 'phases: a budget line of the phase has a month outside the new dates (budget_lines.month)');
END;
CREATE TRIGGER phases_budget_months_update AFTER UPDATE OF phase_id, starts, ends ON phases
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.phase_id = new.phase_id AND b.month IS NOT NULL
               AND NOT b.month BETWEEN substr(new.starts, 1, 7) AND substr(new.ends, 1, 7))
BEGIN
  SELECT RAISE(ABORT, 'phases: a budget line of the phase has a month outside the new dates (budget_lines.month)');
END;
CREATE TRIGGER campaigns_budget_months AFTER INSERT ON campaigns
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.campaign_id = new.campaign_id AND b.phase_id IS NULL
               AND b.month IS NOT NULL AND NOT b.month BETWEEN substr(new.starts, 1, 7) AND substr(new.ends, 1, 7))
BEGIN
  SELECT RAISE(ABORT, 'campaigns: a budget line of the campaign has a month outside the new dates (budget_lines.month)');
END;
CREATE TRIGGER campaigns_budget_months_update AFTER UPDATE OF campaign_id, starts, ends ON campaigns
WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.campaign_id = new.campaign_id AND b.phase_id IS NULL
               AND b.month IS NOT NULL AND NOT b.month BETWEEN substr(new.starts, 1, 7) AND substr(new.ends, 1, 7))
BEGIN
  SELECT RAISE(ABORT, 'campaigns: a budget line of the campaign has a month outside the new dates (budget_lines.month)');
END;

------------------------------------------------------------------------
-- Team
------------------------------------------------------------------------

-- The job-description table (岗位描述表): per campaign, each role with its
-- titles, its department (where its people's tasks count in the Friday
-- summary), headcount, when it joins: on a date (joins_on) or with a phase
-- (joins_phase_id: the phase's first day), not both; neither: from the
-- campaign's start; monthly cost per head, and duties and requirements
-- written for the phase.  lead_days: how long hiring takes (the hire-by
-- date is that much before the joining day).  Optional workload for
-- staffing_plan(): workload_units of work, units_per_person_day, ramp_days.
CREATE TABLE roles(
  role_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  title_en TEXT NOT NULL
    CONSTRAINT "roles: a role has titles in English and in Chinese (title_en, title_zh)"
    CHECK (typeof(title_en) = 'text' AND trim(title_en, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  title_zh TEXT NOT NULL
    CONSTRAINT "roles: a role has titles in English and in Chinese (title_en, title_zh)"
    CHECK (typeof(title_zh) = 'text' AND trim(title_zh, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  department TEXT
    CONSTRAINT "roles: department is a name (e.g. 'growth'), not blank"
    CHECK (department IS NULL OR (typeof(department) = 'text' AND trim(department, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> '')),
  headcount INTEGER NOT NULL
    CONSTRAINT "roles: headcount is a whole number, 1 or more"
    CHECK (typeof(headcount) = 'integer' AND headcount >= 1),
  joins_phase_id INTEGER REFERENCES phases(phase_id),
  joins_on TEXT
    CONSTRAINT "roles: joins_on is a date 'YYYY-MM-DD'"
    CHECK (joins_on IS NULL OR (typeof(joins_on) = 'text' AND length(CAST(joins_on AS BLOB)) = 10
      AND joins_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(joins_on, 6, 2) BETWEEN '01' AND '12'
      AND substr(joins_on, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(joins_on, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(joins_on, 6, 2) <> '02' THEN '31'
        WHEN substr(joins_on, 1, 4) % 4 = 0 AND (substr(joins_on, 1, 4) % 100 <> 0 OR substr(joins_on, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END)),
  monthly_cost REAL NOT NULL
    CONSTRAINT "roles: monthly_cost is a number, 0 or more"
    CHECK (typeof(monthly_cost) IN ('integer', 'real') AND abs(monthly_cost) < 9e999 AND monthly_cost >= 0),
  duties TEXT
    CONSTRAINT "roles: a role has duties and requirements, written for the phase (never vague)"
    CHECK (typeof(duties) = 'text' AND trim(duties, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  requirements TEXT
    CONSTRAINT "roles: a role has duties and requirements, written for the phase (never vague)"
    CHECK (typeof(requirements) = 'text' AND trim(requirements, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  lead_days INTEGER NOT NULL DEFAULT 30
    CONSTRAINT "roles: lead_days is a whole number of days, 0 or more"
    CHECK (typeof(lead_days) = 'integer' AND lead_days >= 0),
  workload_units REAL
    CONSTRAINT "roles: workload_units is a number above 0"
    CHECK (workload_units IS NULL OR (typeof(workload_units) IN ('integer', 'real') AND abs(workload_units) < 9e999 AND workload_units > 0)),
  units_per_person_day REAL
    CONSTRAINT "roles: units_per_person_day is a number above 0"
    CHECK (units_per_person_day IS NULL OR (typeof(units_per_person_day) IN ('integer', 'real') AND abs(units_per_person_day) < 9e999 AND units_per_person_day > 0)),
  ramp_days INTEGER NOT NULL DEFAULT 0
    CONSTRAINT "roles: ramp_days is a whole number of days, 0 or more"
    CHECK (typeof(ramp_days) = 'integer' AND ramp_days >= 0),
  CONSTRAINT "roles: a role joins on a date (joins_on) or with a phase (joins_phase_id), not both"
    CHECK (joins_on IS NULL OR joins_phase_id IS NULL),
  UNIQUE (campaign_id, code)
);

-- A role's joining phase exists and is of the role's campaign; a phase
-- moved to another campaign keeps it so.
CREATE TRIGGER roles_phase AFTER INSERT ON roles
WHEN new.joins_phase_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM phases WHERE phase_id = new.joins_phase_id AND campaign_id = new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'roles: the joining phase belongs to another campaign');
END;
CREATE TRIGGER roles_phase_update AFTER UPDATE OF campaign_id, joins_phase_id ON roles
WHEN new.joins_phase_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM phases WHERE phase_id = new.joins_phase_id AND campaign_id = new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'roles: the joining phase belongs to another campaign');
END;
CREATE TRIGGER phases_roles AFTER INSERT ON phases
WHEN EXISTS (SELECT 1 FROM roles WHERE joins_phase_id = new.phase_id AND campaign_id IS NOT new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'roles: the joining phase belongs to another campaign');
END;
CREATE TRIGGER phases_roles_update AFTER UPDATE OF phase_id, campaign_id ON phases
WHEN EXISTS (SELECT 1 FROM roles WHERE joins_phase_id = new.phase_id AND campaign_id IS NOT new.campaign_id)
BEGIN
  SELECT RAISE(ABORT, 'roles: the joining phase belongs to another campaign');
END;

-- A role's joining date lies within its campaign's dates; the campaign's
-- new dates (or a replaced campaign, with foreign keys off) keep it so.
CREATE TRIGGER roles_joins_on AFTER INSERT ON roles
WHEN new.joins_on IS NOT NULL
 AND EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                AND (new.joins_on < c.starts OR new.joins_on > c.ends))
BEGIN
  SELECT RAISE(ABORT, 'roles: the joining date (joins_on) lies within the campaign''s dates');
END;
CREATE TRIGGER roles_joins_on_update AFTER UPDATE OF campaign_id, joins_on ON roles
WHEN new.joins_on IS NOT NULL
 AND EXISTS (SELECT 1 FROM campaigns c WHERE c.campaign_id = new.campaign_id
                AND (new.joins_on < c.starts OR new.joins_on > c.ends))
BEGIN
  SELECT RAISE(ABORT, 'roles: the joining date (joins_on) lies within the campaign''s dates');
END;
CREATE TRIGGER campaigns_roles_joins_on AFTER INSERT ON campaigns
WHEN EXISTS (SELECT 1 FROM roles r WHERE r.campaign_id = new.campaign_id
               AND (r.joins_on < new.starts OR r.joins_on > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'campaigns: a role of the campaign joins on a date outside the new dates (roles.joins_on)');
END;
CREATE TRIGGER campaigns_roles_joins_on_update AFTER UPDATE OF campaign_id, starts, ends ON campaigns
WHEN EXISTS (SELECT 1 FROM roles r WHERE r.campaign_id = new.campaign_id
               AND (r.joins_on < new.starts OR r.joins_on > new.ends))
BEGIN
  SELECT RAISE(ABORT, 'campaigns: a role of the campaign joins on a date outside the new dates (roles.joins_on)');
END;

-- experience: a newcomer who misses targets gets a trial period and
-- training; an experienced person who misses again and again, a question
-- about the fit (the repeated-misses script says which).
CREATE TABLE people(
  person_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL
    CONSTRAINT "people: a person has a name"
    CHECK (typeof(name) = 'text' AND trim(name, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  experience TEXT NOT NULL DEFAULT 'newcomer'
    CONSTRAINT "people: experience is 'newcomer' or 'experienced'"
    CHECK (experience IN ('newcomer', 'experienced'))
);

CREATE TABLE assignments(
  person_id INTEGER NOT NULL REFERENCES people(person_id),
  role_id INTEGER NOT NULL REFERENCES roles(role_id) ON DELETE CASCADE,
  starts TEXT NOT NULL
    CONSTRAINT "assignments: starts is a date 'YYYY-MM-DD'"
    CHECK (typeof(starts) = 'text' AND length(CAST(starts AS BLOB)) = 10
      AND starts GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(starts, 6, 2) BETWEEN '01' AND '12'
      AND substr(starts, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(starts, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(starts, 6, 2) <> '02' THEN '31'
        WHEN substr(starts, 1, 4) % 4 = 0 AND (substr(starts, 1, 4) % 100 <> 0 OR substr(starts, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  ends TEXT
    CONSTRAINT "assignments: ends is a date 'YYYY-MM-DD' not before starts"
    CHECK (ends IS NULL OR (typeof(ends) = 'text' AND length(CAST(ends AS BLOB)) = 10
      AND ends GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(ends, 6, 2) BETWEEN '01' AND '12'
      AND substr(ends, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(ends, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(ends, 6, 2) <> '02' THEN '31'
        WHEN substr(ends, 1, 4) % 4 = 0 AND (substr(ends, 1, 4) % 100 <> 0 OR substr(ends, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END
      AND ends >= starts)),
  PRIMARY KEY (person_id, role_id, starts)
) WITHOUT ROWID;
CREATE INDEX assignments_role ON assignments(role_id);

------------------------------------------------------------------------
-- Evaluation
------------------------------------------------------------------------

-- KPIs per role (every person in it) or per person: the metric, its weight
-- (a person's weights sum to 1), the payout curve (JSON [[attainment,
-- payout], ...], kpi_payout()'s curve; the default pays in proportion to
-- completion, capped at 100%) and the bonus base: the money at 100% payout
-- for the whole of that person's KPIs in one period of the grain.  The
-- schema checks the curve's shape: without JSON's white space (space, tab,
-- newline, CR) it is '[[' ... ']]' of digits, '.', 'e', 'E', '+', '-',
-- ',' and brackets, with no empty '[]'; kpi_payout() reads it and names a
-- wrong point.  (SQLite's JSON functions are not innocuous: in a CHECK
-- they would refuse writes under PRAGMA trusted_schema=OFF.)
CREATE TABLE kpi_assignments(
  kpi_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  role_id INTEGER REFERENCES roles(role_id),
  person_id INTEGER REFERENCES people(person_id),
  metric TEXT NOT NULL REFERENCES metrics(code),
  grain TEXT NOT NULL DEFAULT 'month'
    CONSTRAINT "kpi_assignments: grain is 'day', 'week', 'month', 'quarter' or 'year'"
    CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  weight REAL
    CONSTRAINT "kpi_assignments: weight is a number above 0 and at most 1 (a person's weights sum to 1)"
    CHECK (typeof(weight) IN ('integer', 'real') AND abs(weight) < 9e999 AND weight > 0 AND weight <= 1),
  curve TEXT NOT NULL DEFAULT '[[0,0],[1,1]]'
    CONSTRAINT "kpi_assignments: curve is a JSON array of [attainment, payout] points, e.g. '[[0.6,0],[1,1],[1.5,1.2]]'"
    CHECK (typeof(curve) = 'text'
           AND replace(replace(replace(replace(curve, ' ', ''), char(9), ''), char(10), ''), char(13), '') GLOB '[[][[]*[]][]]'
           AND replace(replace(replace(replace(curve, ' ', ''), char(9), ''), char(10), ''), char(13), '') NOT GLOB '*[^][0-9.eE+,-]*'
           AND instr(replace(replace(replace(replace(curve, ' ', ''), char(9), ''), char(10), ''), char(13), ''), '[]') = 0),
  bonus_base REAL NOT NULL
    CONSTRAINT "kpi_assignments: bonus_base is money, 0 or more"
    CHECK (typeof(bonus_base) IN ('integer', 'real') AND abs(bonus_base) < 9e999 AND bonus_base >= 0),
  CONSTRAINT "kpi_assignments: a KPI belongs to a role or to a person, not both"
    CHECK ((role_id IS NULL) <> (person_id IS NULL))
);

-- A person's KPIs: on any day, the weights of their own KPIs of a campaign
-- and grain and those of every role they hold that day (two at once too)
-- add up to at most 1, as v_evaluation pays them.  Checked at each day an
-- assignment of the person starts (the sum grows only there), from both
-- sides: a KPI written, an assignment written.
CREATE TRIGGER kpi_assignments_person_weights AFTER INSERT ON kpi_assignments
WHEN EXISTS (SELECT 1 FROM (SELECT new.person_id AS person_id, new.campaign_id AS campaign_id, new.grain AS grain
                             WHERE new.person_id IS NOT NULL
                             UNION SELECT a.person_id, new.campaign_id, new.grain FROM assignments a
                                    WHERE a.role_id = new.role_id) x
             WHERE (SELECT max(coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.person_id = x.person_id AND k.campaign_id = x.campaign_id AND k.grain = x.grain), 0)
                + coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.campaign_id = x.campaign_id AND k.grain = x.grain
                               AND k.role_id IN (SELECT a.role_id FROM assignments a
                                                  WHERE a.person_id = x.person_id AND a.starts <= d.day
                                                    AND (a.ends IS NULL OR a.ends >= d.day))), 0))
         FROM (SELECT a.starts AS day FROM assignments a WHERE a.person_id = x.person_id) d) > 1 + 1e-9)
BEGIN
  SELECT RAISE(ABORT, 'kpi_assignments: a person''s KPIs of one campaign and grain (their own and those of every role they hold on a day) have weights adding up to more than 1');
END;
CREATE TRIGGER kpi_assignments_person_weights_update AFTER UPDATE OF campaign_id, role_id, person_id, grain, weight ON kpi_assignments
WHEN EXISTS (SELECT 1 FROM (SELECT new.person_id AS person_id, new.campaign_id AS campaign_id, new.grain AS grain
                             WHERE new.person_id IS NOT NULL
                             UNION SELECT a.person_id, new.campaign_id, new.grain FROM assignments a
                                    WHERE a.role_id = new.role_id) x
             WHERE (SELECT max(coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.person_id = x.person_id AND k.campaign_id = x.campaign_id AND k.grain = x.grain), 0)
                + coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.campaign_id = x.campaign_id AND k.grain = x.grain
                               AND k.role_id IN (SELECT a.role_id FROM assignments a
                                                  WHERE a.person_id = x.person_id AND a.starts <= d.day
                                                    AND (a.ends IS NULL OR a.ends >= d.day))), 0))
         FROM (SELECT a.starts AS day FROM assignments a WHERE a.person_id = x.person_id) d) > 1 + 1e-9)
BEGIN
  SELECT RAISE(ABORT, 'kpi_assignments: a person''s KPIs of one campaign and grain (their own and those of every role they hold on a day) have weights adding up to more than 1');
END;
CREATE TRIGGER assignments_weights AFTER INSERT ON assignments
WHEN EXISTS (SELECT 1 FROM (SELECT DISTINCT new.person_id AS person_id, k.campaign_id, k.grain FROM kpi_assignments k
                             WHERE k.role_id = new.role_id) x
             WHERE (SELECT max(coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.person_id = x.person_id AND k.campaign_id = x.campaign_id AND k.grain = x.grain), 0)
                + coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.campaign_id = x.campaign_id AND k.grain = x.grain
                               AND k.role_id IN (SELECT a.role_id FROM assignments a
                                                  WHERE a.person_id = x.person_id AND a.starts <= d.day
                                                    AND (a.ends IS NULL OR a.ends >= d.day))), 0))
         FROM (SELECT a.starts AS day FROM assignments a WHERE a.person_id = x.person_id) d) > 1 + 1e-9)
BEGIN
  SELECT RAISE(ABORT, 'assignments: with this role a person''s KPIs of one campaign and grain (their own and those of every role they hold on a day) have weights adding up to more than 1');
END;
CREATE TRIGGER assignments_weights_update AFTER UPDATE OF person_id, role_id, starts, ends ON assignments
WHEN EXISTS (SELECT 1 FROM (SELECT DISTINCT new.person_id AS person_id, k.campaign_id, k.grain FROM kpi_assignments k
                             WHERE k.role_id = new.role_id) x
             WHERE (SELECT max(coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.person_id = x.person_id AND k.campaign_id = x.campaign_id AND k.grain = x.grain), 0)
                + coalesce((SELECT sum(k.weight) FROM kpi_assignments k
                             WHERE k.campaign_id = x.campaign_id AND k.grain = x.grain
                               AND k.role_id IN (SELECT a.role_id FROM assignments a
                                                  WHERE a.person_id = x.person_id AND a.starts <= d.day
                                                    AND (a.ends IS NULL OR a.ends >= d.day))), 0))
         FROM (SELECT a.starts AS day FROM assignments a WHERE a.person_id = x.person_id) d) > 1 + 1e-9)
BEGIN
  SELECT RAISE(ABORT, 'assignments: with this role a person''s KPIs of one campaign and grain (their own and those of every role they hold on a day) have weights adding up to more than 1');
END;

-- (Created after the person's rule, these fire first: a role's own sum is
-- named as such.)
-- The weights of one role's or person's KPIs in a campaign and grain add
-- up to at most 1 (1e-9 allows for the rounding of a sum of decimals).
CREATE TRIGGER kpi_assignments_weights AFTER INSERT ON kpi_assignments
WHEN (SELECT sum(weight) FROM kpi_assignments
       WHERE campaign_id = new.campaign_id AND grain = new.grain
         AND role_id IS new.role_id AND person_id IS new.person_id) > 1 + 1e-9
BEGIN
  SELECT RAISE(ABORT, 'kpi_assignments: the weights of one role''s or person''s KPIs add up to more than 1');
END;
CREATE TRIGGER kpi_assignments_weights_update AFTER UPDATE OF campaign_id, role_id, person_id, grain, weight ON kpi_assignments
WHEN (SELECT sum(weight) FROM kpi_assignments
       WHERE campaign_id = new.campaign_id AND grain = new.grain
         AND role_id IS new.role_id AND person_id IS new.person_id) > 1 + 1e-9
BEGIN
  SELECT RAISE(ABORT, 'kpi_assignments: the weights of one role''s or person''s KPIs add up to more than 1');
END;

-- A period's evaluation, recorded by the month's evaluation script.
CREATE TABLE evaluations(
  person_id INTEGER NOT NULL REFERENCES people(person_id),
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  grain TEXT NOT NULL
    CONSTRAINT "evaluations: grain is 'day', 'week', 'month', 'quarter' or 'year'"
    CHECK (grain IN ('day', 'week', 'month', 'quarter', 'year')),
  period TEXT NOT NULL
    CONSTRAINT "evaluations: period is the grain's key: '2025-05-12' (day), '2025-W20' (week), '2025-05' (month), '2025-Q2' (quarter), '2025' (year)"
    CHECK (CASE grain
      WHEN 'day' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 10
        AND period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
        AND substr(period, 6, 2) BETWEEN '01' AND '12'
        AND substr(period, 9, 2) BETWEEN '01' AND CASE
          WHEN substr(period, 6, 2) IN ('04', '06', '09', '11') THEN '30'
          WHEN substr(period, 6, 2) <> '02' THEN '31'
          WHEN substr(period, 1, 4) % 4 = 0 AND (substr(period, 1, 4) % 100 <> 0 OR substr(period, 1, 4) % 400 = 0) THEN '29'
          ELSE '28' END
      WHEN 'week' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 8
        AND period GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'
        AND substr(period, 7) BETWEEN '01' AND CASE
          (1 + 5 * ((substr(period, 1, 4) + 399) % 4) + 4 * ((substr(period, 1, 4) + 399) % 100)
             + 6 * ((substr(period, 1, 4) + 399) % 400)) % 7
          WHEN 4 THEN '53'
          WHEN 3 THEN CASE WHEN substr(period, 1, 4) % 4 = 0 AND (substr(period, 1, 4) % 100 <> 0 OR substr(period, 1, 4) % 400 = 0) THEN '53' ELSE '52' END
          ELSE '52' END
      WHEN 'month' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 7
        AND period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]' AND substr(period, 6) BETWEEN '01' AND '12'
      WHEN 'quarter' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 7
        AND period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'
      WHEN 'year' THEN typeof(period) = 'text' AND length(CAST(period AS BLOB)) = 4
        AND period GLOB '[0-9][0-9][0-9][0-9]'
    END),
  score REAL
    CONSTRAINT "evaluations: score is a number"
    CHECK (score IS NULL OR (typeof(score) IN ('integer', 'real') AND abs(score) < 9e999)),
  payout REAL NOT NULL
    CONSTRAINT "evaluations: payout is money, 0 or more"
    CHECK (typeof(payout) IN ('integer', 'real') AND abs(payout) < 9e999 AND payout >= 0),
  kpis_met INTEGER NOT NULL,
  kpis INTEGER NOT NULL,
  recorded_on TEXT NOT NULL
    CONSTRAINT "evaluations: recorded_on is a date 'YYYY-MM-DD'"
    CHECK (typeof(recorded_on) = 'text' AND length(CAST(recorded_on AS BLOB)) = 10
      AND recorded_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(recorded_on, 6, 2) BETWEEN '01' AND '12'
      AND substr(recorded_on, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(recorded_on, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(recorded_on, 6, 2) <> '02' THEN '31'
        WHEN substr(recorded_on, 1, 4) % 4 = 0 AND (substr(recorded_on, 1, 4) % 100 <> 0 OR substr(recorded_on, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  CONSTRAINT "evaluations: kpis_met and kpis are whole numbers, 0 <= kpis_met <= kpis"
    CHECK (typeof(kpis_met) = 'integer' AND typeof(kpis) = 'integer' AND 0 <= kpis_met AND kpis_met <= kpis),
  PRIMARY KEY (person_id, campaign_id, grain, period)
) WITHOUT ROWID;

-- Tasks: assign with the result expected and a due date, coach, check.
CREATE TABLE tasks(
  task_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(person_id),
  title TEXT NOT NULL
    CONSTRAINT "tasks: a task has a title saying what is to be done"
    CHECK (typeof(title) = 'text' AND trim(title, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  assigned_on TEXT NOT NULL
    CONSTRAINT "tasks: assigned_on is a date 'YYYY-MM-DD'"
    CHECK (typeof(assigned_on) = 'text' AND length(CAST(assigned_on AS BLOB)) = 10
      AND assigned_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(assigned_on, 6, 2) BETWEEN '01' AND '12'
      AND substr(assigned_on, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(assigned_on, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(assigned_on, 6, 2) <> '02' THEN '31'
        WHEN substr(assigned_on, 1, 4) % 4 = 0 AND (substr(assigned_on, 1, 4) % 100 <> 0 OR substr(assigned_on, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  metric TEXT REFERENCES metrics(code),
  expected REAL
    CONSTRAINT "tasks: a task is assigned with the result expected, a number (followers gained, orders converted)"
    CHECK (typeof(expected) IN ('integer', 'real') AND abs(expected) < 9e999),
  due TEXT
    CONSTRAINT "tasks: a task has a due date 'YYYY-MM-DD', not before it is assigned"
    CHECK (typeof(due) = 'text' AND length(CAST(due AS BLOB)) = 10
      AND due GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(due, 6, 2) BETWEEN '01' AND '12'
      AND substr(due, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(due, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(due, 6, 2) <> '02' THEN '31'
        WHEN substr(due, 1, 4) % 4 = 0 AND (substr(due, 1, 4) % 100 <> 0 OR substr(due, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END
      AND due >= assigned_on),
  coached_on TEXT
    CONSTRAINT "tasks: coached_on is a date 'YYYY-MM-DD'"
    CHECK (coached_on IS NULL OR (typeof(coached_on) = 'text' AND length(CAST(coached_on AS BLOB)) = 10
      AND coached_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(coached_on, 6, 2) BETWEEN '01' AND '12'
      AND substr(coached_on, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(coached_on, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(coached_on, 6, 2) <> '02' THEN '31'
        WHEN substr(coached_on, 1, 4) % 4 = 0 AND (substr(coached_on, 1, 4) % 100 <> 0 OR substr(coached_on, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END)),
  coaching TEXT,
  checked_on TEXT
    CONSTRAINT "tasks: checked_on is a date 'YYYY-MM-DD'"
    CHECK (checked_on IS NULL OR (typeof(checked_on) = 'text' AND length(CAST(checked_on AS BLOB)) = 10
      AND checked_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(checked_on, 6, 2) BETWEEN '01' AND '12'
      AND substr(checked_on, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(checked_on, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(checked_on, 6, 2) <> '02' THEN '31'
        WHEN substr(checked_on, 1, 4) % 4 = 0 AND (substr(checked_on, 1, 4) % 100 <> 0 OR substr(checked_on, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END)),
  result REAL
    CONSTRAINT "tasks: result is a number"
    CHECK (result IS NULL OR (typeof(result) IN ('integer', 'real') AND abs(result) < 9e999)),
  CONSTRAINT "tasks: a task is checked with its result, a number"
    CHECK (checked_on IS NULL OR typeof(result) IN ('integer', 'real'))
);
CREATE INDEX tasks_person ON tasks(person_id, due);

-- Problems noted during the week, per department, for the Friday summary:
-- the day it was noted, what is wrong (never vague), its owner (the person
-- who sees it solved) and its status.
CREATE TABLE problems(
  problem_id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(campaign_id) ON DELETE CASCADE,
  department TEXT NOT NULL
    CONSTRAINT "problems: a problem belongs to a department (e.g. 'growth'), not blank"
    CHECK (typeof(department) = 'text' AND trim(department, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  day TEXT NOT NULL
    CONSTRAINT "problems: day is a date 'YYYY-MM-DD'"
    CHECK (typeof(day) = 'text' AND length(CAST(day AS BLOB)) = 10
      AND day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
      AND substr(day, 6, 2) BETWEEN '01' AND '12'
      AND substr(day, 9, 2) BETWEEN '01' AND CASE
        WHEN substr(day, 6, 2) IN ('04', '06', '09', '11') THEN '30'
        WHEN substr(day, 6, 2) <> '02' THEN '31'
        WHEN substr(day, 1, 4) % 4 = 0 AND (substr(day, 1, 4) % 100 <> 0 OR substr(day, 1, 4) % 400 = 0) THEN '29'
        ELSE '28' END),
  text TEXT
    CONSTRAINT "problems: a problem says what is wrong, with its numbers (e.g. 'group invitations: 40 of 150 a day since Tuesday'): never vague"
    CHECK (typeof(text) = 'text' AND trim(text, char(32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8203, 8204, 8205, 8232, 8233, 8239, 8287, 8288, 12288, 65279)) <> ''),
  owner INTEGER NOT NULL REFERENCES people(person_id),
  status TEXT NOT NULL DEFAULT 'open'
    CONSTRAINT "problems: status is 'open', 'in progress' or 'solved'"
    CHECK (status IN ('open', 'in progress', 'solved'))
);
CREATE INDEX problems_campaign ON problems(campaign_id, day);

------------------------------------------------------------------------
-- The catalogue, seeded with the method's metrics
------------------------------------------------------------------------

INSERT INTO metrics(code, name_en, name_zh, kind, unit, direction, numerator, denominator, change_of, inflow, outflow, platform, source) VALUES
  -- WeChat: the backend's user analysis (用户分析) and article analysis (图文分析)
  ('wx_new_follows', 'new follows', '新关注人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '用户分析 新关注人数'),
  ('wx_unfollows', 'unfollows', '取消关注人数', 'flow', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'wechat', '用户分析 取消关注人数'),
  ('wx_net_follows', 'net follows', '净增关注人数', 'flow', 'people', 'higher', NULL, NULL, NULL, 'wx_new_follows', 'wx_unfollows', 'wechat', '用户分析 净增关注人数'),
  ('wx_followers', 'cumulative followers', '累积关注人数', 'level', 'people', 'higher', NULL, NULL, 'wx_net_follows', NULL, NULL, 'wechat', '用户分析 累积关注人数'),
  ('wx_delivered', 'delivered', '送达人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 送达人数'),
  ('wx_reads', 'article readers', '图文页阅读人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 图文页阅读人数'),
  ('wx_read_times', 'article reads', '图文页阅读次数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 图文页阅读次数'),
  ('wx_original_reads', 'original-page readers', '原文页阅读人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 原文页阅读人数'),
  ('wx_original_read_times', 'original-page reads', '原文页阅读次数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 原文页阅读次数'),
  ('wx_shares', 'sharers', '分享转发人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 分享转发人数'),
  ('wx_share_times', 'shares', '分享转发次数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 分享转发次数'),
  ('wx_favourites', 'favourites', '微信收藏人数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'wechat', '图文分析 微信收藏人数'),
  ('wx_open_rate', 'open rate', '图文阅读率', 'ratio', 'share', 'higher', 'wx_reads', 'wx_delivered', NULL, NULL, NULL, 'wechat', '图文页阅读人数 / 送达人数'),
  ('wx_read_original_rate', 'read-original rate', '原文阅读率', 'ratio', 'share', 'higher', 'wx_original_reads', 'wx_reads', NULL, NULL, NULL, 'wechat', '原文页阅读人数 / 图文页阅读人数'),
  ('wx_share_rate', 'share rate', '分享转发率', 'ratio', 'share', 'higher', 'wx_shares', 'wx_reads', NULL, NULL, NULL, 'wechat', '分享转发人数 / 图文页阅读人数'),
  ('wx_favourite_rate', 'favourite rate', '收藏率', 'ratio', 'share', 'higher', 'wx_favourites', 'wx_reads', NULL, NULL, NULL, 'wechat', '微信收藏人数 / 图文页阅读人数'),
  -- Weibo: the post list, per day; followers as the backend shows them
  ('wb_posts', 'posts', '发博数', 'flow', 'posts', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', 'posts in the post list'),
  ('wb_reposts', 'reposts', '转发数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '转发'),
  ('wb_comments', 'comments', '评论数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '评论'),
  ('wb_likes', 'likes', '点赞数', 'flow', 'times', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '赞'),
  ('wb_new_followers', 'new followers', '新增粉丝数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '新增粉丝'),
  ('wb_unfollows', 'unfollows', '取消关注数', 'flow', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'weibo', '取消关注'),
  ('wb_net_followers', 'net new followers', '净增粉丝数', 'flow', 'people', 'higher', NULL, NULL, NULL, 'wb_new_followers', 'wb_unfollows', 'weibo', '净增粉丝'),
  ('wb_followers', 'followers', '粉丝数', 'level', 'people', 'higher', NULL, NULL, 'wb_net_followers', NULL, NULL, 'weibo', '粉丝'),
  ('wb_following', 'following', '关注数', 'level', 'accounts', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', '关注'),
  ('wb_avg_reposts', 'average reposts per post', '平均转发数', 'ratio', 'per post', 'higher', 'wb_reposts', 'wb_posts', NULL, NULL, NULL, 'weibo', 'reposts of all posts / posts'),
  ('wb_avg_comments', 'average comments per post', '平均评论数', 'ratio', 'per post', 'higher', 'wb_comments', 'wb_posts', NULL, NULL, NULL, 'weibo', 'comments of all posts / posts'),
  ('wb_search_results', 'search results', '搜索结果数', 'level', 'results', 'higher', NULL, NULL, NULL, NULL, NULL, 'weibo', 'results of a search for the brand'),
  -- O2O: the service's own daily report (engineering builds it)
  ('o2o_visitors', 'visitors', '访问用户数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_new_registrations', 'new registrations', '新注册用户数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_registered', 'total registered', '累计注册用户数', 'level', 'people', 'higher', NULL, NULL, 'o2o_new_registrations', NULL, NULL, 'o2o', NULL),
  ('o2o_active_users', 'active users', '活跃用户数', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', 'users active that day (summed: user-days)'),
  ('o2o_orders', 'orders', '订单数', 'flow', 'orders', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_gmv', 'GMV', '成交额', 'flow', 'yuan', 'higher', NULL, NULL, NULL, NULL, NULL, 'o2o', NULL),
  ('o2o_registration_conversion', 'registration conversion', '注册转化率', 'ratio', 'share', 'higher', 'o2o_new_registrations', 'o2o_visitors', NULL, NULL, NULL, 'o2o', 'new registrations / visitors'),
  ('o2o_active_rate', 'daily active rate', '日活跃率', 'ratio', 'share', 'higher', 'o2o_active_users', 'o2o_registered', NULL, NULL, NULL, 'o2o', 'active users that day / total users'),
  ('o2o_order_conversion', 'order conversion', '下单转化率', 'ratio', 'share', 'higher', 'o2o_orders', 'o2o_visitors', NULL, NULL, NULL, 'o2o', 'orders / visiting users'),
  ('o2o_aov', 'average order value', '客单价', 'ratio', 'yuan', 'higher', 'o2o_gmv', 'o2o_orders', NULL, NULL, NULL, 'o2o', 'GMV / orders'),
  -- A tool app: installs, registered users, daily active users and the
  -- daily active rate, a tool app's north star (the app's own report)
  ('app_installs', 'installs', '新增安装数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'app', 'new installs that day'),
  ('app_new_registrations', 'new registrations', '新注册用户数', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'app', NULL),
  ('app_registered', 'registered users', '累计注册用户数', 'level', 'people', 'higher', NULL, NULL, 'app_new_registrations', NULL, NULL, 'app', NULL),
  ('app_active_users', 'daily active users', '日活跃用户数', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'app', 'users active that day (DAU; summed: user-days)'),
  ('app_active_rate', 'daily active rate', '日活跃率', 'ratio', 'share', 'higher', 'app_active_users', 'app_registered', NULL, NULL, NULL, 'app', 'daily active users / registered users'),
  -- Any platform: counted from the events table, in SQLite or on a
  -- ClickHouse cluster (sql/clickhouse/growthops-clickhouse stores them;
  -- docs/scale-out.md).  UTC days.  Stickiness per day: DAU a flow (summed:
  -- user-days), WAU and MAU trailing 7 and 28 days (levels), DAU/MAU their
  -- ratio (over a period: sum of DAU / sum of MAU).
  ('ev_dau', 'daily active users', '日活跃用户数', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: users active that day'),
  ('ev_wau', 'weekly active users', '周活跃用户数', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: users active that day or the 6 days before'),
  ('ev_mau', 'monthly active users', '月活跃用户数', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: users active that day or the 27 days before (28 days)'),
  ('ev_dau_mau', 'stickiness (DAU/MAU)', '用户黏性', 'ratio', 'share', 'higher', 'ev_dau', 'ev_mau', NULL, NULL, NULL, 'any', 'daily active users / monthly active users'),
  -- The lifecycle (docs/lifecycle.md) by day: flows, a value a day (new
  -- summed over a week or a month is that period's new users).
  ('ev_day_new', 'new users (by day)', '新用户数（日）', 'flow', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: first active that day'),
  ('ev_day_returning', 'returning users (by day)', '回访用户数（日）', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that day and the day before'),
  ('ev_day_resurrecting', 'resurrecting users (by day)', '回流用户数（日）', 'flow', 'user-days', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that day, not the day before, but earlier'),
  ('ev_day_dormant', 'dormant users (by day)', '沉睡用户数（日）', 'flow', 'user-days', 'lower', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active the day before, not that day'),
  -- By ISO week and by month: levels, the period's count stored on each of
  -- its days (up to the last day with events), read at their own grain.
  ('ev_week_new', 'new users (by week)', '新用户数（周）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: first active that ISO week'),
  ('ev_week_returning', 'returning users (by week)', '回访用户数（周）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that week and the week before'),
  ('ev_week_resurrecting', 'resurrecting users (by week)', '回流用户数（周）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that week, not the week before, but earlier'),
  ('ev_week_dormant', 'dormant users (by week)', '沉睡用户数（周）', 'level', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active the week before, not that week'),
  ('ev_month_new', 'new users (by month)', '新用户数（月）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: first active that month'),
  ('ev_month_returning', 'returning users (by month)', '回访用户数（月）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that month and the month before'),
  ('ev_month_resurrecting', 'resurrecting users (by month)', '回流用户数（月）', 'level', 'people', 'higher', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active that month, not the month before, but earlier'),
  ('ev_month_dormant', 'dormant users (by month)', '沉睡用户数（月）', 'level', 'people', 'lower', NULL, NULL, NULL, NULL, NULL, 'any', 'events: active the month before, not that month');

INSERT INTO metric_references(metric, measure, grain, low, high, base_from, base_below, note, account_platform) VALUES
  ('wx_open_rate', 'value', 'month', 0.15, NULL, NULL, NULL, 'article open rate 15%: the high end of typical accounts', NULL),
  ('wx_share_rate', 'value', 'month', 0.05, NULL, NULL, NULL, 'share rate 5%: the high end of typical accounts', NULL),
  ('o2o_order_conversion', 'value', 'day', 0.08, NULL, NULL, NULL, 'order conversion floor (保底) 8% a day', NULL),
  ('wx_followers', 'growth', 'month', 0.5, 1.0, NULL, 10000, 'follower growth 50%-100% a month while the base is small', NULL),
  ('wx_followers', 'growth', 'month', 0.1, 0.2, 10000, NULL, 'follower growth 10%-20% a month later', NULL),
  ('wb_followers', 'growth', 'month', 0.5, 1.0, NULL, 10000, 'follower growth 50%-100% a month while the base is small', NULL),
  ('wb_followers', 'growth', 'month', 0.1, 0.2, 10000, NULL, 'follower growth 10%-20% a month later', NULL),
  -- a subscription account starts with 500 subscribers in its first month,
  -- then more than 20 a day (600 a month)
  ('wx_net_follows', 'value', 'month', 500, NULL, NULL, NULL, 'a new subscription account: 500 subscribers in the first month', 'wechat_subscription'),
  ('wx_net_follows', 'value', 'day', 20, NULL, NULL, NULL, 'a subscription account: more than 20 new subscribers a day (600 a month)', 'wechat_subscription');
