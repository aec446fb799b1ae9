-- How often each article of the batch names each entity.
INSERT INTO article_entities (article_id, entity_id, mentions)
SELECT article_id, entity_id, CAST(sum(mentions) AS INTEGER)
FROM batch_entities
GROUP BY article_id, entity_id
ON CONFLICT (article_id, entity_id) DO UPDATE SET mentions = excluded.mentions;
