-- Outcome of one page fetch for an entry: stored (with its article), failed or skipped (with why).
UPDATE feed_entries SET
    fetch_status = $status,
    fetch_error = $error,
    fetch_attempts = coalesce(fetch_attempts, 0) + 1,
    article_id = coalesce($article_id, article_id)
WHERE entry_id = $entry_id;
