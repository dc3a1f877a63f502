package pipeline

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/thidua/thidua/config"
)

// Exit statuses, documented in README.md.
const (
	ExitOK          = 0   // success
	ExitInternal    = 1   // a bug or an environment failure (disk, permissions)
	ExitConfig      = 2   // bad command line or configuration
	ExitData        = 3   // an input file was refused; nothing of it was loaded
	ExitPartial     = 4   // success, but some files were refused (inbox mode)
	ExitBusy        = 5   // another run holds the lock
	ExitInterrupted = 130 // stopped by SIGINT or SIGTERM; nothing half-written
)

// IO is where a command reads and writes; tests inject buffers.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// Env is what every command runs with: the configuration (defaults, file,
// environment and flags merged), the logger and where to read and write.
type Env struct {
	Config *config.Config
	Log    *slog.Logger
	IO     *IO
}

// exitError carries an exit status with the error that caused it.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// WithCode gives err the exit status code (nil stays nil).
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code, err}
}

// withCode is WithCode, for this package's own use.
func withCode(code int, err error) error { return WithCode(code, err) }

// ExitCode maps an error to the process exit status: the status given by
// WithCode, ExitInterrupted when ctx was cancelled, ExitConfig for a
// configuration error, else ExitInternal.
func ExitCode(ctx context.Context, err error) int {
	var ee *exitError
	var ce *config.Error
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &ce):
		return ExitConfig
	}
	return ExitInternal
}

func exitCode(ctx context.Context, err error) int { return ExitCode(ctx, err) }
