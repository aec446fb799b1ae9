-- Claims with an event, plus the article's publication time (detection orders reports by it) and its
-- outlet (one outlet never contradicts itself).
SELECT c.claim_id, c.article_id, c.event_id, c.attribute, c.kind, c.unit, c.value_low, c.value_high,
       c.hedge, c.value_text, c.scope, c.as_of, c.quote, c.quote_start, c.quote_end, c.sentence,
       c.source_entity, a.published, a.publisher
FROM claims c
JOIN articles a USING (article_id)
WHERE c.event_id IS NOT NULL;
