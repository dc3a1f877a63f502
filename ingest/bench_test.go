package ingest

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkReadCSV reads a long CSV of 8 units × 9 indicators × 48 months
// (synthetic), the size of the built-in sample, per iteration.
func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Đơn vị;Chỉ tiêu;Kỳ báo cáo;Giá trị;Cách tính\n")
	units := []string{"Thành phố Bắc Kạn", "Huyện Pác Nặm", "Ba Bể", "H. Ngân Sơn", "Bạch Thông", "Chợ Đồn", "Chợ Mới", "Na Rỳ"}
	inds := []string{"Thu ngân sách", "HTX thành lập mới", "Trồng rừng", "Tuyển quân", "Xã đạt chuẩn NTM", "Bình quân tiêu chí NTM/xã", "Hộ nghèo", "Tổng số hộ", "Khen thưởng"}
	rows := 0
	for _, u := range units {
		for _, ind := range inds {
			for y := 2018; y <= 2021; y++ {
				for m := 1; m <= 12; m++ {
					fmt.Fprintf(&buf, "%s;%s;Tháng %d/%d;%d;trong kỳ\n", u, ind, m, y, m+y%7)
					rows++
				}
			}
		}
	}
	data := buf.Bytes()
	opts := testOptions()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		batch, err := ReadCSV("bench.csv", bytes.NewReader(data), opts)
		if err != nil || len(batch.Problems) > 0 || len(batch.Observations) != rows {
			b.Fatalf("%v %v %d", err, batch.Problems, len(batch.Observations))
		}
	}
}
