-- A syndicated or duplicate copy of a stored article, linked to it instead of stored again.
INSERT INTO article_copies (copy_id, original_id, url, feed_name, publisher, title, published, method,
                            similarity, content_hash, found_at)
VALUES ($copy_id, $original_id, $url, $feed_name, $publisher, $title, $published, $method,
        $similarity, $content_hash, $found_at)
ON CONFLICT (copy_id) DO NOTHING;
