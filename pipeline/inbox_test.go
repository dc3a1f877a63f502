package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/internal/testtree"
)

func TestScanInbox(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-time.Hour)
	testtree.WriteFile(t, filepath.Join(dir, "b.csv"), "x", old.Add(time.Minute))
	testtree.WriteFile(t, filepath.Join(dir, "a.xlsx"), "x", old.Add(2*time.Minute))
	testtree.WriteFile(t, filepath.Join(dir, "c.csv"), "x", old) // oldest: first
	testtree.WriteFile(t, filepath.Join(dir, "fresh.csv"), "x", now)
	testtree.WriteFile(t, filepath.Join(dir, "growing.csv"), "x", old)
	for _, skip := range []string{".hidden.csv", "a.xlsx.errors.txt", "~$a.xlsx", "dl.csv.part", "dl.crdownload", "x.tmp"} {
		testtree.WriteFile(t, filepath.Join(dir, skip), "x", old)
	}
	testtree.WriteFile(t, filepath.Join(dir, "archive", "old.csv"), "x", old)
	if err := os.Symlink(filepath.Join(dir, "c.csv"), filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}
	slept := time.Duration(0)
	// Between the two looks growing.csv is appended to.
	sleep := func(d time.Duration) {
		slept += d
		f, err := os.OpenFile(filepath.Join(dir, "growing.csv"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("more")
		f.Close()
		os.Chtimes(filepath.Join(dir, "growing.csv"), old, old) // same mtime: size tells
	}
	ready, waiting, err := scanInbox(dir, 10*time.Second, func() time.Time { return now }, sleep)
	if err != nil {
		t.Fatal(err)
	}
	rel := func(ps []string) string {
		var s []string
		for _, p := range ps {
			s = append(s, filepath.Base(p))
		}
		return strings.Join(s, " ")
	}
	if got := rel(ready); got != "c.csv b.csv a.xlsx" {
		t.Errorf("ready %q, want oldest first: c.csv b.csv a.xlsx", got)
	}
	if got := rel(waiting); got != "fresh.csv growing.csv" {
		t.Errorf("waiting %q, want fresh.csv growing.csv", got)
	}
	if slept != time.Second {
		t.Errorf("watched for %v, want 1s", slept)
	}
	// With no settle time there is no wait and every file is ready.
	ready, waiting, err = scanInbox(dir, 0, time.Now, func(time.Duration) { t.Error("slept with settle 0") })
	if err != nil || len(ready) != 5 || len(waiting) != 0 {
		t.Errorf("settle 0: ready %v waiting %v err %v", ready, waiting, err)
	}
}

func TestMoveUnique(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	var got []string
	for i := 0; i < 3; i++ {
		testtree.WriteFile(t, filepath.Join(dir, "report.csv"), "x", time.Time{})
		p, err := moveUnique(root, "report.csv", "archive", at)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	want := "archive/report.csv archive/report.20260301T080000Z.csv archive/report.20260301T080000Z-2.csv"
	if strings.Join(got, " ") != want {
		t.Errorf("moved to %v, want %s", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.csv")); !os.IsNotExist(err) {
		t.Errorf("source still there: %v", err)
	}
}
func TestSentAs(t *testing.T) {
	for in, want := range map[string]string{
		"report.csv": "report.csv", "report.20260301T080000Z.csv": "report.csv", "report.20260301T080000Z-2.csv": "report.csv",
		"a.b.20260301T080000Z.xlsx": "a.b.xlsx", "noext.20260301T080000Z": "noext", "report.2026.csv": "report.2026.csv",
	} {
		if got := sentAs(in); got != want {
			t.Errorf("sentAs(%q) = %q, want %q", in, got, want)
		}
	}
}
