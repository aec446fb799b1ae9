-- Queue one alert. A fingerprint is queued once, ever: a re-run inserts nothing.
-- Params: fingerprint, event_id, attribute, subject, body_text, body_html, recipients, created_at.
INSERT INTO alerts (fingerprint, event_id, attribute, subject, body_text, body_html, recipients,
                    status, attempts, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)
ON CONFLICT DO NOTHING;
