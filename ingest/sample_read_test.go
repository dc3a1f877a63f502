package ingest

import (
	"bytes"
	"testing"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/ingest/sample"
)

// TestReadSample reads the built-in synthetic sample through the readers
// the CLI uses: every row must load, none may be refused.
func TestReadSample(t *testing.T) {
	files := sample.Files()
	if len(files) == 0 {
		t.Fatal("no sample files")
	}
	for _, f := range files {
		var read func(string, *bytes.Reader, Options) (int, int, []string)
		switch f.Name {
		case "observations.csv":
			read = func(n string, r *bytes.Reader, o Options) (int, int, []string) {
				b, err := ReadCSV(n, r, o)
				if err != nil {
					t.Fatal(err)
				}
				return b.Rows, len(b.Observations), problemStrings(b.Problems)
			}
		case "targets.csv":
			read = func(n string, r *bytes.Reader, o Options) (int, int, []string) {
				b, err := ReadTargets(n, r, o)
				if err != nil {
					t.Fatal(err)
				}
				return b.Rows, len(b.Targets), problemStrings(b.Problems)
			}
		default:
			continue
		}
		rows, facts, probs := read(f.Name, bytes.NewReader(f.Data), testOptions())
		if len(probs) > 0 {
			t.Errorf("%s: %d problems, first: %v", f.Name, len(probs), probs[:min(3, len(probs))])
		}
		if rows == 0 || facts == 0 {
			t.Errorf("%s: %d rows, %d facts", f.Name, rows, facts)
		}
	}
}

func problemStrings(ps []thidua.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}
