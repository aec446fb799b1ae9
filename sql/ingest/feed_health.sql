-- The operator's view of every feed, for the ingest task log.
SELECT feed_name, url, last_status, last_error, consecutive_failures, last_success_at,
       entries_last_24h, not_modified_ratio, failure_score, next_poll_at, paused_until,
       last_note, pages_failed, last_page_error, deferred
FROM v_feed_health
ORDER BY feed_name;
