-- Entries whose page still has to be fetched: new ones, and failed ones with attempts left.
-- Oldest first, so articles arrive in the order they were published.
SELECT entry_id, feed_name, link, canonical_url, title, published, fetch_attempts
FROM feed_entries
WHERE link IS NOT NULL
  AND (fetch_status = 'pending'
       OR (fetch_status = 'failed' AND coalesce(fetch_attempts, 0) < $max_attempts))
ORDER BY published NULLS LAST, first_seen_at, entry_id
LIMIT $limit;
