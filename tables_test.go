package thidua

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/exports.md's column tables from OutputTables")

// columnsDoc is the markdown table of t's columns, as docs/exports.md
// shows it.
func columnsDoc(t Table) string {
	var b strings.Builder
	b.WriteString(t.Rows + "\n\n| column | type | meaning |\n|---|---|---|\n")
	for _, c := range t.Columns {
		b.WriteString("| " + c.Name + " | " + c.Type + " | " + strings.ReplaceAll(c.Meaning, "|", `\|`) + " |\n")
	}
	return b.String()
}

var docBlock = regexp.MustCompile(`(?s)<!-- columns: (\w+) \(generated from thidua.OutputTables: go test . -run TestExportsDoc -update\) -->\n(.*?)<!-- /columns -->`)

// TestExportsDoc: every column table in docs/exports.md is the one
// OutputTables gives, and every declared table has one. -update rewrites
// them.
func TestExportsDoc(t *testing.T) {
	const path = "docs/exports.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	out := docBlock.ReplaceAllStringFunc(string(doc), func(block string) string {
		m := docBlock.FindStringSubmatch(block)
		tab, ok := OutputTable(m[1])
		if !ok {
			t.Errorf("%s: a column table for %s, which OutputTables does not declare", path, m[1])
			return block
		}
		seen[m[1]] = true
		want := columnsDoc(tab)
		if m[2] != want && !*update {
			t.Errorf("%s: the columns of %s differ from OutputTables (go test . -run TestExportsDoc -update rewrites them)\nin the doc:\n%s\ndeclared:\n%s", path, m[1], m[2], want)
		}
		return strings.Replace(block, m[2], want, 1)
	})
	for _, tab := range OutputTables {
		if !seen[tab.Name] {
			t.Errorf("%s: no column table for %s (add a %q block)", path, tab.Name, "<!-- columns: "+tab.Name+" ... -->")
		}
	}
	if *update && out != string(doc) {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOutputTablesWellFormed(t *testing.T) {
	for _, tab := range OutputTables {
		names := map[string]bool{}
		for _, c := range tab.Columns {
			if c.Name == "" || c.Type == "" || c.Meaning == "" || names[c.Name] {
				t.Errorf("%s: column %+v: empty or repeated", tab.Name, c)
			}
			names[c.Name] = true
		}
	}
	if _, ok := OutputTable("nope"); ok {
		t.Error("OutputTable found an undeclared table")
	}
}

// TestSheetColumns: every column of the tables the Vietnamese spreadsheet
// exports copy has a Vietnamese heading, no two alike, and each of those
// tables a sheet name Excel accepts.
func TestSheetColumns(t *testing.T) {
	for name, sheet := range SheetTables {
		tab, ok := OutputTable(name)
		if !ok {
			t.Errorf("SheetTables names %s, which OutputTables does not declare", name)
			continue
		}
		if n := len([]rune(sheet)); n > 31 || strings.ContainsAny(sheet, `[]:*?/\`) {
			t.Errorf("sheet name %q of %s: not a valid Excel sheet name", sheet, name)
		}
		seen := map[string]string{}
		for _, c := range tab.Columns {
			h, ok := SheetColumns[c.Name]
			if !ok || h.VI == "" {
				t.Errorf("%s.%s has no Vietnamese heading in SheetColumns", name, c.Name)
				continue
			}
			if other, dup := seen[h.VI]; dup {
				t.Errorf("%s: %s and %s are both headed %q", name, other, c.Name, h.VI)
			}
			seen[h.VI] = c.Name
			if c.Type == "DOUBLE" && h.Decimals < DecimalsOfIndicator {
				t.Errorf("%s.%s: decimals %d", name, c.Name, h.Decimals)
			}
		}
	}
}

func TestSheetValue(t *testing.T) {
	ind := &Indicator{Code: "afforestation_ha", Decimals: 1}
	for _, c := range []struct {
		col  string
		in   any
		ind  *Indicator
		want any
		dec  int
	}{
		{"value", 120.4499999, ind, 120.4, 1},
		{"value", 7530.25, &Indicator{Decimals: 0}, 7530.0, 0},
		{"target", 2.345, &Indicator{Decimals: 2}, 2.35, 2},
		{"pct_of_target", 56.1949, ind, 56.2, 1},
		{"total", 71.5899, nil, 71.59, 2},
		{"change_prev", -0.04, ind, 0.0, 1},
		{"complete", true, nil, SheetYes, -1},
		{"is_cluster", false, nil, SheetNo, -1},
		{"rank", int64(3), nil, int64(3), -1},
		{"unit_name", "Pác Nặm", nil, "Pác Nặm", -1},
	} {
		got, dec := SheetValue(c.col, c.in, c.ind)
		if got != c.want || dec != c.dec {
			t.Errorf("SheetValue(%s, %v) = %v (%d decimals), want %v (%d)", c.col, c.in, got, dec, c.want, c.dec)
		}
	}
}

// TestRuleLinks: every link to a rule (docs/transform.md#rule-…) in the
// column meanings, README and the docs names an anchor docs/transform.md
// has, so the one statement of each rule is where the links say.
func TestRuleLinks(t *testing.T) {
	rules, err := os.ReadFile("docs/transform.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`<a id="(rule-[a-z-]+)"></a>`).FindAllStringSubmatch(string(rules), -1) {
		if anchors[m[1]] {
			t.Errorf("docs/transform.md: anchor %s twice", m[1])
		}
		anchors[m[1]] = true
	}
	if len(anchors) < 10 {
		t.Fatalf("docs/transform.md has %d rule anchors", len(anchors))
	}
	link := regexp.MustCompile(`transform\.md#(rule-[a-z-]+)`)
	texts := map[string]string{}
	for _, p := range []string{"README.md", "docs/exports.md", "docs/transform.md", "docs/DESIGN.md"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[p] = string(b)
	}
	for _, tab := range OutputTables {
		for _, c := range tab.Columns {
			texts["OutputTables "+tab.Name+"."+c.Name] = c.Meaning
		}
	}
	n := 0
	for where, s := range texts {
		for _, m := range link.FindAllStringSubmatch(s, -1) {
			n++
			if !anchors[m[1]] {
				t.Errorf("%s links to docs/transform.md#%s, which has no such anchor", where, m[1])
			}
		}
		for _, m := range regexp.MustCompile(`\]\(#(rule-[a-z-]+)\)`).FindAllStringSubmatch(s, -1) {
			if where == "docs/transform.md" && !anchors[m[1]] {
				t.Errorf("docs/transform.md links to #%s, which has no such anchor", m[1])
			}
		}
	}
	if n == 0 {
		t.Error("no links to rules found")
	}
}
