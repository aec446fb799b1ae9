-- Sync one feed from the feeds file. A changed URL drops the stored validators: they belong to
-- the old document and would make the new one answer 304 by mistake.
INSERT INTO feeds (feed_name, url, topic_keywords)
VALUES ($feed_name, $url, $topic_keywords)
ON CONFLICT (feed_name) DO UPDATE SET
    topic_keywords = excluded.topic_keywords,
    etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END,
    last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified END,
    url = excluded.url;
