-- Staged claims with the columns the claims suite reads. The rules GX cannot express on one row
-- (the quote against its article's text, as_of against its publication) are computed here as
-- booleans against the published article; a claim whose article is not published gets FALSE.
-- A part or another occurrence's figure qualifies a catalog attribute (death_toll.<place>,
-- injured.hospital, death_toll.history): it is checked as the attribute it qualifies, the longest
-- name of the catalog's vocabulary (registered frame quality_vocabulary) that it is or extends
-- by one or more dot-separated qualifiers of lower-case letters, digits, '_' and '-' (a place is
-- folded to "kerr-county"): "death_toll." or "death_toll..x" qualifies nothing and stays unknown.
WITH catalog_names AS (
    SELECT s.claim_id, max_by(v.attribute, length(v.attribute)) AS catalog_attribute
    FROM stg_claims s
    JOIN quality_vocabulary v
      ON s.attribute = v.attribute
      OR (starts_with(s.attribute, v.attribute || '.')
          AND regexp_full_match(substr(s.attribute, length(v.attribute) + 2),
                                '[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*'))
    GROUP BY s.claim_id
)
SELECT s.claim_id AS row_key, s.claim_id, s.article_id, s.event_id, s.attribute,
       coalesce(n.catalog_attribute, s.attribute) AS catalog_attribute, s.kind, s.unit,
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
LEFT JOIN catalog_names n ON n.claim_id = s.claim_id
ORDER BY s.claim_id;
