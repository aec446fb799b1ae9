-- Articles whose text has not been through claim extraction yet, in stream (publication) order.
SELECT article_id, text, title, publisher, url, published
FROM articles
WHERE processed_at IS NULL
ORDER BY published NULLS LAST, fetched_at, article_id;
