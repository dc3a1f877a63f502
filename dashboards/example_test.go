package dashboards_test

import (
	"fmt"
	"log"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/dashboards"
)

// ExampleRender writes the site for a report (read with store.DB.Report in
// the real pipeline) in English, with the generated-at line pinned so that
// two runs give byte-identical pages.
func ExampleRender() {
	var r thidua.Report // from (*store.DB).Report
	files, err := dashboards.Render("out/dashboards", r, dashboards.Options{
		Lang:        "en",
		GeneratedAt: time.Date(2021, 1, 15, 8, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err) // e.g. dashboards.ErrNoECharts: build with `make build`
	}
	fmt.Println(len(files), "files")
}
