-- Conflicting pairs for one event and attribute, oldest first.
-- Params: event_id, attribute.
SELECT
    x.contradiction_id, x.claim_a, x.claim_b, x.gap, x.relative_gap, x.severity, x.reason, x.fingerprint
FROM contradictions x
WHERE x.kind = 'conflict' AND x.event_id = ? AND x.attribute = ?
ORDER BY x.detected_at, x.contradiction_id;
