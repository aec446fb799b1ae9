-- bench_scale: the stored events with the ids in $ids, in a fixed order.
SELECT event_id, story_type, label, occurrence_date, location, round_ordinal, created_at
FROM events
WHERE list_contains($ids, event_id)
ORDER BY event_id;
