-- Fixture for TestReport: the transform's output tables with the columns of
-- docs/DESIGN.md, two units, one indicator, two periods.
CREATE TABLE indicator_pop (unit_code VARCHAR, unit_name VARCHAR, indicator_code VARCHAR, indicator_name VARCHAR,
  period VARCHAR, period_type VARCHAR, period_start DATE, period_end DATE, value DOUBLE, prev_value DOUBLE,
  change_prev DOUBLE, pct_change_prev DOUBLE, yoy_value DOUBLE, change_yoy DOUBLE, pct_change_yoy DOUBLE,
  ytd_value DOUBLE, target DOUBLE, pct_of_target DOUBLE, rank_value BIGINT, rank_target BIGINT,
  cluster_total DOUBLE, cluster_mean DOUBLE, share_of_cluster DOUBLE, is_cluster BOOLEAN, complete BOOLEAN,
  months_expected INTEGER, months_reported INTEGER, units_reported INTEGER, units_expected INTEGER,
  units_ranked INTEGER, value_partial DOUBLE, value_source VARCHAR,
  achievement DOUBLE, status VARCHAR, yoy_trend VARCHAR);
INSERT INTO indicator_pop VALUES
 ('060','Pác Nặm','new_coops','Hợp tác xã thành lập mới','2020-H1','half','2020-01-01','2020-06-30',4,2,2,100,3,1,33.333333333333336,4,8,50,1,1,6,3,66.66666666666667,false,true,6,6,NULL,NULL,NULL,NULL,'period',50,'behind','better'),
 ('061','Ba Bể','new_coops','Hợp tác xã thành lập mới','2020-H1','half','2020-01-01','2020-06-30',2,NULL,NULL,NULL,NULL,NULL,NULL,2,8,25,2,2,6,3,33.333333333333336,false,false,6,4,NULL,NULL,NULL,NULL,'period',25,'incomplete',NULL),
 ('BK8','Cụm','new_coops','Hợp tác xã thành lập mới','2020-H1','half','2020-01-01','2020-06-30',6,NULL,NULL,NULL,NULL,NULL,NULL,6,16,37.5,NULL,NULL,6,3,100,true,false,6,5,2,2,2,NULL,'period',37.5,'incomplete',NULL),
 ('060','Pác Nặm','new_coops','Hợp tác xã thành lập mới','2020-9M','ytd','2020-01-01','2020-09-30',5,NULL,NULL,NULL,NULL,NULL,NULL,5,8,62.5,1,1,5,5,100,false,true,9,9,NULL,NULL,NULL,NULL,'period',62.5,'behind',NULL);
CREATE TABLE scores (unit_code VARCHAR, unit_name VARCHAR, period VARCHAR, period_type VARCHAR, period_start DATE,
  period_end DATE, points DOUBLE, max_points DOUBLE, bonus DOUBLE, total DOUBLE, rank INTEGER, prev_rank INTEGER,
  rank_change INTEGER, criteria_scored INTEGER);
INSERT INTO scores VALUES
 ('061','Ba Bể','2020-H1','half','2020-01-01','2020-06-30',2.5,10,0,2.5,2,1,-1,1),
 ('060','Pác Nặm','2020-H1','half','2020-01-01','2020-06-30',5,10,1,6,1,2,1,1);
CREATE TABLE score_points (unit_code VARCHAR, period VARCHAR, period_type VARCHAR, period_start DATE,
  criterion VARCHAR, method VARCHAR, weight DOUBLE, input_value DOUBLE, points DOUBLE);
INSERT INTO score_points VALUES ('060','2020-H1','half','2020-01-01','new_coops','pct_of_target',10,50,5);
CREATE TABLE quality (check_name VARCHAR, severity VARCHAR, unit_code VARCHAR, indicator_code VARCHAR, period VARCHAR,
    value DOUBLE, expected DOUBLE, score DOUBLE, message VARCHAR, message_vi VARCHAR, accepted_by VARCHAR, accepted_why VARCHAR);
INSERT INTO quality VALUES ('completeness','warning','061','new_coops','2020-H1',NULL,6,NULL,'4 of 6 months reported','4/6 tháng',NULL,NULL);
INSERT INTO loads VALUES (1,'/x/sample/new_coops.csv','new_coops.csv','abc','sample',10,4,'2026-01-02 03:04:05',4,0,0,0,'loaded',NULL);
