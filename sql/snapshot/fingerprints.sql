-- One row per part of the table behind the temporary view snapshot_source: its row count and an
-- order-independent hash of its rows. A part whose pair is unchanged since the last publish is
-- not written again.
SELECT
    part,
    count(*)                                    AS row_count,
    bit_xor(hash(*COLUMNS(* EXCLUDE (part))))   AS fingerprint
FROM snapshot_source
GROUP BY part
