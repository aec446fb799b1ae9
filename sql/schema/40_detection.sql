-- Incremental detection: which claims detection has compared, and which (event, attribute) groups
-- lost claims since (a re-extracted article, an audit that quarantined a published claim), so that
-- a run reads and rewrites only the groups that changed. Idempotent.

ALTER TABLE claims ADD COLUMN IF NOT EXISTS detected_at TIMESTAMPTZ;   -- NULL: not compared yet

CREATE TABLE IF NOT EXISTS detection_dirty (
    event_id   VARCHAR NOT NULL,
    attribute  VARCHAR NOT NULL,
    PRIMARY KEY (event_id, attribute)
);

-- What detection last found in each group: a group that only gained claims is updated from its
-- stored contradictions only while they are still that (the gate may have quarantined a row, a
-- crash may have left staged rows unpublished); otherwise it is recomputed whole.
CREATE TABLE IF NOT EXISTS detection_state (
    event_id        VARCHAR NOT NULL,
    attribute       VARCHAR NOT NULL,
    contradictions  INTEGER NOT NULL,
    digest          VARCHAR NOT NULL,
    detected_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, attribute)
);
