-- newswatch schema: every table the pipeline writes. Idempotent (IF NOT EXISTS).
-- Ids are stable content hashes (see pipelines/ids.py), so re-runs upsert instead of duplicating.

-- One row per configured feed: conditional-GET validators and health counters.
CREATE TABLE IF NOT EXISTS feeds (
    feed_name            VARCHAR PRIMARY KEY,
    url                  VARCHAR NOT NULL,
    topic_keywords       VARCHAR[],
    etag                 VARCHAR,
    last_modified        VARCHAR,
    last_status          VARCHAR,      -- ok | not_modified | bozo | http_error | fetch_error
    last_http_status     INTEGER,
    last_error           VARCHAR,
    consecutive_failures INTEGER DEFAULT 0,
    last_polled_at       TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    polls                INTEGER DEFAULT 0,
    not_modified_polls   INTEGER DEFAULT 0
);

-- Every poll of every feed, for the health view and the operator log.
CREATE TABLE IF NOT EXISTS feed_polls (
    poll_id        VARCHAR PRIMARY KEY,
    feed_name      VARCHAR NOT NULL,
    polled_at      TIMESTAMPTZ NOT NULL,
    status         VARCHAR NOT NULL,
    http_status    INTEGER,
    bozo           BOOLEAN DEFAULT FALSE,
    bozo_reason    VARCHAR,
    entries_seen   INTEGER DEFAULT 0,
    entries_new    INTEGER DEFAULT 0,
    error          VARCHAR,
    elapsed_ms     DOUBLE
);

-- Feed entries seen so far, keyed by feed + GUID (or link when there is no GUID).
CREATE TABLE IF NOT EXISTS feed_entries (
    entry_id       VARCHAR PRIMARY KEY,
    feed_name      VARCHAR NOT NULL,
    guid           VARCHAR,
    link           VARCHAR,
    canonical_url  VARCHAR,
    title          VARCHAR,
    published      TIMESTAMPTZ,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    fetch_status   VARCHAR DEFAULT 'pending',  -- pending | stored | failed | skipped
    fetch_error    VARCHAR,
    fetch_attempts INTEGER DEFAULT 0,
    article_id     VARCHAR
);

-- Clean articles. article_id = hash of the canonical URL; content_hash = hash of the clean text.
CREATE TABLE IF NOT EXISTS articles (
    article_id     VARCHAR PRIMARY KEY,
    url            VARCHAR NOT NULL,
    canonical_url  VARCHAR NOT NULL,
    feed_name      VARCHAR,
    publisher      VARCHAR,
    title          VARCHAR,
    author         VARCHAR,
    published      TIMESTAMPTZ,
    language       VARCHAR,
    text           VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    raw_html_gz    BLOB,              -- the page as fetched, gzip-compressed
    fetched_at     TIMESTAMPTZ NOT NULL,
    processed_at   TIMESTAMPTZ        -- set when claims were extracted from this text
);

-- People, places and organisations with canonical ids; aliases map every spelling to one id.
CREATE TABLE IF NOT EXISTS entities (
    entity_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL       -- person | place | org
);
CREATE TABLE IF NOT EXISTS entity_aliases (
    alias       VARCHAR PRIMARY KEY,   -- lower-cased, accents folded
    entity_id   VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS article_entities (
    article_id  VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,
    mentions    INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);

-- Occurrences: one story on one occasion (the 16 May talks; one earthquake, whatever day its toll is reported).
CREATE TABLE IF NOT EXISTS events (
    event_id         VARCHAR PRIMARY KEY,
    story_type       VARCHAR NOT NULL,   -- negotiation | earthquake | air_crash | ...
    label            VARCHAR NOT NULL,
    occurrence_date  DATE,
    location         VARCHAR,
    round_ordinal    INTEGER,            -- "the third round" -> 3, when reports say so
    created_at       TIMESTAMPTZ NOT NULL
);
ALTER TABLE events ADD COLUMN IF NOT EXISTS session VARCHAR;  -- one_on_one | expanded | part:2 | NULL = whole

-- One figure one article states about one attribute of one event.
CREATE TABLE IF NOT EXISTS claims (
    claim_id       VARCHAR PRIMARY KEY,
    article_id     VARCHAR NOT NULL,
    event_id       VARCHAR,
    attribute      VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,     -- fixed | cumulative (from the catalog)
    unit           VARCHAR NOT NULL,
    value_low      DOUBLE,               -- NULL = unbounded below
    value_high     DOUBLE,               -- NULL = unbounded above
    hedge          VARCHAR NOT NULL,     -- exact | about | nearly | less than | ...
    value_text     VARCHAR NOT NULL,     -- the figure as written
    scope          VARCHAR NOT NULL,     -- whole | per_side | total | subset | projection | running_total
    as_of          DATE,
    source_entity  VARCHAR,              -- who is quoted, when the sentence says so
    quote          VARCHAR NOT NULL,     -- exact substring of the article text
    quote_start    INTEGER NOT NULL,     -- character offsets of quote in articles.text
    quote_end      INTEGER NOT NULL,
    sentence       VARCHAR NOT NULL,
    extracted_at   TIMESTAMPTZ NOT NULL
);
-- Added after the first release: databases made before get them here.
ALTER TABLE claims ADD COLUMN IF NOT EXISTS confidence         DOUBLE;     -- 0..1
ALTER TABLE claims ADD COLUMN IF NOT EXISTS confidence_reasons VARCHAR[];  -- attribute.cue, attribution.hedged, ...
ALTER TABLE claims ADD COLUMN IF NOT EXISTS area               VARCHAR;    -- the one area a running count is said of
ALTER TABLE claims ADD COLUMN IF NOT EXISTS area_place         VARCHAR;    -- its gazetteer place: level/country/code/parent
ALTER TABLE claims ADD COLUMN IF NOT EXISTS event_part         BOOLEAN DEFAULT FALSE;  -- the event's areas made it a part

-- Pairs of claims on the same event and attribute whose figures differ.
CREATE TABLE IF NOT EXISTS contradictions (
    contradiction_id VARCHAR PRIMARY KEY,   -- hash of the two claim ids
    event_id         VARCHAR NOT NULL,
    attribute        VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,      -- conflict | update | revision | unordered | unconfirmed
    claim_a          VARCHAR NOT NULL,      -- the earlier claim
    claim_b          VARCHAR NOT NULL,      -- the later claim
    gap              DOUBLE NOT NULL,       -- distance between the two intervals, in the attribute's unit
    relative_gap     DOUBLE NOT NULL,       -- gap / magnitude
    severity         VARCHAR NOT NULL,      -- low | medium | high
    reason           VARCHAR NOT NULL,      -- why, in words
    fingerprint      VARCHAR NOT NULL,      -- event + attribute + set of conflicting values: alert key
    detected_at      TIMESTAMPTZ NOT NULL
);

-- Alert outbox: one row per fingerprint (a conflict in one state); a fingerprint is emailed once, ever.
CREATE TABLE IF NOT EXISTS alerts (
    fingerprint     VARCHAR PRIMARY KEY,
    event_id        VARCHAR NOT NULL,
    attribute       VARCHAR NOT NULL,
    subject         VARCHAR NOT NULL,
    body_text       VARCHAR NOT NULL,
    body_html       VARCHAR NOT NULL,
    recipients      VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,       -- pending | sent | failed
    attempts        INTEGER DEFAULT 0,
    last_error      VARCHAR,
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
-- Follow-ups: a conflict is alerted again, threaded to its first email, when its values or the
-- outlets on a side change; `sides` keeps the state each alert was about, `changes` what was new.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS conflict_fingerprint VARCHAR;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS thread_root          VARCHAR;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS follow_up_of         VARCHAR;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS sides                JSON;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS changes              VARCHAR;

-- Rows that failed a check, with the reason and the full row, so nothing is lost.
CREATE TABLE IF NOT EXISTS quarantine (
    quarantine_id   VARCHAR PRIMARY KEY,
    table_name      VARCHAR NOT NULL,
    row_key         VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    row_json        JSON NOT NULL,
    quarantined_at  TIMESTAMPTZ NOT NULL,
    released_at     TIMESTAMPTZ
);

-- One row per pipeline stage run, so operators and analysts can see counts and timings.
CREATE TABLE IF NOT EXISTS pipeline_runs (
    run_id        VARCHAR NOT NULL,
    stage         VARCHAR NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    counts        JSON,
    PRIMARY KEY (run_id, stage)
);
