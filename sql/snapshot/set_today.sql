-- Fix "today" (a UTC day number) for every statement of this publish (see part_macro.sql).
SET VARIABLE snapshot_today = ?
