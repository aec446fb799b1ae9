-- Events first seen in this batch (batch_events); an event stored already is kept as it is.
INSERT INTO events (event_id, story_type, label, occurrence_date, location, round_ordinal, created_at, session)
SELECT event_id, story_type, label, CAST(occurrence_date AS DATE), CAST(location AS VARCHAR),
       CAST(round_ordinal AS INTEGER), CAST(created_at AS TIMESTAMPTZ), CAST(session AS VARCHAR)
FROM batch_events
ON CONFLICT (event_id) DO NOTHING;
