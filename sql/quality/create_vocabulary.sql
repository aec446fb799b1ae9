-- The catalog's vocabulary for this gate run, so the claims batch can name the catalog attribute
-- a part or another occurrence's figure qualifies (see batch_claims.sql).
CREATE OR REPLACE TEMP TABLE quality_vocabulary AS
SELECT unnest(CAST($names AS VARCHAR[])) AS attribute;
