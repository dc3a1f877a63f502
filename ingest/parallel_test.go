package ingest

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"testing"

	"github.com/thidua/thidua"
)

// TestValidateRowsParallel reads a long CSV of many chunks, with bad rows
// of every kind scattered through it, on one CPU and on four: the batches
// (facts, problems, their order and positions) must be the same.
func TestValidateRowsParallel(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("Mã đơn vị;Đơn vị;Chỉ tiêu;Kỳ báo cáo;Giá trị;Lũy kế\n")
	units := []string{"058;Thành phố Bắc Kạn", "060;Pác Nặm", "061;Ba Bể", "062;H. Ngân Sơn", "063;Bạch Thông", "064;Chợ Đồn", "065;Chợ Mới", "066;Na Rỳ"}
	inds := []string{"new_coops", "Trồng rừng", "Tuyển quân", "households", "Tỷ lệ hộ nghèo"}
	line := 1
	for rep := range 3 {
		for _, u := range units {
			for _, ind := range inds {
				for y := 2023; y <= 2026; y++ {
					for m := 1; m <= 12; m++ {
						line++
						v, ytd := fmt.Sprint(m+y%7), ""
						switch {
						case line%997 == 0:
							v = "12/15" // two values in one cell
						case line%1009 == 0:
							u = "999;Nowhere"
						case line%389 == 0:
							ytd = "-4"
						case rep == 1 && line%50 == 0:
							v += "1" // a different value for a fact of the first pass
						case line%13 == 0:
							ytd = fmt.Sprint(m * 10)
						}
						fmt.Fprintf(&buf, "%s;%s;Tháng %d/%d;%s;%s\n", u, ind, m, y, v, ytd)
					}
				}
			}
		}
		buf.WriteString(";;;;;\nnot;enough\n")
	}
	data := buf.Bytes()
	read := func(procs int) thidua.Batch {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		b, err := ReadCSV("many.csv", bytes.NewReader(data), testOptions())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := read(1)
	if len(one.Problems) < 100 || len(one.Observations) < 1000 || one.Rows != line-1+3 {
		t.Fatalf("%d rows, %d facts, %d problems: the file should give many of each", one.Rows, len(one.Observations), len(one.Problems))
	}
	for _, procs := range []int{2, 4} {
		if got := read(procs); !reflect.DeepEqual(one, got) {
			t.Errorf("%d CPUs: the batch differs from one CPU's", procs)
		}
	}
}
