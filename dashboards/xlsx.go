package dashboards

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet is one worksheet of an XLSX copy of a table: a header row with the
// column names, then one row per record. Values are nil (an empty cell),
// bool, any Go integer, float32, float64, string or time.Time (a time with
// no clock time is written as a date).
type Sheet struct {
	Name    string
	Columns []string
	Rows    [][]any
}

// Fixed is a number cell shown with a fixed count of decimals and
// thousands grouping (#,##0.0 for one: Excel shows 1.234,5 with Vietnamese
// regional settings, 1,234.5 with English ones).
type Fixed struct {
	V        float64
	Decimals int
}

// XLSXOptions tune WriteXLSX.
type XLSXOptions struct {
	// Notes, when given, are written one per row to a last sheet named
	// NotesSheet: where the data comes from, when it was generated and,
	// for the built-in sample, that it is synthetic.
	Notes []string
	// GeneratedAt is recorded as the workbook's creation time; zero
	// leaves excelize's fixed default, so the file's bytes depend only
	// on its content.
	GeneratedAt time.Time
	// DateFormat is the number format of date cells (dd/mm/yyyy for
	// Vietnamese readers); empty is yyyy-mm-dd.
	DateFormat string
	// Author is the workbook's author ("thidua" when empty).
	Author string
}

// NotesSheet is the name of the sheet that holds XLSXOptions.Notes.
const NotesSheet = "notes"

// MaxXLSXRows is the most data rows a sheet can hold: Excel's limit of
// 1,048,576 rows less the header.
const MaxXLSXRows = 1_048_575

// maxSheetRows is Excel's row limit per sheet, header included (a
// variable for tests).
var maxSheetRows = MaxXLSXRows + 1

// WriteXLSX writes sheets to the workbook path for Excel users: a bold,
// frozen header row, dates formatted yyyy-mm-dd and times yyyy-mm-dd
// hh:mm:ss, numbers as numbers (NaN and infinities as the text NaN, +Inf,
// -Inf), text always as text (a value starting with "=" is never a
// formula). The workbook is written to a temporary file beside path and
// renamed over it when complete. A sheet with more rows than Excel holds
// is refused, naming the sheet.
func WriteXLSX(path string, sheets []Sheet, opts XLSXOptions) (err error) {
	if len(sheets) == 0 {
		return fmt.Errorf("dashboards: xlsx %s: %w", path, errNoSheets)
	}
	for _, s := range sheets {
		if len(s.Rows)+1 > maxSheetRows {
			return fmt.Errorf("dashboards: xlsx %s: sheet %s has %d rows, %w (%d); use the CSV or Parquet export",
				path, s.Name, len(s.Rows), errSheetRows, maxSheetRows-1)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w, parts: map[string]*bytes.Buffer{}} })
	if !opts.GeneratedAt.IsZero() {
		t := opts.GeneratedAt.UTC().Format(time.RFC3339)
		author := opts.Author
		if author == "" {
			author = "thidua"
		}
		if err := f.SetDocProps(&excelize.DocProperties{Creator: author, Created: t, Modified: t}); err != nil {
			return fmt.Errorf("dashboards: xlsx %s: %w", path, err)
		}
	}
	st, err := newXLSXStyles(f, opts.DateFormat)
	if err != nil {
		return fmt.Errorf("dashboards: xlsx %s: %w", path, err)
	}
	all := sheets
	if len(opts.Notes) > 0 {
		notes := Sheet{Name: NotesSheet, Columns: []string{"note"}}
		for _, n := range opts.Notes {
			notes.Rows = append(notes.Rows, []any{n})
		}
		all = append(append([]Sheet(nil), sheets...), notes)
	}
	for i, s := range all {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), s.Name)
		} else {
			_, err = f.NewSheet(s.Name)
		}
		if err != nil {
			return fmt.Errorf("dashboards: xlsx %s: sheet %q: %w", path, s.Name, err)
		}
		if err := writeSheet(f, s, st); err != nil {
			return fmt.Errorf("dashboards: xlsx %s: sheet %s: %w", path, s.Name, err)
		}
	}
	f.SetActiveSheet(0)

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("dashboards: xlsx: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = f.WriteTo(tmp); err != nil {
		return fmt.Errorf("dashboards: xlsx %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("dashboards: xlsx %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("dashboards: xlsx %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("dashboards: xlsx %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("dashboards: xlsx %s: %w", path, err)
	}
	return nil
}

type xlsxStyles struct {
	f                      *excelize.File
	header, date, datetime int
	fixed                  map[int]int // decimals → style of Fixed cells
}

// fixedStyle returns the style of a Fixed cell with dec decimals.
func (st xlsxStyles) fixedStyle(dec int) (int, error) {
	if id, ok := st.fixed[dec]; ok {
		return id, nil
	}
	format := "#,##0"
	if dec > 0 {
		format += "." + strings.Repeat("0", dec)
	}
	id, err := st.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	if err != nil {
		return 0, err
	}
	st.fixed[dec] = id
	return id, nil
}

func newXLSXStyles(f *excelize.File, dateFormat string) (xlsxStyles, error) {
	st := xlsxStyles{f: f, fixed: map[int]int{}}
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return st, err
	}
	date, datetime := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	if dateFormat != "" {
		date, datetime = dateFormat, dateFormat+" hh:mm:ss"
	}
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &date}); err != nil {
		return st, err
	}
	if st.datetime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &datetime}); err != nil {
		return st, err
	}
	return st, nil
}

// WriteXLSX's refusals (besides excelize's own, such as
// excelize.ErrSheetNameInvalid), matched with errors.Is.
var (
	errNoSheets  = errors.New("no sheets")
	errSheetRows = errors.New("more rows than an Excel sheet holds")
	errRowLength = errors.New("not one value per column")
	errCellType  = errors.New("value of a type a cell cannot hold")
)

func writeSheet(f *excelize.File, s Sheet, st xlsxStyles) error {
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	// Column widths from the header and the first rows.
	for i, c := range s.Columns {
		w := utf8.RuneCountInString(c)
		for _, r := range s.Rows[:min(len(s.Rows), 200)] {
			if i < len(r) {
				w = max(w, cellWidth(r[i]))
			}
		}
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(w+2, 8), 60))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		head[i] = excelize.Cell{StyleID: st.header, Value: c}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := make([]any, len(s.Columns))
	for n, r := range s.Rows {
		if len(r) != len(s.Columns) {
			return fmt.Errorf("row %d has %d values for %d columns: %w", n+1, len(r), len(s.Columns), errRowLength)
		}
		for i, v := range r {
			c, err := xlsxCell(v, st)
			if err != nil {
				return fmt.Errorf("row %d column %s: %w", n+1, s.Columns[i], err)
			}
			row[i] = c
		}
		ref, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func xlsxCell(v any, st xlsxStyles) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return v, nil
	case float32:
		return xlsxFloat(float64(x)), nil
	case float64:
		return xlsxFloat(x), nil
	case Fixed:
		if math.IsNaN(x.V) || math.IsInf(x.V, 0) || x.Decimals < 0 {
			return xlsxFloat(x.V), nil
		}
		id, err := st.fixedStyle(x.Decimals)
		if err != nil {
			return nil, err
		}
		return excelize.Cell{StyleID: id, Value: x.V}, nil
	case time.Time:
		x = x.UTC()
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return excelize.Cell{StyleID: st.date, Value: x}, nil
		}
		return excelize.Cell{StyleID: st.datetime, Value: x}, nil
	}
	return nil, fmt.Errorf("%w: %T", errCellType, v)
}

// xlsxFloat keeps numbers numeric and spells out what Excel cannot hold.
func xlsxFloat(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return x
}

func cellWidth(v any) int {
	switch x := v.(type) {
	case string:
		return utf8.RuneCountInString(x)
	case time.Time:
		return 19
	case float64:
		return min(len(strconv.FormatFloat(x, 'g', 10, 64)), 15)
	case Fixed:
		return min(len(strconv.FormatFloat(x.V, 'f', max(x.Decimals, 0), 64))*4/3, 20)
	}
	return len(fmt.Sprint(v))
}

// sortedZip writes the workbook's parts in a fixed order ([Content_Types].xml
// first, then by name) when closed. excelize writes streamed sheets in map
// order, so without it the same workbook would come out as different bytes
// from run to run.
type sortedZip struct {
	w     io.Writer
	parts map[string]*bytes.Buffer
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if _, ok := z.parts[name]; ok {
		return nil, fmt.Errorf("zip: duplicate part %s", name)
	}
	b := new(bytes.Buffer)
	z.parts[name] = b
	return b, nil
}

func (z *sortedZip) AddFS(fs.FS) error { return errors.New("zip: AddFS not supported") }

func (z *sortedZip) Close() error {
	names := make([]string, 0, len(z.parts))
	for n := range z.parts {
		names = append(names, n)
	}
	first := func(n string) bool { return n == "[Content_Types].xml" }
	sort.Slice(names, func(i, j int) bool {
		if first(names[i]) != first(names[j]) {
			return first(names[i])
		}
		return names[i] < names[j]
	})
	zw := zip.NewWriter(z.w)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			return err
		}
		if _, err := z.parts[n].WriteTo(w); err != nil {
			return err
		}
	}
	return zw.Close()
}
