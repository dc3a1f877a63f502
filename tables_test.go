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
