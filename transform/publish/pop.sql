-- publish/pop: the rows of indicator_pop of one indicator (the parameter:
-- its code), in tf_out_pop's order. The publish step runs it for each
-- indicator in the order of their codes (the Parquet export's order) after
-- publish/full.sql or publish/incremental.sql, so a sort holds one
-- indicator's rows, not the whole table's (at 700 units × 9 indicators ×
-- 4 years, all of them at once took ≈ 200 MB of the transform's peak).
INSERT INTO indicator_pop BY NAME SELECT * FROM tf_out_pop WHERE indicator_code = ?;
