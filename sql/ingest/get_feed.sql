-- Stored conditional-GET validators of one feed.
SELECT feed_name, url, etag, last_modified, consecutive_failures
FROM feeds
WHERE feed_name = $feed_name;
