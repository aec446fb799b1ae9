-- Recently fetched articles, to compare a new page against for syndicated copies.
SELECT article_id, text FROM articles WHERE fetched_at >= $since ORDER BY fetched_at, article_id;
