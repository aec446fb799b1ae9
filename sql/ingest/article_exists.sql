-- Is this article (by id = hash of its canonical URL) already stored?
SELECT article_id FROM articles WHERE article_id = $article_id;
