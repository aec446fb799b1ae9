-- The group's syndicated or duplicate copies (batch_copies), as insert_copy does for one.
INSERT INTO article_copies (copy_id, original_id, url, feed_name, publisher, title, published, method,
                            similarity, content_hash, found_at)
SELECT DISTINCT ON (copy_id)
       copy_id, original_id, url, CAST(feed_name AS VARCHAR), CAST(publisher AS VARCHAR),
       CAST(title AS VARCHAR), CAST(published AS TIMESTAMPTZ), method, CAST(similarity AS DOUBLE),
       CAST(content_hash AS VARCHAR), CAST(found_at AS TIMESTAMPTZ)
FROM batch_copies
ORDER BY copy_id, position
ON CONFLICT (copy_id) DO NOTHING;
