-- Every (event, attribute) group, for a full recompute (reprocess), including groups that only
-- have stored contradictions left: all recomputed whole (dirty).
SELECT event_id, attribute, TRUE AS dirty FROM (
    SELECT DISTINCT event_id, attribute FROM claims WHERE event_id IS NOT NULL
    UNION
    SELECT DISTINCT event_id, attribute FROM contradictions
    UNION
    SELECT event_id, attribute FROM detection_dirty
)
ORDER BY event_id, attribute;
