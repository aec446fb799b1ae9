-- Spellings that map to an entity (batch_aliases): the first mapping of an alias, in stream order,
-- wins, as it does for one resolver reading the articles one after another.
INSERT INTO entity_aliases (alias, entity_id)
SELECT DISTINCT ON (alias) alias, entity_id
FROM batch_aliases
ORDER BY alias, position
ON CONFLICT (alias) DO NOTHING;
