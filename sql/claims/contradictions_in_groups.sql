-- Stored contradictions of the groups in the registered relation detection_groups: what a
-- recomputed group is compared with, so that only changed rows are written, and what a group that
-- only gained claims is updated from.
SELECT x.contradiction_id, x.event_id, x.attribute, x.kind, x.claim_a, x.claim_b, x.gap, x.relative_gap,
       x.severity, x.reason, x.fingerprint
FROM contradictions x
JOIN detection_groups g ON g.event_id = x.event_id AND g.attribute = x.attribute;
