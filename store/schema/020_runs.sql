-- 020_runs: what "thidua status" and the scheduler need to know about each
-- run: the command, the process, its exit status and which thidua ran it.
-- The summary column holds the run's JSON summary (the same as OUT/run.json).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS command VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS exit_code INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS version VARCHAR;
