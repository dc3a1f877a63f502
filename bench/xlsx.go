package bench

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
)

// GenerateXLSX adds to ds one cluster-table workbook per month for the first
// months months (all of them when months <= 0): the secretariat's summary
// form, a title, a period line "Kỳ báo cáo: Tháng M/YYYY", a header row
// "Đơn vị" + one column per indicator code, then one row per unit (its code
// as text) with numeric cells, blank where the month is missing. Workbooks
// already there are reused.
func GenerateXLSX(ds *Dataset, months int) error {
	s := ds.Size
	if months <= 0 || months > s.Months {
		months = s.Months
	}
	if len(ds.XLSX) >= months {
		ds.XLSX = ds.XLSX[:months]
		return nil
	}
	ds.XLSX, ds.XLSXRows, ds.XLSXBytes = nil, 0, 0
	dir := filepath.Join(ds.Dir, "xlsx")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bench: generate xlsx: %w", err)
	}
	for m := range months {
		y, mo := monthOf(m)
		name := filepath.Join(dir, fmt.Sprintf("table-%d-%02d.xlsx", y, mo))
		rows, err := writeXLSX(name, s, m)
		if err != nil {
			return err
		}
		st, err := os.Stat(name)
		if err != nil {
			return err
		}
		ds.XLSX = append(ds.XLSX, name)
		ds.XLSXRows += rows
		ds.XLSXBytes += st.Size()
	}
	return writeManifest(ds.Dir, *ds)
}

func writeXLSX(name string, s Size, m int) (rows int64, err error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return 0, err
	}
	y, mo := monthOf(m)
	if err := sw.SetRow("A1", []any{"BẢNG TỔNG HỢP SỐ LIỆU CỤM THI ĐUA (dữ liệu mô phỏng / synthetic data)"}); err != nil {
		return 0, err
	}
	if err := sw.SetRow("A2", []any{fmt.Sprintf("Kỳ báo cáo: Tháng %d/%d", mo, y)}); err != nil {
		return 0, err
	}
	header := make([]any, 1+s.Indicators)
	header[0] = "Đơn vị"
	for i := range s.Indicators {
		header[1+i] = IndicatorCode(i)
	}
	if err := sw.SetRow("A4", header); err != nil {
		return 0, err
	}
	row := make([]any, 1+s.Indicators)
	for u := range s.Units {
		row[0] = UnitCode(u)
		for i := range s.Indicators {
			if Missing(u, i, m) {
				row[1+i] = nil
				continue
			}
			row[1+i] = Value(u, i, m)
			rows++
		}
		cell, _ := excelize.CoordinatesToCellName(1, 5+u)
		if err := sw.SetRow(cell, row); err != nil {
			return 0, err
		}
	}
	if err := sw.Flush(); err != nil {
		return 0, err
	}
	if err := f.SaveAs(name); err != nil {
		return 0, fmt.Errorf("bench: generate %s: %w", name, err)
	}
	return rows, nil
}
