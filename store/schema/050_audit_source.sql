-- 050_audit_source: the audit trail keeps the exact source (FILE:LINE or
-- FILE:SHEET!CELL) of the value a load replaced, so that an undo puts back
-- the value with the position it came from, as if the undone load had never
-- happened. Rows from before this migration have none (NULL): their undo
-- falls back to the file name.
ALTER TABLE observation_audit ADD COLUMN IF NOT EXISTS old_source VARCHAR;
