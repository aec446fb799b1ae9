-- Reprocess: forget derived rows (claims, events, contradictions), keep articles and the alert history.
DELETE FROM contradictions;
DELETE FROM detection_state;
DELETE FROM claims;
DELETE FROM events;
DELETE FROM article_entities;
UPDATE articles SET processed_at = NULL;
