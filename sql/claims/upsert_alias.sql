INSERT INTO entity_aliases (alias, entity_id) VALUES (?, ?)
ON CONFLICT (alias) DO NOTHING;
