-- Outcome of one page fetch for an entry: stored / duplicate (with its article), failed or
-- skipped (with why). $count_attempt is false when the page was not really tried (host backing
-- off); $next_attempt_at holds a failed page back (Retry-After).
UPDATE feed_entries SET
    fetch_status = $status,
    fetch_error = $error,
    fetch_attempts = coalesce(fetch_attempts, 0) + CASE WHEN $count_attempt THEN 1 ELSE 0 END,
    next_attempt_at = $next_attempt_at,
    article_id = coalesce($article_id, article_id)
WHERE entry_id = $entry_id;
