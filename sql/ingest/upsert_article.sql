-- Store a clean article once. The first stored version wins, so a re-run never rewrites a text
-- that claims were already extracted from (revisions go through revise_article).
INSERT INTO articles (article_id, url, canonical_url, feed_name, publisher, title, author, published,
                      language, text, content_hash, raw_html_gz, fetched_at, version, encoding, ingest_note)
VALUES ($article_id, $url, $canonical_url, $feed_name, $publisher, $title, $author, $published,
        $language, $text, $content_hash, $raw_html_gz, $fetched_at, 1, $encoding, $ingest_note)
ON CONFLICT (article_id) DO NOTHING;
