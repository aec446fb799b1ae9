-- The (event, attribute) groups the next detection run must recompute: those with claims it has
-- not compared yet, and those that lost claims since the last run (dirty: they are recomputed
-- whole; a group that only gained claims is updated from its stored contradictions).
WITH touched AS (
    SELECT DISTINCT event_id, attribute, FALSE AS dirty FROM claims WHERE detected_at IS NULL AND event_id IS NOT NULL
    UNION ALL
    SELECT event_id, attribute, TRUE AS dirty FROM detection_dirty
)
SELECT event_id, attribute, bool_or(dirty) AS dirty
FROM touched
GROUP BY event_id, attribute
ORDER BY event_id, attribute;
