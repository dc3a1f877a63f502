package pipeline

import (
	"testing"
	"time"

	"github.com/thidua/thidua"
)

func TestLatestReportPeriod(t *testing.T) {
	var rep thidua.Report
	for _, s := range []string{"2020-Q2", "2020-H1", "2020-9M", "2020-H2", "2020", "2021-H1"} {
		p, err := thidua.ParsePeriod(s)
		if err != nil {
			t.Fatal(err)
		}
		rep.Periods = append(rep.Periods, p)
		rep.Scores = append(rep.Scores, thidua.ScoreRow{Unit: "060", Period: p})
	}
	for now, want := range map[string]string{"2020-07-15": "2020-H1", "2020-12-31": "2020-H1", "2021-01-02": "2020", "2021-07-01": "2021-H1"} {
		at, _ := time.Parse(time.DateOnly, now)
		p, ok := latestReportPeriod(rep, at)
		if !ok || p.String() != want {
			t.Errorf("at %s: %v %v, want %s", now, p, ok, want)
		}
	}
	if _, ok := latestReportPeriod(rep, time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("a period that has not ended was reported")
	}
}
