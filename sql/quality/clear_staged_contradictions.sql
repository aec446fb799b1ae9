-- Staged rows of the groups being recomputed (registered relation detection_groups) are replaced.
DELETE FROM stg_contradictions x
WHERE EXISTS (SELECT 1 FROM detection_groups g WHERE g.event_id = x.event_id AND g.attribute = x.attribute);
