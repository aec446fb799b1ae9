-- A released feed entry (registered frame quality_requeue, one row) replaces its stored row (it
-- never left feed_entries; see delete_feed_entry).
INSERT INTO feed_entries BY NAME SELECT * FROM quality_requeue;
