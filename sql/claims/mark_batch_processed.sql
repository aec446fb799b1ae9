-- The batch's articles are extracted: claims of exactly this text are stored.
UPDATE articles
SET processed_at = $processed_at
FROM batch_articles AS b
WHERE articles.article_id = b.article_id;
