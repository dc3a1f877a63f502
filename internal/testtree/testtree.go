// Package testtree helps tests of code that must not touch what it is not
// given: it writes files, lists folders and snapshots trees to show that
// nothing outside changed.
package testtree

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// WriteFile writes body to path, making its folder, and sets its
// modification time unless mtime is zero.
func WriteFile(t *testing.T, path, body string, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if !mtime.IsZero() {
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

// Files reads every file under dir into a map by its slash-separated path
// in dir. A symbolic link is not followed: its value is "link to " and its
// target, so that a tree with a link never equals one with the file.
func Files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			out[rel] = []byte("link to " + target)
			return err
		}
		out[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Names lists the entries of dir (files and folders), sorted.
func Names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range es {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// Snapshot records every entry under dir except the folders skip (by
// path): its type, permissions and, for files, a hash of the content, so
// that a test can show nothing changed there.
func Snapshot(t *testing.T, dir string, skip ...string) map[string]string {
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

// SameSnapshot reports every entry added, removed or changed.
func SameSnapshot(t *testing.T, what string, before, after map[string]string) {
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

// Outside lays out, beside the inbox, what an attacker would aim at: a
// folder and a file with content.
func Outside(t *testing.T, dir string) (victimDir, victimFile string) {
	t.Helper()
	victimDir = filepath.Join(dir, "victim")
	victimFile = filepath.Join(dir, "precious.conf")
	WriteFile(t, filepath.Join(victimDir, "keep.txt"), "keep", time.Time{})
	WriteFile(t, victimFile, "setting = 1\n", time.Time{})
	return victimDir, victimFile
}
