-- Health counters, validators and schedule after a poll. $success is true for 200 and 304.
UPDATE feeds SET
    etag = $etag,
    last_modified = $last_modified,
    last_status = $status,
    last_http_status = $http_status,
    last_error = $error,
    last_note = $note,
    last_polled_at = $polled_at,
    consecutive_failures = CASE WHEN $success THEN 0 ELSE coalesce(consecutive_failures, 0) + 1 END,
    last_success_at = CASE WHEN $success THEN $polled_at ELSE last_success_at END,
    polls = coalesce(polls, 0) + 1,
    not_modified_polls = coalesce(not_modified_polls, 0) + $not_modified,
    failure_score = $failure_score,
    poll_interval_s = $poll_interval_s,
    next_poll_at = $next_poll_at,
    paused_until = $paused_until,
    paused_reason = $paused_reason
WHERE feed_name = $feed_name;
