-- For each of these clean-text hashes, the stored article with exactly that text (the first
-- fetched, as article_by_hash picks it): a copy under another URL.
WITH wanted AS (
    SELECT unnest(CAST($hashes AS VARCHAR[])) AS content_hash
)
SELECT a.content_hash, a.article_id
FROM articles AS a
JOIN wanted USING (content_hash)
QUALIFY row_number() OVER (PARTITION BY a.content_hash ORDER BY a.fetched_at, a.article_id) = 1;
