-- The claims that name an area (claims.area), of the events whose scope may have changed since the
-- last detection run: events with claims detection has not compared yet, or with groups that lost
-- claims; every event when $full. pipelines/event_scope.py judges each event from all of them.
WITH touched AS (
    SELECT DISTINCT event_id FROM claims WHERE detected_at IS NULL AND event_id IS NOT NULL
    UNION
    SELECT event_id FROM detection_dirty
)
SELECT c.claim_id, c.event_id, c.attribute, c.scope, c.area, c.area_place,
       coalesce(c.event_part, FALSE) AS event_part
FROM claims c
WHERE c.area IS NOT NULL
  AND c.event_id IS NOT NULL
  AND ($full OR c.event_id IN (SELECT event_id FROM touched))
ORDER BY c.event_id, c.claim_id;
