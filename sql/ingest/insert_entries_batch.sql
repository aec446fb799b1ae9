-- A feed's entries (batch_feed_entries) in one statement; RETURNING yields the ones seen for the
-- first time, as insert_entry does for one.
INSERT INTO feed_entries (entry_id, feed_name, guid, link, canonical_url, title, published, updated, first_seen_at)
SELECT entry_id, feed_name, CAST(guid AS VARCHAR), CAST(link AS VARCHAR), CAST(canonical_url AS VARCHAR),
       CAST(title AS VARCHAR), CAST(published AS TIMESTAMPTZ), CAST(updated AS TIMESTAMPTZ),
       CAST(first_seen_at AS TIMESTAMPTZ)
FROM batch_feed_entries
ORDER BY position
ON CONFLICT (entry_id) DO NOTHING
RETURNING entry_id;
