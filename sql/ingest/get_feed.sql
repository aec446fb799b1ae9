-- Stored validators and schedule of one feed.
SELECT feed_name, url, etag, last_modified, consecutive_failures, failure_score, poll_interval_s,
       next_poll_at, paused_until, paused_reason
FROM feeds
WHERE feed_name = $feed_name;
