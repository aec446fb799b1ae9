-- Params: event_id.
SELECT label, story_type, occurrence_date, location FROM events WHERE event_id = ?;
