DELETE FROM feed_entries WHERE entry_id = ?;
