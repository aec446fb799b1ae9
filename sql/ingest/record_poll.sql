-- One poll of one feed, for the health view and the operator log.
INSERT INTO feed_polls (poll_id, feed_name, polled_at, status, http_status, bozo, bozo_reason,
                        entries_seen, entries_new, error, elapsed_ms)
VALUES ($poll_id, $feed_name, $polled_at, $status, $http_status, $bozo, $bozo_reason,
        $entries_seen, $entries_new, $error, $elapsed_ms)
ON CONFLICT (poll_id) DO NOTHING;
