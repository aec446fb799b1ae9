-- Passing staged contradictions into contradictions. As in claims/upsert_contradiction: a pair
-- already published keeps its id and first detection time; verdict and fingerprint follow detection.
INSERT INTO contradictions BY NAME
SELECT s.* EXCLUDE (staged_at)
FROM stg_contradictions s
WHERE s.contradiction_id IN (SELECT row_key FROM quality_passing)
ON CONFLICT (contradiction_id) DO UPDATE SET
    kind = excluded.kind, gap = excluded.gap, relative_gap = excluded.relative_gap,
    severity = excluded.severity, reason = excluded.reason, fingerprint = excluded.fingerprint;
