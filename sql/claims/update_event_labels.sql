-- The headline labels of the batch's events (batch_event_labels: event_id, label); returns the
-- events whose label changed.
UPDATE events
SET label = l.label
FROM batch_event_labels l
WHERE events.event_id = l.event_id AND events.label IS DISTINCT FROM l.label
RETURNING events.event_id;
