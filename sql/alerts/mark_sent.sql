-- Params: sent_at, fingerprint. Only a pending row changes, so a sent alert stays sent.
UPDATE alerts SET status = 'sent', sent_at = ?, last_error = NULL
WHERE fingerprint = ? AND status = 'pending';
