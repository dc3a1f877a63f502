package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/ingest"
	"github.com/thidua/thidua/store"
)

// Inbox mode: "thidua ingest --inbox DIR" and "thidua run --inbox DIR" take
// every new file dropped in DIR, load it, and move it out of the way:
// loaded (or already loaded) files to DIR/archive/, refused ones to
// DIR/rejected/ with NAME.errors.txt beside them. A file still being
// written is left for the next run.

// Inbox subfolders.
const (
	inboxArchive  = "archive"
	inboxRejected = "rejected"
	errorsSuffix  = ".errors.txt"
)

// InboxOptions are the inbox flags of "thidua ingest" and "thidua run".
type InboxOptions struct {
	Dir string // the inbox folder; "" when not in inbox mode
	// Settle is how long a file must have stayed unchanged to be taken:
	// a file modified less than Settle ago, or whose size or modification
	// time changes while it is watched for min(Settle, 1s), is still being
	// written.
	Settle time.Duration
}

// allowed returns the folders DuckDB may read for inbox mode.
func (o *InboxOptions) allowed() []string {
	if o.Dir == "" {
		return nil
	}
	return []string{o.Dir}
}

// check validates the options, with the positional inputs of the command.
func (o *InboxOptions) check(inputs []string) error {
	if o.Dir == "" {
		return nil
	}
	if len(inputs) > 0 {
		return withCode(ExitConfig, fmt.Errorf("--inbox takes the files in %s: give no INPUT arguments with it", o.Dir))
	}
	if o.Settle < 0 {
		return withCode(ExitConfig, fmt.Errorf("--settle %v: want zero or a positive duration", o.Settle))
	}
	st, err := os.Stat(o.Dir)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("inbox: %w", err))
	}
	if !st.IsDir() {
		return withCode(ExitConfig, fmt.Errorf("inbox %s: not a folder", o.Dir))
	}
	for _, sub := range []string{inboxArchive, inboxRejected} {
		if err := checkInboxFolder(o.Dir, sub); err != nil {
			return withCode(ExitConfig, err)
		}
	}
	return nil
}

// errInboxFolder is the cause of an inbox subfolder (archive/, rejected/)
// that is not a real folder: files are only ever moved into real folders
// inside the inbox, never through a symbolic link that could point
// anywhere the host can write.
var errInboxFolder = errors.New("is a symbolic link or not a folder: files are moved only into real folders inside the inbox; replace it with a folder")

// checkInboxFolder refuses the inbox subfolder sub of dir when it exists
// and is not a real folder. A missing one is made when first needed.
func checkInboxFolder(dir, sub string) error {
	p := filepath.Join(dir, sub)
	st, err := os.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("inbox: %w", err)
	case st.Mode()&fs.ModeSymlink != 0:
		to, _ := os.Readlink(p)
		return fmt.Errorf("inbox: %s (a link to %s) %w", p, to, errInboxFolder)
	case !st.IsDir():
		return fmt.Errorf("inbox: %s %w", p, errInboxFolder)
	}
	return nil
}

// inboxFolder makes (if needed) the subfolder sub of the inbox open as root
// and checks it is a real folder, not a symbolic link.
func inboxFolder(root *os.Root, sub string) error {
	if err := root.Mkdir(sub, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("inbox: %w", err)
	}
	st, err := root.Lstat(sub)
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	if !st.IsDir() || st.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("inbox: %s %w", filepath.Join(root.Name(), sub), errInboxFolder)
	}
	return nil
}

// skipName reports names inbox mode never takes: hidden files, error
// reports it wrote itself, and the temporary files of office programs and
// browsers (still being written or locked by an editor).
func skipName(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "~$"), strings.HasSuffix(lower, errorsSuffix),
		strings.HasSuffix(lower, ".tmp"), strings.HasSuffix(lower, ".part"), strings.HasSuffix(lower, ".crdownload"):
		return true
	}
	return false
}

type fileLook struct {
	size  int64
	mtime time.Time
}

// scanInbox lists the regular files of dir that are ready to take, oldest
// first (by modification time, then name), and those still being written.
// It looks at them twice, watch apart.
func scanInbox(dir string, settle time.Duration, now func() time.Time, sleep func(time.Duration)) (ready, waiting []string, err error) {
	look := func() (map[string]fileLook, error) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		m := map[string]fileLook{}
		for _, e := range entries {
			// Subfolders (archive/, rejected/) and symbolic links are not
			// taken: a link could point anywhere.
			if !e.Type().IsRegular() || skipName(e.Name()) {
				continue
			}
			info, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // gone meanwhile
			}
			if err != nil {
				return nil, fmt.Errorf("inbox: %w", err)
			}
			m[e.Name()] = fileLook{info.Size(), info.ModTime()}
		}
		return m, nil
	}
	first, err := look()
	if err != nil || len(first) == 0 {
		return nil, nil, err
	}
	if watch := min(settle, time.Second); watch > 0 {
		sleep(watch)
	}
	second, err := look()
	if err != nil {
		return nil, nil, err
	}
	t := now()
	var names []string
	for name, a := range first {
		b, ok := second[name]
		switch {
		case !ok:
			continue // moved or deleted meanwhile
		case a != b, t.Sub(b.mtime) < settle:
			waiting = append(waiting, filepath.Join(dir, name))
		default:
			names = append(names, name)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		mi, mj := second[names[i]].mtime, second[names[j]].mtime
		if !mi.Equal(mj) {
			return mi.Before(mj)
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		ready = append(ready, filepath.Join(dir, n))
	}
	sort.Strings(waiting)
	return ready, waiting, nil
}

// ingestInbox loads every ready file of the inbox, one transaction each,
// and moves it to archive/ or rejected/. Problems of a refused file are
// written to NAME.errors.txt beside it for the office that sent it, in the
// cluster's language (config lang): where, what is wrong, what to do; then
// the technical detail, one problem per line as FILE:LINE[:COLUMN]: message. A file that cannot be read at all is refused
// like one with bad rows, so that one bad file never blocks the inbox. The
// refusals come back as a *refusedError after every file was tried; any
// other error (the database, moving files) stops at once, leaving the file
// where it was: a file loaded but not yet moved is a repeat on the next run.
func (a *App) ingestInbox(ctx context.Context, o InboxOptions, partial bool) (IngestSummary, error) {
	var sum IngestSummary
	ready, waiting, err := scanInbox(o.Dir, o.Settle, time.Now, time.Sleep)
	if err != nil {
		return sum, err
	}
	for _, w := range waiting {
		a.log.Info("inbox: still being written, left for the next run", "file", w)
	}
	if len(ready) == 0 {
		a.log.Info("inbox: nothing new", "inbox", o.Dir)
		return sum, nil
	}
	// Every move and write in the inbox goes through root: nothing is
	// written outside it, even through a link planted while this runs.
	root, err := os.OpenRoot(o.Dir)
	if err != nil {
		return sum, fmt.Errorf("inbox: %w", err)
	}
	defer root.Close()
	var refused []*ingest.FileError
	opts := a.ingestOptions()
	opts.PlainFilesOnly = true // a file swapped for a link since the scan is refused
	for _, f := range ready {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		a.prog.Next(f)
		b, err := ingest.ReadFile(f, opts)
		var fe *ingest.FileError
		var loaded store.LoadResult
		switch {
		case errors.As(err, &fe):
			sum.Files++
			sum.Refused++
		case err != nil:
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			sum.Files++
			sum.Refused++
			fe = &ingest.FileError{File: f, Problems: []thidua.Problem{{Pos: thidua.Pos{File: f}, Err: err}}}
		default:
			if loaded, fe, err = a.loadBatchResult(ctx, b, partial, &sum); err != nil {
				return sum, err
			}
		}
		if fe != nil {
			rel, err := moveUnique(root, filepath.Base(f), inboxRejected, time.Now())
			if err != nil {
				return sum, err
			}
			if err := writeErrorsFile(root, rel+errorsSuffix, ingest.OfficeReport(fe, a.cfg.Lang)); err != nil {
				return sum, err
			}
			dst := filepath.Join(o.Dir, rel)
			a.log.Warn("inbox: refused", "file", f, "moved to", dst, "problems", len(fe.Problems), "errors", dst+errorsSuffix)
			refused = append(refused, fe)
			continue
		}
		rel, err := moveUnique(root, filepath.Base(f), inboxArchive, time.Now())
		if err != nil {
			return sum, err
		}
		a.log.Info("inbox: archived", "file", f, "moved to", filepath.Join(o.Dir, rel))
		if !loaded.Repeat {
			// "thidua loads" shows the name it has in archive/, which
			// tells apart two files sent under the same name.
			if err := a.db.SetArchived(ctx, loaded.Load.ID, rel); err != nil {
				return sum, err
			}
		}
		// The file loaded: the errors of an earlier, refused version of it
		// (the same name) are no longer true.
		for _, stale := range clearStaleErrors(root, filepath.Base(f)) {
			a.log.Info("inbox: cleared the errors of an earlier version", "file", f, "removed", filepath.Join(o.Dir, stale))
		}
	}
	if len(refused) > 0 {
		return sum, &refusedError{refused}
	}
	return sum, nil
}

// inboxExit gives an inbox ingest's outcome its exit status: ExitPartial
// when some files were refused and others loaded (or found already loaded),
// ExitData when every file taken was refused.
func inboxExit(sum IngestSummary, err error) error {
	var re *refusedError
	if !errors.As(err, &re) {
		return err
	}
	if sum.Loaded+sum.Repeats > 0 {
		return withCode(ExitPartial, err)
	}
	return withCode(ExitData, err)
}

// moveUnique moves the file name of the inbox open as root into its
// subfolder sub (made if needed; a real folder, never a link) under its own
// name or, when that is taken, with a UTC timestamp (and, if need be, a
// counter) before the extension: report.20260301T080000Z.csv. It returns
// the new path relative to the inbox. The rename stays inside the inbox's
// file system and is confined to it by root.
func moveUnique(root *os.Root, name, sub string, now time.Time) (string, error) {
	if err := inboxFolder(root, sub); err != nil {
		return "", err
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	stamp := now.UTC().Format("20060102T150405Z")
	for i := 0; ; i++ {
		dstName := name
		switch {
		case i == 1:
			dstName = stem + "." + stamp + ext
		case i > 1:
			dstName = fmt.Sprintf("%s.%s-%d%s", stem, stamp, i, ext)
		}
		dst := path.Join(sub, dstName)
		// The errors file of a refused one must be free too.
		if _, err := root.Lstat(dst); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("inbox: %w", err)
		}
		if _, err := root.Lstat(dst + errorsSuffix); err == nil {
			continue
		}
		if err := root.Rename(name, dst); err != nil {
			return "", fmt.Errorf("inbox: move %s to %s: %w", name, sub, err)
		}
		return dst, nil
	}
}

// writeErrorsFile writes body (the office's report of a refused file:
// ingest.OfficeReport) to the file at rel in the inbox open as root,
// through a temporary file of random name made with exclusive create in
// the same folder and a rename: a link or file planted under any name is
// neither followed nor overwritten.
func writeErrorsFile(root *os.Root, rel string, body string) (err error) {
	f, tmp, err := createTemp(root, path.Dir(rel), func() string { return "." + path.Base(rel) + "." + randomText() + ".tmp" })
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	defer func() {
		if err != nil {
			root.Remove(tmp)
		}
	}()
	_, err = f.WriteString(body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, rel)
	}
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	return nil
}

// clearStaleErrors removes from rejected/ the NAME.errors.txt of every
// earlier refused version of the file name (rejected/NAME.errors.txt and
// the time-stamped rejected/STEM.20260301T080000Z[-N].EXT.errors.txt),
// through the inbox open as root, and returns what it removed. The refused
// files themselves stay in rejected/ as a record. Errors are ignored: a
// stale report left behind is no reason to fail a load.
func clearStaleErrors(root *os.Root, name string) []string {
	entries, err := fs.ReadDir(root.FS(), inboxRejected)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), errorsSuffix) {
			continue
		}
		if sentAs(strings.TrimSuffix(e.Name(), errorsSuffix)) != name {
			continue
		}
		rel := path.Join(inboxRejected, e.Name())
		if root.Remove(rel) == nil {
			removed = append(removed, rel)
		}
	}
	return removed
}

// stampedName matches the names moveUnique gives when a name is taken:
// STEM.20260301T080000Z[-N]EXT.
var stampedName = regexp.MustCompile(`^(.*)\.[0-9]{8}T[0-9]{6}Z(?:-[0-9]+)?(\.[^.]*)?$`)

// sentAs returns the name a file of archive/ or rejected/ was sent under:
// its name without the time stamp moveUnique added.
func sentAs(name string) string {
	if m := stampedName.FindStringSubmatch(name); m != nil {
		return m[1] + m[2]
	}
	return name
}
