-- The feed was due but not contacted: its origin is backing off. Nothing else about the feed changes.
UPDATE feeds SET deferred_note = $note, deferred_at = $deferred_at WHERE feed_name = $feed_name;
