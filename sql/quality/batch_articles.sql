-- Articles the articles suite has not checked yet ($all: every article), with the computed columns
-- the suite reads. Duplicates are ranked over all published articles, so only later copies fail.
WITH ranked AS (
    SELECT a.article_id, a.url, a.canonical_url, a.publisher, a.language, a.published, a.fetched_at,
           length(trim(a.text)) AS text_chars,
           row_number() OVER (PARTITION BY a.content_hash ORDER BY a.fetched_at, a.article_id) = 1 AS first_of_content,
           row_number() OVER (PARTITION BY a.canonical_url ORDER BY a.fetched_at, a.article_id) = 1 AS first_of_url,
           md5(concat_ws('|', a.content_hash, a.url, a.canonical_url, a.language, CAST(a.published AS VARCHAR)))
               AS fingerprint
    FROM articles a
)
SELECT r.article_id AS row_key, r.article_id, r.url, r.canonical_url, r.publisher, r.language, r.text_chars,
       date_diff('second', r.published, r.fetched_at) / 86400.0 AS age_days,
       r.first_of_content, r.first_of_url, r.fingerprint
FROM ranked r
WHERE $all OR NOT EXISTS (
    SELECT 1 FROM quality_checked q
    WHERE q.table_name = 'articles' AND q.row_key = r.article_id AND q.fingerprint = r.fingerprint)
ORDER BY r.article_id;
