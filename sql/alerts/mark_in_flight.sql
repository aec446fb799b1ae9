-- The in-flight marker, committed before the message goes to the SMTP server: a crash between
-- here and mark_sent leaves the row 'sending', and the next run knows the email may have gone out.
-- Every attempt counts, the successful one too.
-- Params: sending_since, message_id, resend (true when the row was already in flight), fingerprints.
UPDATE alerts
SET status             = 'sending',
    sending_since      = $sending_since,
    message_id         = $message_id,
    attempts           = coalesce(attempts, 0) + 1,
    possibly_duplicate = coalesce(possibly_duplicate, false) OR $resend
WHERE list_contains($fingerprints::VARCHAR[], fingerprint) AND status IN ('pending', 'sending');
