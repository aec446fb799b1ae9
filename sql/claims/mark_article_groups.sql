-- An article's claims are about to be replaced: their groups must be recomputed by detection.
INSERT INTO detection_dirty
SELECT DISTINCT event_id, attribute FROM claims WHERE article_id = ? AND event_id IS NOT NULL
ON CONFLICT DO NOTHING;
