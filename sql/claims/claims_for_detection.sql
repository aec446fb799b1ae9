-- The claims of the groups in the registered relation detection_groups (event_id, attribute), with
-- the article's publication time (detection orders reports by it) and outlet (one outlet never
-- contradicts itself), and whether detection has not compared the claim yet (is_new).
SELECT c.claim_id, c.article_id, c.event_id, c.attribute, c.kind, c.unit, c.value_low, c.value_high,
       c.hedge, c.value_text, c.scope, c.as_of, c.quote, c.quote_start, c.quote_end, c.sentence,
       c.source_entity, c.confidence, a.published, a.publisher, c.detected_at IS NULL AS is_new
FROM claims c
JOIN detection_groups g ON g.event_id = c.event_id AND g.attribute = c.attribute
JOIN articles a ON a.article_id = c.article_id;
