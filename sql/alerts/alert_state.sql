-- What one queued alert was about: its state (values and outlets) and the state it follows up.
-- Params: fingerprint.
SELECT al.fingerprint, al.conflict_fingerprint, al.sides, al.changes, al.follow_up_of,
       prev.sides AS previous_sides, prev.subject AS previous_subject
FROM alerts al
LEFT JOIN alerts prev ON prev.fingerprint = al.follow_up_of
WHERE al.fingerprint = ?;
