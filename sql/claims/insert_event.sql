INSERT INTO events (event_id, story_type, label, occurrence_date, location, round_ordinal, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (event_id) DO NOTHING;
