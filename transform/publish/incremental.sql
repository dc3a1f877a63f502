-- publish/incremental: the rows of the recomputed years (tf_years) are
-- replaced, and so are the value-check findings of the kept months judged
-- again (tf_qredo); every other row stays. Readers order rows themselves,
-- so the new rows going after the kept ones changes nothing they show.
-- (indicator_pop's new rows are inserted by publish/pop.sql, a batch of
-- indicators at a time)
DELETE FROM indicator_pop WHERE year(period_start) IN (SELECT year FROM tf_years);

DELETE FROM scores WHERE year(period_start) IN (SELECT year FROM tf_years);
INSERT INTO scores BY NAME SELECT * FROM tf_out_scores;

DELETE FROM score_points WHERE year(period_start) IN (SELECT year FROM tf_years);
INSERT INTO score_points BY NAME SELECT * FROM tf_out_score_points;

DELETE FROM quality
WHERE try_cast(left(period, 4) AS INTEGER) IN (SELECT year FROM tf_years)
   OR (check_name IN ('ytd_as_month', 'unit_slip', 'seasonal_outlier') -- the value checks of 100_quality
       AND EXISTS (SELECT 1 FROM tf_qredo r WHERE r.unit_code = quality.unit_code
                   AND r.indicator_code = quality.indicator_code AND r.period = quality.period));
INSERT INTO quality BY NAME SELECT * FROM tf_out_quality;
