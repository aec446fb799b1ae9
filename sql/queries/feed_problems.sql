-- Question: which feeds are failing, paused, or quiet, and what was the last error?
-- Run:      duckdb -readonly var/snapshot/newswatch.duckdb < sql/queries/feed_problems.sql
-- Columns:  every feed with its last status, failures, pause and recent entries, worst first:
--           a feed can be healthy and still deliver nothing (entries_last_24h = 0).
SELECT
    feed_name,
    last_status,
    last_error,
    consecutive_failures,
    paused_until,
    entries_last_24h,
    pages_failed,
    last_page_error,
    last_success_at
FROM v_feed_health
ORDER BY (paused_until IS NOT NULL) DESC, consecutive_failures DESC, pages_failed DESC,
         entries_last_24h, feed_name;
