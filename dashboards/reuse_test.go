package dashboards

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/internal/testtree"
)

// rowKeys keys each period's rows as store.PopPeriodKeys does (count and
// a hash of every row).
func rowKeys(r thidua.Report) map[string]string {
	by := map[string][]string{}
	for _, row := range r.Pop {
		by[row.Period.String()] = append(by[row.Period.String()], fmt.Sprintf("%+v", row))
	}
	keys := map[string]string{}
	for p, rs := range by {
		sort.Strings(rs)
		keys[p] = fmt.Sprintf("%d:%x", len(rs), sha256.Sum256([]byte(strings.Join(rs, "\n"))))
	}
	return keys
}

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

// TestRenderOverKeepsUnchangedPeriods: a site rendered over the one before
// a new month (the month's year recomputed) is byte-identical to a full
// rendering, and takes over, by hard link, the period files of every
// period whose rows did not change, rendering only the others.
func TestRenderOverKeepsUnchangedPeriods(t *testing.T) {
	needECharts(t)
	for _, budget := range []int{unitRowBudget, 100} {
		t.Run(strconv.Itoa(budget), func(t *testing.T) { renderOverKeeps(t, budget) })
	}
	// Unit pages in groups of 3 units, 7 groups a query (unitFeed).
	t.Run("passes", func(t *testing.T) {
		defer func(n int) { unitPasses = n }(unitPasses)
		unitPasses = 2
		renderOverKeeps(t, 3*3*40)
	})
}

// renderOverKeeps is TestRenderOverKeepsUnchangedPeriods with the row
// budget budget (100: indicator and unit pages are read a group of
// periods at a time, splitPage, some of their periods shaped).
func renderOverKeeps(t *testing.T, budget int) {
	defer func(b int) { unitRowBudget = b }(unitRowBudget)
	unitRowBudget = budget
	ctx := context.Background()
	o := Options{GeneratedAt: fixtureTime}
	now := sizedReport(40, 3, 2020, 2021) // a large cluster: its pages have search
	// The site before: without December 2021, and 2021's rows as they
	// were before the transform recomputed that year.
	last := thidua.MonthPeriod(2021, 12)
	before := now
	before.Periods = nil
	for _, p := range now.Periods {
		if p != last {
			before.Periods = append(before.Periods, p)
		}
	}
	before.Pop = nil
	for _, row := range now.Pop {
		if row.Period == last {
			continue
		}
		if row.Period.Year == 2021 && row.Value.OK {
			row.Value.V++
		}
		before.Pop = append(before.Pop, row)
	}
	before.Scores = nil
	for _, s := range now.Scores {
		if s.Period != last {
			before.Scores = append(before.Scores, s)
		}
	}
	render := func(dir, prev string, r thidua.Report) Reuse {
		t.Helper()
		meta, rows := splitReport(r)
		_, reuse, err := RenderRowsOver(ctx, dir, prev, rowKeys(r), meta, rows, o)
		if err != nil {
			t.Fatal(err)
		}
		return reuse
	}
	prev, full, inc := t.TempDir(), t.TempDir(), t.TempDir()
	render(prev, "", before)
	fullReuse := render(full, "", now)
	reuse := render(inc, prev, now)
	if fullReuse.Kept != 0 || fullReuse.Written == 0 {
		t.Errorf("full rendering: %+v", fullReuse)
	}
	a, b := testtree.Files(t, full), testtree.Files(t, inc)
	for name, want := range a {
		if got, ok := b[name]; !ok || !bytes.Equal(got, want) {
			t.Errorf("%s differs from a full rendering's", name)
		}
	}
	if len(a) != len(b) {
		t.Errorf("%d files, a full rendering has %d", len(b), len(a))
	}
	// 2020's period files are kept (linked), 2021's written; the quality
	// page's always (each shows its type's whole completeness).
	kept, written := 0, 0
	for name := range b {
		if !strings.HasPrefix(name, "data/") || name == "data/units.js" || name == "data/periods.json" || strings.HasSuffix(name, ".rows.js") ||
			strings.Contains(name, ".series-") {
			// (not period files: the unit list, the keys, a page's rows, a
			// unit page's sparkline series)
			continue
		}
		linked := false
		if _, err := os.Stat(filepath.Join(prev, name)); err == nil {
			linked = inode(t, filepath.Join(prev, name)) == inode(t, filepath.Join(inc, name))
		}
		want := strings.Contains(name, ".2020") && !strings.HasPrefix(name, "data/quality.")
		if linked != want {
			t.Errorf("%s: taken over %v, want %v", name, linked, want)
		}
		if linked {
			kept++
		} else {
			written++
		}
	}
	if reuse.Kept != kept || reuse.Written != written || kept == 0 {
		t.Errorf("reuse %+v, want %d kept and %d written", reuse, kept, written)
	}
	// Another language: nothing is kept.
	en := t.TempDir()
	meta, rows := splitReport(now)
	if _, r, err := RenderRowsOver(ctx, en, inc, rowKeys(now), meta, rows, Options{GeneratedAt: fixtureTime, Lang: "en"}); err != nil || r.Kept != 0 {
		t.Errorf("English over Vietnamese: %+v, %v", r, err)
	}
	// A link in the previous site is never followed.
	evil := t.TempDir()
	render(evil, "", before)
	victim := filepath.Join(t.TempDir(), "secret.js")
	if err := os.WriteFile(victim, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(evil, "data", "index.2020-01.js")
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, target); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	render(out, evil, now)
	if got, _ := os.ReadFile(filepath.Join(out, "data", "index.2020-01.js")); bytes.Contains(got, []byte("secret")) {
		t.Error("a link in the previous site was followed")
	}
	// (and the file not taken over is rendered from its rows read whole:
	// the site is still a full rendering's)
	c := testtree.Files(t, out)
	for name, want := range a {
		if got, ok := c[name]; !ok || !bytes.Equal(got, want) {
			t.Errorf("over a site with a link: %s differs from a full rendering's", name)
		}
	}
}

// TestOverRows: the rows overRows serves are those of its source, for
// queries of every kind a site makes (a page group's units or indicators,
// a group of periods, some of them whole, none whole), with the shaped
// rows, the whole ones or both held, or read from the source: the same
// rows, in the source's order where every row is whole.
func TestOverRows(t *testing.T) {
	ctx := context.Background()
	r := sizedReport(5, 4, 2020, 2021)
	// A row of a unit and an indicator the cluster does not list, and a
	// period with no rows.
	extra := r.Pop[0]
	extra.Unit, extra.Indicator, extra.IsCluster = "zz9", "indzz", false
	r.Pop = append(r.Pop, extra)
	_, src := splitReport(r)
	var ps []thidua.Period
	seen := map[thidua.Period]bool{}
	for _, row := range r.Pop {
		if !seen[row.Period] {
			seen[row.Period] = true
			ps = append(ps, row.Period)
		}
	}
	thidua.SortPeriods(ps)
	// The periods read whole: 2021's last few.
	wlist := ps[len(ps)-4:]
	none := thidua.MonthPeriod(2030, 1)
	queries := []thidua.PopQuery{
		{Whole: []thidua.Period{}},
		{Whole: wlist},
		{Whole: wlist[:1]},
		{Units: []string{"058", "060"}, Whole: wlist},
		{Units: []string{"zz9"}, Whole: []thidua.Period{}},
		{Indicators: []string{"ind1"}, Whole: wlist[2:]},
		{Indicators: []string{}, Whole: wlist},
		{Periods: ps[:3], Whole: []thidua.Period{}},
		{Periods: append([]thidua.Period{ps[0], none}, wlist[1:]...), Whole: wlist[2:]},
		{Periods: wlist, Whole: wlist[:2], Units: []string{"059"}},
		{Periods: []thidua.Period{ps[1]}, Whole: []thidua.Period{ps[1]}}, // whole, not one of wlist
		{Whole: []thidua.Period{ps[1], wlist[0]}},
		{Periods: wlist[1:3]},
		{Periods: wlist[1:2], Indicators: []string{"ind2", "indzz"}},
		{Periods: wlist[1:3], Indicators: []string{"ind3", "ind1", "ind3"}}, // (held whole rows of two indicators, in src's order)
		{Periods: ps[:2]},
		{Units: []string{"061"}},
		{},
		// Unit by unit (unitFeed), every period held, some from src.
		{Units: []string{"061", "058", "zz9", "060"}, Whole: wlist, ByUnit: true},
		{Units: []string{"060", "059"}, Whole: []thidua.Period{}, ByUnit: true},
		{Units: []string{"060", "059"}, Indicators: []string{"ind2"}, Periods: append([]thidua.Period{ps[0]}, wlist[2:]...), Whole: wlist[3:], ByUnit: true},
		{Units: []string{"061", "058"}, Whole: []thidua.Period{ps[1], wlist[0]}, ByUnit: true},
		{Units: []string{"059", "058"}, Periods: wlist[1:3], ByUnit: true},
	}
	key := func(row thidua.PopRow) string { return fmt.Sprintf("%+v", row) }
	for _, held := range []struct{ big, bigW bool }{{false, false}, {true, false}, {false, true}} {
		wset := map[thidua.Period]bool{}
		for _, p := range wlist {
			wset[p] = true
		}
		o := &overRows{src: src, wset: wset, wlist: wlist, big: held.big, bigW: held.bigW}
		for qi, q := range queries {
			var want, got []string
			if err := src.EachPopRows(ctx, q, func(rows []thidua.PopRow) error {
				for _, row := range rows {
					want = append(want, key(row))
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if err := o.EachPopRows(ctx, q, func(rows []thidua.PopRow) error {
				for _, row := range rows {
					got = append(got, key(row))
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if q.ByUnit { // (unit by unit, in the order of Units)
				last := 0
				for _, k := range got {
					at := -1
					for i, u := range q.Units {
						if strings.HasPrefix(k, "{Unit:"+u+" ") {
							at = i
						}
					}
					if at < last {
						t.Errorf("held %+v, query %d: a row of unit %d of %v after one of unit %d", held, qi, at, q.Units, last)
						break
					}
					last = at
				}
			}
			if q.Whole != nil || q.ByUnit { // (shaped rows, or a unit's, come in any order)
				sort.Strings(want)
				sort.Strings(got)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("held %+v, query %d %+v: %d rows, want %d", held, qi, q, len(got), len(want))
			}
			if len(want) == 0 && qi < 4 {
				t.Fatalf("query %d selects no rows: the test checks nothing", qi)
			}
		}
	}
}

// TestExeBuildID: exeHash names the running binary by its Go build ID (the
// test binary has one), read from the ELF note or found where the linker
// writes it in other formats; a malformed or empty ID is not taken
// (exeHash then hashes the file).
func TestExeBuildID(t *testing.T) {
	if h := exeHash(); !strings.HasPrefix(h, "go-build-id:") || len(h) < len("go-build-id:")+40 {
		t.Errorf("exeHash() = %q, want the test binary's Go build ID", h)
	}
	id := "CIK92twNe5Spe03M_0Q4/rRvgM7xSRjV0FZxuaIzY/Hte4YJ_m0H7NqTd7_RBr/XnnS4qsNLD_XRCcT-MzS"
	for _, c := range []struct{ head, want string }{
		{"MZ....\xff Go build ID: \"" + id + "\"\n \xff....", id},
		{"\xff Go build ID: \"\"\n \xff", ""},        // -buildid= (empty)
		{"\xff Go build ID: \"fixed\"\n \xff", ""},   // a hand-set ID, no content hash
		{"\xff Go build ID: \"aaaa/bb\"\n \xff", ""}, // parts too short
		{"\xff Go build ID: \"" + id + "\"", ""},     // cut short
		{"no build id here", ""},
	} {
		if got := exeBuildID(strings.NewReader(c.head)); got != c.want {
			t.Errorf("exeBuildID(%q) = %q, want %q", c.head, got, c.want)
		}
	}
	note := func(name string, typ uint32, desc string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, uint32(len(name)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(desc)))
		b = binary.LittleEndian.AppendUint32(b, typ)
		return append(append(b, name...), desc...)
	}
	for _, c := range []struct {
		note []byte
		want string
	}{
		{note("Go\x00\x00", 4, id), id},
		{note("Go\x00\x00", 3, id), ""},
		{note("GNU\x00", 4, id), ""},
		{note("Go\x00\x00", 4, id)[:30], ""},
	} {
		if got := goNote(c.note, binary.LittleEndian); got != c.want {
			t.Errorf("goNote(%q) = %q, want %q", c.note, got, c.want)
		}
	}
}
