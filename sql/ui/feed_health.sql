-- Operator page: each feed's health, troubled feeds first.
SELECT
    feed_name, url, last_status, last_http_status, last_error, consecutive_failures,
    last_success_at, last_polled_at, entries_last_24h, pages_failed, paused_until, paused_reason, last_note,
    (paused_until IS NOT NULL AND paused_until > now()) AS paused,
    consecutive_failures > 0 OR (paused_until IS NOT NULL AND paused_until > now()) AS troubled
FROM v_feed_health
ORDER BY troubled DESC, feed_name;
