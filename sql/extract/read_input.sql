-- The articles of one planned batch (its input file), in publication order.
SELECT article_id, content_hash, text, title, publisher, url, published
FROM read_parquet($path)
ORDER BY position;
