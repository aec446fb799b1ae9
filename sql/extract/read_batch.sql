-- The articles of one batch file, in the order extraction wrote them (publication order).
SELECT article_id, content_hash, published, error, claims, entities, aliases
FROM read_parquet($path)
ORDER BY position;
