-- What detection last found in the groups of the registered relation detection_groups
-- (detection_state): compared with their stored contradictions before a group is updated from them.
SELECT s.event_id, s.attribute, s.contradictions, s.digest
FROM detection_state s
JOIN detection_groups g ON g.event_id = s.event_id AND g.attribute = s.attribute;
