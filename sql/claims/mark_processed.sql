UPDATE articles SET processed_at = ? WHERE article_id = ?;
