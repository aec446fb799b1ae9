-- Data quality (write, audit, publish): staging tables, validation results, quarantine columns.
-- Claims and contradictions are written to stg_* first; the quality gate (pipelines/quality) runs the
-- Great Expectations suites in expectations/ over them and moves each row either to its main table
-- or to `quarantine`. Articles and feed entries are written by ingest straight into their tables
-- and are checked in place (see docs/quality.md). Keep the stg_* columns in step with the main tables.

CREATE TABLE IF NOT EXISTS stg_claims (
    claim_id       VARCHAR PRIMARY KEY,
    article_id     VARCHAR NOT NULL,
    event_id       VARCHAR,
    attribute      VARCHAR,
    kind           VARCHAR,
    unit           VARCHAR,
    value_low      DOUBLE,
    value_high     DOUBLE,
    hedge          VARCHAR,
    value_text     VARCHAR,
    scope          VARCHAR,
    as_of          DATE,
    source_entity  VARCHAR,
    quote          VARCHAR,
    quote_start    INTEGER,
    quote_end      INTEGER,
    sentence       VARCHAR,
    extracted_at   TIMESTAMPTZ,
    staged_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE stg_claims ADD COLUMN IF NOT EXISTS confidence         DOUBLE;
ALTER TABLE stg_claims ADD COLUMN IF NOT EXISTS confidence_reasons VARCHAR[];
ALTER TABLE stg_claims ADD COLUMN IF NOT EXISTS area               VARCHAR;
ALTER TABLE stg_claims ADD COLUMN IF NOT EXISTS area_place         VARCHAR;
ALTER TABLE stg_claims ADD COLUMN IF NOT EXISTS event_part         BOOLEAN DEFAULT FALSE;

CREATE TABLE IF NOT EXISTS stg_contradictions (
    contradiction_id VARCHAR PRIMARY KEY,
    event_id         VARCHAR,
    attribute        VARCHAR,
    kind             VARCHAR,
    claim_a          VARCHAR,
    claim_b          VARCHAR,
    gap              DOUBLE,
    relative_gap     DOUBLE,
    severity         VARCHAR,
    reason           VARCHAR,
    fingerprint      VARCHAR,
    detected_at      TIMESTAMPTZ,
    staged_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Rows of tables checked in place (articles, feed_entries) that a suite has already seen, so each
-- run validates only new rows. `fingerprint` hashes the checked columns: a row that ingest changes
-- later (a revised article, a refreshed entry) is checked again; deleting a marker does the same.
CREATE TABLE IF NOT EXISTS quality_checked (
    table_name  VARCHAR NOT NULL,
    row_key     VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    run_id      VARCHAR NOT NULL,
    checked_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (table_name, row_key)
);

-- One row per suite per validation run.
CREATE TABLE IF NOT EXISTS validation_runs (
    run_id                 VARCHAR NOT NULL,
    suite                  VARCHAR NOT NULL,
    table_name             VARCHAR NOT NULL,
    started_at             TIMESTAMPTZ NOT NULL,
    finished_at            TIMESTAMPTZ NOT NULL,
    success                BOOLEAN NOT NULL,
    rows_checked           INTEGER NOT NULL,
    rows_published         INTEGER NOT NULL,
    rows_quarantined       INTEGER NOT NULL,
    rows_held              INTEGER NOT NULL,   -- left in staging because the suite itself errored
    expectations_evaluated INTEGER NOT NULL,
    expectations_failed    INTEGER NOT NULL,
    error                  VARCHAR,
    elapsed_s              DOUBLE,
    PRIMARY KEY (run_id, suite)
);

-- One row per expectation per suite per run: what Great Expectations reported.
CREATE TABLE IF NOT EXISTS validation_results (
    run_id              VARCHAR NOT NULL,
    suite               VARCHAR NOT NULL,
    expectation         VARCHAR NOT NULL,   -- meta.name in the suite file: the reason quarantine shows
    expectation_type    VARCHAR NOT NULL,
    column_name         VARCHAR,
    success             BOOLEAN NOT NULL,
    element_count       INTEGER,
    unexpected_count    INTEGER,
    unexpected_percent  DOUBLE,
    unexpected_keys     VARCHAR[],          -- row keys of the failing rows (first 50)
    kwargs              JSON,
    exception           VARCHAR,
    PRIMARY KEY (run_id, suite, expectation)
);

-- quarantine (10_tables.sql) holds one row per failing row of a table: the failed expectations by
-- name, the run that failed it, and the full row as JSON so that a fixed row can be re-published.
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS run_id VARCHAR;
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS failed_expectations VARCHAR[];
