-- Feed entries the feed_entries suite has not checked yet ($all: every entry), with the computed
-- columns the suite reads. Duplicates are ranked over all stored entries, so only the later copy fails.
WITH ranked AS (
    SELECT fe.*,
           fe.link IS NULL OR row_number() OVER (
               PARTITION BY fe.feed_name, coalesce(fe.canonical_url, fe.link)
               ORDER BY fe.first_seen_at, fe.entry_id) = 1 AS first_for_url,
           md5(concat_ws('|', fe.link, fe.canonical_url, CAST(fe.published AS VARCHAR), fe.title)) AS fingerprint
    FROM feed_entries fe
)
SELECT r.entry_id AS row_key, r.entry_id, r.feed_name, r.link, r.canonical_url, r.title,
       date_diff('second', r.published, r.first_seen_at) / 86400.0 AS age_days,
       r.first_for_url, r.fingerprint
FROM ranked r
WHERE $all OR NOT EXISTS (
    SELECT 1 FROM quality_checked q
    WHERE q.table_name = 'feed_entries' AND q.row_key = r.entry_id AND q.fingerprint = r.fingerprint)
ORDER BY r.entry_id;
