// Package store owns thidua's DuckDB file: it opens it with external access
// locked down, keeps its schema current, loads batches of observations in
// bulk with provenance and an audit trail, answers the queries the other
// steps need and exports tables to Parquet.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

//go:embed schema/*.sql
var schemaFS embed.FS

// Options tune how the database is opened.
type Options struct {
	// AllowedDirs are the only folders DuckDB itself may read or write
	// (output and input folders). The database file's folder and TempDir
	// are added. External access to anything else is refused.
	AllowedDirs []string
	MemoryLimit string // e.g. "8GB"; empty keeps DuckDB's default
	Threads     int    // 0 keeps DuckDB's default
	// TempDir is where DuckDB spills what does not fit in MemoryLimit;
	// empty: the database file's name + ".tmp", in its folder. Open makes
	// the folder (0700) and refuses a link or a file in its place.
	TempDir  string
	ReadOnly bool
	// AllocatorDecayMS is how long DuckDB's jemalloc (Linux) keeps the
	// pages queries freed before handing them back, for the whole process:
	// 0 (the zero value) at once, -1 leaves DuckDB's build (1 s), which
	// jemalloc acts on only when it next allocates. Freed pages it kept
	// came on top of memory_limit: the transform of 700 units × 9
	// indicators × 4 years at memory_limit 256MB peaked at 472 MB with
	// them, 351 MB at 0, for ≈ 10 % more system CPU time (madvise and
	// re-faulting the pages).
	AllocatorDecayMS int
	// Unlocked leaves external access on; only benchmarks that compare
	// with DuckDB's own readers use it.
	Unlocked bool
}

// AllocatorFlush is DuckDB's allocator_flush_threshold and
// allocator_bulk_deallocation_flush_threshold for every database thidua
// opens (DuckDB's defaults: 128 MiB and 512 MiB).
const AllocatorFlush = "8MB"

// DB is an open thidua database.
type DB struct {
	// loadMu makes loads one at a time: a load's id is the next after the
	// highest one held, drawn inside its transaction.
	loadMu sync.Mutex
	sql    *sql.DB
	conn   *duckdb.Connector
	path   string
	log    *slog.Logger
	// readOnly is Options.ReadOnly: Close does not checkpoint.
	readOnly bool
	// opts are the options it was opened with (Reopen).
	opts Options
	// closed is set by Close: a second Close (after a Reopen that failed
	// to open the file again) does nothing.
	closed bool
	// tempMade is the spill folder Open made, removed by Close when empty.
	tempMade string
}

// ErrTempDir says the spill folder's path holds something else than a
// folder: a link (followed, DuckDB would write the database's rows wherever
// it points) or a file.
var ErrTempDir = errors.New("not a folder (a link or a file is refused)")

// prepareTempDir makes the spill folder unless it is there, and refuses a
// link or a file in its place. made says whether it made it.
func prepareTempDir(dir string) (made bool, err error) {
	err = os.Mkdir(dir, 0o700)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return false, fmt.Errorf("store: temp folder %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return false, fmt.Errorf("store: temp folder %s: %w", dir, err)
	}
	if !fi.IsDir() { // a link's Lstat is not a folder
		return false, fmt.Errorf("store: temp folder %s: %w", dir, ErrTempDir)
	}
	return false, nil
}

// LockedError reports that another process holds the database file.
type LockedError struct {
	Path string
	Err  error
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("database %s is in use by another process: %v", e.Path, e.Err)
}

func (e *LockedError) Unwrap() error { return e.Err }

// Open opens (creating if needed) the database at path, locks down DuckDB's
// access to files and extensions, and brings the schema up to date. An empty
// path opens an in-memory database.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		path = abs
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	db := &DB{path: path, log: slog.Default(), readOnly: opts.ReadOnly, opts: opts}
	if err := db.connect(ctx); err != nil {
		return nil, err
	}
	if !opts.ReadOnly {
		if err := db.migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// connect opens the connector to db.path (read-only as db.opts says) and
// configures it with db.opts.
func (db *DB) connect(ctx context.Context) error {
	dsn := db.path
	if db.opts.ReadOnly {
		dsn += "?access_mode=read_only"
	}
	init := func(ex driver.ExecerContext) error { return nil }
	conn, err := duckdb.NewConnector(dsn, init)
	if err != nil {
		// DuckDB says a file held by another process is an I/O error;
		// whether that is the reason is asked of the file's locks, not
		// read from the message.
		var de *duckdb.Error
		if db.path != "" && errors.As(err, &de) && de.Type == duckdb.ErrorTypeIO && lockedByOther(db.path) {
			return &LockedError{db.path, err}
		}
		return fmt.Errorf("store: open %s: %w", db.path, err)
	}
	db.sql, db.conn, db.closed = sql.OpenDB(conn), conn, false
	if db.opts.AllocatorDecayMS >= 0 && !setAllocatorDecay(int64(db.opts.AllocatorDecayMS)) {
		db.log.Debug("DuckDB's allocator decay left as built (no jemalloc here)")
	}
	if err := db.configure(ctx, db.opts); err != nil {
		db.sql.Close()
		conn.Close()
		if db.tempMade != "" {
			os.Remove(db.tempMade)
		}
		return err
	}
	return nil
}

// Reopen checkpoints and closes the database file and opens it again with
// memoryLimit as DuckDB's memory_limit ("" keeps the one it was opened
// with), the other options unchanged. Closing hands back everything DuckDB
// held: its buffer pool of the tables a step read or wrote (up to
// memory_limit, kept until evicted), its temporary tables and what its
// allocator kept, so that the next step starts from what it needs itself;
// and memory_limit cannot change otherwise, the configuration being locked.
// The DB value stays the same; a handle from SQL taken before is closed. An
// in-memory database, which closing would lose, is left as it is.
func (db *DB) Reopen(ctx context.Context, memoryLimit string) error {
	if db.path == "" {
		return nil
	}
	if err := db.Close(); err != nil {
		return err
	}
	if memoryLimit != "" {
		db.opts.MemoryLimit = memoryLimit
	}
	db.tempMade = ""
	return db.connect(ctx)
}

// MemoryLimit is the memory_limit the database was opened with ("":
// DuckDB's default).
func (db *DB) MemoryLimit() string { return db.opts.MemoryLimit }

// Facts counts the facts (observations and targets) the database holds.
func (db *DB) Facts(ctx context.Context) (int64, error) {
	var n int64
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM observations`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count facts: %w", err)
	}
	return n, nil
}

func (db *DB) configure(ctx context.Context, opts Options) error {
	var stmts []string
	if opts.MemoryLimit != "" {
		stmts = append(stmts, fmt.Sprintf("SET memory_limit = %s", QuoteString(opts.MemoryLimit)))
	}
	if opts.Threads > 0 {
		stmts = append(stmts, fmt.Sprintf("SET threads = %d", opts.Threads))
	}
	tmp := opts.TempDir
	if tmp == "" && db.path != "" {
		tmp = db.path + ".tmp"
	}
	if tmp != "" {
		abs, err := filepath.Abs(tmp)
		if err != nil {
			return fmt.Errorf("store: temp folder %s: %w", tmp, err)
		}
		tmp = abs
		made, err := prepareTempDir(tmp)
		if made {
			db.tempMade = tmp
		}
		switch {
		case err == nil:
			stmts = append(stmts, fmt.Sprintf("SET temp_directory = %s", QuoteString(tmp)))
		case opts.ReadOnly && !errors.Is(err, ErrTempDir):
			// A database read where nothing can be written (a read-only
			// disk, another user's folder): read without spilling, rather
			// than let DuckDB try its default, the same path.
			stmts = append(stmts, "SET temp_directory = ''")
		default:
			return err
		}
	}
	// DuckDB's allocator (jemalloc on Linux) keeps memory that queries
	// freed for seconds before handing it back, and a thread's freed memory
	// is only purged once it peaked above allocator_flush_threshold
	// (128 MiB by default): at 700 units × 9 indicators × 4 years this kept
	// the process ≈ 200 MB above what DuckDB's buffer manager held between
	// statements. Purging after any task or bulk free above AllocatorFlush
	// costs little (a madvise per purge) and returns it.
	stmts = append(stmts,
		"SET allocator_flush_threshold = "+QuoteString(AllocatorFlush),
		"SET allocator_bulk_deallocation_flush_threshold = "+QuoteString(AllocatorFlush),
	)
	stmts = append(stmts,
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET preserve_insertion_order = true",
	)
	if !opts.Unlocked {
		dirs := append([]string(nil), opts.AllowedDirs...)
		if db.path != "" {
			dirs = append(dirs, filepath.Dir(db.path))
		}
		if tmp != "" {
			dirs = append(dirs, tmp)
		}
		var quoted []string
		for _, d := range dirs {
			abs, err := filepath.Abs(d)
			if err != nil {
				return fmt.Errorf("store: allowed folder %q: %w", d, err)
			}
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				abs = real
			}
			quoted = append(quoted, QuoteString(strings.TrimSuffix(abs, "/")+"/"))
		}
		sort.Strings(quoted)
		stmts = append(stmts,
			"SET allowed_directories = ["+strings.Join(quoted, ", ")+"]",
			"SET enable_external_access = false",
			"SET lock_configuration = true",
		)
	}
	for _, s := range stmts {
		if _, err := db.sql.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("store: configure %q: %w", s, err)
		}
	}
	return nil
}

// migrate runs the embedded schema files in name order, each once.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	names, err := fs.Glob(schemaFS, "schema/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		var n int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
		if n > 0 {
			continue
		}
		body, _ := schemaFS.ReadFile(name)
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
	}
	return nil
}

// SQL returns the database handle, for the transform step's models.
func (db *DB) SQL() *sql.DB { return db.sql }

// Path returns the database file's absolute path ("" in memory).
func (db *DB) Path() string { return db.path }

// Checkpoint writes the write-ahead log into the database file.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.path == "" {
		return nil
	}
	if _, err := db.sql.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}

// Close checkpoints and closes the database.
func (db *DB) Close() error {
	if db.closed {
		return nil
	}
	db.closed = true
	var errs []error
	if db.path != "" && !db.readOnly { // a read-only database has nothing to checkpoint
		if _, err := db.sql.Exec("CHECKPOINT"); err != nil {
			errs = append(errs, fmt.Errorf("store: checkpoint: %w", err))
		}
	}
	errs = append(errs, db.sql.Close(), db.conn.Close())
	if db.tempMade != "" {
		os.Remove(db.tempMade) // only when empty: DuckDB deletes its spill files on close
	}
	return errors.Join(errs...)
}

// QuoteIdent quotes an SQL identifier. It is the only way an identifier that
// comes from outside the code reaches SQL.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// QuoteString quotes an SQL string literal, for the few statements (SET,
// COPY) that take no parameters.
func QuoteString(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
