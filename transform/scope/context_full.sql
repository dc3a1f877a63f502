-- scope/context_full: a full rebuild keeps nothing of the last run's tables.
CREATE TEMP VIEW tf_old_pop AS
SELECT NULL::VARCHAR AS unit_code, NULL::VARCHAR AS indicator_code, NULL::VARCHAR AS period,
       NULL::VARCHAR AS period_type, NULL::DATE AS period_start, NULL::DATE AS period_end,
       NULL::DOUBLE AS value, NULL::BOOLEAN AS is_cluster
WHERE false;

CREATE TEMP VIEW tf_old_scores AS
SELECT NULL::VARCHAR AS unit_code, NULL::VARCHAR AS period_type, NULL::DATE AS period_start, NULL::BIGINT AS rank
WHERE false;
