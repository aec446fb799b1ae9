-- The (event, attribute) groups the next detection run must recompute: those with claims it has
-- not compared yet, and those that lost claims since the last run.
SELECT DISTINCT event_id, attribute FROM claims WHERE detected_at IS NULL AND event_id IS NOT NULL
UNION
SELECT event_id, attribute FROM detection_dirty
ORDER BY event_id, attribute;
