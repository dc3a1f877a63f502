package ingest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestDocIndex keeps the package doc (doc.go) the index of the package:
// every exported name (functions, types, variables, constants, methods of
// exported types) is named in it, and every func, type, var and const the
// index lists exists.
func TestDocIndex(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pkg := pkgs["ingest"]
	exported := map[string]bool{}
	var doc string
	for name, f := range pkg.Files {
		if strings.HasSuffix(name, "doc.go") {
			doc = f.Doc.Text()
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv != nil {
					typ := d.Recv.List[0].Type
					if st, ok := typ.(*ast.StarExpr); ok {
						typ = st.X
					}
					if id, ok := typ.(*ast.Ident); !ok || !id.IsExported() {
						continue
					}
				}
				exported[d.Name.Name] = true
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							exported[s.Name.Name] = true
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								exported[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	if doc == "" {
		t.Fatal("doc.go has no package comment")
	}
	words := map[string]bool{}
	for _, w := range regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`).FindAllString(doc, -1) {
		words[w] = true
	}
	var missing []string
	for name := range exported {
		if !words[name] && name != "Error" && name != "Unwrap" && name != "String" {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("doc.go does not name %s: add them to the package doc's index", strings.Join(missing, ", "))
	}
	// Names the index declares: "func (o *Options) Name", "func Name",
	// "type Name", "var A, B", "const A, B,".
	decl := regexp.MustCompile(`(?m)^\t(func(?: \([^)]*\))?|type|var|const) +([A-Z][A-Za-z0-9_]*(?:,\s*(?:\n\t\s*)?[A-Z][A-Za-z0-9_]*)*)`)
	for _, m := range decl.FindAllStringSubmatch(doc, -1) {
		for _, n := range regexp.MustCompile(`[A-Z][A-Za-z0-9_]*`).FindAllString(m[2], -1) {
			if !exported[n] {
				t.Errorf("doc.go lists %s %s, which the package does not export", m[1], n)
			}
		}
	}
}
