-- Entity mentions per article, in the parts of their article (the UTC hour it was fetched), so a
-- run that adds articles rewrites only the newest parts.
SELECT snapshot_part(a.fetched_at) AS part, ae.*
FROM article_entities ae
LEFT JOIN articles a USING (article_id)
