-- Threading of the alerts one email carries: the Message-ID of the email that carried the first
-- alert about the same conflict, and of the one that carried the alert followed up (NULL while
-- that email has not gone out).
-- Params: list of fingerprints.
SELECT al.fingerprint, al.thread_root, root.message_id AS root_message_id, prev.message_id AS previous_message_id
FROM alerts al
LEFT JOIN alerts root ON root.fingerprint = al.thread_root
LEFT JOIN alerts prev ON prev.fingerprint = al.follow_up_of
WHERE list_contains(?::VARCHAR[], al.fingerprint)
ORDER BY al.created_at, al.fingerprint;
