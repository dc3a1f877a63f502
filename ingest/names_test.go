package ingest

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua"
)

// TestIndicatorCorpus matches every name of testdata/names/corpus.txt
// through the lookups every reader uses: Options.LookupIndicator (long CSV,
// targets, Parquet) and lookupIndicatorText (report forms, cluster tables).
func TestIndicatorCorpus(t *testing.T) {
	f, err := os.Open("testdata/names/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := testCluster()
	o := Options{Cluster: c}
	n := 0
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		want, name, ok := strings.Cut(text, "\t")
		if !ok {
			t.Fatalf("corpus.txt:%d: want CODE<TAB>NAME", line)
		}
		n++
		ind, err := o.LookupIndicator(name)
		xind, xok := lookupIndicatorText(c, name)
		switch {
		case want == "-":
			if err == nil {
				t.Errorf("corpus.txt:%d: %q matched %s, want no indicator", line, name, ind.Code)
			}
			if xok {
				t.Errorf("corpus.txt:%d: %q matched %s in a spreadsheet, want no indicator", line, name, xind.Code)
			}
		default:
			if err != nil || ind.Code != want {
				t.Errorf("corpus.txt:%d: %q: %s %v, want %s", line, name, ind.Code, err, want)
			}
			if !xok || xind.Code != want {
				t.Errorf("corpus.txt:%d: %q in a spreadsheet: %s %v, want %s", line, name, xind.Code, xok, want)
			}
		}
	}
	if n < 60 {
		t.Errorf("corpus has %d names; it should cover every built-in indicator several ways", n)
	}
}

// TestIndicatorAmbiguous: when a loose name fits two indicators it is
// refused, naming both; the exact names still match.
func TestIndicatorAmbiguous(t *testing.T) {
	c := testCluster()
	c.Indicators = append(c.Indicators, thidua.Indicator{Code: "ntm_communes_year", Name: "Số xã đạt chuẩn nông thôn mới (trong năm)", Measure: "xã"})
	o := Options{Cluster: c}
	for _, name := range []string{"Số xã đạt chuẩn nông thôn mới", "Số xã đạt chuẩn NTM (xã)", "nông thôn mới số xã đạt chuẩn"} {
		_, err := o.LookupIndicator(name)
		if !errors.Is(err, ErrAmbiguousName) || !strings.Contains(err.Error(), "ntm_communes (") || !strings.Contains(err.Error(), "ntm_communes_year (") {
			t.Errorf("%q: %v, want ErrAmbiguousName naming both", name, err)
		}
		if _, ok := lookupIndicatorText(c, name); ok {
			t.Errorf("%q matched in a spreadsheet", name)
		}
	}
	for name, want := range map[string]string{"Số xã đạt chuẩn nông thôn mới (lũy kế)": "ntm_communes", "Số xã đạt chuẩn nông thôn mới (trong năm)": "ntm_communes_year", "Xã đạt chuẩn NTM": "ntm_communes"} {
		if ind, err := o.LookupIndicator(name); err != nil || ind.Code != want {
			t.Errorf("%q: %s %v, want %s", name, ind.Code, err, want)
		}
	}
	if _, err := (&Options{Cluster: testCluster()}).LookupIndicator("Thu NSNN (tỷ đồng)"); !errors.Is(err, ErrMeasure) {
		t.Errorf("another unit of measure: %v, want ErrMeasure", err)
	}
}

// FuzzMatchIndicator: any text is matched or refused without a panic, the
// same way composed or decomposed, and a match is an indicator of the
// cluster whose loose name (or its words) equals the text's.
func FuzzMatchIndicator(f *testing.F) {
	for _, s := range []string{"Số xã đạt chuẩn nông thôn mới (xã)", "Thu NSNN (tỷ đồng)", "1. HTX thành lập mới", "((", "Tỷ lệ hộ nghèo (%)", "kt-xh ubnd tp. h."} {
		f.Add(s)
	}
	c := testCluster()
	f.Fuzz(func(t *testing.T, s string) {
		ind, err := matchIndicator(c, s, c.LookupIndicator)
		ind2, err2 := matchIndicator(c, norm.NFD.String(s), c.LookupIndicator)
		if (err == nil) != (err2 == nil) || ind.Code != ind2.Code {
			t.Fatalf("%q: %s %v composed, %s %v decomposed", s, ind.Code, err, ind2.Code, err2)
		}
		if err != nil {
			if !errors.Is(err, ErrUnknownIndicator) && !errors.Is(err, ErrAmbiguousName) && !errors.Is(err, ErrMeasure) {
				t.Fatalf("%q: untyped error %v", s, err)
			}
			return
		}
		if _, ok := c.Indicator(ind.Code); !ok {
			t.Fatalf("%q matched %q, not an indicator of the cluster", s, ind.Code)
		}
	})
}
