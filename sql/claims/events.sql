-- Every known event, oldest first, for matching new claims to occurrences.
SELECT event_id, story_type, label, occurrence_date, location, round_ordinal, session
FROM events
ORDER BY occurrence_date NULLS LAST, created_at, event_id;
