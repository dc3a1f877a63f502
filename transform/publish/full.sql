-- publish/full: a full rebuild replaces the output tables whole (their
-- columns included, should the models have changed them). indicator_pop is
-- made empty here and filled by publish/pop.sql, a batch of indicators at a
-- time.
CREATE OR REPLACE TABLE indicator_pop AS SELECT * FROM tf_out_pop LIMIT 0;
CREATE OR REPLACE TABLE scores AS SELECT * FROM tf_out_scores;
CREATE OR REPLACE TABLE score_points AS SELECT * FROM tf_out_score_points;
CREATE OR REPLACE TABLE quality AS SELECT * FROM tf_out_quality;
