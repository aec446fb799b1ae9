INSERT INTO entities (entity_id, name, kind) VALUES (?, ?, ?)
ON CONFLICT (entity_id) DO NOTHING;
