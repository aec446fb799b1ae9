-- Incremental detection: which claims detection has compared, and which (event, attribute) groups
-- lost claims since (a re-extracted article, an audit that quarantined a published claim), so that
-- a run reads and rewrites only the groups that changed. Idempotent.

ALTER TABLE claims ADD COLUMN IF NOT EXISTS detected_at TIMESTAMPTZ;   -- NULL: not compared yet

CREATE TABLE IF NOT EXISTS detection_dirty (
    event_id   VARCHAR NOT NULL,
    attribute  VARCHAR NOT NULL,
    PRIMARY KEY (event_id, attribute)
);
