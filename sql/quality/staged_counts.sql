-- Rows waiting in staging, per table.
SELECT (SELECT count(*) FROM stg_claims) AS claims,
       (SELECT count(*) FROM stg_contradictions) AS contradictions;
