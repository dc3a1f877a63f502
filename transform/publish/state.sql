-- publish/state: the fingerprints this run's outputs were made from, for the
-- next run to compare (scope/010_fingerprint); year NULL is tf_gfp's.
CREATE TABLE IF NOT EXISTS transform_state (year INTEGER, fp VARCHAR NOT NULL);
DELETE FROM transform_state;
INSERT INTO transform_state SELECT NULL, fp FROM tf_gfp;
INSERT INTO transform_state SELECT year, fp FROM tf_yfp;
DROP MACRO IF EXISTS tf_span_fm;
DROP MACRO IF EXISTS tf_freq_of;
