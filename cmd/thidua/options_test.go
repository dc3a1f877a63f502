package main

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/pipeline"
)

// parse runs a command made by newCmd on args with a runF that only keeps
// the options (cli/cli's way of testing a command's flags), and returns
// them.
func parse[O any](t *testing.T, newCmd func(*factory, func(O) error) *cobra.Command, args ...string) O {
	t.Helper()
	f := &factory{IO: &pipeline.IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}}
	var got O
	var called bool
	cmd := newCmd(f, func(o O) error { got, called = o, true; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(f.IO.Out)
	cmd.SetErr(f.IO.Err)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	if !called {
		t.Fatalf("%v: runF not called", args)
	}
	return got
}

func TestRunOptions(t *testing.T) {
	o := parse(t, NewCmdRun, "--rebuild", "--partial", "--single-file", "--generated-at", "2020-07-15",
		"--format", "csv,xlsx", "--partition-by", "year", "--wait", "2m", "a.csv", "b.xlsx")
	want := pipeline.RunOptions{Inputs: []string{"a.csv", "b.xlsx"}, Partial: true, Rebuild: true, SingleFile: true,
		GeneratedAt: "2020-07-15", Inbox: pipeline.InboxOptions{Settle: 3 * time.Second},
		Export: pipeline.ExportOptions{Formats: []string{"csv", "xlsx"}, PartitionBy: "year"}}
	if !reflect.DeepEqual(o.RunOptions, want) {
		t.Errorf("run options:\n got %+v\nwant %+v", o.RunOptions, want)
	}
	if o.Wait != 2*time.Minute {
		t.Errorf("--wait: %v", o.Wait)
	}
	// The configuration is read when the command runs, with its flags.
	db := filepath.Join(t.TempDir(), "x.duckdb")
	o = parse(t, NewCmdRun, "--db", db, "--lang", "en", "--sample")
	env, err := o.Env()
	if err != nil {
		t.Fatal(err)
	}
	if env.Config.DB != db || env.Config.Lang != "en" || !o.Sample || len(o.Inputs) != 0 {
		t.Errorf("run --db --lang --sample: db %q lang %q sample %v inputs %v", env.Config.DB, env.Config.Lang, o.Sample, o.Inputs)
	}
}

func TestIngestOptions(t *testing.T) {
	o := parse(t, NewCmdIngest, "--inbox", "in", "--settle", "0s", "--partial")
	want := pipeline.IngestOptions{Inputs: []string{}, Partial: true, Inbox: pipeline.InboxOptions{Dir: "in"}}
	if !reflect.DeepEqual(o.IngestOptions, want) {
		t.Errorf("ingest --inbox:\n got %+v\nwant %+v", o.IngestOptions, want)
	}
	o = parse(t, NewCmdIngest, "--sample")
	if !o.Sample || len(o.Inputs) != 0 || o.Inbox.Dir != "" {
		t.Errorf("ingest --sample: %+v", o.IngestOptions)
	}
	o = parse(t, NewCmdIngest, "x.csv", "--unit", "060", "--period", "2020-H1")
	env, err := o.Env()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Inputs, []string{"x.csv"}) || env.Config.Unit != "060" || env.Config.Period != "2020-H1" {
		t.Errorf("ingest x.csv --unit --period: inputs %v unit %q period %q", o.Inputs, env.Config.Unit, env.Config.Period)
	}
}

func TestValidateStatusLoadsOptions(t *testing.T) {
	if v := parse(t, NewCmdValidate, "a.csv", "b.csv", "--locale", "vi"); !reflect.DeepEqual(v.Files, []string{"a.csv", "b.csv"}) {
		t.Errorf("validate files: %v", v.Files)
	}
	if s := parse(t, NewCmdStatus, "--json"); !s.JSON {
		t.Error("status --json: JSON false")
	}
	if s := parse(t, NewCmdStatus); s.JSON {
		t.Error("status: JSON true")
	}
	if l := parse(t, NewCmdLoads); l.Undoing || l.JSON {
		t.Errorf("loads: %+v", l)
	}
	// --undo 0 is still an undo (refused when run), not a listing.
	if l := parse(t, NewCmdLoads, "--undo", "0", "--json"); !l.Undoing || l.Undo != 0 || !l.JSON {
		t.Errorf("loads --undo 0 --json: %+v", l)
	}
	if q := parse(t, NewCmdQuality, "--json"); !q.JSON {
		t.Error("quality --json: JSON false")
	}
	h := parse(t, NewCmdHistory, "Pác Nặm", "Thu ngân sách", "Quý II/2020", "--json")
	if want := (pipeline.HistoryOptions{Unit: "Pác Nặm", Indicator: "Thu ngân sách", Period: "Quý II/2020", JSON: true}); h.HistoryOptions != want {
		t.Errorf("history: %+v", h.HistoryOptions)
	}
}

func TestReportTemplateExportOptions(t *testing.T) {
	r := parse(t, NewCmdReport, "--period", "2020-H1", "--unit-head", "060", "--lang", "en", "--date", "2020-07-15")
	if want := (pipeline.ReportOptions{Period: "2020-H1", UnitHead: "060", Lang: "en", Date: "2020-07-15"}); r.ReportOptions != want {
		t.Errorf("report: %+v", r.ReportOptions)
	}
	tp := parse(t, NewCmdTemplate, "--period", "2020-H1", "--unit", "060,061", "--out", "forms2")
	if want := (pipeline.TemplateOptions{Period: "2020-H1", Units: []string{"060", "061"}, Out: "forms2"}); !reflect.DeepEqual(tp.TemplateOptions, want) {
		t.Errorf("template: %+v", tp.TemplateOptions)
	}
	if e := parse(t, NewCmdExport); !reflect.DeepEqual(e.Formats, []string{"parquet"}) || e.PartitionBy != "" {
		t.Errorf("export: %+v", e.ExportOptions)
	}
	if d := parse(t, NewCmdDashboards, "--single-file", "--generated-at", "2020-07-15"); !d.SingleFile || d.GeneratedAt != "2020-07-15" {
		t.Errorf("dashboards: %+v", d.DashboardsOptions)
	}
}

// TestMainParseThenRun: ParseFlags only chooses the command (nothing is
// opened or written); Run runs it; help leaves nothing to run.
func TestMainParseThenRun(t *testing.T) {
	var out bytes.Buffer
	dir := t.TempDir()
	m := NewMain(&pipeline.IO{In: strings.NewReader(""), Out: &out, Err: &bytes.Buffer{}})
	ctx := context.Background()
	if err := m.ParseFlags(ctx, []string{"sample", "--out", dir}); err != nil {
		t.Fatal(err)
	}
	if out.Len() > 0 || len(testtree.Names(t, dir)) > 0 {
		t.Fatalf("ParseFlags ran the command: %q, %v", out.String(), testtree.Names(t, dir))
	}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(testtree.Names(t, dir)) == 0 || !strings.Contains(out.String(), dir) {
		t.Errorf("Run wrote nothing: %q", out.String())
	}
	if err := m.Close(); err != nil {
		t.Error(err)
	}
	h := NewMain(&pipeline.IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	if err := h.ParseFlags(ctx, []string{"run", "--help"}); err != nil || h.f.chosen != nil {
		t.Errorf("run --help: err %v, chosen %v", err, h.f.chosen != nil)
	}
}
