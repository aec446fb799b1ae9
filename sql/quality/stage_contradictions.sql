-- Detected contradictions (registered relation detection_staged, one batch) wait in staging until
-- the contradictions suite has checked them. One statement for the whole batch.
INSERT INTO stg_contradictions BY NAME
SELECT contradiction_id, event_id, attribute, kind, claim_a, claim_b, gap, relative_gap, severity, reason,
       fingerprint, detected_at
FROM detection_staged
ON CONFLICT (contradiction_id) DO UPDATE SET
    kind = excluded.kind, gap = excluded.gap, relative_gap = excluded.relative_gap,
    severity = excluded.severity, reason = excluded.reason, fingerprint = excluded.fingerprint;
