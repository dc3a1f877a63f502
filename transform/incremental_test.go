package transform

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// TestIncrementalEqualsFull replays random histories of loads (new months,
// year-to-date and quarter reports, targets, corrections, values 1000 times
// off), undos, bonus points and a moving clock on two databases: one is
// brought up to date by incremental runs, the other rebuilt in full after
// each step. Every output table must be equal row for row after every step.
func TestIncrementalEqualsFull(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			h := newHistory(t, seed)
			for step := 0; step < 6; step++ {
				what := h.step()
				inc := h.rebuild(h.inc, false)
				full := h.rebuild(h.full, true)
				if !full.Full {
					t.Fatalf("step %d (%s): Full option gave %+v", step, what, full)
				}
				for _, table := range []string{"indicator_pop", "scores", "score_points", "quality", "pop_keys"} {
					a, b := h.inc.sorted(table), h.full.sorted(table)
					if d := firstDiff(a, b); d != "" {
						t.Fatalf("step %d (%s), incremental run %+v: %s differs from a full rebuild: %s", step, what, inc, table, d)
					}
				}
				// pop_keys (publish/keys_*.sql) holds every period's key as
				// store.PopPeriodKeys hashes the table, in both databases.
				for _, f := range []*fixture{h.inc, h.full} {
					kept := f.textRows(`SELECT period, key, year FROM pop_keys ORDER BY ALL`)
					hashed := f.textRows(`SELECT t.period, count(*)::VARCHAR || ':' || sum(hash(t)::HUGEINT)::VARCHAR AS key, year(min(t.period_start)) AS year
						FROM indicator_pop t GROUP BY 1 ORDER BY ALL`)
					if d := firstDiff(kept, hashed); d != "" {
						t.Fatalf("step %d (%s), incremental run %+v: pop_keys differs from the keys of indicator_pop's rows: %s", step, what, inc, d)
					}
				}
				h.steps = append(h.steps, fmt.Sprintf("%s → %+v", what, inc))
			}
			if !h.sawIncremental {
				t.Errorf("no step ran incrementally: %s", strings.Join(h.steps, "; "))
			}
			t.Log(strings.Join(h.steps, "\n"))
		})
	}
}

// history drives the same random steps on two fixtures.
type history struct {
	t              *testing.T
	rng            *rand.Rand
	inc, full      *fixture
	now            time.Time
	clock          time.Time
	month          int // months loaded so far, from January 2019
	steps          []string
	sawIncremental bool
	opts           Options
}

func newHistory(t *testing.T, seed uint64) *history {
	c := testCluster()
	c.Criteria = []thidua.Criterion{
		{Indicator: "rev", Weight: 20, Method: thidua.PctOfTarget, CapPct: 100},
		{Indicator: "rec", Weight: 10, Method: thidua.RankPoints},
		{Indicator: "stock", Weight: 10, Method: thidua.Threshold, Bands: []thidua.Band{{Min: 0, Points: 0}, {Min: 50, Points: 5}, {Min: 100, Points: 10}}},
	}
	h := &history{t: t, rng: rand.New(rand.NewPCG(seed, 14)), inc: newFixture(t, c), full: newFixture(t, c),
		now: time.Date(2021, 9, 15, 0, 0, 0, 0, time.UTC), clock: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)}
	due := 10
	h.opts = Options{Rules: []string{"poor <= hh"}, Quality: thidua.QualityConfig{NonDecreasing: []string{"stock"}, DueDays: &due}}
	// almost three years at once, then month by month
	for i := 0; i < 34; i++ {
		h.addMonth()
	}
	h.load()
	return h
}

var histUnits = []string{"A1", "B2", "C3"}

// value is a plausible figure of a unit's indicator in a month, seasonal,
// now and then 1000 times off (unit_slip) or missing.
func (h *history) value(u, ind string, m int) float64 {
	base := map[string]float64{"rev": 100, "stock": 50, "avg": 7, "poor": 30, "hh": 400, "rec": 12, "dens": 80}[ind]
	v := base * (1 + float64(strings.Index("ABC", u[:1]))/2) * (1 + float64(m%12)/20) * (0.9 + h.rng.Float64()/5)
	if ind == "stock" {
		v += float64(h.month)
	}
	if h.rng.IntN(40) == 0 {
		v *= 1000
	}
	return float64(int(v*10)) / 10
}

// addMonth adds the next month's reports (sometimes year to date, or a
// quarter report instead of its months) and, in January, the year's
// targets.
func (h *history) addMonth() {
	y, m := 2019+h.month/12, h.month%12+1
	h.month++
	// loaded some days after the month ends, sometimes after the deadline
	if at := time.Date(y, time.Month(m)+1, 1+h.rng.IntN(20), 0, 0, 0, 0, time.UTC); at.After(h.clock) {
		h.clock = at
	}
	for _, u := range histUnits {
		for _, ind := range []string{"rev", "stock", "avg", "poor", "hh", "rec", "dens"} {
			if h.rng.IntN(15) == 0 {
				continue // not reported
			}
			v := h.value(u, ind, m)
			switch {
			case ind == "rev" && u == "B2" && h.rng.IntN(3) == 0:
				h.add(u, ind, fmt.Sprintf("%04d-%02d", y, m), thidua.YTDBasis, v*float64(m))
			case ind == "rec" && m%3 == 0 && h.rng.IntN(3) == 0:
				h.add(u, ind, fmt.Sprintf("%04d-Q%d", y, m/3), thidua.PeriodBasis, v*3)
			default:
				h.add(u, ind, fmt.Sprintf("%04d-%02d", y, m), thidua.PeriodBasis, v)
			}
			if m == 1 && (ind == "rev" || ind == "stock" || ind == "rec" || ind == "dens") {
				h.inc.target(u, ind, y, v*12)
				h.full.target(u, ind, y, v*12)
			}
		}
	}
}

func (h *history) add(u, ind, period string, b thidua.Basis, v float64) {
	h.inc.add(u, ind, period, b, v)
	h.full.add(u, ind, period, b, v)
}

func (h *history) load() {
	h.clock = h.clock.Add(24 * time.Hour)
	h.inc.load(h.clock)
	h.full.load(h.clock)
}

// step makes one random change to both databases and says what it was.
func (h *history) step() string {
	ctx := context.Background()
	switch k := h.rng.IntN(10); {
	case k < 4:
		h.addMonth()
		h.load()
		return fmt.Sprintf("month %d", h.month)
	case k < 6:
		// corrections of random earlier months
		n := 1 + h.rng.IntN(4)
		for i := 0; i < n; i++ {
			mi := h.rng.IntN(h.month)
			u := histUnits[h.rng.IntN(3)]
			ind := []string{"rev", "stock", "avg", "hh", "rec"}[h.rng.IntN(5)]
			h.add(u, ind, fmt.Sprintf("%04d-%02d", 2019+mi/12, mi%12+1), thidua.PeriodBasis, h.value(u, ind, mi%12+1))
		}
		h.load()
		return "corrections"
	case k < 8:
		loads, err := h.inc.db.Loads(ctx)
		if err != nil {
			h.t.Fatal(err)
		}
		l := loads[h.rng.IntN(len(loads))]
		h.clock = h.clock.Add(time.Hour)
		if _, _, err := h.inc.db.Undo(ctx, l.ID, h.clock); err != nil {
			return fmt.Sprintf("undo %d refused", l.ID)
		}
		if _, _, err := h.full.db.Undo(ctx, l.ID, h.clock); err != nil {
			h.t.Fatal(err)
		}
		return fmt.Sprintf("undo %d", l.ID)
	case k < 9:
		p := thidua.Period{Type: thidua.Quarter, Year: 2019 + h.rng.IntN(1+h.month/12), N: 1 + h.rng.IntN(4)}
		bs := []thidua.Bonus{{Unit: histUnits[h.rng.IntN(3)], Period: p, Points: float64(h.rng.IntN(9) - 3), Reason: "test"}}
		for _, f := range []*fixture{h.inc, h.full} {
			if err := f.db.ReplaceBonus(ctx, bs); err != nil {
				h.t.Fatal(err)
			}
		}
		return "bonus " + p.String()
	default:
		h.now = h.now.AddDate(0, 1+h.rng.IntN(3), 0)
		return "clock " + h.now.Format("2006-01")
	}
}

func (h *history) rebuild(f *fixture, full bool) Result {
	h.t.Helper()
	opts := h.opts
	opts.Now, opts.Full = h.now, full
	res, err := Rebuild(context.Background(), f.db.SQL(), opts)
	if err != nil {
		h.t.Fatal(err)
	}
	if f == h.inc && !res.Full {
		h.sawIncremental = true
	}
	return res
}

// textRows returns q's rows as text, in q's order.
func (f *fixture) textRows(q string) []string {
	f.t.Helper()
	var out []string
	for _, r := range f.rows(q) {
		out = append(out, fmt.Sprint(r))
	}
	return out
}

// dump returns a table's rows, sorted by every column, as text.
func (f *fixture) sorted(table string) []string {
	f.t.Helper()
	var out []string
	for _, r := range f.rows(`SELECT * FROM ` + QuoteIdent(table) + ` ORDER BY ALL`) {
		out = append(out, fmt.Sprint(r))
	}
	return out
}

func firstDiff(a, b []string) string {
	if reflect.DeepEqual(a, b) {
		return ""
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("row %d:\nincremental %s\nfull        %s", i, a[i], b[i])
		}
	}
	if len(a) > len(b) {
		return fmt.Sprintf("%d rows, full %d; first extra: %s", len(a), len(b), a[len(b)])
	}
	return fmt.Sprintf("%d rows, full %d; first missing: %s", len(a), len(b), b[len(a)])
}
