-- Alert delivery state: an in-flight marker before each send, back-off between failed attempts,
-- and a flag for an alert that may have reached its recipients twice. Idempotent.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS message_id         VARCHAR;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS sending_since      TIMESTAMPTZ;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS possibly_duplicate BOOLEAN DEFAULT false;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS first_failed_at    TIMESTAMPTZ;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS next_attempt_at    TIMESTAMPTZ;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS stuck_reported_at  TIMESTAMPTZ;
