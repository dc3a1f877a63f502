package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// runLock is the exclusive lock a command that changes the database holds
// for its whole run: flock(2) (LockFileEx on Windows) on the database file's
// path + ".lock", with the holder's pid written inside for the "already
// running" message.
//
// The kernel drops the lock when its holder dies, however it dies, so a lock
// left by a killed run is never a lock: a pid found in the file is only a
// hint for the message, never evidence that a run is in progress. The lock
// file is never removed (removing it would let two runs lock two different
// files of the same name); it is emptied on release.
type runLock struct {
	f    *os.File
	path string
}

// busyError reports that another run holds the lock.
type busyError struct {
	path string
	pid  int // 0: unknown (the holder has not written it yet)
	wait time.Duration
}

func (e *busyError) Error() string {
	who := "pid unknown"
	if e.pid > 0 {
		who = "pid " + strconv.Itoa(e.pid)
	}
	s := fmt.Sprintf("already running (%s): %s is locked", who, e.path)
	if e.wait > 0 {
		s += fmt.Sprintf("; gave up after waiting %v", e.wait)
	} else {
		s += "; use --wait DURATION to wait for it"
	}
	return s
}

// lockPath is the lock file of the database at db.
func lockPath(db string) (string, error) {
	abs, err := filepath.Abs(db)
	if err != nil {
		return "", err
	}
	return abs + ".lock", nil
}

// acquireLock takes the run lock of the database at db. If another process
// holds it, it fails at once with ExitBusy, or keeps trying for up to wait,
// saying so on log once.
func acquireLock(ctx context.Context, log *slog.Logger, db string, wait time.Duration) (*runLock, error) {
	path, err := lockPath(db)
	if err != nil {
		return nil, withCode(ExitConfig, fmt.Errorf("lock: %w", err))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|lockOpenFlags, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for tries := 0; ; tries++ {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if !busy {
			break
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, withCode(ExitBusy, &busyError{path: path, pid: readLockPID(path), wait: wait})
		}
		if tries == 0 {
			log.Info("waiting for another run to finish", "pid", readLockPID(path), "lock", path, "wait", wait)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("stopped while waiting for another run to finish (%s): %w", path, ctx.Err())
		case <-time.After(min(100*time.Millisecond, time.Until(deadline))):
		}
	}
	// The lock is ours: whatever pid the file held belonged to a run that
	// is gone. Replace it with ours.
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: write pid: %w", path, err)
	}
	return &runLock{f: f, path: path}, nil
}

// readLockPID returns the pid written in the lock file at path, 0 if none.
func readLockPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// Release empties the lock file and drops the lock. It is safe on a nil
// lock and safe to call twice.
func (l *runLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

type lockWaitKey struct{}

// WithLockWait returns ctx carrying how long the command waits for the run
// lock (the --wait flag).
func WithLockWait(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, lockWaitKey{}, d)
}

func lockWait(ctx context.Context) time.Duration {
	d, _ := ctx.Value(lockWaitKey{}).(time.Duration)
	return d
}
