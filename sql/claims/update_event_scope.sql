-- The attribute and scope the event's areas give each claim of event_scope_revisions.
UPDATE claims
SET attribute = r.attribute, scope = r.scope, event_part = r.event_part
FROM event_scope_revisions r
WHERE claims.claim_id = r.claim_id;
