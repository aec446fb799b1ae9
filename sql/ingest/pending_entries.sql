-- Entries whose page still has to be fetched: new ones, re-fetches of updated ones, and failed
-- ones with attempts left whose Retry-After has passed. Oldest first, so articles arrive in the
-- order they were published and the first outlet to publish a syndicated story is its original.
SELECT entry_id, feed_name, guid, link, canonical_url, title, published, fetch_attempts, article_id
FROM feed_entries
WHERE link IS NOT NULL
  AND (fetch_status = 'pending'
       OR (fetch_status = 'failed' AND coalesce(fetch_attempts, 0) < $max_attempts))
  AND (next_attempt_at IS NULL OR next_attempt_at <= $now)
ORDER BY published NULLS LAST, first_seen_at, entry_id
LIMIT $limit;
