-- The stored events a batch's reports may belong to (pipelines.events.EventIndex.requests), in
-- Event's field order then created_at as epoch microseconds (only its order is used: an integer
-- costs nothing to read back, a TIMESTAMPTZ a time zone conversion per row). The requests come as one list per field ($story_type,
-- $whole, ...: row i of the requests is element i of each); each is answered by an equality join
-- (a story whole, a story's week, its events of one round, of one day of the year, or one event by
-- id), so the cost follows the batch's stories and weeks, not the number of stored events. An
-- event asked for twice comes once.
WITH requested AS (
    SELECT unnest(CAST($story_type AS VARCHAR[])) AS story_type,
           unnest(CAST($whole AS BOOLEAN[])) AS whole,
           unnest(CAST($week AS BIGINT[])) AS week,
           unnest(CAST($round_ordinal AS INTEGER[])) AS round_ordinal,
           unnest(CAST($month AS INTEGER[])) AS month,
           unnest(CAST($day AS INTEGER[])) AS day,
           unnest(CAST($event_id AS VARCHAR[])) AS event_id
),
by_story AS (
    SELECT e.event_id FROM events e JOIN requested r ON r.whole AND e.story_type = r.story_type
),
by_week AS (
    -- week numbers as pipelines.events._week: the proleptic ordinal (1 Jan of year 1 is 1) // 7
    SELECT e.event_id
    FROM events e
    JOIN requested r ON e.story_type = r.story_type
        AND (date_diff('day', DATE '0001-01-01', e.occurrence_date) + 1) // 7 = r.week
),
by_round AS (
    SELECT e.event_id FROM events e JOIN requested r ON e.story_type = r.story_type AND e.round_ordinal = r.round_ordinal
),
by_day_of_year AS (
    SELECT e.event_id
    FROM events e
    JOIN requested r ON e.story_type = r.story_type
        AND month(e.occurrence_date) = r.month AND day(e.occurrence_date) = r.day
),
by_id AS (
    SELECT e.event_id FROM events e JOIN requested r ON e.event_id = r.event_id
),
wanted AS (
    SELECT event_id FROM by_story
    UNION SELECT event_id FROM by_week
    UNION SELECT event_id FROM by_round
    UNION SELECT event_id FROM by_day_of_year
    UNION SELECT event_id FROM by_id
)
SELECT e.event_id, e.story_type, e.label, e.occurrence_date, e.location, e.round_ordinal, e.session,
       epoch_us(e.created_at) AS created_at
FROM events e
JOIN wanted USING (event_id)
ORDER BY e.occurrence_date NULLS LAST, e.created_at, e.event_id;
