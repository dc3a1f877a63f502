-- 070_load_archived: the name a loaded file has in the inbox's archive/ folder
-- (archive/report.20260301T080000Z.csv when report.csv was taken), so that
-- "thidua loads" tells apart two files sent under the same name. NULL for a
-- file loaded from elsewhere than the inbox.
ALTER TABLE loads ADD COLUMN IF NOT EXISTS archived VARCHAR;
