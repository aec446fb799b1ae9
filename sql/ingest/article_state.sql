-- What a revision needs of a stored article.
SELECT article_id, text, content_hash, coalesce(version, 1) AS version
FROM articles
WHERE article_id = $article_id;
