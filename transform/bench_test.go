package transform

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand"
	"testing"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
)

var benchUnits = flag.Int("bench.units", 100, "units in BenchmarkRun's synthetic cluster")

// BenchmarkRun times a full rebuild over synthetic monthly data: bench.units
// units × 8 indicators (sum, last, average, a ratio and its parts) × 4 years,
// with some units reporting year to date and some months missing.
// benchDB loads the synthetic data of BenchmarkRun into a new in-memory
// database.
func benchDB(b testing.TB, units int) (*store.DB, int) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	c := testCluster()
	c.Units = nil
	for i := 0; i < units; i++ {
		c.Units = append(c.Units, thidua.Unit{Code: fmt.Sprintf("U%04d", i), Name: fmt.Sprintf("Unit %d", i), Communes: 10})
	}
	c.Criteria = []thidua.Criterion{{Indicator: "rev", Weight: 50, Method: thidua.PctOfTarget, CapPct: 100},
		{Indicator: "rate", Weight: 50, Method: thidua.RankPoints}}
	if err := db.SyncCluster(ctx, c); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	batch := thidua.Batch{Source: thidua.Source{File: "bench", Name: "bench", SHA256: "bench"}}
	for _, u := range c.Units {
		for y := 2018; y <= 2021; y++ {
			ytd := rng.Intn(4) == 0
			cum := 0.0
			for m := 1; m <= 12; m++ {
				v := float64(rng.Intn(1000))
				cum += v
				for _, ind := range []string{"stock", "avg", "poor", "hh", "rec", "dens"} {
					if rng.Intn(50) > 0 {
						batch.Observations = append(batch.Observations, thidua.Observation{Unit: u.Code, Indicator: ind,
							Period: thidua.MonthPeriod(y, m), Basis: thidua.PeriodBasis, Value: v + 1})
					}
				}
				basis, val := thidua.PeriodBasis, v
				if ytd {
					basis, val = thidua.YTDBasis, cum
				}
				batch.Observations = append(batch.Observations, thidua.Observation{Unit: u.Code, Indicator: "rev",
					Period: thidua.MonthPeriod(y, m), Basis: basis, Value: val})
			}
			batch.Targets = append(batch.Targets, thidua.TargetValue{Unit: u.Code, Indicator: "rev", Year: y, Value: 6000})
		}
	}
	if _, err := db.LoadBatch(ctx, batch, store.LoadOptions{}); err != nil {
		b.Fatal(err)
	}
	return db, len(batch.Observations)
}

func BenchmarkRun(b *testing.B) {
	ctx := context.Background()
	db, facts := benchDB(b, *benchUnits)
	b.ReportMetric(float64(facts), "facts")
	if testing.Verbose() {
		slog.SetLogLoggerLevel(slog.LevelDebug)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Run(ctx, db.SQL(), Options{Now: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), Rules: []string{"poor <= hh"}}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int
	db.SQL().QueryRow(`SELECT count(*) FROM indicator_pop`).Scan(&n)
	b.ReportMetric(float64(n), "pop_rows")
}
