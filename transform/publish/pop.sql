-- publish/pop: the rows of indicator_pop of the indicators whose codes are
-- from the first parameter to the second, in tf_out_pop's order. The
-- publish step runs it for batches of indicators in the order of their
-- codes (the Parquet export's order) after publish/full.sql or
-- publish/incremental.sql, so that a sort holds a batch's rows, not the
-- whole table's.
INSERT INTO indicator_pop BY NAME SELECT * FROM tf_out_pop WHERE indicator_code BETWEEN ? AND ?;
