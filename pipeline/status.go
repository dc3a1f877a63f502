package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/thidua/thidua/store"
)

// Status shows what the database holds (read-only): months reported per unit
// and year, the last load and the last run.
func Status(ctx context.Context, env Env, asJSON bool) error {
	cfg, log, stdio := env.Config, env.Log, env.IO
	if _, err := os.Stat(cfg.DB); errors.Is(err, os.ErrNotExist) {
		return withCode(ExitConfig, errors.New(noDatabaseHint(cfg)))
	}
	a, err := openApp(ctx, cfg, log, stdio, true)
	if err != nil {
		var le *store.LockedError
		if errors.As(err, &le) {
			who := "another process"
			if p, perr := lockPath(cfg.DB); perr == nil {
				if pid := readLockPID(p); pid > 0 {
					who = fmt.Sprintf("a running thidua (pid %d)", pid)
				}
			}
			return withCode(ExitBusy, fmt.Errorf("database %s is in use by %s; try again when it finishes", cfg.DB, who))
		}
		return err
	}
	defer a.Close()
	st, err := a.db.Status(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return writeStatusJSON(stdio.Out, st)
	}
	writeStatus(stdio.Out, st)
	return nil
}

func writeStatus(w io.Writer, st store.Status) {
	fmt.Fprintf(w, "database   %s\n", st.Path)
	fmt.Fprintf(w, "values     %d, from %d load(s)\n", st.Observations, st.Loads)
	if l := st.LastLoad; l != nil {
		fmt.Fprintf(w, "last load  #%d %s at %s: %d rows, %d inserted, %d updated (%s)\n",
			l.ID, l.File, l.LoadedAt.UTC().Format("2006-01-02 15:04:05 UTC"), l.Rows, l.Inserted, l.Updated, l.Status)
	} else {
		fmt.Fprintln(w, "last load  none")
	}
	if r := st.LastRun; r != nil {
		fmt.Fprintf(w, "last run   %s %q: %s", r.ID, r.Command, r.Status)
		if !r.FinishedAt.IsZero() {
			fmt.Fprintf(w, " (exit %d), started %s, took %v", r.ExitCode, r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"),
				r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond))
		} else {
			fmt.Fprintf(w, ", started %s by pid %d", r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"), r.PID)
		}
		fmt.Fprintln(w)
	} else {
		fmt.Fprintln(w, "last run   none recorded")
	}
	if len(st.Years) == 0 {
		fmt.Fprintln(w, "\nno reported values yet")
		return
	}
	fmt.Fprintln(w, "\nmonths with data, by unit and year (of 12):")
	width := len("unit")
	label := map[string]string{}
	for _, c := range st.Coverage {
		l := strings.TrimSpace(c.Unit + " " + c.UnitName)
		if c.UnitName == "" {
			l = c.Unit + " (not in the cluster)"
		}
		label[c.Unit] = l
		width = max(width, len([]rune(l)))
	}
	fmt.Fprintf(w, "  %-*s", width, "unit")
	for _, y := range st.Years {
		fmt.Fprintf(w, " %5d", y)
	}
	fmt.Fprintln(w)
	full, cells := 0, 0
	for i, c := range st.Coverage {
		if i%len(st.Years) == 0 {
			fmt.Fprintf(w, "  %-*s", width, label[c.Unit])
		}
		fmt.Fprintf(w, " %5d", c.Months)
		cells++
		if c.Months == 12 {
			full++
		}
		if i%len(st.Years) == len(st.Years)-1 {
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "%d of %d unit-years complete\n", full, cells)
}

// StatusJSON is the --json form of store.Status.
type StatusJSON struct {
	Database     string         `json:"database"`
	Observations int64          `json:"observations"`
	Loads        int            `json:"loads"`
	LastLoad     *lastLoadJSON  `json:"last_load"`
	LastRun      *statusRunJSON `json:"last_run"`
	Years        []int          `json:"years"`
	Coverage     []coverageJSON `json:"coverage"`
}

type lastLoadJSON struct {
	ID       int64     `json:"load_id"`
	File     string    `json:"file"`
	Rows     int       `json:"rows"`
	Inserted int       `json:"inserted"`
	Updated  int       `json:"updated"`
	LoadedAt time.Time `json:"loaded_at"`
	Status   string    `json:"status"`
}

type statusRunJSON struct {
	ID         string     `json:"run_id"`
	Command    string     `json:"command"`
	PID        int        `json:"pid"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Status     string     `json:"status"`
	ExitCode   int        `json:"exit_status"`
}

type coverageJSON struct {
	Unit     string `json:"unit"`
	UnitName string `json:"unit_name"`
	Year     int    `json:"year"`
	Months   int    `json:"months"`
	Values   int    `json:"values"`
}

func writeStatusJSON(w io.Writer, st store.Status) error {
	out := StatusJSON{Database: st.Path, Observations: st.Observations, Loads: st.Loads,
		Years: st.Years, Coverage: []coverageJSON{}}
	if l := st.LastLoad; l != nil {
		ll := lastLoadJSON(*l)
		out.LastLoad = &ll
	}
	if out.Years == nil {
		out.Years = []int{}
	}
	if r := st.LastRun; r != nil {
		out.LastRun = &statusRunJSON{ID: r.ID, Command: r.Command, PID: r.PID, StartedAt: r.StartedAt, Status: r.Status, ExitCode: r.ExitCode}
		if !r.FinishedAt.IsZero() {
			out.LastRun.FinishedAt = &r.FinishedAt
		}
	}
	for _, c := range st.Coverage {
		out.Coverage = append(out.Coverage, coverageJSON(c))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
