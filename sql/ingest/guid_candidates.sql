-- Entries already stored (or linked as copies) under any of these GUIDs, earliest first per GUID: the
-- caller takes the first that is not the entry asking, as article_by_guid does for one entry.
SELECT guid, entry_id, article_id
FROM feed_entries
WHERE guid IN (SELECT unnest(CAST($guids AS VARCHAR[])))
  AND article_id IS NOT NULL AND fetch_status IN ('stored', 'duplicate')
ORDER BY guid, first_seen_at, entry_id;
