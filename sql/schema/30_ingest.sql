-- Ingestion state beyond the base tables: feed scheduling and pausing, per-host politeness,
-- syndicated copies, article versions, silent edits and operator alerts. Idempotent.

-- Feed scheduling: weighted failures drive back-off and pausing; the poll interval adapts to how
-- often the feed publishes.
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS failure_score   DOUBLE DEFAULT 0;
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS poll_interval_s DOUBLE;
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS next_poll_at    TIMESTAMPTZ;
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS paused_until    TIMESTAMPTZ;
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS paused_reason   VARCHAR;
ALTER TABLE feeds ADD COLUMN IF NOT EXISTS last_note       VARCHAR;   -- not an error: "empty feed", charset fixed, ...

-- Entries: the feed's own update time (a newer one triggers a re-fetch) and when a failed page
-- may be tried again (Retry-After).
ALTER TABLE feed_entries ADD COLUMN IF NOT EXISTS updated         TIMESTAMPTZ;
ALTER TABLE feed_entries ADD COLUMN IF NOT EXISTS next_attempt_at TIMESTAMPTZ;

-- Articles: which version the row holds and how its bytes were decoded.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS version  INTEGER DEFAULT 1;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS encoding VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS ingest_note VARCHAR;  -- e.g. declared charset was wrong

-- Per-origin (scheme://host:port) politeness state that must outlive one run.
CREATE TABLE IF NOT EXISTS host_state (
    origin          VARCHAR PRIMARY KEY,
    blocked_until   TIMESTAMPTZ,          -- from Retry-After on 429/503
    blocked_reason  VARCHAR,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- Every text an article has had. articles holds the latest; version 1 is the first fetch.
CREATE TABLE IF NOT EXISTS article_versions (
    article_id    VARCHAR NOT NULL,
    version       INTEGER NOT NULL,
    content_hash  VARCHAR NOT NULL,
    title         VARCHAR,
    text          VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- A figure that changed between two versions of one article without the outlet saying so.
CREATE TABLE IF NOT EXISTS silent_edits (
    edit_id        VARCHAR PRIMARY KEY,   -- hash of article, versions and the two sentences
    article_id     VARCHAR NOT NULL,
    from_version   INTEGER NOT NULL,
    to_version     INTEGER NOT NULL,
    old_sentence   VARCHAR,
    new_sentence   VARCHAR,
    old_figures    VARCHAR[],
    new_figures    VARCHAR[],
    detected_at    TIMESTAMPTZ NOT NULL,
    alerted_at     TIMESTAMPTZ            -- set by whoever emails it
);

-- Syndicated or duplicate copies of a stored article: kept for provenance, never stored as a
-- second article, so a wire story carried by three sites is one source.
CREATE TABLE IF NOT EXISTS article_copies (
    copy_id        VARCHAR PRIMARY KEY,   -- hash of the copy's canonical URL
    original_id    VARCHAR NOT NULL,      -- articles.article_id
    url            VARCHAR NOT NULL,
    feed_name      VARCHAR,
    publisher      VARCHAR,
    title          VARCHAR,
    published      TIMESTAMPTZ,
    method         VARCHAR NOT NULL,      -- guid | content_hash | near_duplicate
    similarity     DOUBLE,
    content_hash   VARCHAR,
    found_at       TIMESTAMPTZ NOT NULL
);

-- Messages for operators (a feed paused, ...); the alert stage sends and stamps them.
CREATE TABLE IF NOT EXISTS operator_alerts (
    alert_id     VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,        -- feed_paused | silent_edit
    subject      VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ
);
