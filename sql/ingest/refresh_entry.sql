-- A known entry whose feed says it was updated since we stored it: fetch its page again (the
-- article may have been revised). Failed and pending entries keep their own retry state.
UPDATE feed_entries SET
    updated = $updated,
    fetch_status = 'pending',
    fetch_attempts = 0,
    next_attempt_at = NULL
WHERE entry_id = $entry_id
  AND fetch_status = 'stored'
  AND $updated > coalesce(updated, published, TIMESTAMPTZ '1970-01-01 00:00:00+00')
RETURNING entry_id;
