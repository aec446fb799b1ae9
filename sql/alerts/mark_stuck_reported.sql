-- Operators were told (an operator_alerts row was queued). Params: reported_at, fingerprints.
UPDATE alerts SET stuck_reported_at = $reported_at WHERE list_contains($fingerprints::VARCHAR[], fingerprint);
