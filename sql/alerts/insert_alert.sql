-- Queue one alert. A fingerprint (a conflict in one state: its values and their outlets) is queued
-- once, ever: a re-run inserts nothing. Its Message-ID is set when it goes out (mark_in_flight).
-- Params: fingerprint, event_id, attribute, subject, body_text, body_html, recipients, created_at,
--         conflict_fingerprint, thread_root, follow_up_of, sides, changes.
INSERT INTO alerts (fingerprint, event_id, attribute, subject, body_text, body_html, recipients,
                    status, attempts, created_at,
                    conflict_fingerprint, thread_root, follow_up_of, sides, changes)
VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING;
