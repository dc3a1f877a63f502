package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/store"
)

// The hints the tool prints name commands that do what the hint says; each
// is built here, with the database (and configuration) it is about, so
// that copying it runs it on the same files.

// rebuildHint is the command that rebuilds the tables, dashboards and
// exports from what cfg's database holds, loading nothing: "thidua run
// --rebuild" with the --config, --db and --out in use (out is the output
// folder of the database's last run, when known).
func rebuildHint(configFile string, cfg *config.Config, out string) string {
	if out == "" {
		out = cfg.Out
	}
	return hintCommand(configFile, "run --rebuild", "--db", cfg.DB, "--out", out)
}

// noDatabaseHint says what to do when cfg's database file does not exist.
func noDatabaseHint(cfg *config.Config) string {
	return fmt.Sprintf("no database at %s: nothing loaded yet; load reports with %q, or try the built-in synthetic sample in a new database with %q",
		cfg.DB, "thidua run --db "+shellQuote(cfg.DB)+" FILE...", "thidua run --sample --db sample.duckdb")
}

// hintCommand is "thidua " + sub with the --config in use and the given
// flag/value pairs, quoted for a POSIX shell where needed.
func hintCommand(configFile, sub string, flagValues ...string) string {
	var b strings.Builder
	b.WriteString("thidua " + sub)
	if configFile != "" {
		b.WriteString(" --config " + shellQuote(configFile))
	}
	for i := 0; i+1 < len(flagValues); i += 2 {
		b.WriteString(" " + flagValues[i] + " " + shellQuote(flagValues[i+1]))
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell unless it is made of safe
// characters only.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// lastOut is the output folder of the database's last recorded run, or ""
// when none is known.
func lastOut(ctx context.Context, db *store.DB) string {
	r, err := db.LastRun(ctx)
	if err != nil || r == nil || r.Summary == "" {
		return ""
	}
	var s struct {
		Out string `json:"out"`
	}
	if json.Unmarshal([]byte(r.Summary), &s) != nil {
		return ""
	}
	return s.Out
}
