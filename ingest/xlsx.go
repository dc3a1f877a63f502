package ingest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua"
)

// Limits that keep a hostile or broken spreadsheet from exhausting memory.
// A district report form is a few tens of kilobytes; these bounds are far
// above any real one.
const (
	// maxXLSXFileSize is the largest .xlsx file readXLSX opens.
	maxXLSXFileSize = 32 << 20
	// maxXLSXUnzipSize bounds the total inflated size of all parts of the
	// workbook (excelize.Options.UnzipSizeLimit).
	maxXLSXUnzipSize = 64 << 20
	// maxXLSXXMLSize bounds the inflated size of the shared-strings table
	// and of each worksheet kept in memory (excelize.Options.UnzipXMLSizeLimit).
	maxXLSXXMLSize = 16 << 20
	// maxXLSXSharedStrings bounds the inflated size of xl/sharedStrings.xml,
	// and maxXLSXSheetSize that of each worksheet: excelize decodes them
	// whole into memory at 20 to 60 times their size, so they are held far
	// smaller than the other parts. maxXLSXSheetsSize bounds all worksheets
	// together. A report form's sheet is tens of kilobytes.
	maxXLSXSharedStrings = 4 << 20
	maxXLSXSheetSize     = 4 << 20
	maxXLSXSheetsSize    = 16 << 20
	// maxXLSXRows and maxXLSXCols bound the grid read from one sheet.
	maxXLSXRows = 10000
	maxXLSXCols = 256
)

// templateSheet is the name of the hidden sheet WriteTemplates adds to a form
// template; it names the template version, the cluster, the unit and the
// period. readXLSX ignores it as data and uses it to check the cluster.
const templateSheet = "_thidua"

// templateVersion is the version of the form template layout WriteTemplates
// writes.
const templateVersion = "thidua-form-1"

// xcell is one cell of a sheet as read: its text (NFC, trimmed) and whether it
// was stored as a number, in which case text is the number in Go syntax.
type xcell struct {
	text string
	num  bool
}

// sheetGrid is the content of one worksheet, 0-based rows and columns.
type sheetGrid struct {
	sheet string
	rows  [][]xcell
	// merged maps every cell of a merged range except its top-left one to
	// the top-left cell's coordinates.
	merged map[[2]int][2]int
}

func (g *sheetGrid) at(r, c int) xcell {
	if r < 0 || r >= len(g.rows) || c < 0 || c >= len(g.rows[r]) {
		return xcell{}
	}
	return g.rows[r][c]
}

// text returns the text of cell (r, c).
func (g *sheetGrid) text(r, c int) string { return g.at(r, c).text }

// filled returns the text of cell (r, c), or when it is inside a merged range,
// the text of the range's top-left cell.
func (g *sheetGrid) filled(r, c int) string {
	if t := g.text(r, c); t != "" {
		return t
	}
	if tl, ok := g.merged[[2]int{r, c}]; ok {
		return g.text(tl[0], tl[1])
	}
	return ""
}

// width returns the number of columns of row r.
func (g *sheetGrid) width(r int) int {
	if r < 0 || r >= len(g.rows) {
		return 0
	}
	return len(g.rows[r])
}

// maxWidth returns the widest row's width.
func (g *sheetGrid) maxWidth() int {
	w := 0
	for _, row := range g.rows {
		w = max(w, len(row))
	}
	return w
}

// emptyRow reports whether row r has no text at all.
func (g *sheetGrid) emptyRow(r int) bool {
	for c := 0; c < g.width(r); c++ {
		if g.text(r, c) != "" {
			return false
		}
	}
	return true
}

// cellName returns the A1-style name of 0-based (r, c).
func cellName(r, c int) string {
	n, err := excelize.CoordinatesToCellName(c+1, r+1)
	if err != nil {
		return fmt.Sprintf("R%dC%d", r+1, c+1)
	}
	return n
}

// xlsxFile is a workbook being read: its path, the opened file and the
// problems found so far.
type xlsxFile struct {
	path string
	opts Options
	f    *excelize.File
	b    *builder
	// template holds the key/value pairs of the hidden templateSheet.
	template map[string]string
	// legacy gathers evidence of text typed in a legacy font (TCVN3's
	// .VnTime, VNI-Times), which a workbook stores as Latin-1 letters;
	// legacyAt and legacySample are its first such cell.
	legacy       legacyDetector
	legacyAt     thidua.Pos
	legacySample string
}

func (x *xlsxFile) pos(sheet string, r, c int) thidua.Pos {
	p := thidua.Pos{File: x.path, Sheet: sheet}
	if r >= 0 && c >= 0 {
		p.Cell = cellName(r, c)
	}
	return p
}

func (x *xlsxFile) problem(p thidua.Pos, format string, args ...any) {
	x.b.problem(p, format, args...)
}

// layout records a problem of the sheet's layout at p: the message, with
// cause (ErrNoTable, ErrFormPeriod …) for errors.Is.
func (x *xlsxFile) layout(p thidua.Pos, cause error, format string, args ...any) {
	x.b.refuse(p, kindf(cause, format, args...))
}

// refuse records a problem at p with its cause.
func (x *xlsxFile) refuse(p thidua.Pos, err error) { x.b.refuse(p, err) }

// field returns cell (r, c) as a rawField for Options.fact: a numeric cell
// with its number, a "no value" marker (-, x) as an empty field.
func (x *xlsxFile) field(g *sheetGrid, r, c int) rawField {
	f := rawField{Pos: x.pos(g.sheet, r, c)}
	if c < 0 {
		return f
	}
	cell := g.at(r, c)
	if cell.text == "" {
		// A formula whose result was never computed (a file written by a
		// program, not saved by a spreadsheet) reads as empty: refuse it
		// rather than take it for "not reported".
		if fm, err := x.f.GetCellFormula(g.sheet, cellName(r, c)); err == nil && fm != "" {
			x.refuse(f.Pos, kindf(ErrFormula, "formula =%s has no computed value; open and save the file in a spreadsheet program, or type the number", fm))
		}
		return f
	}
	if emptyMarkers[cell.text] {
		return f
	}
	f.Text = cell.text
	if cell.num {
		if v, err := strconv.ParseFloat(cell.text, 64); err == nil {
			v = excelPrecision(v)
			f.Num = &v
		}
	}
	return f
}

// readXLSX reads an .xlsx workbook of report forms or cluster tables.
//
// Each visible sheet is one of:
//   - a report form: title rows, a unit line ("Đơn vị báo cáo: Huyện Pác
//     Nặm", or the label in one cell and the name in the next), a period
//     line ("Kỳ báo cáo: 6 tháng đầu năm 2020", or the period in a title row),
//     a header row (possibly two, merged) with STT, Chỉ tiêu, ĐVT, Kế hoạch
//     năm, Thực hiện, Lũy kế, % so với KH, Ghi chú, then one row per
//     indicator between section rows ("I. KINH TẾ"), then signature rows;
//   - a cluster table: one period, one row per unit, one column per
//     indicator, optionally qualified by "Kế hoạch" / "Thực hiện" / "Lũy kế"
//     in a second header row;
//   - a transposed cluster table: one row per indicator, one column per unit.
//
// Hidden sheets are skipped (the templateSheet of a form template is used
// to check the cluster); a visible sheet holding numbers but no form or
// table is refused, as is a workbook without any. "Kế hoạch năm" gives
// annual targets, "Thực hiện" values for the period alone (basis period),
// "Lũy kế" values from January to the period's end (basis ytd);
// percentages and comparisons are derived and ignored, and columns headed
// with another span than the sheet's period are skipped. Indicators match
// by code, name or alias, also without leading numbering ("1.", "a)") or a
// trailing parenthesis; a ĐVT at another scale than the indicator's (tỷ vs
// triệu đồng) is refused. Numbers are numeric cells (a percentage-formatted
// cell counts as shown) or text read by parseNumber in opts.Locale.
// opts.Unit and opts.Period stand in for a missing unit or period line and
// must agree with the sheet when both are present.
//
// Every problem is positioned FILE:SHEET!CELL. The returned error is non-nil
// only when the file cannot be read at all: missing, larger than
// maxXLSXFileSize, not an .xlsx workbook, or a part inflating beyond the
// limits (ErrZipBomb); problems with its content are in Batch.Problems.
func readXLSX(path string, opts Options) (thidua.Batch, error) {
	b := thidua.Batch{Source: thidua.Source{File: path, Name: filepath.Base(path), Format: "xlsx-form"}}
	if opts.Cluster == nil {
		return b, fmt.Errorf("read %s: no cluster configured", path)
	}
	data, err := readXLSXBytes(path, min(maxXLSXFileSize, opts.maxFile()), opts.PlainFilesOnly)
	if err != nil {
		return b, err
	}
	sum := sha256.Sum256(data)
	b.Source.SHA256 = hex.EncodeToString(sum[:])
	b.Source.Size = int64(len(data))
	if err := checkZip(path, data); err != nil {
		return b, err
	}
	return readWithLocale(opts, func(opts Options) (thidua.Batch, error) { return readXLSXData(b, data, opts) })
}

// readXLSXData is readXLSX on the file's content, read and checked.
func readXLSXData(b thidua.Batch, data []byte, opts Options) (thidua.Batch, error) {
	path := b.Source.File
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxXLSXUnzipSize,
		UnzipXMLSizeLimit: maxXLSXXMLSize,
		RawCellValue:      true,
	})
	if err != nil {
		return b, kindf(ErrDamaged, "read %s: not a readable .xlsx workbook: %w", path, err)
	}
	defer f.Close()
	x := &xlsxFile{path: path, opts: opts, f: f, b: newBuilder(b.Source, opts)}
	x.readTemplateSheet()
	if x.template != nil {
		x.opts.numbers.preferVI(fmt.Sprintf("as the form was made by \"thidua template\" (hidden sheet %q) and no number in the file shows otherwise", templateSheet))
	}
	var forms, tables int
	firstSheet := "" // the first form or table
	for _, sheet := range f.GetSheetList() {
		if sheet == templateSheet {
			continue
		}
		if visible, err := f.GetSheetVisible(sheet); err == nil && !visible {
			continue
		}
		g, err := x.readGrid(sheet)
		if err != nil {
			return b, err
		}
		if g == nil {
			continue
		}
		kind, h := detectSheet(g, opts.Cluster)
		if kind != "" && firstSheet == "" {
			firstSheet = sheet
		}
		switch kind {
		case "form":
			forms++
			b.Rows += x.readForm(g, h)
		case "table":
			tables++
			b.Rows += x.readClusterTable(g, h)
		case "transposed":
			tables++
			b.Rows += x.readTransposed(g, h)
		default:
			// A visible sheet with numbers but no recognisable header may
			// be data in a layout not understood: refuse rather than skip.
			if r, c, ok := firstNumber(g); ok {
				x.layout(x.pos(sheet, r, c), ErrNoTable, "sheet %q holds numbers but no report form or cluster table header was found (a form needs \"Chỉ tiêu\" and \"Thực hiện\", \"Lũy kế\" or \"Kế hoạch năm\" columns; a table an \"Đơn vị\" column and indicator columns); hide or delete the sheet if it is not data", sheet)
			}
		}
	}
	if forms == 0 && tables == 0 {
		x.layout(thidua.Pos{File: path}, ErrNoTable, "no report form or cluster table found: a form needs a header row with a \"Chỉ tiêu\" column and a \"Kế hoạch năm\", \"Thực hiện\" or \"Lũy kế\" column; a cluster table needs a header row with an \"Đơn vị\" column and indicator columns")
	}
	if forms+tables > 0 && len(x.b.Batch.Observations)+len(x.b.Batch.Targets) == 0 && len(x.b.Batch.Problems) == 0 && !opts.AllowEmpty {
		x.refuse(thidua.Pos{File: path, Sheet: firstSheet}, kindf(ErrEmptyForm, "the form has no values: every Thực hiện, Lũy kế and Kế hoạch năm cell is empty; fill it in, or load it anyway with --allow-empty"))
	}
	rows := b.Rows
	b = x.b.done()
	b.Rows = rows
	if enc, ok := x.legacy.result(); ok {
		// Garbled names would only give a flood of unknown units and
		// indicators: say what is wrong once, and load nothing.
		b.Observations, b.Targets = nil, nil
		b.Problems = []thidua.Problem{{Pos: x.legacyAt, Err: legacyError("Unicode", enc, x.legacySample)}}
	}
	if tables > 0 && forms == 0 {
		b.Source.Format = "xlsx-table"
	}
	return b, nil
}

// readXLSXBytes reads the file at path, refusing one larger than limit bytes.
func readXLSXBytes(path string, limit int64, plainOnly bool) ([]byte, error) {
	fh, err := openInput(path, plainOnly)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Size() > limit {
		return nil, kindf(ErrTooLarge, "read %s: file is %d bytes, more than the limit of %d bytes for a spreadsheet; a report form is far smaller, so this file is refused", path, st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, kindf(ErrTooLarge, "read %s: file is more than the limit of %d bytes for a spreadsheet; refused", path, limit)
	}
	return data, nil
}

// ErrZipBomb is wrapped by the error ReadFile returns for a workbook whose
// parts inflate beyond the limits (a zip bomb or an absurd shared-strings
// table).
var ErrZipBomb = errors.New("workbook inflates beyond the size limits")

// checkZip inspects the workbook's zip directory and inflates every part
// into io.Discard, counting bytes, so that a part whose declared size lies
// is caught before excelize allocates anything for it.
func checkZip(path string, data []byte) error {
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return kindf(ErrOldFormat, "read %s: this is an old Excel 97-2003 (.xls) workbook or a password-protected .xlsx; open it and save it as an unprotected .xlsx workbook", path)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return kindf(ErrDamaged, "read %s: not an .xlsx workbook (not a zip archive): %w", path, err)
	}
	var total, sheets uint64
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		isSheet := strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
		limit := uint64(maxXLSXUnzipSize)
		switch {
		case name == "xl/sharedstrings.xml":
			limit = maxXLSXSharedStrings
		case isSheet:
			limit = maxXLSXSheetSize
		}
		declared := zf.UncompressedSize64
		switch {
		case declared > limit:
			return fmt.Errorf("read %s: part %s declares %d bytes inflated, over its %d MiB limit: %w", path, zf.Name, declared, limit>>20, ErrZipBomb)
		case total+declared > maxXLSXUnzipSize:
			return fmt.Errorf("read %s: part %s brings the workbook to more than %d MiB inflated: %w", path, zf.Name, maxXLSXUnzipSize>>20, ErrZipBomb)
		case isSheet && sheets+declared > maxXLSXSheetsSize:
			return fmt.Errorf("read %s: part %s brings the worksheets to more than %d MiB inflated: %w", path, zf.Name, maxXLSXSheetsSize>>20, ErrZipBomb)
		}
		rc, err := zf.Open()
		if err != nil {
			return kindf(ErrDamaged, "read %s: part %s: %w", path, zf.Name, err)
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, int64(limit)+1))
		rc.Close()
		switch {
		case uint64(n) > limit:
			return fmt.Errorf("read %s: part %s inflates to more than its %d MiB limit: %w", path, zf.Name, limit>>20, ErrZipBomb)
		case errors.Is(err, zip.ErrFormat):
			return fmt.Errorf("read %s: part %s inflates beyond the %d bytes its header declares: %w", path, zf.Name, declared, ErrZipBomb)
		case err != nil:
			return kindf(ErrDamaged, "read %s: part %s is corrupt: %w", path, zf.Name, err)
		}
		total += uint64(n)
		if isSheet {
			sheets += uint64(n)
		}
	}
	return nil
}

// readTemplateSheet reads the key/value rows of the hidden templateSheet, if
// the workbook has one, and checks that it was made for this cluster.
func (x *xlsxFile) readTemplateSheet() {
	if idx, err := x.f.GetSheetIndex(templateSheet); err != nil || idx < 0 {
		return
	}
	rows, err := x.f.GetRows(templateSheet)
	if err != nil {
		return
	}
	x.template = map[string]string{}
	for i, row := range rows {
		if i > 50 {
			break
		}
		if len(row) >= 2 {
			x.template[strings.TrimSpace(row[0])] = strings.TrimSpace(row[1])
		}
	}
	if c := x.template["cluster"]; c != "" && c != x.opts.Cluster.Code {
		x.refuse(thidua.Pos{File: x.path, Sheet: templateSheet, Cell: "B2"}, kindf(ErrNotThisForm, "this form template was made for cluster %q, not for the configured cluster %q", c, x.opts.Cluster.Code))
	}
}

// readGrid reads one worksheet into a sheetGrid, or returns nil for an empty
// sheet. A sheet over the size limits is recorded as a problem.
func (x *xlsxFile) readGrid(sheet string) (*sheetGrid, error) {
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("read %s: sheet %s: %w", x.path, sheet, err)
	}
	defer rows.Close()
	g := &sheetGrid{sheet: sheet, merged: map[[2]int][2]int{}}
	r := 0
	for rows.Next() {
		if r >= maxXLSXRows {
			x.layout(thidua.Pos{File: x.path, Sheet: sheet}, ErrTooLarge, "sheet has more than %d rows; a report form or cluster table is far smaller, so the sheet is refused", maxXLSXRows)
			return nil, nil
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("read %s: sheet %s row %d: %w", x.path, sheet, r+1, err)
		}
		cols, ok := x.fitWidth(sheet, r, cols)
		if !ok {
			return nil, nil
		}
		row := make([]xcell, len(cols))
		for c, v := range cols {
			row[c] = x.cell(sheet, r, c, v)
		}
		g.rows = append(g.rows, row)
		r++
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("read %s: sheet %s: %w", x.path, sheet, err)
	}
	// Trim trailing empty rows.
	for len(g.rows) > 0 && g.emptyRow(len(g.rows)-1) {
		g.rows = g.rows[:len(g.rows)-1]
	}
	if len(g.rows) == 0 {
		return nil, nil
	}
	if err := x.readMerges(g); err != nil {
		return nil, err
	}
	return g, nil
}

// fitWidth cuts row r of sheet to maxXLSXCols columns; a filled cell beyond
// them is recorded as a problem and the sheet refused (false).
func (x *xlsxFile) fitWidth(sheet string, r int, cols []string) ([]string, bool) {
	if len(cols) <= maxXLSXCols {
		return cols, true
	}
	for c := maxXLSXCols; c < len(cols); c++ {
		if strings.TrimSpace(cols[c]) != "" {
			x.layout(x.pos(sheet, r, c), ErrTooLarge, "cell beyond column %d; a report form or cluster table is far narrower, so the sheet is refused", maxXLSXCols)
			return nil, false
		}
	}
	return cols[:maxXLSXCols], true
}

// cell is the cell of sheet at row r, column c, whose text is v: NFC,
// no-break spaces as spaces, trimmed; legacy-font text decoded when the
// configured encoding is TCVN3 or VNI, else shown to the legacy detector;
// num when it reads as a number and Excel holds it as one.
func (x *xlsxFile) cell(sheet string, r, c int, v string) xcell {
	v = strings.TrimSpace(norm.NFC.String(strings.ReplaceAll(v, "\u00a0", " ")))
	if v == "" {
		return xcell{}
	}
	switch enc := normEncoding(x.opts.Encoding); enc {
	case encTCVN3, encVNI:
		v = decodeLegacy(v, enc)
	default:
		if x.legacy.add(v) && x.legacySample == "" {
			x.legacyAt, x.legacySample = x.pos(sheet, r, c), v
		}
	}
	cell := xcell{text: v}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		t, err := x.f.GetCellType(sheet, cellName(r, c))
		cell.num = err == nil && (t == excelize.CellTypeUnset || t == excelize.CellTypeNumber)
	}
	return cell
}

// readMerges fills g.merged from the sheet's merged ranges near the top,
// where the header rows are.
func (x *xlsxFile) readMerges(g *sheetGrid) error {
	merges, err := x.f.GetMergeCells(g.sheet, true)
	if err != nil {
		return fmt.Errorf("read %s: sheet %s: merged cells: %w", x.path, g.sheet, err)
	}
	for _, m := range merges {
		c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 < r0 || c1 < c0 {
			continue
		}
		// Merged ranges matter only for the header rows near the top;
		// bounding them keeps absurd ranges (A1:XFD1048576) cheap.
		if r0 > maxHeaderSearch+2 {
			continue
		}
		r1 = min(r1, maxHeaderSearch+2)
		c1 = min(c1, maxXLSXCols)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				if r != r0 || c != c0 {
					g.merged[[2]int{r - 1, c - 1}] = [2]int{r0 - 1, c0 - 1}
				}
			}
		}
	}
	return nil
}

// headerInfo is where detectSheet found a sheet's header: its first row and
// how many rows it spans (1 or 2).
type headerInfo struct {
	row, rows int
}

// maxHeaderSearch is how many rows from the top detectSheet looks at for a
// header row.
const maxHeaderSearch = 40

// detectSheet decides whether g is a report form ("form"), a cluster table
// ("table": a row per unit), a transposed cluster table ("transposed": a row
// per indicator, a column per unit) or neither (""), and where its header
// row is.
func detectSheet(g *sheetGrid, c *thidua.Cluster) (string, headerInfo) {
	for r := 0; r < len(g.rows) && r < maxHeaderSearch; r++ {
		var name, value, unit, inds, units int
		for col := 0; col < g.width(r); col++ {
			t := g.filled(r, col)
			if t == "" || g.at(r, col).num {
				continue
			}
			if _, ok := c.LookupUnit(t, time.Time{}); ok {
				units++
			}
			switch classifyFormHeader(t) {
			case hdrName:
				name++
			case hdrPlan, hdrPeriod, hdrYTD:
				value++
			}
			if isUnitHeader(t) {
				unit++
			} else if _, ok := lookupIndicatorText(c, t); ok {
				inds++
			}
		}
		if name > 0 && units >= 2 {
			return "transposed", headerInfo{r, 1}
		}
		if name > 0 && value > 0 {
			return "form", headerInfo{r, headerRows(g, r, c)}
		}
		if unit > 0 && inds > 0 {
			return "table", headerInfo{r, headerRows(g, r, c)}
		}
		if unit > 0 && inds == 0 && r+1 < len(g.rows) {
			// Indicator names may sit in a second header row under a group.
			n := 0
			for col := 0; col < g.width(r+1); col++ {
				if t := g.text(r+1, col); t != "" {
					if _, ok := lookupIndicatorText(c, t); ok {
						n++
					}
				}
			}
			if n > 0 {
				return "table", headerInfo{r, 2}
			}
		}
	}
	return "", headerInfo{}
}

// headerRows returns 2 when the row under header row r is a second header
// row (sub-headers under merged cells, like "Trong kỳ" and "Lũy kế" under
// "Thực hiện"), else 1. A second header row exists only when a cell of row r
// is merged, and it holds no numbers and no indicator names.
func headerRows(g *sheetGrid, r int, c *thidua.Cluster) int {
	next := r + 1
	if next >= len(g.rows) || g.emptyRow(next) {
		return 1
	}
	merged := false
	for k, tl := range g.merged {
		if tl[0] == r && (k[0] == r || k[0] == next) {
			merged = true
			break
		}
	}
	if !merged {
		return 1
	}
	for col := 0; col < g.width(next); col++ {
		cell := g.at(next, col)
		if cell.text == "" {
			continue
		}
		if cell.num || isSectionText(cell.text) && classifyFormHeader(cell.text) == hdrNone {
			return 1
		}
		if _, ok := lookupIndicatorText(c, cell.text); ok && classifyFormHeader(g.filled(r, col)) == hdrName {
			return 1
		}
	}
	return 2
}

var reColumnNumber = regexp.MustCompile(`^\(?[A-Za-z0-9]{1,3}(?:\s*[=*/+\-]\s*\(?[A-Za-z0-9]{1,3}\)?)*\)?$`)

// isColumnNumber reports whether s is a column label like "(1)", "A", "3=2/1"
// printed under a form's header.
func isColumnNumber(s string) bool {
	return reColumnNumber.MatchString(strings.TrimSpace(s))
}

// emptyMarkers are the texts a form uses for "no value".
var emptyMarkers = map[string]bool{"": true, "-": true, "–": true, "—": true, "x": true, "X": true, "...": true, "…": true, "..": true, "/": true}

var (
	// reNumbering matches the numbering before an indicator name: "1.",
	// "1.2.", "a)", "II.", "-", "+", "*".
	reNumbering = regexp.MustCompile(`^\s*(?:(?:[0-9]{1,3}(?:\.[0-9]{1,3})*|[a-zđA-ZĐ]|[IVXivx]{1,5})\s*[.)/:]|[-+*•–])\s*`)
	// reTrailingParen matches a trailing "(unit)".
	reTrailingParen = regexp.MustCompile(`\s*\([^()]*\)\s*$`)
)

// lookupIndicatorText finds the indicator named by a cell's text, as
// matchIndicator does (numbering, parentheses, abbreviations, word order).
func lookupIndicatorText(c *thidua.Cluster, s string) (thidua.Indicator, bool) {
	ind, err := matchIndicator(c, s, c.LookupIndicator)
	return ind, err == nil
}

// indicatorRefusal is the problem of a cell naming no indicator: why
// matchIndicator refused it (two indicators, another unit of measure), or
// unknown as said by the caller's message.
func indicatorRefusal(c *thidua.Cluster, s string, unknown error) error {
	if _, err := matchIndicator(c, s, c.LookupIndicator); err != nil && !errors.Is(err, ErrUnknownIndicator) {
		return err
	}
	return unknown
}

// isUnitHeader reports whether s heads the unit column of a cluster table.
func isUnitHeader(s string) bool {
	switch thidua.Fold(s) {
	case "don vi", "ten don vi", "don vi bao cao", "huyen thanh pho", "huyen thi xa thanh pho",
		"huyen thanh pho thi xa", "huyen", "dia phuong", "don vi huyen thanh pho", "unit", "ma don vi",
		"cac huyen thanh pho", "ten huyen thanh pho", "ten dia phuong", "ten huyen", "cac don vi", "dia ban", "district":
		return true
	}
	f := thidua.Fold(s)
	for _, p := range []string{"don vi", "ten don vi", "cac don vi", "huyen", "ten huyen"} {
		if strings.HasPrefix(f, p+" ") && !strings.HasPrefix(f, "don vi tinh") {
			return true
		}
	}
	return false
}

// hdrKind is what a form's column holds.
type hdrKind int

const (
	hdrNone hdrKind = iota
	hdrSTT
	hdrCode
	hdrName
	hdrMeasure
	hdrPlan
	hdrPeriod
	hdrYTD
	hdrDerived // percentages and comparisons: ignored
	hdrNote
)

// formHeaderKinds say what a report form column holds by the words of its
// folded header, tried in order: the first kind one of whose rules matches.
// A header matches when it is one of exact, contains one of words as whole
// words, starts with one of prefixes, or when also says so.
var formHeaderKinds = []struct {
	kind     hdrKind
	exact    []string
	words    []string
	prefixes []string
	also     func(f string) bool
}{
	{kind: hdrDerived, words: []string{"ty le", "so sanh", "cung ky", "so voi", "nam truoc"}},
	{kind: hdrSTT, exact: []string{"stt", "tt", "so tt", "so thu tu", "no"}},
	{kind: hdrCode, exact: []string{"ma", "ma so", "ma chi tieu", "ma ct", "code"}},
	{kind: hdrMeasure, exact: []string{"dvt", "don vi tinh", "dv tinh", "dvt tinh"}},
	{kind: hdrNote, words: []string{"ghi chu"}},
	{kind: hdrYTD, words: []string{"luy ke"}},
	{kind: hdrPlan, words: []string{"ke hoach", "kh", "chi tieu giao", "du toan", "muc tieu", "giao chi tieu"},
		// A target given to the unit ("Chỉ tiêu KH giao năm 2020") is no name.
		also: func(f string) bool { return strings.HasPrefix(f, "chi tieu") && containsWords(f, "giao") }},
	{kind: hdrName, exact: []string{"indicator", "ten"}, prefixes: []string{"chi tieu", "ten chi tieu", "noi dung", "cac chi tieu"}},
	{kind: hdrPeriod, exact: []string{"th"}, words: []string{"thuc hien", "uoc", "trong ky", "ket qua", "so lieu", "ky bao cao"}, prefixes: []string{"th "}},
}

// classifyFormHeader says what a report form column headed s holds
// (formHeaderKinds); a percent sign makes it a derived column.
func classifyFormHeader(s string) hdrKind {
	f := thidua.Fold(s)
	if f == "" {
		return hdrNone
	}
	if strings.Contains(s, "%") {
		return hdrDerived
	}
	for _, k := range formHeaderKinds {
		if slices.Contains(k.exact, f) ||
			slices.ContainsFunc(k.words, func(w string) bool { return containsWords(f, w) }) ||
			slices.ContainsFunc(k.prefixes, func(p string) bool { return strings.HasPrefix(f, p) }) ||
			k.also != nil && k.also(f) {
			return k.kind
		}
	}
	return hdrNone
}

// containsWords reports whether the folded text f contains the folded words
// w as whole words.
func containsWords(f, w string) bool {
	return f == w || strings.HasPrefix(f, w+" ") || strings.HasSuffix(f, " "+w) || strings.Contains(f, " "+w+" ")
}

// signatureWords mark the signature block under a form or table; reading
// stops at the first row holding one of them.
var signatureWords = []string{
	"nguoi lap bieu", "nguoi lap", "thu truong", "ky ten", "ky ghi ro ho ten", "ky ho ten", "ky dong dau",
	"xac nhan", "noi nhan", "chu tich", "giam doc", "truong phong", "lanh dao", "tm uy ban", "tm ubnd",
	"kt chu tich", "pho chu tich", "nguoi duyet", "nguoi kiem tra",
}

var reDateLine = regexp.MustCompile(`\bngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}\b|\bngay\s+thang\s+nam\b`)

// isSignatureText reports whether s belongs to a signature block.
func isSignatureText(s string) bool {
	f := thidua.Fold(s)
	for _, w := range signatureWords {
		if containsWords(f, w) {
			return true
		}
	}
	return reDateLine.MatchString(f)
}

// isTotalText reports whether s names a total row of a cluster table.
func isTotalText(s string) bool {
	f := thidua.Fold(reNumbering.ReplaceAllString(s, ""))
	switch f {
	case "tong", "tong cong", "cong", "toan cum", "tong so", "ca cum", "tong toan cum", "cum", "total", "toan tinh", "tinh":
		return true
	}
	return strings.HasPrefix(f, "tong cong") || strings.HasPrefix(f, "toan cum")
}

// reSection matches the numbering of a section heading: "I.", "A -".
var reSection = regexp.MustCompile(`^\s*(?:[IVXLC]{1,5}|[A-ZĐ])\s*[.)\-–:]`)

// isSectionText reports whether s is a section heading like "I. KINH TẾ",
// "A - VĂN HÓA XÃ HỘI" or "KINH TẾ".
func isSectionText(s string) bool {
	if reSection.MatchString(s) {
		return true
	}
	return strings.ToUpper(s) == s && strings.ToLower(s) != s
}

// nextText returns the first non-empty cell right of (r, c) and its column,
// or -1.
func nextText(g *sheetGrid, r, c int) (string, int) {
	for col := c + 1; col < g.width(r); col++ {
		if t := g.text(r, col); t != "" {
			return t, col
		}
	}
	return "", -1
}

// valueField is field for a value of ind: a numeric cell formatted as a
// percentage (it holds 0.3522 and shows 35,22%) gives 35.22 for an
// indicator measured in %, and is refused for any other indicator.
func (x *xlsxFile) valueField(g *sheetGrid, r, c int, ind thidua.Indicator) rawField {
	f := x.field(g, r, c)
	if f.Num == nil || !x.percentFormat(g.sheet, r, c) {
		return f
	}
	if strings.TrimSpace(ind.Measure) != "%" {
		x.layout(f.Pos, ErrPercent, "the cell is formatted as a percentage (it shows %s%%) but %s is counted in %s; type the number itself", fmtNum(*f.Num*100), ind.Code, ind.Measure)
		return rawField{Pos: f.Pos}
	}
	v := math.Round(*f.Num*100*1e9) / 1e9
	f.Num = &v
	f.Text = fmtNum(v) + "%"
	return f
}

// percentFormat reports whether cell (r, c) has a percentage number format.
func (x *xlsxFile) percentFormat(sheet string, r, c int) bool {
	id, err := x.f.GetCellStyle(sheet, cellName(r, c))
	if err != nil || id == 0 {
		return false
	}
	st, err := x.f.GetStyle(id)
	if err != nil {
		return false
	}
	return st.NumFmt == 9 || st.NumFmt == 10 || st.CustomNumFmt != nil && strings.Contains(strings.ReplaceAll(*st.CustomNumFmt, `\%`, ""), "%")
}

// excelPrecision rounds v to the 15 significant digits a spreadsheet shows
// and computes with, so that a formula's 2.0000000000000004 is the 2 the
// office saw.
func excelPrecision(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// firstNumber returns the first numeric cell of g, row by row.
func firstNumber(g *sheetGrid) (r, c int, ok bool) {
	for r := range g.rows {
		for c, cell := range g.rows[r] {
			if cell.num {
				return r, c, true
			}
		}
	}
	return 0, 0, false
}

// xlsxCellValue reads the number in a cell: a numeric cell as stored, a text
// cell with parseNumber in the given locale.
func xlsxCellValue(c xcell, locale string) (float64, error) {
	if c.num {
		v, err := strconv.ParseFloat(c.text, 64)
		if err != nil {
			return 0, &NumberError{Text: c.text, Err: ErrSyntax}
		}
		return v, nil
	}
	return parseNumber(c.text, locale)
}
