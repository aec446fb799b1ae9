-- Articles for analysts: everything but the raw page (the gzip of the HTML is most of the live
-- file and of no use in SQL). Parts by the time the row was fetched (see part_macro.sql).
SELECT snapshot_part(fetched_at) AS part, * EXCLUDE (raw_html_gz)
FROM articles
