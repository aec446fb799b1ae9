-- The outcome of each page of the group (batch_entry_marks, one row per entry), as mark_entry
-- does for one.
UPDATE feed_entries AS e SET
    fetch_status = m.status,
    fetch_error = CAST(m.error AS VARCHAR),
    fetch_attempts = coalesce(e.fetch_attempts, 0) + CASE WHEN m.count_attempt THEN 1 ELSE 0 END,
    next_attempt_at = CAST(m.next_attempt_at AS TIMESTAMPTZ),
    article_id = coalesce(CAST(m.article_id AS VARCHAR), e.article_id)
FROM batch_entry_marks AS m
WHERE e.entry_id = m.entry_id;
