-- plan_funnels.sql: the events funnels of one account's campaigns
-- (temp.answer_args: account, server), as growthops-clickhouse asks
-- ClickHouse for them: fills
--   temp.plan_funnels(funnel_id, window, steps)  the funnel's id, its window
--       as whole seconds and its step events in order, each as the hex of
--       its UTF-8 bytes, separated by spaces: all three text of digits and
--       hex only, so that nothing of the plan reaches ClickHouse but as
--       data (the command makes unhex('...') of each)
--   temp.plan_funnel_steps(funnel_id, step, metric, name_en, name_zh)
--       each step's metric code, ev_funnel_<funnel_id>_step_<step> (step:
--       its place in the funnel, from 1), and names for the catalogue
-- An events funnel belongs to the account of its campaign.  It refuses,
-- naming the funnel, before anything is asked or written: a funnel with no
-- steps, a window that is not a number of seconds above 0, a step with no
-- event, a step repeating an earlier step's event (ClickHouse 18.16's
-- windowFunnel would count such a row for one step only) and more than 32
-- steps (windowFunnel's most).  A window longer than 10^9 seconds (31
-- years) counts as 10^9 (18.16 adds it to 32-bit times).  The command runs
-- it twice: before asking ClickHouse, and again in the transaction that
-- stores the answers, to check that the funnels did not change meanwhile.
DROP TABLE IF EXISTS temp.plan_funnel_rows;
CREATE TEMP TABLE plan_funnel_rows AS
SELECT f.funnel_id, f.name_en, f.name_zh, f.window_seconds,
       s.step AS declared_step, s.event, s.name_en AS step_en, s.name_zh AS step_zh,
       row_number() OVER (PARTITION BY f.funnel_id ORDER BY s.step) AS step
FROM main.funnels f
JOIN main.campaigns c ON c.campaign_id = f.campaign_id
LEFT JOIN main.funnel_steps s ON s.funnel_id = f.funnel_id
WHERE f.source = 'events'
  AND coalesce(f.account_id, c.account_id) =
      (SELECT account_id FROM main.accounts, temp.answer_args a
       WHERE CAST(account_id AS TEXT) = a.account OR name = a.account
       ORDER BY CAST(account_id AS TEXT) = a.account DESC LIMIT 1);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: funnel %d %s has no steps in funnel_steps: add them, or delete the funnel (nothing stored)',
                funnel_id, quote(name_en))
  FROM temp.plan_funnel_rows WHERE event IS NULL AND declared_step IS NULL
  ORDER BY funnel_id LIMIT 1) AS m)
WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: funnel %d %s has window_seconds %s: not a number of seconds above 0 (nothing stored)',
                funnel_id, quote(name_en), quote(window_seconds))
  FROM temp.plan_funnel_rows
  WHERE NOT (typeof(window_seconds) IN ('integer', 'real') AND window_seconds > 0 AND window_seconds < 9e999)
  ORDER BY funnel_id LIMIT 1) AS m)
WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: funnel %d %s: step %d names no event (funnel_steps.event, as the events table writes it; nothing stored)',
                funnel_id, quote(name_en), declared_step)
  FROM temp.plan_funnel_rows
  WHERE declared_step IS NOT NULL AND (typeof(event) IS NOT 'text' OR event = '')
  ORDER BY funnel_id, step LIMIT 1) AS m)
WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: funnel %d %s: step %d repeats the event %s of step %d, which ClickHouse''s windowFunnel would count for one step only (nothing stored)',
                r.funnel_id, quote(r.name_en), r.declared_step, quote(r.event), e.declared_step)
  FROM temp.plan_funnel_rows r JOIN temp.plan_funnel_rows e
    ON e.funnel_id = r.funnel_id AND e.event = r.event AND e.step < r.step
  ORDER BY r.funnel_id, r.step, e.step LIMIT 1) AS m)
WHERE raise_error(m);

SELECT 1 FROM (SELECT (
  SELECT printf('growthops-clickhouse: funnel %d %s has %d steps; ClickHouse''s windowFunnel takes at most 32 (nothing stored)',
                funnel_id, quote(name_en), max(step))
  FROM temp.plan_funnel_rows GROUP BY funnel_id HAVING max(step) > 32
  ORDER BY funnel_id LIMIT 1) AS m)
WHERE raise_error(m);

DROP TABLE IF EXISTS temp.plan_funnels;
CREATE TEMP TABLE plan_funnels AS
SELECT printf('%d', funnel_id) AS funnel_id,
       printf('%d', CAST(min(max(window_seconds, 0), 1e9) AS INTEGER)) AS window,
       (SELECT group_concat(hex(event), ' ') FROM (SELECT event FROM temp.plan_funnel_rows s
                                                  WHERE s.funnel_id = f.funnel_id ORDER BY step)) AS steps
FROM temp.plan_funnel_rows f
GROUP BY funnel_id
ORDER BY funnel_id;

DROP TABLE IF EXISTS temp.plan_funnel_steps;
CREATE TEMP TABLE plan_funnel_steps AS
SELECT funnel_id, step, printf('ev_funnel_%d_step_%d', funnel_id, step) AS metric,
       printf('%s: step %d, %s (users entering that day)', name_en, step, coalesce(step_en, event)) AS name_en,
       printf('%s：第%d步 %s（当日进入的用户）', name_zh, step, coalesce(step_zh, event)) AS name_zh
FROM temp.plan_funnel_rows
ORDER BY funnel_id, step;
DROP TABLE temp.plan_funnel_rows;
