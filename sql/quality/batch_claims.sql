-- Staged claims with the columns the claims suite reads. The rules GX cannot express on one row
-- (the quote against its article's text, as_of against its publication) are computed here as
-- booleans against the published article; a claim whose article is not published gets FALSE.
SELECT s.claim_id AS row_key, s.claim_id, s.article_id, s.event_id, s.attribute, s.kind, s.unit,
       s.value_low, s.value_high, s.hedge, s.scope, s.quote_start, s.quote_end, s.confidence,
       a.article_id IS NOT NULL AS article_published,
       s.value_low IS NOT NULL OR s.value_high IS NOT NULL AS has_bound,
       coalesce(s.quote_start >= 0 AND s.quote_start < s.quote_end AND s.quote_end <= length(a.text), FALSE)
           AS offsets_in_text,
       coalesce(s.quote <> '' AND contains(a.text, s.quote), FALSE) AS quote_in_text,
       coalesce(substr(a.text, s.quote_start + 1, s.quote_end - s.quote_start) = s.quote, FALSE) AS quote_at_offsets,
       coalesce(s.as_of IS NULL OR a.published IS NULL
                OR s.as_of <= CAST(timezone('UTC', a.published) AS DATE) + 1, FALSE) AS as_of_not_after_published
FROM stg_claims s
LEFT JOIN articles a ON a.article_id = s.article_id
ORDER BY s.claim_id;
