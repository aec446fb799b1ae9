-- The schema as applied to this file: one row each time the DDL of sql/schema/ ran to the end, with a
-- fingerprint of those files. A writer that opens the file re-runs the DDL only when the fingerprint
-- differs: re-applying the column comments alone costs about half a second to two seconds, and
-- every stage of a run opens the file.
CREATE TABLE IF NOT EXISTS schema_state (
    fingerprint VARCHAR     NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL
);
