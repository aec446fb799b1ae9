INSERT INTO article_entities (article_id, entity_id, mentions) VALUES (?, ?, ?)
ON CONFLICT (article_id, entity_id) DO UPDATE SET mentions = excluded.mentions;
