-- A re-detected pair keeps its id and first detection time; its verdict and fingerprint follow the
-- current set of claims (the fingerprint changes when a new conflicting value joins the group).
INSERT INTO contradictions (
    contradiction_id, event_id, attribute, kind, claim_a, claim_b, gap, relative_gap, severity,
    reason, fingerprint, detected_at
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (contradiction_id) DO UPDATE SET
    kind = excluded.kind, gap = excluded.gap, relative_gap = excluded.relative_gap,
    severity = excluded.severity, reason = excluded.reason, fingerprint = excluded.fingerprint;
