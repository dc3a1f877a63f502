package ingest

import (
	"encoding/csv"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// csvRecords is what encoding/csv gives for text: records and the lines
// they start on.
func csvRecords(t *testing.T, text string, delim rune) (recs [][]string, lines []int) {
	t.Helper()
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return recs, lines
		}
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		line, _ := cr.FieldPos(0)
		recs, lines = append(recs, rec), append(lines, line)
	}
}

// TestPlainRecords holds plainRecords to encoding/csv on random text
// without quotes: line ends \n, \r\n, lone \r, empty lines, blanks, every
// delimiter, a last line with or without its end.
func TestPlainRecords(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 3))
	parts := []string{"a", "Đơn vị", " ", "12,5", ";", "\t", ",", "\n", "\r\n", "\r", "\n\n", "x\r", "0001", ""}
	for run := range 5000 {
		var sb strings.Builder
		for range rng.IntN(30) {
			sb.WriteString(parts[rng.IntN(len(parts))])
		}
		text := sb.String()
		delim := []rune{',', ';', '\t'}[run%3]
		wantRecs, wantLines := csvRecords(t, text, delim)
		var gotRecs [][]string
		var gotLines []int
		plainRecords(text, byte(delim), func(rec []string, line int, span [2]int) {
			gotRecs, gotLines = append(gotRecs, append([]string(nil), rec...)), append(gotLines, line)
			// The span splits again into the same record (table.withFields).
			if again := splitFields(text[span[0]:span[1]], byte(delim), nil); !reflect.DeepEqual(again, rec) {
				t.Fatalf("%q split by %q: line %d's span %v gives %q, not %q", text, delim, line, span, again, rec)
			}
		})
		if !reflect.DeepEqual(gotRecs, wantRecs) || !reflect.DeepEqual(gotLines, wantLines) {
			t.Fatalf("%q split by %q:\nplainRecords %q at %v\nencoding/csv %q at %v", text, delim, gotRecs, gotLines, wantRecs, wantLines)
		}
	}
}
