//go:build unix

package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/internal/testtree"
	"github.com/thidua/thidua/pipeline"
)

// TestInboxLinkedFolders: when inbox/archive or inbox/rejected is a
// symbolic link (here to a folder outside the inbox), thidua refuses to
// start with a configuration error naming the link, and nothing moves.
func TestInboxLinkedFolders(t *testing.T) {
	for _, sub := range []string{"archive", "rejected"} {
		t.Run(sub, func(t *testing.T) {
			dir := t.TempDir()
			db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
			victim, _ := testtree.Outside(t, dir)
			old := time.Now().Add(-time.Hour)
			testtree.WriteFile(t, filepath.Join(inbox, "good.csv"), goodCSV, old)
			testtree.WriteFile(t, filepath.Join(inbox, "bad.csv"), badCSV, old)
			if err := os.Symlink(victim, filepath.Join(inbox, sub)); err != nil {
				t.Fatal(err)
			}
			before := testtree.Snapshot(t, dir)
			code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0")
			if code != pipeline.ExitConfig {
				t.Errorf("exit %d, want %d (configuration)\n%s", code, pipeline.ExitConfig, stderr)
			}
			if !strings.Contains(stderr, filepath.Join(inbox, sub)) || !strings.Contains(stderr, "symbolic link") {
				t.Errorf("message does not name the link:\n%s", stderr)
			}
			after := testtree.Snapshot(t, dir)
			// The database may have been created; nothing else changes.
			for p := range after {
				if strings.HasPrefix(p, db) || strings.HasPrefix(p, out) {
					delete(after, p)
				}
			}
			testtree.SameSnapshot(t, "inbox and around it", before, after)
		})
	}
}

// TestInboxInputLinks: a link dropped in the inbox is not taken, and a file
// swapped for a link or a named pipe after the scan is refused by the open
// itself (not followed, not waited on).
func TestInboxInputLinks(t *testing.T) {
	dir := t.TempDir()
	db, out, inbox := filepath.Join(dir, "t.duckdb"), filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	_, victim := testtree.Outside(t, dir)
	os.MkdirAll(inbox, 0o755)
	if err := os.Symlink(victim, filepath.Join(inbox, "linked.csv")); err != nil {
		t.Fatal(err)
	}
	before := testtree.Snapshot(t, dir, db, out)
	if code, _, stderr := cli(t, "ingest", "--db", db, "--out", out, "--inbox", inbox, "--settle", "0"); code != pipeline.ExitOK || !strings.Contains(stderr, "nothing new") {
		t.Errorf("inbox with only a link: exit %d\n%s", code, stderr)
	}
	testtree.SameSnapshot(t, "inbox with a link", before, testtree.Snapshot(t, dir, db, out))

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
