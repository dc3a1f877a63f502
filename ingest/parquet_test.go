package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// pqRow is one row of a test Parquet file; nil pointers are nulls.
type pqRow struct {
	unit, indicator, period string
	value                   *float64
	basis                   string
	target                  *float64
}

func pqFloat(v float64) *float64 { return &v }

// writeParquet writes rows with the long-CSV columns (synthetic data).
// valueText writes the value column as text instead of numbers.
func writeParquet(t *testing.T, path string, rows []pqRow, valueText []string) {
	t.Helper()
	valueType := arrow.DataType(arrow.PrimitiveTypes.Float64)
	if valueText != nil {
		valueType = arrow.BinaryTypes.String
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "Đơn vị", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "indicator", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "period", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "value", Type: valueType, Nullable: true},
		{Name: "basis", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "target", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer bld.Release()
	str := func(i int, s string) {
		if s == "" {
			bld.Field(i).AppendNull()
		} else {
			bld.Field(i).(*array.StringBuilder).Append(s)
		}
	}
	flt := func(i int, v *float64) {
		if v == nil {
			bld.Field(i).AppendNull()
		} else {
			bld.Field(i).(*array.Float64Builder).Append(*v)
		}
	}
	for n, r := range rows {
		str(0, r.unit)
		str(1, r.indicator)
		str(2, r.period)
		if valueText != nil {
			str(3, valueText[n])
		} else {
			flt(3, r.value)
		}
		str(4, r.basis)
		flt(5, r.target)
	}
	rec := bld.NewRecordBatch()
	defer rec.Release()
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, fh, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReadParquet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "facts.parquet")
	writeParquet(t, path, []pqRow{
		{unit: "Pác Nặm", indicator: "budget_revenue", period: "2020-06", value: pqFloat(1520.5)},
		{unit: "060", indicator: "Trồng rừng", period: "6 tháng đầu năm 2020", value: pqFloat(210.5), basis: "lũy kế"},
		{unit: "NA RỲ", indicator: "recruits", period: "Năm 2020", target: pqFloat(120)},
	}, nil)
	b, err := readParquet(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	got := renderXLSXBatch(b, nil)
	for _, want := range []string{
		"format=parquet", "rows=3",
		"observation: 060 budget_revenue 2020-06 period 1520.5  @ " + path + ":row 1",
		"observation: 060 afforestation_ha 2020-H1 ytd 210.5  @ " + path + ":row 2",
		"target: 066 recruits 2020 120  @ " + path + ":row 3",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if len(b.Problems) != 0 || len(b.Observations) != 2 || len(b.Targets) != 1 {
		t.Errorf("got %d observations, %d targets, problems %v", len(b.Observations), len(b.Targets), b.Problems)
	}
	if len(b.Source.SHA256) != 64 || b.Source.Size == 0 {
		t.Errorf("source %+v", b.Source)
	}
}

func TestReadParquetProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.parquet")
	rows := []pqRow{
		{unit: "Pác Nặm", indicator: "budget_revenue", period: "2020-06"},
		{unit: "Hà Nội", indicator: "budget_revenue", period: "2020-06"},
		{unit: "Ba Bể", indicator: "budget_revenue", period: "2020-06"},
		{unit: "Ba Bể", indicator: "new_coops", period: "2020-06"},
		{unit: "Ba Bể", indicator: "budget_revenue", period: "2020-06"},
		{unit: "Ba Bể", indicator: "budget_revenue", period: "2020-07"},
	}
	// 1.234,5 is written the Vietnamese way, 2,345.5 the English way: the
	// lone 1.234 cannot be read.
	writeParquet(t, path, rows, []string{"1.234,5", "10", "1.234", "-2", "14.162/13.828", "2,345.5"})
	b, err := readParquet(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range b.Problems {
		got = append(got, p.String())
	}
	want := []string{
		path + `:row 2: unknown unit "Hà Nội"`,
		path + `:row 3: ambiguous number "1.234": the file's numbers are written both ways: row 1 ("1.234,5") reads the Vietnamese way`,
		path + `:row 4: negative value -2 for new_coops`,
		path + `:row 5: two numbers packed in one cell "14.162/13.828"`,
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
	if len(b.Observations) != 2 || b.Observations[0].Value != 1234.5 || b.Observations[1].Value != 2345.5 {
		t.Errorf("observations %v", b.Observations)
	}
}

func TestReadParquetRefuses(t *testing.T) {
	dir := t.TempDir()
	notPq := filepath.Join(dir, "x.parquet")
	os.WriteFile(notPq, []byte("unit,indicator\n"), 0o644)
	if _, err := readParquet(notPq, testOptions()); !errors.Is(err, ErrDamaged) {
		t.Errorf("got %v", err)
	}
	opts := testOptions()
	opts.MaxFileBytes = 4
	if _, err := readParquet(notPq, opts); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v", err)
	}
}
