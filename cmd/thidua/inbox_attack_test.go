//go:build unix

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/ingest"
)

// snapshot records every entry under dir except the folders skip (by
// path): its type, permissions and, for files, a hash of the content, so
// that a test can show nothing changed there.
func snapshot(t *testing.T, dir string, skip ...string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, s := range skip {
			if p == s && d.IsDir() {
				return filepath.SkipDir
			} else if p == s || strings.HasPrefix(p, s+".") { // the database and its .wal, .lock
				return nil
			}
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := info.Mode().String()
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			to, _ := os.Readlink(p)
			v += " -> " + to
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h := sha256.Sum256(b)
			v += " " + hex.EncodeToString(h[:])
		}
		m[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sameSnapshot reports every entry added, removed or changed.
func sameSnapshot(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for p, v := range after {
		if w, ok := before[p]; !ok {
			t.Errorf("%s: %s appeared (%s)", what, p, v)
		} else if w != v {
			t.Errorf("%s: %s changed: %s → %s", what, p, w, v)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("%s: %s disappeared", what, p)
		}
	}
}

// outside lays out, beside the inbox, what an attacker would aim at: a
// folder and a file with content.
func outside(t *testing.T, dir string) (victimDir, victimFile string) {
	victimDir = filepath.Join(dir, "victim")
	victimFile = filepath.Join(dir, "precious.conf")
	writeFile(t, filepath.Join(victimDir, "keep.txt"), "keep", time.Time{})
	writeFile(t, victimFile, "setting = 1\n", time.Time{})
	return victimDir, victimFile
}

// TestInboxLinkedFolders: when inbox/archive or inbox/rejected is a
// symbolic link (here to a folder outside the inbox), thidua refuses to
// start with a configuration error naming the link, and nothing moves.
func TestInboxLinkedFolders(t *testing.T) {
	for _, sub := range []string{inboxArchive, inboxRejected} {
		t.Run(sub, func(t *testing.T) {
			dir := t.TempDir()
			db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
			victim, _ := outside(t, dir)
			old := time.Now().Add(-time.Hour)
			writeFile(t, filepath.Join(inbox, "good.csv"), goodCSV, old)
			writeFile(t, filepath.Join(inbox, "bad.csv"), badCSV, old)
			if err := os.Symlink(victim, filepath.Join(inbox, sub)); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0")
			if code != ExitConfig {
				t.Errorf("exit %d, want %d (configuration)\n%s", code, ExitConfig, stderr)
			}
			if !strings.Contains(stderr, filepath.Join(inbox, sub)) || !strings.Contains(stderr, "symbolic link") {
				t.Errorf("message does not name the link:\n%s", stderr)
			}
			after := snapshot(t, dir)
			// The database may have been created; nothing else changes.
			for p := range after {
				if strings.HasPrefix(p, db) || strings.HasPrefix(p, out) {
					delete(after, p)
				}
			}
			sameSnapshot(t, "inbox and around it", before, after)
		})
	}
	// A plain file where the folder should be is refused too.
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "archive"), "x", time.Time{})
	o := inboxOptions{dir: dir}
	if err := o.check(nil); !errors.Is(err, errInboxFolder) {
		t.Errorf("archive a file: %v, want errInboxFolder", err)
	}
}

// TestInboxFolderSwappedForLink: a folder swapped for a link after the
// start (between the check and the move) is not moved into either: the
// move fails and the file stays where it was.
func TestInboxFolderSwappedForLink(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	victim, _ := outside(t, dir)
	writeFile(t, filepath.Join(inbox, "a.csv"), "x", time.Time{})
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
	before := snapshot(t, dir)
	for _, sub := range []string{"archive", "rejected"} {
		if _, err := moveUnique(root, "a.csv", sub, time.Now()); !errors.Is(err, errInboxFolder) {
			t.Errorf("move into %s (a link): %v, want errInboxFolder", sub, err)
		}
	}
	sameSnapshot(t, "after moves into links", before, snapshot(t, dir))
}

// TestInboxPlantedErrorsFile: links planted in rejected/ under the names of
// the errors file and of its temporary file (the fixed name earlier
// versions used, and even the random name this run draws) are never
// written through; the errors file is a new plain file in rejected/ and
// the files the links point to are unchanged.
func TestInboxPlantedErrorsFile(t *testing.T) {
	dir := t.TempDir()
	db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	_, victim := outside(t, dir)
	old := time.Now().Add(-time.Hour)
	writeFile(t, filepath.Join(inbox, "bad.csv"), badCSV, old)
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
	before := snapshot(t, dir, inbox, db, out)
	code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0")
	if code != ExitData {
		t.Fatalf("exit %d, want %d\n%s", code, ExitData, stderr)
	}
	sameSnapshot(t, "outside the inbox", before, snapshot(t, dir, inbox, db, out))
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
	writeFile(t, filepath.Join(inbox, "bad2.csv"), badCSV, old)
	if err := os.Symlink(victim, filepath.Join(rej, "bad2.csv.errors.txt")); err != nil {
		t.Fatal(err)
	}
	before = snapshot(t, dir, inbox, db, out)
	if code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0"); code != ExitData {
		t.Fatalf("exit %d, want %d\n%s", code, ExitData, stderr)
	}
	sameSnapshot(t, "outside the inbox", before, snapshot(t, dir, inbox, db, out))
	var stamped bool
	for _, n := range names(t, rej) {
		stamped = stamped || (strings.HasPrefix(n, "bad2.20") && strings.HasSuffix(n, ".csv.errors.txt"))
	}
	if !stamped {
		t.Errorf("rejected: %v, want bad2.<time>.csv.errors.txt", names(t, rej))
	}
}

// TestInboxInputLinks: a link dropped in the inbox is not taken, and a file
// swapped for a link or a named pipe after the scan is refused by the open
// itself (not followed, not waited on).
func TestInboxInputLinks(t *testing.T) {
	dir := t.TempDir()
	db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	_, victim := outside(t, dir)
	os.MkdirAll(inbox, 0o755)
	if err := os.Symlink(victim, filepath.Join(inbox, "linked.csv")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir, db, out)
	if code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0"); code != ExitOK || !strings.Contains(stderr, "nothing new") {
		t.Errorf("inbox with only a link: exit %d\n%s", code, stderr)
	}
	sameSnapshot(t, "inbox with a link", before, snapshot(t, dir, db, out))

	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	opts := ingest.Options{Cluster: &cfg.Cluster, PlainFilesOnly: true}
	fifo := filepath.Join(inbox, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"linked.csv", "pipe.csv"} {
		if _, err := ingest.ReadFile(filepath.Join(inbox, n), opts); !errors.Is(err, ingest.ErrNotPlainFile) {
			t.Errorf("%s: %v, want ErrNotPlainFile", n, err)
		}
	}
}
