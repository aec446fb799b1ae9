-- What detection found in each group it just wrote (registered relation detection_found_state).
INSERT INTO detection_state (event_id, attribute, contradictions, digest, detected_at)
SELECT event_id, attribute, CAST(contradictions AS INTEGER), digest, $now
FROM detection_found_state
ON CONFLICT (event_id, attribute) DO UPDATE SET
    contradictions = excluded.contradictions, digest = excluded.digest, detected_at = excluded.detected_at;
