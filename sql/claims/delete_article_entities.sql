DELETE FROM article_entities WHERE article_id = ?;
