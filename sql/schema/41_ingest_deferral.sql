-- A feed that was not contacted because its origin is backing off (a Retry-After from another feed
-- of the same origin) says so: what v_feed_health shows as `deferred`. Idempotent.
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS deferred_note VARCHAR;
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS deferred_at   TIMESTAMPTZ;
