-- An article already stored from another feed's entry with the same GUID.
SELECT article_id
FROM feed_entries
WHERE guid = $guid AND entry_id <> $entry_id AND article_id IS NOT NULL AND fetch_status IN ('stored', 'duplicate')
ORDER BY first_seen_at, entry_id
LIMIT 1;
