-- Articles whose text has not been through claim extraction yet, in stream (publication) order.
-- Without the text: extraction loads it batch by batch (article_texts), so a long backlog is
-- never held in memory at once.
SELECT article_id, content_hash, published
FROM articles
WHERE processed_at IS NULL
ORDER BY published NULLS LAST, fetched_at, article_id;
