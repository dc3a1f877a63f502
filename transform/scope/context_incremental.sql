-- scope/context_incremental: the last run's tables, which keep the rows of
-- the years not recomputed. The models read from them the values of the
-- year before each recomputed one (previous period, same period last year,
-- previous rank, a stock's last December) and, for the value checks, the
-- same month of the other years.
CREATE TEMP VIEW tf_old_pop AS
SELECT unit_code, indicator_code, period, period_type, period_start, period_end, value, is_cluster
FROM main.indicator_pop;

CREATE TEMP VIEW tf_old_scores AS
SELECT unit_code, period_type, period_start, rank FROM main.scores;
