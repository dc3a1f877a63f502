package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/store"
)

// LoadsOptions are the flags of "thidua loads".
type LoadsOptions struct {
	JSON       bool   // print as JSON
	Undo       int64  // the load to revert (Undo)
	ConfigFile string // --config, for the rebuild hint
}

// Loads lists every load, newest first, as a table or JSON.
func Loads(ctx context.Context, env Env, o LoadsOptions) error {
	cfg, log, stdio := env.Config, env.Log, env.IO
	a, err := openForReading(ctx, cfg, log, stdio)
	if err != nil {
		return err
	}
	defer a.Close()
	ls, err := a.db.Loads(ctx)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeLoadsJSON(stdio.Out, ls)
	}
	writeLoads(stdio.Out, ls)
	return nil
}

// Undo reverts the load o.Undo and prints the command that rebuilds the
// outputs from what the database then holds.
func Undo(ctx context.Context, env Env, o LoadsOptions) error {
	cfg, log, stdio := env.Config, env.Log, env.IO
	if o.Undo <= 0 {
		return withCode(ExitConfig, fmt.Errorf("--undo %d: want a load id from \"thidua loads\"", o.Undo))
	}
	if err := needDB(cfg); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, log, stdio, false) // takes the run lock
	if err != nil {
		return err
	}
	defer a.Close()
	var file string
	ls, err := a.db.Loads(ctx)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if l.ID == o.Undo {
			file = l.File
		}
	}
	restored, removed, err := a.db.Undo(ctx, o.Undo, a.now())
	if errors.Is(err, store.ErrUndo) {
		return withCode(ExitConfig, err)
	}
	if err != nil {
		return err
	}
	if err := a.db.Checkpoint(ctx); err != nil {
		return err
	}
	if o.JSON {
		enc := json.NewEncoder(stdio.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"load_id": o.Undo, "file": file, "status": store.StatusUndone,
			"restored": restored, "removed": removed})
	}
	fmt.Fprintf(stdio.Out, "load %d (%s) undone: %d value(s) restored to what it replaced, %d removed (it reported them first)\n",
		o.Undo, file, restored, removed)
	fmt.Fprintf(stdio.Out, "to rebuild the tables, dashboards and exports from what the database now holds, run:\n  %s\n",
		rebuildHint(o.ConfigFile, cfg, lastOut(ctx, a.db)))
	return nil
}

// needDB refuses to go on when there is no database file: a command that
// only reads it would otherwise create an empty one.
func needDB(cfg *config.Config) error {
	if _, err := os.Stat(cfg.DB); errors.Is(err, os.ErrNotExist) {
		return withCode(ExitConfig, errors.New(noDatabaseHint(cfg)))
	}
	return nil
}

// openForReading opens the database read-only (no run lock; a running
// pipeline holds DuckDB's lock, which gives ExitBusy).
func openForReading(ctx context.Context, cfg *config.Config, log *slog.Logger, stdio *IO) (*App, error) {
	if err := needDB(cfg); err != nil {
		return nil, err
	}
	a, err := openApp(ctx, cfg, log, stdio, true)
	if err != nil {
		var le *store.LockedError
		if errors.As(err, &le) {
			return nil, withCode(ExitBusy, fmt.Errorf("database %s is in use by a running thidua; try again when it finishes", cfg.DB))
		}
		return nil, err
	}
	return a, nil
}

// shortSHA is the start of a sha256, enough to tell files apart.
func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func writeLoads(w io.Writer, ls []thidua.Load) {
	if len(ls) == 0 {
		fmt.Fprintln(w, "no loads yet")
		return
	}
	head := []string{"ID", "FILE", "ARCHIVED AS", "SHA256", "LOADED AT (UTC)", "ROWS", "INSERTED", "UPDATED", "UNCHANGED", "REJECTED", "STATUS"}
	var rows [][]string
	for _, l := range ls {
		rows = append(rows, []string{strconv.FormatInt(l.ID, 10), l.File, dash(l.Archived), shortSHA(l.SHA256),
			l.LoadedAt.UTC().Format(time.DateTime), strconv.Itoa(l.Rows), strconv.Itoa(l.Inserted),
			strconv.Itoa(l.Updated), strconv.Itoa(l.Unchanged), strconv.Itoa(l.Rejected), l.Status})
	}
	writeTable(w, head, rows, map[int]bool{0: true, 5: true, 6: true, 7: true, 8: true, 9: true})
}

// writeTable writes an aligned text table: columns two spaces apart, the
// columns in right (numbers) aligned right, the others left; widths count
// characters, not bytes, so Vietnamese names line up.
func writeTable(w io.Writer, head []string, rows [][]string, right map[int]bool) {
	width := make([]int, len(head))
	for _, r := range append([][]string{head}, rows...) {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range append([][]string{head}, rows...) {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// LoadJSON is one load in "thidua loads --json".
type LoadJSON struct {
	ID        int64     `json:"load_id"`
	File      string    `json:"file"`
	Archived  string    `json:"archived,omitempty"` // the name in the inbox's archive/ folder
	SHA256    string    `json:"sha256"`
	Format    string    `json:"format"`
	LoadedAt  time.Time `json:"loaded_at"`
	Rows      int       `json:"rows"`
	Inserted  int       `json:"inserted"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Rejected  int       `json:"rejected"`
	Status    string    `json:"status"`
}

func writeLoadsJSON(w io.Writer, ls []thidua.Load) error {
	out := make([]LoadJSON, 0, len(ls))
	for _, l := range ls {
		out = append(out, LoadJSON{ID: l.ID, File: l.File, Archived: l.Archived, SHA256: l.SHA256, Format: l.Format, LoadedAt: l.LoadedAt.UTC(),
			Rows: l.Rows, Inserted: l.Inserted, Updated: l.Updated, Unchanged: l.Unchanged, Rejected: l.Rejected, Status: l.Status})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
