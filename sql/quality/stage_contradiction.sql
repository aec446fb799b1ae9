-- A detected contradiction waits in staging until the contradictions suite has checked it.
INSERT INTO stg_contradictions (
    contradiction_id, event_id, attribute, kind, claim_a, claim_b, gap, relative_gap, severity,
    reason, fingerprint, detected_at
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (contradiction_id) DO UPDATE SET
    kind = excluded.kind, gap = excluded.gap, relative_gap = excluded.relative_gap,
    severity = excluded.severity, reason = excluded.reason, fingerprint = excluded.fingerprint;
