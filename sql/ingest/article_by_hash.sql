-- A stored article with exactly this clean text (a copy under another URL).
SELECT article_id FROM articles WHERE content_hash = $content_hash ORDER BY fetched_at, article_id LIMIT 1;
