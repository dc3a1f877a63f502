package pipeline

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/report"
	"github.com/thidua/thidua/store"
)

// ReportOptions are the flags of "thidua report".
type ReportOptions struct {
	Period   string // the period, as ParsePeriod reads it (required)
	UnitHead string // code or name of the unit heading the cluster
	Lang     string // vi or en; "" for the configured language
	Date     string // the date line, YYYY-MM-DD; "" leaves it blank
}

// Report writes the review report of o.Period to OUT/reports/ as an
// editable DOCX and prints its path. It opens the database read-only.
func Report(ctx context.Context, env Env, o ReportOptions) error {
	cfg, log, stdio := env.Config, env.Log, env.IO
	p, err := thidua.ParsePeriod(o.Period)
	if err != nil {
		return withCode(ExitConfig, fmt.Errorf("--period: %w", err))
	}
	if o.Lang == "" {
		o.Lang = cfg.Lang
	}
	if o.Lang != "vi" && o.Lang != "en" {
		return withCode(ExitConfig, fmt.Errorf("--lang %q: want vi or en", o.Lang))
	}
	if o.UnitHead != "" {
		u, ok := cfg.Cluster.LookupUnit(o.UnitHead, time.Time{})
		if !ok {
			return withCode(ExitConfig, fmt.Errorf("--unit-head %q: not a unit of cluster %s", o.UnitHead, cfg.Cluster.Code))
		}
		cfg.Reports.UnitHead = u.Code
	}
	var date time.Time
	if o.Date != "" {
		if date, err = time.Parse(time.DateOnly, o.Date); err != nil {
			return withCode(ExitConfig, fmt.Errorf("--date %q: want a date such as 2020-07-15", o.Date))
		}
	}
	a, err := openForReading(ctx, cfg, log, stdio)
	if err != nil {
		return err
	}
	defer a.Close()
	path, err := a.writeReport(ctx, p, o.Lang, date)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdio.Out, path)
	return nil
}

// reportFileName is the report's file under OUT/reports/.
func reportFileName(p thidua.Period, lang string) string {
	if lang == "en" {
		return "report-" + p.String() + "-en.docx"
	}
	return "bao-cao-" + p.String() + ".docx"
}

// writeReport writes the report of p in lang to OUT/reports/ and returns
// its path.
func (a *App) writeReport(ctx context.Context, p thidua.Period, lang string, date time.Time) (string, error) {
	// The report reads its period's unit rows only (and every cluster
	// row), not the whole indicator_pop.
	rep, err := a.db.ReportMeta(ctx)
	if err != nil {
		return "", err
	}
	rows, err := a.db.PopRows(ctx, thidua.PopQuery{Periods: []thidua.Period{p}})
	if err != nil {
		return "", err
	}
	rep.Pop = append(rep.Pop, rows...)
	if len(rep.Pop) == 0 {
		return "", withCode(ExitConfig, fmt.Errorf("report: %w", store.ErrNotTransformed))
	}
	w, err := dashboards.NewWording(rep, lang)
	if err != nil {
		return "", err
	}
	bonuses, err := a.db.Bonuses(ctx, p)
	if err != nil {
		return "", err
	}
	in := report.Input{Report: rep, Period: p, Wording: w, Bonuses: bonuses, Proposal: rep.Proposals[p],
		Settings: reportSettings(a.cfg.Reports), Date: date}
	if t := a.cfg.Reports.Template; t != "" {
		if in.Template, err = readSmallFile(t, 64<<20); err != nil {
			return "", withCode(ExitConfig, fmt.Errorf("reports.template: %w", err))
		}
		in.TemplateName = t
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, in); err != nil {
		if errors.Is(err, report.ErrNoData) {
			return "", withCode(ExitConfig, err)
		}
		var te *report.TemplateError
		if errors.As(err, &te) {
			return "", withCode(ExitConfig, err)
		}
		return "", err
	}
	o, err := a.outDir()
	if err != nil {
		return "", err
	}
	name := reportFileName(p, lang)
	if err := o.writeFileIn("reports", name, buf.Bytes()); err != nil {
		return "", err
	}
	path := filepath.Join(a.cfg.Out, "reports", name)
	a.log.Info("report written", "file", path, "period", p.String(), "lang", lang)
	return path, nil
}

func reportSettings(r config.Reports) report.Settings {
	s := report.Settings{Issuer: r.Issuer, UnitHead: r.UnitHead, Place: r.Place, Symbol: r.Symbol,
		Signer: r.Signer, Name: r.Name, Recipients: r.Recipients}
	for _, g := range r.Groups {
		s.Groups = append(s.Groups, report.Group{Name: g.Name, NameEN: g.NameEN, Indicators: g.Indicators})
	}
	return s
}

// readSmallFile reads a regular file of at most limit bytes, refusing a
// symbolic link, a device or a folder.
func readSmallFile(path string, limit int64) ([]byte, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return b, nil
}

// latestReportPeriod is the latest half-year or year of the report that
// has scores and had ended by now; on the same end the year wins.
func latestReportPeriod(rep thidua.Report, now time.Time) (thidua.Period, bool) {
	var best thidua.Period
	ok := false
	scored := map[thidua.Period]bool{}
	for _, s := range rep.Scores {
		scored[s.Period] = true
	}
	for _, p := range rep.Periods {
		if (p.Type != thidua.Half && p.Type != thidua.Year) || !scored[p] || !p.End().Before(now) {
			continue
		}
		if !ok || p.End().After(best.End()) || p.End().Equal(best.End()) && p.Type == thidua.Year {
			best, ok = p, true
		}
	}
	return best, ok
}

// writeFileIn writes data to OUT/DIR/NAME (DIR created if needed) through a
// temporary file with a random name, created exclusively, and a rename.
func (o *outDir) writeFileIn(dir, name string, data []byte) (err error) {
	if err := checkName(dir); err != nil {
		return err
	}
	if err := checkName(name); err != nil {
		return err
	}
	if err := o.root.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("write %s: %w", filepath.Join(o.path, dir), err)
	}
	st, err := o.root.Lstat(dir)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(o.path, dir), err)
	}
	if !st.IsDir() {
		return fmt.Errorf("write %s: not a folder", filepath.Join(o.path, dir))
	}
	sub, err := o.root.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(o.path, dir), err)
	}
	defer sub.Close()
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := "." + name + ".tmp-" + hex.EncodeToString(rnd[:])
	f, err := sub.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(o.path, dir, name), err)
	}
	defer func() {
		if err != nil {
			sub.Remove(tmp)
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
		err = sub.Rename(tmp, name)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(o.path, dir, name), err)
	}
	syncDir(filepath.Join(o.path, dir))
	return nil
}

// latestReport writes the report of the latest complete half-year or year
// (reports.on_run) and returns its path; "" when there is none yet.
func (a *App) latestReport(ctx context.Context) (string, error) {
	rep, err := a.db.ReportMeta(ctx)
	if err != nil {
		return "", err
	}
	p, ok := latestReportPeriod(rep, a.now())
	if !ok {
		a.log.Info("no complete half-year or year to report on yet")
		return "", nil
	}
	return a.writeReport(ctx, p, a.cfg.Lang, time.Time{})
}
