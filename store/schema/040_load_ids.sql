-- 040_load_ids: load ids are drawn inside the load's transaction (max + 1), not from
-- a sequence, whose values a rolled-back load spent.
DROP SEQUENCE IF EXISTS load_ids;
