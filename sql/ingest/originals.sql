-- Copy -> original, for treating syndicated copies as one source.
SELECT copy_id, original_id FROM article_copies ORDER BY copy_id;
