-- One text of an article (version 1 = first fetch).
INSERT INTO article_versions (article_id, version, content_hash, title, text, fetched_at)
VALUES ($article_id, $version, $content_hash, $title, $text, $fetched_at)
ON CONFLICT (article_id, version) DO NOTHING;
