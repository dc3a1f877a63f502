-- publish/full: a full rebuild replaces the output tables whole (their
-- columns included, should the models have changed them).
CREATE OR REPLACE TABLE indicator_pop AS SELECT * FROM tf_out_pop;
CREATE OR REPLACE TABLE scores AS SELECT * FROM tf_out_scores;
CREATE OR REPLACE TABLE score_points AS SELECT * FROM tf_out_score_points;
CREATE OR REPLACE TABLE quality AS SELECT * FROM tf_out_quality;
