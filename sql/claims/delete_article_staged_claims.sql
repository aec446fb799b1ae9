DELETE FROM stg_claims WHERE article_id = ?;
