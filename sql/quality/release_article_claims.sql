-- Claims quarantined because their article was: the released article's claims are extracted again.
UPDATE quarantine SET released_at = $now
WHERE table_name = 'claims' AND released_at IS NULL
  AND json_extract_string(row_json, '$.article_id') = $row_key;
