package store

import (
	"context"
	"os"
	"testing"

	"github.com/thidua/thidua"
)

func TestReport(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := thidua.Cluster{Code: "BK8", Name: "Cụm", Units: []thidua.Unit{{Code: "060", Name: "Pác Nặm"}, {Code: "061", Name: "Ba Bể"}},
		Indicators: []thidua.Indicator{{Code: "new_coops", Name: "Hợp tác xã thành lập mới", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true}},
		Criteria:   []thidua.Criterion{{Indicator: "new_coops", Weight: 10, Method: thidua.Threshold, Bands: []thidua.Band{{Min: 50, Points: 5}, {Min: 100, Points: 10}}}}}
	if err := db.SyncCluster(ctx, c); err != nil {
		t.Fatal(err)
	}

	// Before the transform ran: cluster only, no error.
	r, err := db.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Pop) != 0 || len(r.Cluster.Units) != 2 || r.Synthetic {
		t.Fatalf("empty report: %+v", r)
	}

	fixture, err := os.ReadFile("testdata/report_fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	r, err = db.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Cluster.Code != "BK8" || len(r.Cluster.Units) != 2 || r.Cluster.Units[1].Name != "Ba Bể" || len(r.Cluster.Indicators) != 1 {
		t.Errorf("cluster: %+v", r.Cluster)
	}
	if len(r.Cluster.Criteria) != 1 || len(r.Cluster.Criteria[0].Bands) != 2 || r.Cluster.Criteria[0].Bands[1].Points != 10 {
		t.Errorf("criteria: %+v", r.Cluster.Criteria)
	}
	want := []thidua.Period{{Type: thidua.Half, Year: 2020, N: 1}, {Type: thidua.YTD9, Year: 2020, N: 9}}
	if len(r.Periods) != 2 || r.Periods[0] != want[0] || r.Periods[1] != want[1] {
		t.Errorf("periods = %v, want %v", r.Periods, want)
	}
	if len(r.Pop) != 4 {
		t.Fatalf("pop rows = %d, want 4", len(r.Pop))
	}
	p := r.Pop[0]
	if p.Unit != "060" || p.Period != want[0] || p.Value != thidua.Some(4) || p.PctOfTarget != thidua.Some(50) ||
		p.RankTarget != 1 || !p.Complete || p.MonthsReported != 6 || p.IsCluster || p.ValueSource != "period" ||
		p.Achievement != thidua.Some(50) || p.Status != thidua.Behind || p.YoYTrend != thidua.Better {
		t.Errorf("pop[0] = %+v", p)
	}
	ba := r.Pop[1]
	if ba.Unit != "061" || ba.PrevValue.OK || ba.PctChangeYoY.OK || ba.Complete || ba.MonthsReported != 4 ||
		ba.Status != thidua.Incomplete || ba.YoYTrend != "" {
		t.Errorf("pop[1] (missing values must stay missing) = %+v", ba)
	}
	if cl := r.Pop[2]; !cl.IsCluster || cl.UnitsReported != 2 || cl.UnitsExpected != 2 || cl.ValuePartial.OK || cl.RankValue != 0 {
		t.Errorf("pop[2] cluster row = %+v", cl)
	}
	if len(r.Scores) != 2 || r.Scores[0].Unit != "060" || r.Scores[0].Rank != 1 || r.Scores[0].RankChange != thidua.Some(1) || r.Scores[0].Total != thidua.Some(6) {
		t.Errorf("scores = %+v", r.Scores)
	}
	if len(r.ScorePoints) != 1 || r.ScorePoints[0].Points != thidua.Some(5) {
		t.Errorf("score points = %+v", r.ScorePoints)
	}
	if len(r.QualityFlags) != 1 || r.QualityFlags[0].Value.OK || r.QualityFlags[0].Expected != thidua.Some(6) || r.QualityFlags[0].Period != "2020-H1" {
		t.Errorf("quality = %+v", r.QualityFlags)
	}
	if len(r.Loads) != 1 || r.Loads[0].File != "new_coops.csv" || r.Loads[0].Inserted != 4 {
		t.Errorf("loads = %+v", r.Loads)
	}
	if !r.Synthetic {
		t.Error("a live sample load must make the report synthetic")
	}
	if _, err := db.SQL().ExecContext(ctx, `UPDATE loads SET status = 'undone'`); err != nil {
		t.Fatal(err)
	}
	if r, err = db.Report(ctx); err != nil || r.Synthetic {
		t.Errorf("after undoing the sample load: synthetic=%v err=%v", r.Synthetic, err)
	}
}

func TestReportBadPeriod(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL().ExecContext(ctx, `CREATE TABLE scores (unit_code VARCHAR, unit_name VARCHAR, period VARCHAR,
		period_type VARCHAR, period_start DATE, period_end DATE, points DOUBLE, max_points DOUBLE, bonus DOUBLE,
		total DOUBLE, rank INTEGER, prev_rank INTEGER, rank_change INTEGER, criteria_scored INTEGER);
		INSERT INTO scores VALUES ('060','P','2020-H1','quarter',NULL,NULL,1,1,0,1,1,NULL,NULL,1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Report(ctx); err == nil {
		t.Fatal("want an error for a period stored with the wrong type")
	}
}
