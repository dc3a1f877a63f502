package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/thidua/thidua"
)

// parquetBatchRows is how many rows readParquet decodes at a time.
const parquetBatchRows = 8192

// readParquet reads a Parquet file with the columns of a long CSV: unit (or
// unit_code), indicator (or indicator_code), period, value, and optionally
// basis and target, matched by name like CSV headers (see longColumns).
// Columns may be text or numbers; a null is an empty cell. Every row is
// validated like a CSV row (Options.fact) and every problem is positioned
// FILE:row N, N counting data rows from 1. The returned error is non-nil
// only when the file cannot be read at all.
func readParquet(path string, opts Options) (thidua.Batch, error) {
	src := thidua.Source{File: path, Name: filepath.Base(path), Format: "parquet"}
	if opts.Cluster == nil {
		return thidua.Batch{Source: src}, fmt.Errorf("read %s: no cluster configured", path)
	}
	fh, err := openInput(path, opts.PlainFilesOnly)
	if err != nil {
		return thidua.Batch{Source: src}, fmt.Errorf("read %s: %w", path, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return thidua.Batch{Source: src}, fmt.Errorf("read %s: %w", path, err)
	}
	if st.Size() > opts.maxFile() {
		return thidua.Batch{Source: src}, kindf(ErrTooLarge, "read %s: file is %d bytes, more than the limit of %d", path, st.Size(), opts.maxFile())
	}
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return thidua.Batch{Source: src}, fmt.Errorf("read %s: %w", path, err)
	}
	src.SHA256 = hex.EncodeToString(h.Sum(nil))
	src.Size = st.Size()
	return readWithLocale(opts, func(opts Options) (thidua.Batch, error) { return readParquetRows(src, fh, opts) })
}

// readParquetRows is readParquet on the open file fh, hashed.
func readParquetRows(src thidua.Source, fh *os.File, opts Options) (thidua.Batch, error) {
	path := src.File
	// Not fh itself: closing the Parquet reader would close it, and the
	// number locale inference may read the file again.
	pf, err := file.NewParquetReader(struct {
		io.ReaderAt
		io.Seeker
	}{fh, fh})
	if err != nil {
		return thidua.Batch{Source: src}, kindf(ErrDamaged, "read %s: not a readable Parquet file: %w", path, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: parquetBatchRows}, memory.DefaultAllocator)
	if err != nil {
		return thidua.Batch{Source: src}, fmt.Errorf("read %s: %w", path, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		return thidua.Batch{Source: src}, fmt.Errorf("read %s: schema: %w", path, err)
	}
	names := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		names[i] = f.Name
	}
	b := newBuilder(src, opts)
	filePos := thidua.Pos{File: path}
	hdr, probs := matchHeader(names, longColumns, filePos)
	if len(probs) > 0 {
		b.problems(probs...)
		return b.done(), nil
	}
	if !hdr.has(fieldValue) && !hdr.has(fieldTarget) {
		b.problem(filePos, "missing column %q (or %q): the file gives no values", "value", "target")
		return b.done(), nil
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		return b.done(), fmt.Errorf("read %s: %w", path, err)
	}
	defer rr.Release()
	row := 0
	for rr.Next() {
		rec := rr.RecordBatch()
		col := func(field string) arrow.Array {
			if i, ok := hdr.Index[field]; ok {
				return rec.Column(i)
			}
			return nil
		}
		unit, unitCode := col(fieldUnit), col(fieldUnitCode)
		ind, indCode := col(fieldIndicator), col(fieldIndicatorCode)
		period, value, basis, target := col(fieldPeriod), col(fieldValue), col(fieldBasis), col(fieldTarget)
		for i := 0; i < int(rec.NumRows()); i++ {
			row++
			pos := thidua.Pos{File: path, Column: "row " + strconv.Itoa(row)}
			raw := rawFact{
				Pos:           pos,
				Unit:          arrowField(unit, i, pos),
				UnitCode:      arrowField(unitCode, i, pos),
				Indicator:     arrowField(ind, i, pos),
				IndicatorCode: arrowField(indCode, i, pos),
				Period:        arrowField(period, i, pos),
				Value:         arrowField(value, i, pos),
				Basis:         arrowField(basis, i, pos),
				Target:        arrowField(target, i, pos),
				ValueOptional: target != nil,
			}
			b.add(raw)
		}
	}
	if err := rr.Err(); err != nil {
		return b.done(), fmt.Errorf("read %s: after row %d: %w", path, row, err)
	}
	out := b.done()
	out.Rows = row
	return out, nil
}

// arrowField returns row i of column a as a rawField: numbers as numbers,
// everything else as text, a null (or a missing column) as an empty field.
func arrowField(a arrow.Array, i int, pos thidua.Pos) rawField {
	f := rawField{Pos: pos}
	if a == nil || a.IsNull(i) {
		return f
	}
	num := func(v float64) rawField {
		f.Num = &v
		f.Text = strconv.FormatFloat(v, 'g', -1, 64)
		return f
	}
	switch c := a.(type) {
	case *array.String:
		f.Text = NFC(c.Value(i))
	case *array.LargeString:
		f.Text = NFC(c.Value(i))
	case *array.StringView:
		f.Text = NFC(c.Value(i))
	case *array.Float64:
		return num(c.Value(i))
	case *array.Float32:
		return num(float64(c.Value(i)))
	case *array.Int64:
		f.Text = strconv.FormatInt(c.Value(i), 10)
		v := float64(c.Value(i))
		f.Num = &v
	case *array.Int32:
		return num(float64(c.Value(i)))
	case *array.Int16:
		return num(float64(c.Value(i)))
	case *array.Int8:
		return num(float64(c.Value(i)))
	case *array.Uint64:
		return num(float64(c.Value(i)))
	case *array.Uint32:
		return num(float64(c.Value(i)))
	case *array.Uint16:
		return num(float64(c.Value(i)))
	case *array.Uint8:
		return num(float64(c.Value(i)))
	case *array.Decimal128, *array.Decimal256:
		if v, err := strconv.ParseFloat(a.ValueStr(i), 64); err == nil {
			return num(v)
		}
		f.Text = a.ValueStr(i)
	case *array.Dictionary:
		return arrowField(c.Dictionary(), c.GetValueIndex(i), pos)
	default:
		f.Text = a.ValueStr(i)
	}
	return f
}
