package main

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

	"github.com/spf13/cobra"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/config"
	"github.com/thidua/thidua/dashboards"
	"github.com/thidua/thidua/report"
	"github.com/thidua/thidua/store"
)

// reportOptions are the flags of "thidua report".
type reportOptions struct {
	period   string
	unitHead string
	lang     string
	date     string
}

func newReportCmd(g *globalFlags, stdio *IO) *cobra.Command {
	o := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report --period PERIOD [--unit-head CODE] [--lang vi|en]",
		Short: "Write the review report of a period (báo cáo sơ kết / tổng kết) as an editable DOCX",
		Long: `report writes the report a cluster's head signs for PERIOD (any period: 2020-H1,
2020-9M, 2020, 2020-Q2, 2020-06, or as people write it: "6 tháng đầu năm 2020")
to OUT/reports/ and prints its path. It is laid out as Decree 30/2020/NĐ-CP sets out
(issuing body, national motto, number, place and date, title, signature block and
"Nơi nhận"), with the key cluster figures, a section per indicator group, the league
table, the units that have not reported, the data-quality findings, the year-end award
proposal (for a year) and the scoring rule as an appendix: every figure from the
database, as the dashboards show it. The signature, recipients, groups and a DOCX
template of your own come from the reports: section of the configuration.
It opens the database read-only; run "thidua run" first.`,
		Example: `  thidua report --period 2020-H1
  thidua report --period 2020 --unit-head 060 --lang en`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, log, err := loadConfig(cmd, g, stdio)
			if err != nil {
				return err
			}
			p, err := thidua.ParsePeriod(o.period)
			if err != nil {
				return withCode(ExitConfig, fmt.Errorf("--period: %w", err))
			}
			if o.lang == "" {
				o.lang = cfg.Lang
			}
			if o.lang != "vi" && o.lang != "en" {
				return withCode(ExitConfig, fmt.Errorf("--lang %q: want vi or en", o.lang))
			}
			if o.unitHead != "" {
				u, ok := cfg.Cluster.LookupUnit(o.unitHead, time.Time{})
				if !ok {
					return withCode(ExitConfig, fmt.Errorf("--unit-head %q: not a unit of cluster %s", o.unitHead, cfg.Cluster.Code))
				}
				cfg.Reports.UnitHead = u.Code
			}
			var date time.Time
			if o.date != "" {
				if date, err = time.Parse(time.DateOnly, o.date); err != nil {
					return withCode(ExitConfig, fmt.Errorf("--date %q: want a date such as 2020-07-15", o.date))
				}
			}
			a, err := openForReading(cmd.Context(), cfg, log, stdio)
			if err != nil {
				return err
			}
			defer a.Close()
			path, err := a.writeReport(cmd.Context(), p, o.lang, date)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdio.Out, path)
			return nil
		},
	}
	dbFlags(cmd.Flags())
	cmd.Flags().StringVar(&o.period, "period", "", "the period to report on: 2020-H1, 2020-9M, 2020, 2020-Q2, 2020-06, ... (required)")
	cmd.Flags().StringVar(&o.unitHead, "unit-head", "", "code or name of the unit heading the cluster: its people's committee issues the report")
	cmd.Flags().StringVar(&o.lang, "lang", "", "language of the report: vi or en (default: the lang setting, vi)")
	cmd.Flags().StringVar(&o.date, "date", "", "the date on the date line (2020-07-15); default: left blank to fill")
	cmd.MarkFlagRequired("period")
	return cmd
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
func (a *app) writeReport(ctx context.Context, p thidua.Period, lang string, date time.Time) (string, error) {
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
func (a *app) latestReport(ctx context.Context) (string, error) {
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
