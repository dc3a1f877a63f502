package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua"
)

// The -update flag rewrites golden files. Another test file of the package
// may define it first; then it is shared.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func xlsxUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// xlsxCase is one golden test of readXLSX: a generator of its input
// workbook (synthetic data, made as district offices make their forms) and
// the options to read it with.
type xlsxCase struct {
	name  string
	opts  func(*Options)
	build func(f *excelize.File) error
}

// sheetWriter writes cells of one sheet, keeping the first error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (w *sheetWriter) set(cell string, v any) *sheetWriter {
	if w.err == nil {
		w.err = w.f.SetCellValue(w.sheet, cell, v)
	}
	return w
}

func (w *sheetWriter) merge(from, to string) *sheetWriter {
	if w.err == nil {
		w.err = w.f.MergeCell(w.sheet, from, to)
	}
	return w
}

// row writes values into row r from column A on; nil skips a cell.
func (w *sheetWriter) row(r int, values ...any) *sheetWriter {
	for i, v := range values {
		if v == nil {
			continue
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		w.set(fmt.Sprintf("%s%d", col, r), v)
	}
	return w
}

// formBacKan writes the form as a district office fills it: authority and
// motto rows, a date line, merged title rows, the unit line in one cell and
// the period line in two, a header merged over two rows with "Trong kỳ" and
// "Lũy kế" under "Thực hiện", a column-number row, section rows, numbers as
// numeric cells and as Vietnamese text, an NFD and an upper-case indicator
// name, a derived percentage column and a signature block.
func formBacKan(f *excelize.File) error {
	w := &sheetWriter{f: f, sheet: "Sheet1"}
	if err := f.SetSheetName("Sheet1", "BC 6 thang"); err != nil {
		return err
	}
	w.sheet = "BC 6 thang"
	w.set("A1", "UBND HUYỆN PÁC NẶM").merge("A1", "C1")
	w.set("E1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").merge("E1", "H1")
	w.set("A2", "PHÒNG TÀI CHÍNH - KẾ HOẠCH").merge("A2", "C2")
	w.set("E2", "Độc lập - Tự do - Hạnh phúc").merge("E2", "H2")
	w.set("E3", "Pác Nặm, ngày 05 tháng 7 năm 2020").merge("E3", "H3")
	w.set("A5", "BÁO CÁO").merge("A5", "H5")
	w.set("A6", "Kết quả thực hiện các chỉ tiêu thi đua 6 tháng đầu năm 2020 (số liệu tổng hợp mẫu)").merge("A6", "H6")
	w.set("A7", "Đơn vị báo cáo: Huyện Pác Nặm")
	w.set("A8", "Kỳ báo cáo:").set("B8", "6 tháng đầu năm 2020")
	w.set("A9", "Đơn vị tính: theo từng chỉ tiêu")
	w.set("A10", "STT").merge("A10", "A11")
	w.set("B10", "Chỉ tiêu").merge("B10", "B11")
	w.set("C10", "ĐVT").merge("C10", "C11")
	w.set("D10", "Kế hoạch năm 2020").merge("D10", "D11")
	w.set("E10", "Thực hiện 6 tháng đầu năm 2020").merge("E10", "F10")
	w.set("E11", "Trong kỳ").set("F11", "Lũy kế")
	w.set("G10", "% so với KH").merge("G10", "G11")
	w.set("H10", "Ghi chú").merge("H10", "H11")
	w.row(12, "A", "B", "C", "1", "2", "3", "4=3/1", "5")
	w.row(13, "I", "KINH TẾ")
	w.row(14, 1, "Thu ngân sách nhà nước trên địa bàn", "Triệu đồng", 18500, "9.876,5", "9.876,5", "53,4", "ước thực hiện")
	w.row(15, 2, norm.NFD.String("Hợp tác xã thành lập mới"), "HTX", 3, 2, 2, 66.7)
	w.row(16, 3, "DIỆN TÍCH TRỒNG RỪNG MỚI", "ha", 450, "210,5", 210.5, "46,8%")
	w.row(17, "II", "VĂN HÓA - XÃ HỘI")
	w.row(18, 4, "Công dân nhập ngũ (tuyển quân)", "người", 85, 85, 85, "100%")
	w.row(19, 5, "Số hộ nghèo", "hộ", nil, "-", 1630)
	w.row(20, 6, "Số lượt tập thể, cá nhân được khen thưởng", "lượt", "x", 1240, 1240, "x")
	w.row(22, nil, "Người lập biểu", nil, nil, nil, "Thủ trưởng đơn vị")
	w.row(23, nil, "(Ký, ghi rõ họ tên)", nil, nil, nil, "(Ký tên, đóng dấu)")
	w.row(26, nil, "Nguyễn Văn A", nil, nil, nil, "Trần Thị B")
	w.row(27, nil, 2020)
	return w.err
}

// formTwoCellUnit has the unit label and name in two cells, the period only
// in the title, one header row with "Nội dung", numbering before names and
// a unit in parentheses after them.
func formTwoCellUnit(f *excelize.File) error {
	w := &sheetWriter{f: f, sheet: "Sheet1"}
	w.set("A1", "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA QUÝ II NĂM 2020").merge("A1", "F1")
	w.set("A2", "(dữ liệu mẫu tổng hợp)")
	w.set("A3", "Đơn vị báo cáo:").set("B3", "H. Ngân Sơn")
	w.row(5, "TT", "Nội dung", "Đơn vị tính", "Kế hoạch", "Thực hiện trong kỳ", "Ghi chú")
	w.row(6, "1", "1. Thu NSNN (triệu đồng)", "tr.đ", 21000, "4.321,25", "")
	w.row(7, "2", "a) Trồng rừng (ha)", "ha", 300, "75,5", "")
	w.row(8, "3", "Bình quân tiêu chí NTM/xã", "tiêu chí", 12.5, "11,8", "")
	w.row(9, "4", "Tổng số hộ dân cư", "hộ", nil, 7012, "")
	return w.err
}

// clusterTable is the secretariat's summary: one row per unit under a
// header merged over two rows, with "Kế hoạch" and "Thực hiện" or "Lũy kế"
// under each indicator, unit names in their many spellings and a total row.
func clusterTable(f *excelize.File) error {
	w := &sheetWriter{f: f, sheet: "Sheet1"}
	if err := f.SetSheetName("Sheet1", "Tong hop"); err != nil {
		return err
	}
	w.sheet = "Tong hop"
	w.set("A1", "CỤM THI ĐUA 8 HUYỆN, THÀNH PHỐ").merge("A1", "H1")
	w.set("A2", "TỔNG HỢP KẾT QUẢ CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2020 (số liệu mẫu)").merge("A2", "H2")
	w.set("A4", "STT").merge("A4", "A5")
	w.set("B4", "Đơn vị").merge("B4", "B5")
	w.set("C4", "Thu ngân sách (triệu đồng)").merge("C4", "D4")
	w.row(5, nil, nil, "Kế hoạch", "Thực hiện")
	w.set("E4", "Trồng rừng (ha)").merge("E4", "F4")
	w.row(5, nil, nil, nil, nil, "Lũy kế", "% KH")
	w.set("G4", "Tuyển quân").merge("G4", "G5")
	w.set("H4", "Ghi chú").merge("H4", "H5")
	names := []string{"TP. Bắc Kạn", "Huyện Pác Nặm", "BA BỂ", "H. Ngân Sơn", "Bach Thong", norm.NFD.String("Chợ Đồn"), "Chợ Mới", "Na Rỳ"}
	for i, n := range names {
		r := 6 + i
		w.row(r, i+1, n, 200000+1000*i, fmt.Sprintf("%d.%03d,5", 90+i, 100*i), 300+10*i, 55.5, 100+i)
	}
	w.row(14, nil, "Tổng cộng", 1628000, nil, 2680, nil, 828)
	w.row(16, nil, "Người lập biểu")
	return w.err
}

// formNoContext has neither unit nor period line: they come from options.
func formNoContext(f *excelize.File) error {
	w := &sheetWriter{f: f, sheet: "Sheet1"}
	w.set("A1", "BÁO CÁO CÁC CHỈ TIÊU THI ĐUA (mẫu)")
	w.row(3, "STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện", "Lũy kế")
	w.row(4, 1, "Diện tích gieo cấy lúa", "ha", 2500, 1200, 1200)
	w.row(5, 2, "Xã đạt chuẩn NTM", "xã", 3, nil, 2)
	return w.err
}

// simpleForm writes a small Pác Nặm form for 2020-H1 with extra rows.
func simpleForm(rows ...[]any) func(f *excelize.File) error {
	return func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "BÁO CÁO (mẫu)")
		w.set("A2", "Đơn vị báo cáo: Pác Nặm")
		w.set("A3", "Kỳ báo cáo: 6 tháng đầu năm 2020")
		w.row(5, "STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện", "Lũy kế", "% so với KH")
		w.row(6, 1, "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", 18000, 9000, 9000, 50)
		for i, r := range rows {
			w.row(7+i, r...)
		}
		return w.err
	}
}

// multiSheet is a workbook with one form per unit on its own sheet, a
// measure line "Đơn vị: triệu đồng" (no unit line), an instructions sheet
// of text and a hidden calculation sheet, both skipped.
func multiSheet(f *excelize.File) error {
	form := func(sheet, unit string, v float64) error {
		w := &sheetWriter{f: f, sheet: sheet}
		w.set("A1", "BÁO CÁO THÁNG 6/2020 (mẫu)").set("F1", "Đơn vị: triệu đồng")
		w.set("A2", "Tên đơn vị:").set("B2", unit)
		w.row(4, "STT", "Chỉ tiêu", "Thực hiện", "Lũy kế")
		w.row(5, 1, "Thu NSNN", v, v*6)
		return w.err
	}
	if err := f.SetSheetName("Sheet1", "Ba Be"); err != nil {
		return err
	}
	if err := form("Ba Be", "Ba Bể", 1500); err != nil {
		return err
	}
	for _, s := range []string{"Cho Moi", "Huong dan", "calc"} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	if err := form("Cho Moi", "CHỢ MỚI", 1700.5); err != nil {
		return err
	}
	w := &sheetWriter{f: f, sheet: "Huong dan"}
	w.set("A1", "Hướng dẫn: điền số liệu vào các ô màu vàng.")
	w = &sheetWriter{f: f, sheet: "calc"}
	w.row(1, 1, 2, 3)
	if w.err != nil {
		return w.err
	}
	return f.SetSheetVisible("calc", false)
}

var xlsxCases = []xlsxCase{
	{name: "form_bac_kan", build: formBacKan},
	{name: "form_two_cell_unit", build: formTwoCellUnit},
	{name: "cluster_table", build: clusterTable},
	{name: "form_unit_period_from_flags", build: formNoContext, opts: func(o *Options) { o.Unit = "060"; o.Period = "2020-H1" }},
	{name: "form_flag_disagrees", build: simpleForm(), opts: func(o *Options) { o.Unit = "Ba Bể" }},
	{name: "form_locale_vi", build: simpleForm([]any{2, "Trồng rừng", "ha", "1.234", "1.234", nil}), opts: func(o *Options) { o.Locale = localeVI }},
	{name: "refuse_unknown_indicator", build: simpleForm([]any{2, "Số km đường giao thông nông thôn", "km", 12, 5, 5})},
	{name: "refuse_bad_number", build: simpleForm([]any{2, "Trồng rừng mới", "ha", "450 ha", "khoảng 200", 200})},
	// A lone 1.234 in a Vietnamese form: read the Vietnamese way, unless
	// the file shows otherwise or contradicts itself.
	{name: "form_lone_number_vi", build: simpleForm([]any{2, "Trồng rừng mới", "ha", "1.234", 600, 600})},
	{name: "form_number_evidence_vi", build: simpleForm([]any{2, "Trồng rừng mới", "ha", "2.934,9", "6.418", nil})},
	{name: "form_number_evidence_en", build: simpleForm([]any{2, "Trồng rừng mới", "ha", "2,934.9", "1,234", "1,234"}, []any{3, "Diện tích gieo cấy lúa", "ha", nil, "6.418", "6.418"})},
	{name: "refuse_ambiguous_number", build: simpleForm(
		[]any{2, "Trồng rừng mới", "ha", "2.934,9", "1.234", nil},
		[]any{3, "Diện tích gieo cấy lúa", "ha", "3,120.5", 1500, nil},
	)},
	{name: "refuse_packed_number", build: simpleForm([]any{2, "Trồng rừng mới", "ha", 15000, "14.162/13.828", nil})},
	{name: "refuse_rules", build: simpleForm(
		[]any{2, "Hợp tác xã thành lập mới", "HTX", 3, 2.5, -1},
		[]any{3, "Số lượt khen thưởng", "lượt", 100, 50, 50},
		[]any{4, "Thu NSNN", "triệu đồng", 18000, 9100, nil},
	)},
	{name: "refuse_missing_unit", build: formNoContext, opts: func(o *Options) { o.Period = "2020-H1" }},
	{name: "refuse_future_period", build: simpleForm(), opts: func(o *Options) { o.Now = o.Now.AddDate(-7, 0, 0) }},
	{name: "form_multi_sheet", build: multiSheet},
	{name: "refuse_header_period", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Đơn vị báo cáo: Chợ Đồn").set("A2", "Kỳ báo cáo: 6 tháng đầu năm 2020")
		w.row(4, "STT", "Chỉ tiêu", "Kế hoạch năm 2019", "Thực hiện tháng 6/2020", "Lũy kế đến tháng 6/2020")
		w.row(5, 1, "Trồng rừng", 500, 80, 300)
		return w.err
	}},
	{name: "refuse_formula_without_value", build: func(f *excelize.File) error {
		if err := simpleForm([]any{2, "Trồng rừng", "ha", 500, 80})(f); err != nil {
			return err
		}
		return f.SetCellFormula("Sheet1", "F7", "E7+0")
	}},
	{name: "refuse_unrecognised_sheet", build: func(f *excelize.File) error {
		if err := simpleForm()(f); err != nil {
			return err
		}
		if _, err := f.NewSheet("Phu luc"); err != nil {
			return err
		}
		w := &sheetWriter{f: f, sheet: "Phu luc"}
		w.row(1, "Xã", "Số hộ").row(2, "Bộc Bố", 812).row(3, "Nhạn Môn", 640)
		return w.err
	}},
	{name: "refuse_period_flag_disagrees", build: simpleForm(), opts: func(o *Options) { o.Period = "Quý II/2020" }},
	{name: "refuse_unknown_unit_line", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Đơn vị báo cáo: Huyện Hà Quảng").set("A2", "Kỳ báo cáo: Năm 2020")
		w.row(4, "STT", "Chỉ tiêu", "Thực hiện")
		w.row(5, 1, "Trồng rừng", 500)
		return w.err
	}},
	{name: "refuse_table_rows", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Kỳ báo cáo: Quý I/2021")
		w.row(3, "STT", "Tên đơn vị", "Tuyển quân", "Khen thưởng", "Diện tích lúa (ha)", "Chỉ số lạ")
		w.row(4, 1, "Pác Nặm", 90, 12, "1.234,5")
		w.row(5, 2, "Thị trấn Phủ Thông", 80, 10, 900)
		w.row(6, 3, "Pác Nặm", 91, 12, 1000)
		w.row(7, 4, "Ba Bể", 70, "mười", 800)
		w.row(8, 5, nil, 60, 3, 700)
		return w.err
	}},
	{name: "cluster_table_grouped_header", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "BẢNG TỔNG HỢP THÁNG 3/2021 (số liệu mẫu)").merge("A1", "E1")
		w.set("A3", "STT").merge("A3", "A4")
		w.set("B3", "Huyện, thành phố").merge("B3", "B4")
		w.set("C3", "Chỉ tiêu").merge("C3", "E3")
		w.row(4, nil, nil, "Khen thưởng", "HTX thành lập mới", "Trồng rừng (ha)")
		w.row(5, "(1)", "(2)", "(3)", "(4)", "(5)")
		w.row(6, 1, "060 - Pác Nặm", 14, 1, "35,5")
		w.row(7, 2, "Chợ Mới", 9, 0, 20)
		return w.err
	}},
	// Names as district reports write them: qualifiers dropped or changed,
	// abbreviations, numbering (the measured case of issue 13).
	{name: "names_as_offices_write_them", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "BẢNG TỔNG HỢP NĂM 2020 (số liệu mẫu)")
		w.row(3, "STT", "Đơn vị", "Số xã đạt chuẩn nông thôn mới (xã)", "Thu NSNN trên địa bàn (triệu đồng)", "Diện tích rừng trồng mới")
		w.row(4, 1, "Pác Nặm", 4, 18000, "35,5")
		w.row(5, 2, "Chợ Mới", 6, 21000, 20)
		if err := w.err; err != nil {
			return err
		}
		f.NewSheet("Sheet2")
		w = &sheetWriter{f: f, sheet: "Sheet2"}
		w.set("A1", "Đơn vị báo cáo: Huyện Ba Bể").set("A2", "Kỳ báo cáo: Năm 2020")
		w.row(4, "STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện")
		w.row(5, "1", "Số xã đạt chuẩn nông thôn mới", "xã", 5, 5)
		w.row(6, "2", "Số HTX thành lập mới", "HTX", 3, 4)
		return w.err
	}},
	{name: "refuse_table_measure_row", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Kỳ báo cáo: Năm 2021")
		w.row(3, "STT", "Đơn vị", "Thu ngân sách", "Diện tích lúa")
		w.row(4, nil, "ĐVT", "Tỷ đồng", "ha")
		w.row(5, 1, "Bạch Thông", "25,5", 3100)
		return w.err
	}},
	{name: "refuse_headerless_column", build: simpleForm([]any{2, "Trồng rừng", "ha", 500, 80, 80, nil, 12})},
	{name: "refuse_table_header", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Kỳ báo cáo: Quý I/2021")
		w.row(3, "STT", "Đơn vị", "Tuyển quân", "Chỉ số lạ")
		w.row(4, 1, "Pác Nặm", 90, 5)
		return w.err
	}},
	{name: "refuse_measure_scale", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Đơn vị báo cáo: Na Rì").set("A2", "Kỳ báo cáo: Năm 2020")
		w.row(4, "STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện")
		w.row(5, 1, "Thu ngân sách", "Tỷ đồng", 25, "24,5")
		w.row(6, 2, "Trồng rừng", "m2", nil, 4000000)
		w.row(7, 3, "Gieo cấy lúa", "Ha", nil, 2100)
		return w.err
	}},
	{name: "refuse_percent_cells", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Đơn vị báo cáo: Ba Bể").set("A2", "Kỳ báo cáo: Năm 2020")
		w.row(4, "STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện")
		w.row(5, 1, "Tỷ lệ hộ nghèo", "%", 0.21, 0.2245)
		w.row(6, 2, "Tuyển quân", "người", 1, 0.95)
		if w.err != nil {
			return w.err
		}
		pct, err := f.NewStyle(&excelize.Style{NumFmt: 10})
		if err != nil {
			return err
		}
		return f.SetCellStyle("Sheet1", "D5", "E6", pct)
	}},
	{name: "cluster_table_transposed", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "TỔNG HỢP CHỈ TIÊU THI ĐUA QUÝ III NĂM 2021 (mẫu)").merge("A1", "F1")
		w.row(3, "TT", "Chỉ tiêu", "ĐVT", "Pác Nặm", "Ba Bể", "Na Rỳ", "Tổng cộng")
		w.row(4, "I", "KINH TẾ")
		w.row(5, 1, "Trồng rừng", "ha", "120,5", 98, 133, 351.5)
		w.row(6, 2, "Tuyển quân", "người", 0, "-", 12, 12)
		w.row(8, nil, "Người lập biểu")
		return w.err
	}},
	{name: "form_department_two_tables", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Đơn vị báo cáo: Phòng Tài chính - Kế hoạch huyện Bạch Thông, tỉnh Bắc Kạn")
		w.set("A2", "Kỳ báo cáo: 9 tháng năm 2020")
		w.row(4, "STT", "Chỉ tiêu", "ĐVT", "Lũy kế")
		w.row(5, "A", "CHỈ TIÊU KINH TẾ")
		w.row(6, 1, "Gieo cấy lúa", "ha", 2950)
		w.row(8, "STT", "Chỉ tiêu", "ĐVT", "Lũy kế")
		w.row(9, "B", "CHỈ TIÊU XÃ HỘI")
		w.row(10, 1, "Khen thưởng", "lượt", 311)
		return w.err
	}},
	{name: "form_other_spans", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Đơn vị báo cáo: Chợ Mới").set("A2", "Kỳ báo cáo: 6 tháng đầu năm 2020")
		w.row(4, "STT", "Chỉ tiêu", "Kế hoạch năm 2020", "Thực hiện tháng 6/2020", "Thực hiện 6 tháng", "Ước thực hiện cả năm", "Lũy kế")
		w.row(5, 1, "Trồng rừng", 500, 80, 300, 520, 300)
		return w.err
	}},
	{name: "form_labels_without_colon", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "ĐƠN VỊ BÁO CÁO UBND HUYỆN CHỢ ĐỒN").set("A2", "Kỳ báo cáo Quý I năm 2021")
		w.row(4, "STT", "Chỉ tiêu", "Thực hiện")
		w.row(5, 1, "Trồng rừng", 80)
		return w.err
	}},
	{name: "form_period_date_cell", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Đơn vị báo cáo:").set("B1", "Ngân Sơn").set("A2", "Kỳ báo cáo:").set("B2", time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC))
		w.row(4, "STT", "Chỉ tiêu", "Thực hiện")
		w.row(5, 1, "Tuyển quân", 12)
		if w.err != nil {
			return w.err
		}
		mmYYYY := "mm/yyyy"
		st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &mmYYYY})
		if err != nil {
			return err
		}
		return f.SetCellStyle("Sheet1", "B2", "B2", st)
	}},
	{name: "refuse_no_table", build: func(f *excelize.File) error {
		w := &sheetWriter{f: f, sheet: "Sheet1"}
		w.set("A1", "Danh sách cán bộ (mẫu)").row(2, "Họ tên", "Chức vụ").row(3, "Nguyễn Văn A", "Trưởng phòng")
		return w.err
	}},
}

func TestReadXLSXGolden(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "xlsx", "*"))
	for _, d := range dirs {
		if !slices.ContainsFunc(xlsxCases, func(c xlsxCase) bool { return c.name == filepath.Base(d) }) {
			t.Errorf("%s: no generator for this golden folder; remove it or add a case", d)
		}
	}
	for _, tc := range xlsxCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join("testdata", "xlsx", tc.name)
			input := filepath.Join(dir, "input.xlsx")
			if xlsxUpdating() {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				f := excelize.NewFile()
				if err := tc.build(f); err != nil {
					t.Fatal(err)
				}
				if err := f.SaveAs(input); err != nil {
					t.Fatal(err)
				}
				f.Close()
				// excelize creates files with mode 0777 less the umask:
				// a golden input is data, not a program.
				if err := os.Chmod(input, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			opts := testOptions()
			if tc.opts != nil {
				tc.opts(&opts)
			}
			b, err := readXLSX(filepath.ToSlash(input), opts)
			got := renderXLSXBatch(b, err)
			xlsxGolden(t, filepath.Join(dir, "want.txt"), got)
		})
	}
}

// golden compares got with the file want, or rewrites it under -update.
func xlsxGolden(t *testing.T, want, got string) {
	t.Helper()
	if xlsxUpdating() {
		if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	w, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(w) != got {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", want, got, w)
	}
}

// renderXLSXBatch writes a batch as golden text, one fact or problem a line.
func renderXLSXBatch(b thidua.Batch, err error) string {
	var s strings.Builder
	if err != nil {
		fmt.Fprintf(&s, "error: %v\n", err)
		return s.String()
	}
	fmt.Fprintf(&s, "source: %s format=%s size=%d sha256=%s rows=%d\n", b.Source.Name, b.Source.Format, b.Source.Size, b.Source.SHA256, b.Rows)
	if b.Source.NumberLocale != "" {
		fmt.Fprintf(&s, "numbers: %s\n", b.Source.NumberLocale)
	}
	for _, o := range b.Observations {
		fmt.Fprintf(&s, "observation: %s %s %s %s %v  @ %s\n", o.Unit, o.Indicator, o.Period, o.Basis, o.Value, o.Pos)
	}
	for _, tv := range b.Targets {
		fmt.Fprintf(&s, "target: %s %s %d %v  @ %s\n", tv.Unit, tv.Indicator, tv.Year, tv.Value, tv.Pos)
	}
	for _, p := range b.Problems {
		fmt.Fprintf(&s, "problem: %s\n", p)
	}
	return s.String()
}

// refusal is an XLSX refusal case read back: its name, input and batch.
type refusal struct {
	name, path string
	b          thidua.Batch
}

// readRefusals reads the input of every refusal case (refuse_*) with its
// options; a case that cannot be read at all is an error.
func readRefusals(t *testing.T) []refusal {
	t.Helper()
	var rs []refusal
	for _, tc := range xlsxCases {
		if !strings.HasPrefix(tc.name, "refuse_") {
			continue
		}
		opts := testOptions()
		if tc.opts != nil {
			tc.opts(&opts)
		}
		path := filepath.Join("testdata", "xlsx", tc.name, "input.xlsx")
		b, err := readXLSX(path, opts)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		rs = append(rs, refusal{tc.name, path, b})
	}
	return rs
}

// TestReadXLSXFileProblemsPositioned checks that every problem of every
// refusal case names the file, the sheet and (but for sheet-level ones) a
// cell.
func TestReadXLSXFileProblemsPositioned(t *testing.T) {
	for _, r := range readRefusals(t) {
		if len(r.b.Problems) == 0 {
			t.Errorf("%s: no problem found", r.name)
		}
		for _, p := range r.b.Problems {
			if p.Pos.File != r.path {
				t.Errorf("%s: problem %q does not name the file", r.name, p)
			}
		}
		if batchError(r.b) == nil {
			t.Errorf("%s: batchError passed a refused batch", r.name)
		}
	}
}

// zipPart is one part of a hand-made zip: its name, its content generated
// by fill, and the inflated size its header declares (0: the true size).
type zipPart struct {
	name     string
	size     int64
	declared uint64
	body     string
}

// writeBomb writes a workbook-shaped zip whose parts inflate to size bytes
// of repeated body, with headers declaring declared bytes.
func writeBomb(t *testing.T, path string, parts []zipPart) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		crc := crc32.NewIEEE()
		chunk := []byte(strings.Repeat(p.body, 1+(64<<10)/len(p.body)))
		var n int64
		for n < p.size {
			c := chunk
			if int64(len(c)) > p.size-n {
				c = c[:p.size-n]
			}
			fw.Write(c)
			crc.Write(c)
			n += int64(len(c))
		}
		fw.Close()
		declared := p.declared
		if declared == 0 {
			declared = uint64(p.size)
		}
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadXLSXZipBomb checks that workbooks whose parts inflate hugely are
// refused with ErrZipBomb without allocating anything near their size.
func TestReadXLSXZipBomb(t *testing.T) {
	dir := t.TempDir()
	sst := `<si><t>a</t></si>`
	cases := []struct {
		name  string
		parts []zipPart
	}{
		{"shared strings declared 1 GiB", []zipPart{{name: "[Content_Types].xml", size: 100, body: " "}, {name: "xl/sharedStrings.xml", size: 1 << 20, declared: 1 << 30, body: sst}}},
		{"shared strings 12 MiB", []zipPart{{name: "xl/sharedStrings.xml", size: 12 << 20, body: sst}}},
		{"lying header", []zipPart{{name: "xl/worksheets/sheet1.xml", size: 100 << 20, declared: 1000, body: "<row/>"}}},
		{"big worksheet", []zipPart{{name: "xl/worksheets/sheet1.xml", size: 5 << 20, body: "<row/>"}}},
		{"many worksheets", []zipPart{
			{name: "xl/worksheets/sheet1.xml", size: 4 << 20, body: "<row/>"},
			{name: "xl/worksheets/sheet2.xml", size: 4 << 20, body: "<row/>"},
			{name: "xl/worksheets/sheet3.xml", size: 4 << 20, body: "<row/>"},
			{name: "xl/worksheets/sheet4.xml", size: 4 << 20, body: "<row/>"},
			{name: "xl/worksheets/sheet5.xml", size: 1 << 20, body: "<row/>"},
		}},
		{"many parts", []zipPart{
			{name: "xl/media/image1.png", size: 34 << 20, body: "x"},
			{name: "xl/media/image2.png", size: 34 << 20, body: "x"},
		}},
	}
	for i, tc := range cases {
		path := filepath.Join(dir, fmt.Sprintf("bomb%d.xlsx", i))
		writeBomb(t, path, tc.parts)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := readXLSX(path, testOptions())
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrZipBomb) {
			t.Errorf("%s: got %v, want ErrZipBomb", tc.name, err)
		}
		t.Logf("%s: %v", tc.name, err)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
			t.Errorf("%s: allocated %d MiB to refuse it", tc.name, alloc>>20)
		}
	}
}

func TestReadXLSXTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.xlsx")
	if err := os.WriteFile(path, make([]byte, maxXLSXFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readXLSX(path, testOptions())
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want a size refusal", err)
	}
	small := filepath.Join("testdata", "xlsx", "form_bac_kan", "input.xlsx")
	opts := testOptions()
	opts.MaxFileBytes = 1000
	if _, err := readXLSX(small, opts); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1000 bytes") {
		t.Errorf("Options.MaxFileBytes: got %v", err)
	}
}

func TestReadXLSXNotWorkbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.xlsx")
	os.WriteFile(path, []byte("STT,Chỉ tiêu\n"), 0o644)
	if _, err := readXLSX(path, testOptions()); !errors.Is(err, ErrDamaged) {
		t.Errorf("got %v", err)
	}
}

func TestExcelPrecision(t *testing.T) {
	for in, want := range map[float64]float64{0.1 + 0.2: 0.3, 2.0000000000000004: 2, 1234.5: 1234.5, 1e20: 1e20, -3.3: -3.3} {
		if got := excelPrecision(in); got != want {
			t.Errorf("excelPrecision(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestReadXLSXOldExcel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.xls")
	os.WriteFile(path, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), 0o644)
	if _, err := readXLSX(path, testOptions()); !errors.Is(err, ErrOldFormat) {
		t.Errorf("got %v", err)
	}
}

func TestUnitInText(t *testing.T) {
	c := testCluster()
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	for s, want := range map[string]string{
		"UBND HUYỆN PÁC NẶM":                     "060",
		"Phòng Tài chính - Kế hoạch huyện Ba Bể": "061",
		"UBND Thành phố Bắc Kạn":                 "058",
		"Văn phòng HĐND-UBND TP. Bắc Kạn":        "058",
		"Sở Tài chính tỉnh Bắc Kạn":              "",
		"Huyện Hà Quảng":                         "",
		"Các huyện Ba Bể, Pác Nặm":               "",
		"Ủy ban nhân dân huyện Na Rỳ":            "066",
	} {
		u, ok := unitInText(c, s, h1)
		got := ""
		if ok {
			got = u.Code
		}
		if got != want {
			t.Errorf("unitInText(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestIsUnitHeader(t *testing.T) {
	for s, want := range map[string]bool{
		"Đơn vị": true, "Tên huyện": true, "Huyện, thành phố": true, "Đơn vị thực hiện": true, "ĐỊA PHƯƠNG": true,
		"Đơn vị tính": false, "ĐVT": false, "Chỉ tiêu": false,
	} {
		if got := isUnitHeader(s); got != want {
			t.Errorf("isUnitHeader(%q) = %v", s, got)
		}
	}
}

func TestFindPeriodIn(t *testing.T) {
	for s, want := range map[string]string{
		"BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2020":         "2020-H1",
		"Kết quả thực hiện quý II năm 2020":            "2020-Q2",
		"Tổng hợp 9 tháng năm 2021":                    "2021-9M",
		"Báo cáo tháng 6/2020":                         "2020-06",
		"Báo cáo tổng kết năm 2019":                    "2019",
		"Số liệu kỳ 2020-H2":                           "2020-H2",
		"Pác Nặm, ngày 05 tháng 7 năm 2020":            "",
		"Số: 123/BC-UBND":                              "",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM":           "",
		"Cụm thi đua 8 huyện, thành phố tỉnh Bắc Kạn":  "",
		"Kèm theo Quyết định số 15 ngày 2020 của UBND": "",
	} {
		p, ok := findPeriodIn(s)
		got := ""
		if ok {
			got = p.String()
		}
		if got != want {
			t.Errorf("findPeriodIn(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestClassifyFormHeader(t *testing.T) {
	for s, want := range map[string]hdrKind{
		"STT": hdrSTT, "Chỉ tiêu": hdrName, "Nội dung": hdrName, "ĐVT": hdrMeasure, "Đơn vị tính": hdrMeasure,
		"Kế hoạch năm 2020": hdrPlan, "KH năm": hdrPlan, "Chỉ tiêu KH giao năm 2020": hdrPlan, "Chỉ tiêu được giao": hdrPlan, "Chỉ tiêu giao": hdrPlan, "Dự toán giao": hdrPlan,
		"Thực hiện 6 tháng": hdrPeriod, "Ước thực hiện": hdrPeriod, "Thực hiện Trong kỳ": hdrPeriod,
		"Lũy kế": hdrYTD, "Thực hiện Lũy kế": hdrYTD, "Luỹ kế từ đầu năm": hdrYTD,
		"% so với KH": hdrDerived, "So sánh cùng kỳ": hdrDerived, "Thực hiện cùng kỳ năm trước": hdrDerived, "Tỷ lệ % KH": hdrDerived,
		"Ghi chú": hdrNote, "Họ tên": hdrNone,
	} {
		if got := classifyFormHeader(s); got != want {
			t.Errorf("classifyFormHeader(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzCellValue checks that reading a text cell never panics, and that what
// it accepts is a finite number and stays the same read twice.
func FuzzCellValue(f *testing.F) {
	for _, s := range []string{"1.234,5", "1,234.5", "1.234", "14.162/13.828", "-", "x", "12 ha", "1E+06", "0,5", "", "١٢٣", "1 234,5"} {
		f.Add(s, false)
	}
	f.Add("1234.5", true)
	cl := testCluster()
	h1 := thidua.Period{Type: thidua.Half, Year: 2020, N: 1}
	f.Fuzz(func(t *testing.T, s string, num bool) {
		c := xcell{text: s, num: num}
		for _, loc := range []string{localeAuto, localeVI, localeEN} {
			v, err := xlsxCellValue(c, loc)
			if err != nil {
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("xlsxCellValue(%q) = %v", s, v)
			}
			if v2, _ := xlsxCellValue(c, loc); v2 != v {
				t.Fatalf("xlsxCellValue(%q) not stable: %v then %v", s, v, v2)
			}
		}
		_ = isColumnNumber(s)
		_ = isSignatureText(s)
		_ = classifyFormHeader(s)
		if ind, ok := lookupIndicatorText(cl, s); ok {
			_ = measureConflict(s, ind)
		}
		if u, ok := unitInText(cl, s, h1); ok && !u.ValidOn(h1.End()) {
			t.Fatalf("unitInText(%q) = %s, not valid in %s", s, u.Code, h1)
		}
		if p, ok := findPeriodIn(s); ok && !p.Valid() {
			t.Fatalf("findPeriodIn(%q) = invalid %v", s, p)
		}
	})
}

// BenchmarkReadXLSXForm reads the Bắc Kạn district form: a form of a few
// dozen rows should read in well under a second even on a slow laptop.
func BenchmarkReadXLSXForm(b *testing.B) {
	path := filepath.Join("testdata", "xlsx", "form_bac_kan", "input.xlsx")
	opts := testOptions()
	for b.Loop() {
		if _, err := readXLSX(path, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzReadXLSXLayout places fuzzed texts and numbers around a form's
// skeleton and checks that reading never panics and that every problem
// names the file and sheet.
func FuzzReadXLSXLayout(f *testing.F) {
	f.Add("Chỉ tiêu", "Thực hiện", "Đơn vị báo cáo: Pác Nặm", "Kỳ báo cáo: Quý I/2021", "Trồng rừng", "1.234,5", uint8(3), uint8(7))
	f.Add("Đơn vị", "Tuyển quân", "Kỳ báo cáo", "Năm 2020", "Ba Bể", "12", uint8(0), uint8(200))
	f.Add("STT", "Lũy kế", "ĐVT", "Tỷ đồng", "I. KINH TẾ", "x", uint8(9), uint8(1))
	dir := f.TempDir()
	opts := testOptions()
	f.Fuzz(func(t *testing.T, a, b, c, d, e, v string, pos1, pos2 uint8) {
		texts := []string{a, b, c, d, e, v}
		for _, s := range texts {
			if len(s) > 200 {
				return
			}
		}
		x := excelize.NewFile()
		defer x.Close()
		cell := func(p uint8) string {
			n, _ := excelize.CoordinatesToCellName(int(p%6)+1, int(p/6%8)+1)
			return n
		}
		x.SetCellValue("Sheet1", "A4", a)
		x.SetCellValue("Sheet1", "B4", b)
		x.SetCellValue("Sheet1", "A1", c)
		x.SetCellValue("Sheet1", "B1", d)
		x.SetCellValue("Sheet1", "A5", e)
		x.SetCellValue("Sheet1", "B5", v)
		x.SetCellValue("Sheet1", cell(pos1), float64(pos2)*1.5)
		x.SetCellValue("Sheet1", cell(pos2), e)
		if pos1%3 == 0 {
			x.MergeCell("Sheet1", cell(pos1), cell(pos2))
		}
		path := filepath.Join(dir, "f.xlsx")
		if err := x.SaveAs(path); err != nil {
			return // excelize refuses some texts (too long, invalid XML)
		}
		bt, err := readXLSX(path, opts)
		if err != nil {
			return
		}
		for _, p := range bt.Problems {
			if p.Pos.File != path {
				t.Fatalf("problem without the file: %v", p)
			}
		}
		for _, o := range bt.Observations {
			if o.Pos.Sheet != "Sheet1" || o.Pos.Cell == "" {
				t.Fatalf("observation without a cell: %+v", o)
			}
		}
	})
}

// TestReadXLSXRandomLayouts reads workbooks of random header words, labels,
// numbers and merges (fixed seed): reading must not panic, must stay fast,
// and every problem must name the file.
func TestReadXLSXRandomLayouts(t *testing.T) {
	toks := []string{"Chỉ tiêu", "Thực hiện", "Lũy kế", "Kế hoạch năm 2020", "Đơn vị", "Đơn vị báo cáo:", "Kỳ báo cáo:", "6 tháng đầu năm 2020", "Pác Nặm", "Ba Bể", "Trồng rừng", "1.234,5", "x", "-", "I.", "Người lập biểu", "%", "(1)", "ĐVT", "Tỷ đồng", "12", "STT", "Tổng cộng", "năm", "2020", "Quý II", "huyện", ":", " "}
	r := rand.New(rand.NewSource(1))
	rs := func() string {
		n := r.Intn(4)
		var b []string
		for i := 0; i < n; i++ {
			b = append(b, toks[r.Intn(len(toks))])
		}
		return strings.Join(b, " ")
	}
	dir := t.TempDir()
	opts := testOptions()
	for i := 0; i < 120; i++ {
		x := excelize.NewFile()
		for row := 1; row <= 8; row++ {
			for col := 1; col <= 6; col++ {
				if r.Intn(3) == 0 {
					continue
				}
				c, _ := excelize.CoordinatesToCellName(col, row)
				if r.Intn(4) == 0 {
					x.SetCellValue("Sheet1", c, r.Float64()*1000)
				} else {
					x.SetCellValue("Sheet1", c, rs())
				}
			}
		}
		if r.Intn(3) == 0 {
			a, _ := excelize.CoordinatesToCellName(r.Intn(6)+1, r.Intn(8)+1)
			b, _ := excelize.CoordinatesToCellName(r.Intn(6)+1, r.Intn(8)+1)
			x.MergeCell("Sheet1", a, b)
		}
		path := filepath.Join(dir, "f.xlsx")
		x.SaveAs(path)
		x.Close()
		start := time.Now()
		b, err := readXLSX(path, opts)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("slow: %v", d)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range b.Problems {
			if p.Pos.File != path {
				t.Fatalf("problem %v", p)
			}
		}
	}
}

// TestReadXLSXLegacyFont: a form typed with the .VnTime font (TCVN3) holds
// its Vietnamese as Latin-1 letters ("B¸o c¸o"). It is refused with the
// --encoding value that reads it, and read right with that value.
func TestReadXLSXLegacyFont(t *testing.T) {
	tc := func(s string) string { return string([]rune(latin1(encodeTCVN3(t, s)))) }
	path := filepath.Join(t.TempDir(), "vntime.xlsx")
	f := excelize.NewFile()
	w := &sheetWriter{f: f, sheet: "Sheet1"}
	w.set("A1", tc("Báo cáo kết quả thi đua"))
	w.set("A2", tc("Đơn vị báo cáo: Huyện Pác Nặm"))
	w.set("A3", tc("Kỳ báo cáo: 6 tháng đầu năm 2020"))
	w.row(5, "STT", tc("Chỉ tiêu"), tc("ĐVT"), tc("Kế hoạch năm"), tc("Thực hiện"), tc("Lũy kế"))
	w.row(6, 1, tc("Hợp tác xã thành lập mới"), "HTX", 3, 2, 2)
	w.row(7, 2, tc("Diện tích trồng rừng mới"), "ha", 450, 210.5, 210.5)
	if w.err != nil {
		t.Fatal(w.err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	opts := Options{Cluster: testCluster(), Now: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}
	b, err := readXLSX(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 1 || len(b.Observations) != 0 {
		t.Fatalf("want one refusal and nothing loaded, got %d observations and problems %v", len(b.Observations), b.Problems)
	}
	msg := b.Problems[0].String()
	for _, want := range []string{"vntime.xlsx:Sheet1!A1:", "TCVN3", "--encoding tcvn3", "Báo cáo"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	opts.Encoding = "tcvn3"
	b, err = readXLSX(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 0 || len(b.Observations) != 4 || len(b.Targets) != 2 {
		t.Fatalf("with --encoding tcvn3: %d observations, %d targets, problems %v", len(b.Observations), len(b.Targets), b.Problems)
	}
}
