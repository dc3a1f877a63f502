//go:build unix

package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua/internal/testtree"
)

// TestInboxFolderSwappedForLink: a folder swapped for a link after the
// start (between the check and the move) is not moved into either: the
// move fails and the file stays where it was.
func TestInboxFolderSwappedForLink(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	victim, _ := testtree.Outside(t, dir)
	testtree.WriteFile(t, filepath.Join(inbox, "a.csv"), "x", time.Time{})
	if err := os.Symlink(victim, filepath.Join(inbox, "archive")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("archive", filepath.Join(inbox, "rejected")); err != nil { // a link inside, to a link
		t.Fatal(err)
	}
	root, err := os.OpenRoot(inbox)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	before := testtree.Snapshot(t, dir)
	for _, sub := range []string{"archive", "rejected"} {
		if _, err := moveUnique(root, "a.csv", sub, time.Now()); !errors.Is(err, errInboxFolder) {
			t.Errorf("move into %s (a link): %v, want errInboxFolder", sub, err)
		}
	}
	testtree.SameSnapshot(t, "after moves into links", before, testtree.Snapshot(t, dir))
}

// TestInboxFolderIsAFile: a plain file where archive/ should be is refused
// like a link.
func TestInboxFolderIsAFile(t *testing.T) {
	dir := t.TempDir()
	testtree.WriteFile(t, filepath.Join(dir, "archive"), "x", time.Time{})
	o := InboxOptions{Dir: dir}
	if err := o.check(nil); !errors.Is(err, errInboxFolder) {
		t.Errorf("archive a file: %v, want errInboxFolder", err)
	}
}

// TestInboxPlantedErrorsFile: links planted in rejected/ under the names of
// the errors file and of its temporary file (the fixed name earlier
// versions used, and even the random name this run draws) are never
// written through; the errors file is a new plain file in rejected/ and
// the files the links point to are unchanged.
func TestInboxPlantedErrorsFile(t *testing.T) {
	dir := t.TempDir()
	db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	_, victim := testtree.Outside(t, dir)
	old := time.Now().Add(-time.Hour)
	testtree.WriteFile(t, filepath.Join(inbox, "bad.csv"), badCSV, old)
	rej := filepath.Join(inbox, "rejected")
	os.MkdirAll(rej, 0o755)
	// The random part of the temporary name is drawn first as "PLANTED",
	// which the attacker guessed; then as a fresh one.
	draws := 0
	saved := randomText
	defer func() { randomText = saved }()
	randomText = func() string {
		draws++
		if draws == 1 {
			return "PLANTED"
		}
		return "FRESH" + strings.Repeat("A", draws)
	}
	for _, n := range []string{".bad.csv.errors.txt.tmp", ".bad.csv.errors.txt.PLANTED.tmp"} {
		if err := os.Symlink(victim, filepath.Join(rej, n)); err != nil {
			t.Fatal(err)
		}
	}
	before := testtree.Snapshot(t, dir, inbox, db, out)
	code, stderr := ingestInbox(t, db, out, inbox)
	if code != ExitData {
		t.Fatalf("exit %d, want %d\n%s", code, ExitData, stderr)
	}
	testtree.SameSnapshot(t, "outside the inbox", before, testtree.Snapshot(t, dir, inbox, db, out))
	st, err := os.Lstat(filepath.Join(rej, "bad.csv.errors.txt"))
	if err != nil || !st.Mode().IsRegular() {
		t.Fatalf("errors file: %v %v, want a plain file", st, err)
	}
	if b, _ := os.ReadFile(filepath.Join(rej, "bad.csv.errors.txt")); !strings.Contains(string(b), "bad.csv:3") {
		t.Errorf("errors file: %q", b)
	}
	if draws < 2 {
		t.Errorf("the planted random name was not passed over (%d draws)", draws)
	}
	// The planted links are still links, to the same file.
	for _, n := range []string{".bad.csv.errors.txt.tmp", ".bad.csv.errors.txt.PLANTED.tmp"} {
		if to, err := os.Readlink(filepath.Join(rej, n)); err != nil || to != victim {
			t.Errorf("%s: %q %v", n, to, err)
		}
	}

	// A link planted at the errors file's own name: the refused file gets
	// a free name (with a time stamp), and the link is left alone.
	testtree.WriteFile(t, filepath.Join(inbox, "bad2.csv"), badCSV, old)
	if err := os.Symlink(victim, filepath.Join(rej, "bad2.csv.errors.txt")); err != nil {
		t.Fatal(err)
	}
	before = testtree.Snapshot(t, dir, inbox, db, out)
	if code, stderr := ingestInbox(t, db, out, inbox); code != ExitData {
		t.Fatalf("exit %d, want %d\n%s", code, ExitData, stderr)
	}
	testtree.SameSnapshot(t, "outside the inbox", before, testtree.Snapshot(t, dir, inbox, db, out))
	var stamped bool
	for _, n := range testtree.Names(t, rej) {
		stamped = stamped || (strings.HasPrefix(n, "bad2.20") && strings.HasSuffix(n, ".csv.errors.txt"))
	}
	if !stamped {
		t.Errorf("rejected: %v, want bad2.<time>.csv.errors.txt", testtree.Names(t, rej))
	}
}
