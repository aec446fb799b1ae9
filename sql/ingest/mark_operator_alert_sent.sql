-- An operator message was delivered.
UPDATE operator_alerts SET sent_at = $sent_at WHERE alert_id = $alert_id;
