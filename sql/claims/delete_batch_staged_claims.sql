DELETE FROM stg_claims WHERE article_id IN (SELECT article_id FROM batch_articles);
