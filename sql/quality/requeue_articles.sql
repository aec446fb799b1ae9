-- A released article (registered frame quality_requeue, one row) returns to articles unprocessed,
-- so its claims are extracted again from the fixed text; the next run checks it again.
INSERT INTO articles BY NAME SELECT * EXCLUDE (processed_at) FROM quality_requeue
ON CONFLICT (article_id) DO NOTHING;
