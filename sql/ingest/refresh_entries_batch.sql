-- Known entries whose feed says they were updated since we stored them (batch_feed_entries, the
-- ones with a date of update): fetch their pages again, as refresh_entry does for one.
UPDATE feed_entries AS f SET
    updated = CAST(b.updated AS TIMESTAMPTZ),
    fetch_status = 'pending',
    fetch_attempts = 0,
    next_attempt_at = NULL
FROM batch_feed_entries AS b
WHERE f.entry_id = b.entry_id
  AND b.updated IS NOT NULL
  AND f.fetch_status = 'stored'
  AND CAST(b.updated AS TIMESTAMPTZ) > coalesce(f.updated, f.published, TIMESTAMPTZ '1970-01-01 00:00:00+00')
RETURNING f.entry_id;
