-- Entities the batch's articles name (batch_entities); the first name seen for an id is kept.
INSERT INTO entities (entity_id, name, kind)
SELECT DISTINCT ON (entity_id) entity_id, name, kind
FROM batch_entities
ORDER BY entity_id, position
ON CONFLICT (entity_id) DO NOTHING;
