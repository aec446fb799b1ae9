-- Remember that an origin asked us to wait (429/503 with Retry-After).
INSERT INTO host_state (origin, blocked_until, blocked_reason, updated_at)
VALUES ($origin, $blocked_until, $blocked_reason, $updated_at)
ON CONFLICT (origin) DO UPDATE SET
    blocked_until = excluded.blocked_until,
    blocked_reason = excluded.blocked_reason,
    updated_at = excluded.updated_at;
