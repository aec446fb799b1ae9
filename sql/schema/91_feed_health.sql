-- Feed health for operators: one row per feed, also printed in the ingest task log.
-- last_page_error / pages_failed cover the feed's articles; last_note holds non-errors worth
-- knowing (empty feed, charset corrected).
CREATE OR REPLACE VIEW v_feed_health AS
SELECT
    f.feed_name, f.url, f.last_status, f.last_http_status, f.last_error, f.consecutive_failures,
    f.last_success_at, f.last_polled_at,
    (SELECT count(*) FROM feed_entries fe
      WHERE fe.feed_name = f.feed_name AND fe.first_seen_at > now() - INTERVAL 24 HOURS) AS entries_last_24h,
    CASE WHEN f.polls > 0 THEN f.not_modified_polls::DOUBLE / f.polls END AS not_modified_ratio,
    f.polls, f.failure_score, f.poll_interval_s, f.next_poll_at, f.paused_until, f.paused_reason, f.last_note,
    (SELECT count(*) FROM feed_entries fe
      WHERE fe.feed_name = f.feed_name AND fe.fetch_status = 'failed') AS pages_failed,
    (SELECT arg_max(fe.fetch_error, fe.first_seen_at) FROM feed_entries fe
      WHERE fe.feed_name = f.feed_name AND fe.fetch_status IN ('failed', 'skipped')) AS last_page_error,
    (SELECT count(*) FROM feed_entries fe
      WHERE fe.feed_name = f.feed_name AND fe.fetch_status = 'duplicate') AS entries_duplicate,
    -- only while no poll came after it: a later poll is the feed's news
    CASE WHEN f.deferred_at IS NOT NULL AND (f.last_polled_at IS NULL OR f.deferred_at > f.last_polled_at)
         THEN f.deferred_note END AS deferred
FROM feeds f;
