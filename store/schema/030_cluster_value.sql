-- 030_cluster_value: what the cluster row's value is for an indicator:
-- 'sum' of the units (flows and stocks) or their 'mean' (per-unit averages).
ALTER TABLE indicators ADD COLUMN cluster_value VARCHAR DEFAULT 'sum';
