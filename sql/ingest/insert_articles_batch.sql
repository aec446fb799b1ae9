-- A group of new clean articles (batch_new_articles, in page order) in one statement; as
-- upsert_article, the first stored version wins. Casts keep the types when a column is all NULL.
INSERT INTO articles (article_id, url, canonical_url, feed_name, publisher, title, author, published,
                      language, text, content_hash, raw_html_gz, fetched_at, version, encoding, ingest_note)
SELECT article_id, url, canonical_url, CAST(feed_name AS VARCHAR), CAST(publisher AS VARCHAR),
       CAST(title AS VARCHAR), CAST(author AS VARCHAR), CAST(published AS TIMESTAMPTZ),
       CAST(language AS VARCHAR), text, content_hash, CAST(raw_html_gz AS BLOB),
       CAST(fetched_at AS TIMESTAMPTZ), 1, CAST(encoding AS VARCHAR), CAST(ingest_note AS VARCHAR)
FROM batch_new_articles
ORDER BY position
ON CONFLICT (article_id) DO NOTHING;
