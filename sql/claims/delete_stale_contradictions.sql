-- Pairs of a recomputed group that no longer hold (registered relation detection_stale).
DELETE FROM contradictions WHERE contradiction_id IN (SELECT contradiction_id FROM detection_stale);
