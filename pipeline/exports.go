package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/store"
)

// Export formats of "thidua export --format", each written to OUT/FORMAT/.
// csv-vi and xlsx-vi are the spreadsheet copies for Vietnamese readers
// (Excel with Vietnamese regional settings); csv and xlsx stay for analysts.
var ExportFormats = []string{"parquet", "csv", "xlsx", "arrow", "csv-vi", "xlsx-vi"}

// xlsxFile is the workbook "thidua export --format xlsx" writes.
const xlsxFile = "thidua.xlsx"

// ExportOptions are the flags of "thidua export".
type ExportOptions struct {
	Formats     []string // of ExportFormats; nil means Parquet
	PartitionBy string   // of store.PartitionKeys; "" for none
}

// check validates the flags and puts the formats in their fixed order.
// No formats at all (the zero ExportOptions) means Parquet.
func (o *ExportOptions) check() error {
	if o.Formats == nil {
		o.Formats = []string{"parquet"}
	}
	var fs []string
	for _, f := range o.Formats {
		f = strings.ToLower(strings.TrimSpace(f))
		if !slices.Contains(ExportFormats, f) {
			return withCode(ExitConfig, fmt.Errorf("--format %q: want one or more of %s", f, strings.Join(ExportFormats, ", ")))
		}
		if !slices.Contains(fs, f) {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return withCode(ExitConfig, fmt.Errorf("--format: want one or more of %s", strings.Join(ExportFormats, ", ")))
	}
	slices.SortFunc(fs, func(a, b string) int { return slices.Index(ExportFormats, a) - slices.Index(ExportFormats, b) })
	o.Formats = fs
	if o.PartitionBy != "" {
		if !slices.Contains(store.PartitionKeys, o.PartitionBy) {
			return withCode(ExitConfig, fmt.Errorf("--partition-by %q: want %s", o.PartitionBy, strings.Join(store.PartitionKeys, " or ")))
		}
		if !slices.Contains(fs, "parquet") {
			return withCode(ExitConfig, errors.New("--partition-by applies to the Parquet export: add parquet to --format"))
		}
	}
	return nil
}

// checkRun is check for "thidua run", which always writes Parquet (its
// main export, first in the formats): --format there adds copies.
func (o *ExportOptions) checkRun() error {
	o.Formats = append([]string{"parquet"}, o.Formats...)
	return o.check()
}

// exportAll writes every format asked for to its folder OUT/FORMAT, each
// folder built aside and swapped in whole (outdir.go). It returns the files
// (and, partitioned, the table folders) written.
func (a *App) exportAll(ctx context.Context, o ExportOptions) ([]string, error) {
	var all []string
	synthetic, err := a.synthetic(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range o.Formats {
		dir := filepath.Join(a.cfg.Out, f)
		var files []string
		var err error
		switch f {
		case "parquet":
			if o.PartitionBy == "" {
				files, err = a.ExportParquet(ctx, dir)
				break
			}
			files, err = a.ExportParquetPartitioned(ctx, dir, o.PartitionBy)
		case "csv":
			files, err = a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
				files, err := a.db.ExportCSV(ctx, tmp, store.CopyTables)
				return withSyntheticNote(tmp, files, synthetic, err)
			})
		case "arrow":
			files, err = a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
				files, err := a.db.ExportArrow(ctx, tmp, store.CopyTables)
				return withSyntheticNote(tmp, files, synthetic, err)
			})
		case "xlsx":
			files, err = a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
				return a.writeXLSX(ctx, filepath.Join(tmp, xlsxFile), synthetic)
			})
		case "csv-vi":
			files, err = a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
				files, err := a.db.ExportCSVVI(ctx, tmp, store.CopyTables, &a.cfg.Cluster)
				return withSyntheticNote(tmp, files, synthetic, err)
			})
		case "xlsx-vi":
			files, err = a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
				return a.writeXLSXVI(ctx, filepath.Join(tmp, xlsxFile), synthetic)
			})
		}
		if err != nil {
			if errors.Is(err, store.ErrNotTransformed) {
				err = withCode(ExitConfig, err)
			}
			return all, err
		}
		a.log.Info("export written", "format", f, "dir", dir, "files", len(files))
		all = append(all, files...)
	}
	return all, nil
}

// ExportParquetPartitioned writes every table as Parquet to dir
// partitioned by (store.PartitionKeys), built aside and swapped in whole,
// and returns the files and table folders. Partitions whose rows did not
// change are taken over from the folder being replaced (hard links), not
// written again; which were is recorded for run.json.
func (a *App) ExportParquetPartitioned(ctx context.Context, dir, by string) ([]string, error) {
	var files []string
	err := a.growMemory(ctx, "export", func() (err error) {
		files, err = a.publishDir(ctx, dir, func(tmp string) ([]string, error) {
			files, parts, err := a.db.ExportParquetPartitionedOver(ctx, tmp, by, dir)
			a.partitions = &parts
			return files, err
		})
		return err
	})
	return files, err
}

// Partitions are the Parquet partitions the last partitioned export wrote
// and took over (nil before one).
func (a *App) Partitions() *store.Partitions { return a.partitions }

// Pages are the period files the last dashboards wrote and took over (nil
// before them).
func (a *App) Pages() *dashboards.Reuse { return a.pages }

// synthetic reports whether the database holds the built-in synthetic
// sample (a load of it that was not undone).
func (a *App) synthetic(ctx context.Context) (bool, error) {
	ls, err := a.db.Loads(ctx)
	if err != nil {
		return false, err
	}
	for _, l := range ls {
		if strings.EqualFold(l.Format, "sample") && l.Status == store.StatusLoaded {
			return true, nil
		}
	}
	return false, nil
}

// syntheticNote says, in the exports of the built-in sample, that the
// data is not real.
const syntheticNote = "SYNTHETIC DATA: generated by thidua's built-in sample of the Bắc Kạn cluster, not real statistics.\n" +
	"DỮ LIỆU GIẢ LẬP: do mẫu dựng sẵn của thidua sinh ra, không phải số liệu thống kê thật.\n"

// withSyntheticNote adds SYNTHETIC.txt to an export folder of sample data.
// No file at all means the transform has not built the tables yet.
func withSyntheticNote(dir string, files []string, synthetic bool, err error) ([]string, error) {
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("%s: %w", strings.Join(store.CopyTables, " and "), store.ErrNotTransformed)
	}
	if err != nil || !synthetic {
		return files, err
	}
	p := filepath.Join(dir, "SYNTHETIC.txt")
	if err := os.WriteFile(p, []byte(syntheticNote), 0o644); err != nil {
		return files, err
	}
	return append(files, p), nil
}

// writeXLSX writes indicator_pop and scores as sheets of one workbook, with
// a notes sheet saying when and from what it was made.
func (a *App) writeXLSX(ctx context.Context, path string, synthetic bool) ([]string, error) {
	var sheets []dashboards.Sheet
	notes := []string{
		fmt.Sprintf("Generated by thidua %s at %s from %s.", version(), a.now().UTC().Format("2006-01-02 15:04:05 UTC"), filepath.Base(a.db.Path())),
	}
	for _, name := range store.CopyTables {
		t, err := a.db.ExportRows(ctx, name, dashboards.MaxXLSXRows)
		if errors.Is(err, store.ErrTooManyRows) {
			return nil, fmt.Errorf("xlsx: %w; an Excel sheet holds %d: use the csv or parquet export", err, dashboards.MaxXLSXRows)
		}
		if err != nil {
			return nil, err
		}
		s := dashboards.Sheet{Name: name, Rows: t.Rows}
		for _, c := range t.Columns {
			s.Columns = append(s.Columns, c.Name)
		}
		sheets = append(sheets, s)
		notes = append(notes, fmt.Sprintf("Sheet %s: %d rows, the %s table (see docs/exports.md for its columns).", name, len(t.Rows), name))
	}
	if synthetic {
		notes = append(notes, strings.Split(strings.TrimSpace(syntheticNote), "\n")...)
	}
	if err := dashboards.WriteXLSX(path, sheets, dashboards.XLSXOptions{Notes: notes, GeneratedAt: a.now()}); err != nil {
		return nil, err
	}
	return []string{path}, nil
}

// writeXLSXVI is writeXLSX for Vietnamese readers: the sheets and columns
// headed as thidua.SheetTables and thidua.SheetColumns say, numbers rounded
// by thidua.SheetValue and shown with their decimals (#,##0 for whole
// numbers, #,##0.0 ...), dates dd/mm/yyyy, true/false as có/không, the
// notes in Vietnamese and the cluster as the workbook's author.
func (a *App) writeXLSXVI(ctx context.Context, path string, synthetic bool) ([]string, error) {
	var sheets []dashboards.Sheet
	notes := []string{
		fmt.Sprintf("Tạo bởi thidua %s lúc %s (UTC) từ %s.", version(), a.now().UTC().Format("02/01/2006 15:04:05"), filepath.Base(a.db.Path())),
	}
	for _, name := range store.CopyTables {
		t, err := a.db.ExportRows(ctx, name, dashboards.MaxXLSXRows)
		if errors.Is(err, store.ErrTooManyRows) {
			return nil, fmt.Errorf("xlsx-vi: %w; an Excel sheet holds %d: use the csv-vi or parquet export", err, dashboards.MaxXLSXRows)
		}
		if err != nil {
			return nil, err
		}
		s := dashboards.Sheet{Name: thidua.SheetTables[name], Rows: make([][]any, 0, len(t.Rows))}
		if s.Name == "" {
			s.Name = name
		}
		indCol := -1
		for i, c := range t.Columns {
			head := c.Name
			if h, ok := thidua.SheetColumns[c.Name]; ok {
				head = h.VI
			}
			s.Columns = append(s.Columns, head)
			if c.Name == "indicator_code" {
				indCol = i
			}
		}
		for _, r := range t.Rows {
			var ind *thidua.Indicator
			if indCol >= 0 {
				if code, ok := r[indCol].(string); ok {
					if i, ok := a.cfg.Cluster.Indicator(code); ok {
						ind = &i
					}
				}
			}
			out := make([]any, len(r))
			for i, v := range r {
				v, dec := thidua.SheetValue(t.Columns[i].Name, v, ind)
				if f, ok := v.(float64); ok && dec >= 0 {
					v = dashboards.Fixed{V: f, Decimals: dec}
				}
				out[i] = v
			}
			s.Rows = append(s.Rows, out)
		}
		sheets = append(sheets, s)
		notes = append(notes, fmt.Sprintf("Trang %q: %d dòng, bảng %s (các cột: docs/exports.md).", s.Name, len(t.Rows), name))
	}
	if synthetic {
		notes = append(notes, strings.Split(strings.TrimSpace(syntheticNote), "\n")...)
	}
	opts := dashboards.XLSXOptions{Notes: notes, GeneratedAt: a.now(), DateFormat: "dd/mm/yyyy", Author: a.cfg.Cluster.Name}
	if err := dashboards.WriteXLSX(path, sheets, opts); err != nil {
		return nil, err
	}
	return []string{path}, nil
}
