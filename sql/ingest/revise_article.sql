-- A re-fetched article whose text changed: the row now holds the new version, and claims must be
-- extracted again (processed_at = NULL). The old text stays in article_versions.
UPDATE articles SET
    url = $url,
    title = $title,
    text = $text,
    content_hash = $content_hash,
    raw_html_gz = $raw_html_gz,
    fetched_at = $fetched_at,
    version = $version,
    encoding = $encoding,
    ingest_note = $ingest_note,
    processed_at = NULL
WHERE article_id = $article_id;
