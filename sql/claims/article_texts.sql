-- What extraction reads of the given articles ($ids), in the order of $ids (publication order).
SELECT article_id, content_hash, text, title, publisher, url, published,
       list_position($ids, article_id) AS position
FROM articles
WHERE article_id IN (SELECT unnest($ids))
ORDER BY position;
