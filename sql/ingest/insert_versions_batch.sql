-- Version 1 of each article of the group (batch_new_articles), as insert_version does for one.
INSERT INTO article_versions (article_id, version, content_hash, title, text, fetched_at)
SELECT article_id, 1, content_hash, CAST(title AS VARCHAR), text, CAST(fetched_at AS TIMESTAMPTZ)
FROM batch_new_articles
ORDER BY position
ON CONFLICT (article_id, version) DO NOTHING;
