package ingest

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/thidua/thidua"
)

// ReadFile reads one input file, choosing the reader by extension and, when
// the extension says nothing, by content: .xlsx/.xlsm → an XLSX workbook of
// report forms or cluster tables (xlsx.go), .parquet → a Parquet file with
// the columns of a long CSV (parquet.go),
// .csv/.tsv/.txt (and other text) → ReadCSV, or ReadTargets
// when the header names a year and a target but no period.
func ReadFile(path string, opts Options) (thidua.Batch, error) {
	if opts.Cluster == nil {
		return thidua.Batch{}, fmt.Errorf("ingest: %s: no cluster given", path)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return readXLSX(path, opts)
	case ".parquet", ".pq":
		return readParquet(path, opts)
	case ".xls":
		return thidua.Batch{}, kindf(ErrOldFormat, "ingest: %s: old binary Excel (.xls) is not read; save it as .xlsx", path)
	}
	f, err := openInput(path, opts.PlainFilesOnly)
	if err != nil {
		return thidua.Batch{}, fmt.Errorf("ingest: %w", err)
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return readXLSX(path, opts)
	case bytes.HasPrefix(head, []byte("PAR1")):
		return readParquet(path, opts)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return thidua.Batch{}, fmt.Errorf("ingest: %s: %w", path, err)
	}
	specs := append(append([]columnSpec{}, longColumns...), targetColumns...)
	t, err := readTable(path, f, opts, specs)
	if err != nil {
		return thidua.Batch{Source: t.src}, err
	}
	if !t.fatal && isTargetsTable(t) {
		return targetsFromTable(t, opts), nil
	}
	return longFromTable(t, opts), nil
}

// isTargetsTable reports a table whose header names a year and a target
// but no period and no value: a targets file.
func isTargetsTable(t *table) bool {
	c := *t
	h, probs := c.findHeader(targetColumns)
	if len(probs) > 0 {
		return false
	}
	l, _ := matchHeader(c.header, longColumns, thidua.Pos{})
	return h.has(fieldYear) && h.has(fieldTarget) && !l.has(fieldPeriod) && !l.has(fieldValue)
}
