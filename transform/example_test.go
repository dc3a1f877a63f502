package transform_test

import (
	"context"
	"fmt"
	"log"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/store"
	"github.com/thidua/thidua/transform"
)

// A unit reports revenue as year to date (lũy kế) at March and June; the
// transform derives the second quarter and the half-year's % of target.
func ExampleRun() {
	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	c := thidua.Cluster{Code: "CL", Name: "Cluster (synthetic example)",
		Units: []thidua.Unit{{Code: "060", Name: "Pác Nặm"}},
		Indicators: []thidua.Indicator{{Code: "budget_revenue", Name: "Thu ngân sách", Agg: thidua.Sum,
			Direction: thidua.Higher, HasTarget: true}}}
	if err := db.SyncCluster(ctx, c); err != nil {
		log.Fatal(err)
	}
	ytd := func(label string, v float64) thidua.Observation {
		p, _ := thidua.ParsePeriod(label)
		return thidua.Observation{Unit: "060", Indicator: "budget_revenue", Period: p, Basis: thidua.YTDBasis, Value: v}
	}
	b := thidua.Batch{Source: thidua.Source{File: "example.csv", Name: "example.csv", SHA256: "example"},
		Observations: []thidua.Observation{ytd("2020-03", 4000), ytd("2020-06", 9000)},
		Targets:      []thidua.TargetValue{{Unit: "060", Indicator: "budget_revenue", Year: 2020, Value: 15000}}}
	if _, err := db.LoadBatch(ctx, b, store.LoadOptions{}); err != nil {
		log.Fatal(err)
	}
	if err := transform.Run(ctx, db.SQL(), transform.Options{}); err != nil {
		log.Fatal(err)
	}
	rows, err := db.SQL().Query(`SELECT period, value, value_source, pct_of_target FROM indicator_pop
		WHERE NOT is_cluster AND period IN ('2020-Q1', '2020-Q2', '2020-H1') ORDER BY period`)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var period, source string
		var value, pct float64
		if err := rows.Scan(&period, &value, &source, &pct); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %.0f (%s) %.0f%% of target\n", period, value, source, pct)
	}
	// Output:
	// 2020-H1 9000 (direct) 60% of target
	// 2020-Q1 4000 (direct) 27% of target
	// 2020-Q2 5000 (cumulative) 60% of target
}
