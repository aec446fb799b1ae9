-- Claims whose scope their event's areas changed (registered frame event_scope_revisions) leave one
-- group and join another: both are recomputed whole by this detection run.
INSERT INTO detection_dirty
SELECT event_id, old_attribute FROM event_scope_revisions
UNION
SELECT event_id, attribute FROM event_scope_revisions
ON CONFLICT DO NOTHING;
