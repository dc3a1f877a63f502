package store

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// The Vietnamese CSV copies read back by DuckDB's own CSV reader (not the
// writer, Go's encoding/csv) told what Excel with Vietnamese regional
// settings assumes: ';' between fields, ',' before decimals, dd/mm/yyyy;
// each number rounded to its indicator's decimals (or its column's), the
// headings Vietnamese, a "sep=;" line after the byte order mark.
func TestExportCSVVIReadByDuckDB(t *testing.T) {
	ctx := context.Background()
	db, out := exportFixture(t, 40)
	c := &thidua.Cluster{Indicators: []thidua.Indicator{{Code: "new_coops", Decimals: 1}}}
	files, err := db.ExportCSVVI(ctx, out, CopyTables, c)
	if err != nil || len(files) != 2 {
		t.Fatalf("files %v, err %v", files, err)
	}
	raw, err := os.ReadFile(filepath.Join(out, "indicator_pop.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "\ufeffsep=;\r\nMã đơn vị;Đơn vị;Mã chỉ tiêu;") {
		t.Errorf("start of indicator_pop.csv: %q", raw[:min(len(raw), 80)])
	}
	reader, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	src, err := db.ExportRows(ctx, "indicator_pop", 0)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := reader.QueryContext(ctx, `SELECT "Mã đơn vị", "Đơn vị", "Từ ngày", "Thực hiện", "Kỳ trước", "% tăng/giảm so với kỳ trước",
			"Tổng cụm", "Xếp hạng theo thực hiện", "Dòng của cụm"
		FROM read_csv(?, delim = ';', decimal_separator = ',', skip = 1, header = true, dateformat = '%d/%m/%Y',
			types = {'Thực hiện': 'DOUBLE', 'Kỳ trước': 'DOUBLE', '% tăng/giảm so với kỳ trước': 'DOUBLE', 'Tổng cụm': 'DOUBLE', 'Dòng của cụm': 'VARCHAR'})`,
		filepath.Join(out, "indicator_pop.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	col := func(name string) int {
		for i, c := range src.Columns {
			if c.Name == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	round := func(v any, d int) sql.NullFloat64 {
		if v == nil {
			return sql.NullFloat64{}
		}
		f := v.(float64)
		p := math.Pow10(d)
		return sql.NullFloat64{Float64: math.Round(f*p) / p, Valid: true}
	}
	n := 0
	for rows.Next() {
		var unit, name, cluster string
		var start time.Time
		var value, prev, pct, total sql.NullFloat64
		var rank sql.NullInt64
		if err := rows.Scan(&unit, &name, &start, &value, &prev, &pct, &total, &rank, &cluster); err != nil {
			t.Fatal(err)
		}
		r := src.Rows[n]
		want := []any{r[col("unit_code")], r[col("unit_name")], r[col("period_start")].(time.Time),
			round(r[col("value")], 1), round(r[col("prev_value")], 1), round(r[col("pct_change_prev")], 1), round(r[col("cluster_total")], 1)}
		got := []any{unit, name, start.UTC(), value, prev, pct, total}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("row %d column %d: read %v, want %v", n+1, i, got[i], want[i])
			}
		}
		wantCluster := map[bool]string{true: "có", false: "không"}[r[col("is_cluster")].(bool)]
		if cluster != wantCluster || rank.Int64 != r[col("rank_value")].(int64) {
			t.Errorf("row %d: is_cluster %q rank %v, want %q %v", n+1, cluster, rank, wantCluster, r[col("rank_value")])
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(src.Rows) {
		t.Errorf("read %d rows, want %d", n, len(src.Rows))
	}
	// A value with decimals shows them with a comma and no grouping.
	if !strings.Contains(string(raw), ";12500000,0;") {
		t.Errorf("prev_value 1.25e7 not written as 12500000,0:\n%s", raw[:min(len(raw), 600)])
	}
}
