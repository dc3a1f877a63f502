package report

import (
	"archive/zip"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file writes WordprocessingML (the XML inside a .docx) with the
// standard library: the body of word/document.xml is generated, every other
// part (styles, fonts, settings, the header with the page number, the page
// set-up) comes from a template, built in (template/) or the user's own
// .docx. No DOCX library was used: see doc.go.

//go:embed all:template
var templateFS embed.FS

// ErrTemplate is wrapped by the errors about a user's DOCX template.
var ErrTemplate = errors.New("not a usable DOCX template")

// TemplateError is a DOCX template that cannot be used, and why.
type TemplateError struct {
	File string
	Err  error
}

func (e *TemplateError) Error() string   { return "report: template " + e.File + ": " + e.Err.Error() }
func (e *TemplateError) Unwrap() []error { return []error{ErrTemplate, e.Err} }

// Sizes in half-points (w:sz) and twentieths of a point (twips).
const (
	sz13     = 26
	sz14     = 28
	sz12     = 24
	sz11     = 22
	indent1  = 567 // 1 cm first-line indent
	twipsMM  = 56.7
	pageText = 11906 - 1701 - 851 // A4 width less the decree's left and right margins
)

// para is a paragraph.
type para struct {
	Style    string // paragraph style id; "" = Normal
	Align    string // left, center, right, both
	Indent   int    // first-line indent (twips); -1 = none even if the style has one
	Left     int    // left indent (twips)
	Before   int    // spacing before (twips); 0 = the style's
	After    int
	KeepNext bool
	PageBrk  bool // page break before
	Border   bool // a short rule under the paragraph is drawn by a run instead; unused
	Runs     []run
}

// run is a piece of text with one formatting.
type run struct {
	Text                    string
	Bold, Italic, Underline bool
	Size                    int // half-points; 0 = the paragraph's
	Break                   bool
}

// cell is a table cell.
type cell struct {
	Paras []para
	Span  int    // columns spanned; 0 or 1 = one
	Fill  string // background colour, hex; "" = none
	VMid  bool
}

// row is a table row.
type row struct {
	Cells  []cell
	Header bool // repeated at the top of each page
}

// table is a table; Widths are its columns (twips).
type table struct {
	Widths  []int
	Rows    []row
	Borders bool
}

// block is a paragraph or a table.
type block struct {
	P *para
	T *table
}

// body is the document's content in order.
type body []block

func (b *body) p(p para)   { *b = append(*b, block{P: &p}) }
func (b *body) t(t table)  { *b = append(*b, block{T: &t}) }
func txt(s string) []run   { return []run{{Text: s}} }
func bold(s string) []run  { return []run{{Text: s, Bold: true}} }
func ital(s string) []run  { return []run{{Text: s, Italic: true}} }
func boldI(s string) []run { return []run{{Text: s, Bold: true, Italic: true}} }

var xmlEsc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// clean drops the characters XML 1.0 does not allow (control characters
// from hostile data) before escaping.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return -1
		}
		return r
	}, s)
	return xmlEsc.Replace(s)
}

func (p *para) xml(w *bytes.Buffer) {
	w.WriteString("<w:p>")
	var pp strings.Builder
	if p.Style != "" {
		fmt.Fprintf(&pp, `<w:pStyle w:val="%s"/>`, p.Style)
	}
	if p.KeepNext {
		pp.WriteString("<w:keepNext/>")
	}
	if p.PageBrk {
		pp.WriteString("<w:pageBreakBefore/>")
	}
	if p.Before != 0 || p.After != 0 {
		fmt.Fprintf(&pp, `<w:spacing w:before="%d" w:after="%d"/>`, p.Before, p.After)
	}
	switch {
	case p.Indent < 0:
		fmt.Fprintf(&pp, `<w:ind w:left="%d" w:firstLine="0"/>`, p.Left)
	case p.Indent > 0 || p.Left > 0:
		fmt.Fprintf(&pp, `<w:ind w:left="%d" w:firstLine="%d"/>`, p.Left, p.Indent)
	}
	if p.Align != "" {
		fmt.Fprintf(&pp, `<w:jc w:val="%s"/>`, p.Align)
	}
	if pp.Len() > 0 {
		w.WriteString("<w:pPr>" + pp.String() + "</w:pPr>")
	}
	for _, r := range p.Runs {
		w.WriteString("<w:r>")
		var rp strings.Builder
		if r.Bold {
			rp.WriteString("<w:b/><w:bCs/>")
		}
		if r.Italic {
			rp.WriteString("<w:i/><w:iCs/>")
		}
		if r.Underline {
			rp.WriteString(`<w:u w:val="single"/>`)
		}
		if r.Size > 0 {
			fmt.Fprintf(&rp, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, r.Size, r.Size)
		}
		if rp.Len() > 0 {
			w.WriteString("<w:rPr>" + rp.String() + "</w:rPr>")
		}
		if r.Break {
			w.WriteString("<w:br/>")
		}
		if r.Text != "" {
			w.WriteString(`<w:t xml:space="preserve">` + clean(r.Text) + "</w:t>")
		}
		w.WriteString("</w:r>")
	}
	w.WriteString("</w:p>\n")
}

func (t *table) xml(w *bytes.Buffer) {
	total := 0
	for _, c := range t.Widths {
		total += c
	}
	w.WriteString("<w:tbl><w:tblPr>")
	if t.Borders {
		w.WriteString(`<w:tblStyle w:val="TableGrid"/>`)
	}
	fmt.Fprintf(w, `<w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>`, total)
	if !t.Borders {
		w.WriteString(`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`)
	}
	w.WriteString("</w:tblPr><w:tblGrid>")
	for _, c := range t.Widths {
		fmt.Fprintf(w, `<w:gridCol w:w="%d"/>`, c)
	}
	w.WriteString("</w:tblGrid>\n")
	for _, r := range t.Rows {
		w.WriteString("<w:tr>")
		if r.Header {
			w.WriteString("<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>")
		} else {
			w.WriteString("<w:trPr><w:cantSplit/></w:trPr>")
		}
		col := 0
		for _, c := range r.Cells {
			span := max(c.Span, 1)
			width := 0
			for i := col; i < col+span && i < len(t.Widths); i++ {
				width += t.Widths[i]
			}
			col += span
			fmt.Fprintf(w, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width)
			if span > 1 {
				fmt.Fprintf(w, `<w:gridSpan w:val="%d"/>`, span)
			}
			if c.Fill != "" {
				fmt.Fprintf(w, `<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, c.Fill)
			}
			if c.VMid {
				w.WriteString(`<w:vAlign w:val="center"/>`)
			}
			w.WriteString("</w:tcPr>")
			if len(c.Paras) == 0 {
				w.WriteString("<w:p/>")
			}
			for i := range c.Paras {
				c.Paras[i].xml(w)
			}
			w.WriteString("</w:tc>")
		}
		w.WriteString("</w:tr>\n")
	}
	w.WriteString("</w:tbl>\n")
}

const docHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<w:body>
`

// documentXML is word/document.xml: the body, then the template's section
// properties (page size, margins, header and footer references).
func (b body) documentXML(sectPr string) []byte {
	var w bytes.Buffer
	w.WriteString(docHead)
	for _, bl := range b {
		if bl.P != nil {
			bl.P.xml(&w)
		} else {
			bl.T.xml(&w)
		}
	}
	w.WriteString(sectPr)
	w.WriteString("\n</w:body>\n</w:document>\n")
	return w.Bytes()
}

// Limits on a user's template: it is a file others may hand over.
const (
	maxTemplateParts = 200
	maxTemplatePart  = 16 << 20 // bytes, uncompressed
	maxTemplateTotal = 64 << 20
)

var sectPrRe = regexp.MustCompile(`(?s)<w:sectPr(?:\s[^>]*)?>.*?</w:sectPr>|<w:sectPr(?:\s[^>]*)?/>`)

// parts is a DOCX package's parts by name.
type parts map[string][]byte

// builtinTemplate returns the built-in template's parts.
func builtinTemplate() parts {
	ps := parts{}
	err := fs.WalkDir(templateFS, "template", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		ps[strings.TrimPrefix(p, "template/")] = b
		return err
	})
	if err != nil {
		panic(err) // embedded; cannot fail
	}
	return ps
}

// readTemplate reads a user's DOCX template (name is for errors only),
// refusing part names that climb out of the package, and more parts or
// bytes than a letterhead needs.
func readTemplate(name string, data []byte) (parts, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &TemplateError{name, fmt.Errorf("not a .docx (zip) file: %w", err)}
	}
	if len(zr.File) > maxTemplateParts {
		return nil, &TemplateError{name, fmt.Errorf("%d parts, more than %d", len(zr.File), maxTemplateParts)}
	}
	ps := parts{}
	var total int64
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		clean := path.Clean(f.Name)
		if clean != f.Name || strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "../") || clean == ".." || strings.Contains(f.Name, "\\") {
			return nil, &TemplateError{name, fmt.Errorf("part name %q", f.Name)}
		}
		rc, err := f.Open()
		if err != nil {
			return nil, &TemplateError{name, fmt.Errorf("part %s: %w", f.Name, err)}
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxTemplatePart+1))
		rc.Close()
		if err != nil {
			return nil, &TemplateError{name, fmt.Errorf("part %s: %w", f.Name, err)}
		}
		if len(b) > maxTemplatePart {
			return nil, &TemplateError{name, fmt.Errorf("part %s is larger than %d bytes", f.Name, maxTemplatePart)}
		}
		if total += int64(len(b)); total > maxTemplateTotal {
			return nil, &TemplateError{name, fmt.Errorf("larger than %d bytes unpacked", maxTemplateTotal)}
		}
		ps[f.Name] = b
	}
	for _, need := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		if ps[need] == nil {
			return nil, &TemplateError{name, fmt.Errorf("no part %s", need)}
		}
	}
	return ps, nil
}

// sectPr returns the template's last section properties (the body's own),
// which carry its page size, margins, header and footer.
func (ps parts) sectPr() string {
	all := sectPrRe.FindAll(ps["word/document.xml"], -1)
	if len(all) == 0 {
		return ""
	}
	return string(all[len(all)-1])
}

// coreXML is docProps/core.xml with the document's title.
func coreXML(title string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>` + clean(title) + `</dc:title><dc:creator>thidua</dc:creator></cp:coreProperties>
`)
}

// writePackage writes the DOCX: the template's parts with document.xml
// (and, when the template has one, core.xml) replaced, in name order with
// a fixed time, so the same report gives the same bytes.
func writePackage(w io.Writer, ps parts, document []byte, title string, date time.Time) error {
	out := parts{}
	for k, v := range ps {
		out[k] = v
	}
	out["word/document.xml"] = document
	if _, ok := out["docProps/core.xml"]; ok {
		out["docProps/core.xml"] = coreXML(title)
	}
	names := make([]string, 0, len(out))
	for k := range out {
		names = append(names, k)
	}
	// [Content_Types].xml first, as Office writes it.
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "[Content_Types].xml") != (names[j] == "[Content_Types].xml") {
			return names[i] == "[Content_Types].xml"
		}
		return names[i] < names[j]
	})
	zw := zip.NewWriter(w)
	for _, n := range names {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: date})
		if err != nil {
			return err
		}
		if _, err := fw.Write(out[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}

func itoa(i int) string { return strconv.Itoa(i) }
