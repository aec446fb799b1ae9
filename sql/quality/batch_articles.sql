-- Articles the articles suite has not checked yet ($all: every article), with the computed columns
-- the suite reads. A run's cost follows its new articles, not the history: only candidates are
-- fingerprinted (to see whether this version of them was checked): articles never checked (a
-- lookup of their key in quality_checked), articles written since their check (fetched_at is set
-- by every write that can change a checked column: a new row, a row stored again after it left,
-- a revision) and revised ones (version above 1, ingest/revise_article.sql).
-- Only the pending articles are read whole; whether one is a later copy (an article fetched before
-- it, ties broken by id, has its content hash or canonical URL) is a lookup of its keys among the
-- stored articles.
WITH candidates AS (
    SELECT a.article_id
    FROM articles a
    LEFT JOIN quality_checked q ON q.table_name = 'articles' AND q.row_key = a.article_id
    WHERE $all OR q.row_key IS NULL OR a.fetched_at >= q.checked_at OR a.version > 1
),
fingerprinted AS (
    SELECT a.article_id,
           md5(concat_ws('|', a.content_hash, a.url, a.canonical_url, a.language, CAST(a.published AS VARCHAR)))
               AS fingerprint
    FROM articles a
    JOIN candidates USING (article_id)
),
pending AS (
    SELECT f.article_id, f.fingerprint
    FROM fingerprinted f
    WHERE $all OR NOT EXISTS (
        SELECT 1 FROM quality_checked q
        WHERE q.table_name = 'articles' AND q.row_key = f.article_id AND q.fingerprint = f.fingerprint)
),
batch AS (
    SELECT a.article_id, a.url, a.canonical_url, a.publisher, a.language, a.published, a.fetched_at,
           a.text, a.content_hash, p.fingerprint
    FROM articles a
    JOIN pending p USING (article_id)
)
SELECT b.article_id AS row_key, b.article_id, b.url, b.canonical_url, b.publisher, b.language,
       length(trim(b.text)) AS text_chars,
       date_diff('second', b.published, b.fetched_at) / 86400.0 AS age_days,
       NOT EXISTS (SELECT 1 FROM articles e WHERE e.content_hash = b.content_hash
                   AND (e.fetched_at < b.fetched_at OR (e.fetched_at = b.fetched_at AND e.article_id < b.article_id)))
           AS first_of_content,
       NOT EXISTS (SELECT 1 FROM articles e WHERE e.canonical_url = b.canonical_url
                   AND (e.fetched_at < b.fetched_at OR (e.fetched_at = b.fetched_at AND e.article_id < b.article_id)))
           AS first_of_url,
       b.fingerprint
FROM batch b
ORDER BY b.article_id;
