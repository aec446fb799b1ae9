-- A published claim that fails an audit (`validate --all`) leaves claims; its copy is in quarantine.
-- Its (event, attribute) group is compared again by the next detection run.
INSERT INTO detection_dirty
SELECT DISTINCT event_id, attribute FROM claims
WHERE claim_id IN (SELECT row_key FROM quality_failing) AND event_id IS NOT NULL
ON CONFLICT DO NOTHING;
DELETE FROM claims WHERE claim_id IN (SELECT row_key FROM quality_failing);
