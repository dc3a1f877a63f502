package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/thidua/thidua/internal/workers"
)

// outDir is a run's output folder. Everything a run writes under it goes
// through outDir: each output (the dashboards site, the Parquet folder) is
// written into a new hidden sibling folder and swapped in by rename once it
// is complete, so a reader never sees a half-written site or a truncated
// Parquet file; single files (run.json) are written to a temporary name and
// renamed. Names are single path elements chosen by the code, and every
// operation is relative to the folder (os.Root, *at system calls), so
// nothing is written outside it through ".." or a symbolic link.
type outDir struct {
	path string   // absolute, symbolic links resolved
	root *os.Root // confined access to path
	log  *slog.Logger
}

// openOut creates (if needed) and opens the output folder out.
func openOut(out string, log *slog.Logger) (*outDir, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return nil, fmt.Errorf("output folder %s: %w", out, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	root, err := os.OpenRoot(real)
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	return &outDir{path: real, root: root, log: log}, nil
}

func (o *outDir) Close() error {
	if o == nil || o.root == nil {
		return nil
	}
	return o.root.Close()
}

// leftoverRE matches the temporary names of outDir: .NAME.tmp-PID-RANDOM
// and .NAME.old-PID-RANDOM (see tmpName), and those of earlier versions,
// without the random part.
var leftoverRE = regexp.MustCompile(`^\.[A-Za-z0-9_-]+(\.[a-z]+)?\.(tmp|old)-([0-9]+)(-[A-Z2-7]+)?$`)

// cleanLeftovers removes what killed runs left in the folder: temporary
// outputs that were never swapped in, and old ones never removed. It must
// only be called under the run lock, when no other run can be writing them.
func (o *outDir) cleanLeftovers() error {
	entries, err := fs.ReadDir(o.root.FS(), ".")
	if err != nil {
		return fmt.Errorf("output folder %s: %w", o.path, err)
	}
	for _, e := range entries {
		m := leftoverRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		// Another live thidua (one on another database writing to the
		// same folder) may be filling it; what is left by a dead one goes.
		if pid, _ := strconv.Atoi(m[3]); pid != os.Getpid() && processAlive(pid) {
			o.log.Debug("leaving the temporary output of a live process", "path", filepath.Join(o.path, e.Name()), "pid", pid)
			continue
		}
		if err := o.root.RemoveAll(e.Name()); err != nil {
			return fmt.Errorf("output folder %s: remove leftover %s: %w", o.path, e.Name(), err)
		}
		o.log.Info("removed the leftover of an interrupted run", "path", filepath.Join(o.path, e.Name()))
	}
	return nil
}

// checkName refuses anything but a plain file or folder name.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || !filepath.IsLocal(name) {
		return fmt.Errorf("output name %q: want a plain name inside the output folder", name)
	}
	return nil
}

// publish builds the output folder NAME: write fills a new empty folder
// (given as an absolute path) and, when it returns without error and ctx is
// not done, the folder replaces OUT/NAME in one rename. On any failure the
// new folder is removed and OUT/NAME is left as it was.
func (o *outDir) publish(ctx context.Context, name string, write func(dir string) error) (err error) {
	if err := checkName(name); err != nil {
		return err
	}
	tmp, err := mkdirTemp(o.root, func() string { return tmpName(name) })
	if err != nil {
		return fmt.Errorf("output %s: %w", name, err)
	}
	defer func() {
		if rerr := o.root.RemoveAll(tmp); rerr != nil && err == nil {
			err = fmt.Errorf("output %s: remove temporary %s: %w", name, tmp, rerr)
		}
	}()
	dir := filepath.Join(o.path, tmp)
	if err := write(dir); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := o.seal(tmp); err != nil {
		return fmt.Errorf("output %s: %w", name, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// After the exchange tmp holds the old output, removed by the defer.
	if err := exchange(o.path, tmp, name); err != nil {
		return fmt.Errorf("output %s: swap in %s: %w", name, tmp, err)
	}
	syncDir(o.path)
	return nil
}

// seal checks the new folder holds only regular files and folders (a
// symbolic link could point anywhere) and flushes them to disk, so that what
// is swapped in is complete even after a power cut. A file with another
// link is one taken over from the output replaced (keep.File links it),
// flushed when that output was sealed: it is not flushed again (a new
// month's site at 150 units × 35 indicators takes over 2,475 of its 3,156
// files; the folders, their new entries, are flushed).
//
// The flushes run sealWorkers at a time, which the file system commits
// together: 700 new files of 20 KB took 1.3–1.7 s flushed one at a time,
// 0.10–0.17 s eight at a time (ext4, shared disk).
func (o *outDir) seal(tmp string) error {
	var paths []string
	err := fs.WalkDir(o.root.FS(), tmp, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() && !d.IsDir() {
			return fmt.Errorf("%s: refusing to publish %v (%w)", p, d.Type(), errNotPlain)
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil && linked(fi) {
				return nil
			}
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return err
	}
	return workers.Run(len(paths), sealWorkers, func(i int) error { return o.flush(paths[i]) })
}

// sealWorkers is how many files seal flushes at a time.
const sealWorkers = 8

// flush flushes the file or folder p (in o's folder) to disk.
func (o *outDir) flush(p string) error {
	f, err := o.root.Open(p)
	if err != nil {
		return err
	}
	serr := f.Sync()
	if errors.Is(serr, os.ErrInvalid) {
		serr = nil
	}
	if cerr := f.Close(); serr == nil {
		serr = cerr
	}
	return serr
}

// writeFile writes data to OUT/NAME through a temporary file (random name,
// exclusive create) and a rename: a reader sees the old file or the new one,
// never a part.
func (o *outDir) writeFile(name string, data []byte) (err error) {
	if err := checkName(name); err != nil {
		return err
	}
	f, tmp, err := createTemp(o.root, ".", func() string { return tmpName(name) })
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(o.path, name), err)
	}
	defer func() {
		if err != nil {
			o.root.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = o.root.Rename(tmp, name)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(o.path, name), err)
	}
	syncDir(o.path)
	return nil
}

// The refusals of an output that is not safe to publish.
var (
	// errOutside: a path that leads out of the output folder.
	errOutside = errors.New("outside the output folder")
	// errNotPlain: a link, device or pipe among the files to publish.
	errNotPlain = errors.New("only plain files and folders")
)

// inside reports an error if path is not inside dir (after cleaning; both
// absolute).
func inside(dir, path string) error {
	rel, err := filepath.Rel(dir, path)
	if err != nil || !filepath.IsLocal(rel) {
		return fmt.Errorf("%s: %w %s", path, errOutside, dir)
	}
	return nil
}

func syncDir(path string) {
	if d, err := os.Open(path); err == nil {
		d.Sync()
		d.Close()
	}
}

// outDir returns the run's output folder, opening it on first use. Under the
// run lock, opening it first removes what killed runs left there.
func (a *App) outDir() (*outDir, error) {
	if a.out != nil {
		return a.out, nil
	}
	o, err := openOut(a.cfg.Out, a.log)
	if err != nil {
		return nil, err
	}
	if a.lock != nil {
		if err := o.cleanLeftovers(); err != nil {
			o.Close()
			return nil, err
		}
	}
	// Fail before any work if the folder cannot be written (read-only,
	// permissions), rather than after the ingest and transform.
	probe, err := mkdirTemp(o.root, func() string { return tmpName("probe") })
	if err != nil {
		o.Close()
		return nil, fmt.Errorf("output folder %s is not writable: %w", o.path, err)
	}
	if err := o.root.Remove(probe); err != nil {
		o.Close()
		return nil, fmt.Errorf("output folder %s: %w", o.path, err)
	}
	a.out = o
	return o, nil
}

// publishDir writes the folder dir, which must be OUT/NAME, through
// outDir.publish: write fills a new folder (its argument) and returns the
// files it wrote there, and the folder is swapped in whole once write
// succeeds. The files are returned under their final path.
func (a *App) publishDir(ctx context.Context, dir string, write func(tmp string) ([]string, error)) ([]string, error) {
	o, err := a.outDir()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	outAbs, err := filepath.Abs(a.cfg.Out)
	if err != nil {
		return nil, err
	}
	if filepath.Dir(abs) != outAbs {
		return nil, fmt.Errorf("output %s: not a folder directly inside the output folder %s", dir, a.cfg.Out)
	}
	var files []string
	err = o.publish(ctx, filepath.Base(abs), func(tmp string) error {
		written, err := write(tmp)
		for _, f := range written {
			fa := f
			if !filepath.IsAbs(fa) {
				fa = filepath.Join(tmp, f) // a name relative to the folder
			}
			aerr := inside(tmp, filepath.Clean(fa))
			if aerr != nil {
				return errors.Join(err, aerr)
			}
			rel, _ := filepath.Rel(tmp, fa)
			files = append(files, filepath.Join(dir, rel))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}
