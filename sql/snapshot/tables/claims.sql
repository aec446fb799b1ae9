-- claims for analysts, in parts by the hour the claim was extracted (see part_macro.sql): a run rewrites only the parts it changed.
SELECT snapshot_part(extracted_at) AS part, *
FROM claims
