-- Claims compared by this run: every group with claims not compared yet was recomputed.
UPDATE claims SET detected_at = $now WHERE detected_at IS NULL;
