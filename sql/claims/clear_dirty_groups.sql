-- Groups that lost claims have been recomputed.
DELETE FROM detection_dirty;
