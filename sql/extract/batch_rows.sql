-- One row per article of an extraction batch, typed explicitly: what a batch file holds.
-- $rows is a list of article records built by pipelines/extract_batches.py.
SELECT r.*
FROM (
    SELECT unnest(CAST($rows AS STRUCT(
        position     INTEGER,
        article_id   VARCHAR,
        content_hash VARCHAR,
        published    TIMESTAMPTZ,
        error        VARCHAR,
        claims STRUCT(
            claim_id VARCHAR, attribute VARCHAR, kind VARCHAR, unit VARCHAR,
            value_low DOUBLE, value_high DOUBLE, hedge VARCHAR, value_text VARCHAR, scope VARCHAR,
            as_of DATE, quote VARCHAR, quote_start INTEGER, quote_end INTEGER, sentence VARCHAR,
            source_entity VARCHAR, confidence DOUBLE, confidence_reasons VARCHAR[], area VARCHAR, area_place VARCHAR,
            hint STRUCT(
                story_type VARCHAR, occurrence_date DATE, location VARCHAR, round_ordinal INTEGER,
                recalled BOOLEAN, reference_date DATE, date_precision VARCHAR, places VARCHAR[],
                session VARCHAR
            )
        )[],
        entities STRUCT(entity_id VARCHAR, name VARCHAR, kind VARCHAR, mentions INTEGER)[],
        aliases  STRUCT(alias VARCHAR, entity_id VARCHAR)[]
    )[])) AS r
);
