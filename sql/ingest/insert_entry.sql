-- A feed entry seen for the first time; RETURNING yields a row only when it is new.
INSERT INTO feed_entries (entry_id, feed_name, guid, link, canonical_url, title, published, updated, first_seen_at)
VALUES ($entry_id, $feed_name, $guid, $link, $canonical_url, $title, $published, $updated, $first_seen_at)
ON CONFLICT (entry_id) DO NOTHING
RETURNING entry_id;
