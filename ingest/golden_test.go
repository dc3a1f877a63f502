package ingest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/thidua/thidua"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// csvVariant is text (synthetic data) for the CSV golden cases whose input
// is written in an encoding other than UTF-8; the test writes the input
// file under -update and otherwise checks the committed bytes still match.
var csvVariants = []struct {
	dir, file string
	text      string
	encode    func(t testing.TB, s string) []byte
	opts      string
}{
	{"bom", "input.csv", variantText(","), func(_ testing.TB, s string) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, s...) }, ""},
	{"utf16le_excel", "input.txt", variantText("\t"), func(_ testing.TB, s string) []byte { return encodeUTF16(crlf(s), false, true) }, ""},
	{"utf16be", "input.csv", variantText(";"), func(_ testing.TB, s string) []byte { return encodeUTF16(s, true, true) }, ""},
	{"windows1258", "input.csv", variantText(","), func(t testing.TB, s string) []byte { return encode1258(t, s) }, ""},
	{"windows1258_forced", "input.csv", variantText(";"), func(t testing.TB, s string) []byte { return encode1258(t, s) }, "encoding=windows-1258"},
	{"tcvn3_bytes", "input.csv", variantText(","), func(t testing.TB, s string) []byte { return encodeTCVN3(t, s) }, ""},
	{"tcvn3_forced", "input.csv", variantText(","), func(t testing.TB, s string) []byte { return encodeTCVN3(t, s) }, "encoding=tcvn3"},
	{"vni_forced", "input.csv", variantText(","), func(t testing.TB, s string) []byte { return []byte(encodeVNIView(t, s)) }, "encoding=vni"},
	{"vni_bytes", "input.csv", variantText(","), func(t testing.TB, s string) []byte { return []byte(latin1Bytes(encodeVNIView(t, s))) }, ""},
}

// variantText is a small long-CSV file in Vietnamese with the delimiter d.
func variantText(d string) string {
	rows := [][]string{
		{"Đơn vị", "Chỉ tiêu", "Kỳ báo cáo", "Giá trị"},
		{"Thành phố Bắc Kạn", "Thu ngân sách", "Tháng 6/2020", "25000"},
		{"Pác Nặm", "Trồng rừng", "Quý II/2020", "45,5"},
		{"Chợ Đồn", "Hợp tác xã thành lập mới", "6 tháng đầu năm 2020", "3"},
		{"Ngân Sơn", "Tuyển quân", "Năm 2020", "110"},
		{"Na Rì", "Diện tích gieo cấy lúa", "9 tháng năm 2020", "1200"},
	}
	var b strings.Builder
	for _, r := range rows {
		for i, f := range r {
			if strings.Contains(f, d) {
				r[i] = `"` + f + `"`
			}
		}
		b.WriteString(strings.Join(r, d) + "\n")
	}
	return b.String()
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// latin1Bytes turns a string of runes ≤ 0xFF into those bytes.
func latin1Bytes(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

// encodeVNIView writes s in VNI Windows as Latin-1 runes, trying every
// letter+mark spelling until decodeVNI gives the letter back.
func encodeVNIView(t testing.TB, s string) string {
	var out strings.Builder
	for _, r := range s {
		if r < 0x80 {
			out.WriteRune(r)
			continue
		}
		found := false
		for _, base := range "aeouyAEOUY\u00f4\u00f6\u00d4\u00d6" {
			for c := rune(0xC0); c <= 0xFF && !found; c++ {
				if decodeVNI(string(base)+string(c)) == string(r) {
					out.WriteRune(base)
					out.WriteRune(c)
					found = true
				}
			}
		}
		for c := rune(0xA0); c <= 0xFF && !found; c++ {
			if decodeVNI(string(c)) == string(r) {
				out.WriteRune(c)
				found = true
			}
		}
		if !found {
			t.Fatalf("encodeVNIView: no VNI spelling for %q", r)
		}
	}
	return out.String()
}

// readOpts parses a case's opts.txt: key=value lines.
func readOpts(t *testing.T, dir string) (Options, string) {
	opts := testOptions()
	reader := "csv"
	data, err := os.ReadFile(filepath.Join(dir, "opts.txt"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		switch k {
		case "encoding":
			opts.Encoding = v
		case "locale":
			opts.Locale = v
		case "reader":
			reader = v
		case "maxline":
			fmt.Sscan(v, &opts.MaxLineBytes)
		default:
			t.Fatalf("opts.txt: unknown key %q", k)
		}
	}
	return opts, reader
}

// renderBatchText writes a batch as golden text, one fact or problem a line.
func renderBatchText(b thidua.Batch, err error) string {
	var s strings.Builder
	if err != nil {
		fmt.Fprintf(&s, "error: %v\n", err)
	}
	fmt.Fprintf(&s, "source: %s format=%s size=%d sha256=%s rows=%d\n", b.Source.Name, b.Source.Format, b.Source.Size, b.Source.SHA256, b.Rows)
	if b.Source.NumberLocale != "" {
		fmt.Fprintf(&s, "numbers: %s\n", b.Source.NumberLocale)
	}
	for _, o := range b.Observations {
		fmt.Fprintf(&s, "observation: %s %s %s %s %v @ %s\n", o.Unit, o.Indicator, o.Period, o.Basis, o.Value, o.Pos)
	}
	for _, tv := range b.Targets {
		fmt.Fprintf(&s, "target: %s %s %d %v @ %s\n", tv.Unit, tv.Indicator, tv.Year, tv.Value, tv.Pos)
	}
	for _, p := range b.Problems {
		fmt.Fprintf(&s, "problem: %s\n", p)
	}
	return s.String()
}

func goldenCompare(t *testing.T, want, got string) {
	t.Helper()
	if updating() {
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

// TestCSVGolden reads every case under testdata/csv: each folder holds one
// input file, an optional opts.txt (encoding=, locale=, reader=csv|file|
// bonus) and want.txt, the canonical dump of the batch.
func TestCSVGolden(t *testing.T) {
	root := filepath.Join("testdata", "csv")
	for _, v := range csvVariants {
		dir := filepath.Join(root, v.dir)
		data := v.encode(t, v.text)
		path := filepath.Join(dir, v.file)
		if updating() {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if v.opts != "" {
				if err := os.WriteFile(filepath.Join(dir, "opts.txt"), []byte(v.opts+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		} else if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: committed input differs from its generator (go test -update rewrites it)", path)
		}
	}
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(root, d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			files, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var inputs []string
			for _, f := range files {
				if n := f.Name(); n != "want.txt" && n != "opts.txt" {
					inputs = append(inputs, n)
				}
			}
			sort.Strings(inputs)
			if len(inputs) != 1 {
				t.Fatalf("want one input file, have %v", inputs)
			}
			opts, reader := readOpts(t, dir)
			var got string
			switch reader {
			case "csv":
				f, err := os.Open(filepath.Join(dir, inputs[0]))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				b, err := ReadCSV(inputs[0], f, opts)
				got = renderBatchText(b, err)
			case "file":
				b, err := ReadFile(filepath.Join(dir, inputs[0]), opts)
				got = strings.ReplaceAll(renderBatchText(b, err), filepath.ToSlash(dir)+"/", "")
			case "bonus":
				f, err := os.Open(filepath.Join(dir, inputs[0]))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				bs, probs, err := ReadBonus(inputs[0], f, opts)
				var s strings.Builder
				if err != nil {
					fmt.Fprintf(&s, "error: %v\n", err)
				}
				for _, b := range bs {
					fmt.Fprintf(&s, "bonus: %s %s %v %q @ %s\n", b.Unit, b.Period, b.Points, b.Reason, b.Pos)
				}
				for _, p := range probs {
					fmt.Fprintf(&s, "problem: %s\n", p)
				}
				got = s.String()
			default:
				t.Fatalf("unknown reader %q", reader)
			}
			goldenCompare(t, filepath.Join(dir, "want.txt"), got)
		})
	}
}
