-- Origins still backing off after a Retry-After.
SELECT origin, blocked_until, blocked_reason
FROM host_state
WHERE blocked_until > $now;
