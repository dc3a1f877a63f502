package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua"
)

// Options tune every reader of the package.
type Options struct {
	// Cluster gives the units and indicators names are matched against.
	Cluster *thidua.Cluster
	// Now is the present: a period whose last day is after Now is in the
	// future and refused. Zero means time.Now().
	Now time.Time
	// Encoding of text files: "" or "auto", "utf-8", "utf-16", "utf-16le",
	// "utf-16be", "windows-1258", "tcvn3", "vni".
	Encoding string
	// Locale of numbers written as text: "" or "auto", "vi", "en" (see the
	// package doc, Numbers).
	Locale string
	// Unit and Period are defaults for report forms that do not name them
	// (the --unit and --period flags).
	Unit, Period string
	// MaxLineBytes bounds one line (and so one field) of a text file; zero
	// means 1 MiB.
	MaxLineBytes int
	// MaxFileBytes bounds a whole file; zero means 1 GiB.
	MaxFileBytes int64
	// PlainFilesOnly refuses an input that is a symbolic link, a folder, a
	// pipe or a device (ErrNotPlainFile), checked by the open itself: for
	// folders others can write to, such as the inbox.
	PlainFilesOnly bool
	// AllowEmpty loads a report form or cluster table without any value
	// (the --allow-empty flag); otherwise it is refused (ErrEmptyForm).
	AllowEmpty bool

	// numbers infers the number locale of one file (see readWithLocale).
	numbers *numberLocales

	// cache memoizes name lookups within one file: newBuilder gives its
	// own Options one; the methods that fill it have pointer receivers, so
	// that the state they change is visible in their signature. A copy of
	// Options shares the cache: a goroutine takes a fork (parallel.go).
	// Not safe for concurrent use.
	cache *lookupCache
}

type lookupCache struct {
	units   map[unitQuery]*unitAnswer
	inds    map[string]*indAnswer
	periods map[string]*periodAnswer
	bases   map[string]basisAnswer
	codes   *clusterIndex // shared, read-only
	fields  []string      // scratch for the fields of a row (table.withFields)
	// The last answers given: rows repeat a unit, an indicator or a
	// period over runs of rows, which then skip the maps.
	lastUnit struct {
		s string
		a *unitAnswer
	}
	lastInd struct {
		s string
		a *indAnswer
	}
	lastPeriod struct {
		s string
		a *periodAnswer
	}
}

// unitAny is the cached answer for unit text s at any time, if any.
func (c *lookupCache) unitAny(s string) (*unitAnswer, bool) {
	if l := &c.lastUnit; l.a != nil && l.s == s {
		return l.a, true
	}
	a, ok := c.units[unitQuery{text: s}]
	if ok {
		c.lastUnit.s, c.lastUnit.a = s, a
	}
	return a, ok
}

// fork returns an empty cache for another goroutine, sharing the
// read-only unit code index.
func (c *lookupCache) fork() *lookupCache {
	f := newLookupCache()
	f.codes = c.codes
	return f
}

// clusterIndex indexes a cluster's units by code, for thidua.Cluster.LookupUnit
// at any time without scanning (and folding the names of) every unit, and
// its indicators by folded code, name and alias, for
// thidua.Cluster.LookupIndicator.
type clusterIndex struct {
	c       *thidua.Cluster
	exact   map[string]int   // code → index of the first unit with it
	trimmed map[string]int   // code without leading zeros → index of the first unit
	names   map[string][]int // FoldUnitName of names, English names, aliases → the units (once each)
	inds    map[string]int   // Fold of code, names, aliases → index of the first indicator
}

func newClusterIndex(c *thidua.Cluster) *clusterIndex {
	x := &clusterIndex{c: c, exact: map[string]int{}, trimmed: map[string]int{}, names: map[string][]int{}, inds: map[string]int{}}
	for i, ind := range c.Indicators {
		for _, n := range append([]string{ind.Code, ind.Name, ind.NameEN}, ind.Aliases...) {
			if k := thidua.Fold(n); !hasKey(x.inds, k) {
				x.inds[k] = i
			}
		}
	}
	for i, u := range c.Units {
		if !hasKey(x.exact, u.Code) {
			x.exact[u.Code] = i
		}
		if t := strings.TrimLeft(u.Code, "0"); !hasKey(x.trimmed, t) {
			x.trimmed[t] = i
		}
		for _, n := range append([]string{u.Name, u.NameEN}, u.Aliases...) {
			if k := thidua.FoldUnitName(n); k != "" && !slices.Contains(x.names[k], i) {
				x.names[k] = append(x.names[k], i)
			}
		}
	}
	return x
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// lookup is c.LookupUnit(s, time.Time{}). A code wins there as soon as a
// unit has it (exactly, or as digits without the leading zeros), so the
// first unit with it answers; text naming no code is looked up among the
// folded names.
func (x *clusterIndex) lookup(s string) (thidua.Unit, bool) {
	if thidua.FoldUnitName(s) == "" {
		return thidua.Unit{}, false
	}
	code := strings.TrimSpace(s)
	best := -1
	if i, ok := x.exact[code]; ok {
		best = i
	}
	if t := strings.TrimLeft(code, "0"); t != "" && allDigits(code) {
		if i, ok := x.trimmed[t]; ok && (best < 0 || i < best) {
			best = i
		}
	}
	if best >= 0 {
		return x.c.Units[best], true
	}
	// No code: the one unit whose name, English name or alias folds like
	// s, as LookupUnit finds it by comparing with every unit.
	if us := x.names[thidua.FoldUnitName(s)]; len(us) == 1 {
		return x.c.Units[us[0]], true
	}
	return thidua.Unit{}, false
}

// indicator is c.LookupIndicator(s): the first indicator whose code is s
// or whose code, names or aliases fold like s (a code equal to s, spaces
// trimmed, folds like s too).
func (x *clusterIndex) indicator(s string) (thidua.Indicator, bool) {
	key := thidua.Fold(s)
	if key == "" {
		return thidua.Indicator{}, false
	}
	if i, ok := x.inds[key]; ok {
		return x.c.Indicators[i], true
	}
	return thidua.Indicator{}, false
}

func newLookupCache() *lookupCache {
	return &lookupCache{units: map[unitQuery]*unitAnswer{}, inds: map[string]*indAnswer{},
		periods: map[string]*periodAnswer{}, bases: map[string]basisAnswer{}}
}

type periodAnswer struct {
	p        thidua.Period
	err      error
	checked  bool  // check is known
	checkErr error // CheckPeriod(p)
}

type basisAnswer struct {
	b   thidua.Basis
	err error
}

type unitQuery struct {
	text, period string
}

type unitAnswer struct {
	u      thidua.Unit
	err    error
	always bool // u has no validity dates
}

type indAnswer struct {
	ind thidua.Indicator
	err error
}

// Default limits.
const (
	defaultMaxLineBytes       = 1 << 20 // 1 MiB
	defaultMaxFileBytes int64 = 1 << 30 // 1 GiB
)

func (o *Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

func (o *Options) maxLine() int {
	if o.MaxLineBytes > 0 {
		return o.MaxLineBytes
	}
	return defaultMaxLineBytes
}

func (o *Options) maxFile() int64 {
	if o.MaxFileBytes > 0 {
		return o.MaxFileBytes
	}
	return defaultMaxFileBytes
}

// NFC returns s in Unicode normalization form C, as all text is kept.
func NFC(s string) string { return norm.NFC.String(s) }

// rawField is one cell of a row as read: its text and where it was. When Num
// is set (a numeric spreadsheet cell) it is the number and Text is only
// shown in messages. A zero Pos means the row's Pos.
type rawField struct {
	Text string
	Num  *float64
	Pos  thidua.Pos
}

// empty reports whether the field holds nothing.
func (f rawField) empty() bool { return f.Num == nil && strings.TrimSpace(f.Text) == "" }

// rawFact is one row of any reader before validation: the texts of the unit
// (name or code), indicator (name, code or alias), period, value, basis and
// annual target, with their positions.
type rawFact struct {
	Pos           thidua.Pos // the row
	Unit          rawField
	UnitCode      rawField
	Indicator     rawField
	IndicatorCode rawField
	Period        rawField
	Value         rawField
	Basis         rawField
	Target        rawField
	// ValueOptional makes an empty Value no problem: the row carries only a
	// target, or nothing to load.
	ValueOptional bool
}

// fact is a validated row: an observation, an annual target, or both.
type fact struct {
	Observation thidua.Observation
	HasValue    bool
	Target      thidua.TargetValue
	HasTarget   bool
}

func (r *rawFact) at(f *rawField) thidua.Pos {
	if f.Pos != (thidua.Pos{}) {
		return f.Pos
	}
	return r.Pos
}

// fact validates raw: the unit must be known (by code, name or alias; the
// code wins, but a name naming another unit is a problem) and exist during
// the period, the indicator known, the period readable and not in the
// future (unless the row carries only a target), the value and target
// numbers within the indicator's bounds (checkValue; a percent sign only
// for indicators measured in %), a target only for indicators that have
// one, the basis known (basisOf). It returns every problem found; fact
// is usable only when there is none.
func (o *Options) fact(raw *rawFact) (fact, []thidua.Problem) {
	var f fact
	probs := o.factTo(raw, &f)
	return f, probs
}

// factTo is fact writing the fact into *fact (zeroed first), without a
// copy of it: readers that validate millions of rows call it.
func (o *Options) factTo(raw *rawFact, fact *fact) []thidua.Problem {
	var probs []thidua.Problem
	// add takes the position, not the field: a pointer into raw given to
	// a func value would move every row's raw to the heap.
	add := func(pos thidua.Pos, err error) {
		probs = append(probs, thidua.Problem{Pos: pos, Err: err})
	}
	fact.Observation, fact.HasValue, fact.Target, fact.HasTarget = thidua.Observation{}, false, thidua.TargetValue{}, false

	// Period first: the unit must exist during it.
	per, perOK := o.factPeriod(raw, add)
	unit, unitOK := o.factUnit(raw, per, perOK, add)
	ind, indOK := o.factIndicator(raw, add)

	basis, err := o.parseBasis(raw.Basis.Text)
	if err != nil {
		add(raw.at(&raw.Basis), err)
	}

	hasValue := !raw.Value.empty()
	if !hasValue && !raw.ValueOptional {
		add(raw.at(&raw.Value), missing("value"))
	}
	var value float64
	valueOK := false
	if hasValue {
		v, err := o.number(ind, indOK, &raw.Value)
		if err != nil {
			add(raw.at(&raw.Value), err)
		} else {
			value, valueOK = v, true
		}
	}
	var target float64
	targetOK := false
	if !raw.Target.empty() {
		switch v, err := o.number(ind, indOK, &raw.Target); {
		case err != nil:
			add(raw.at(&raw.Target), fmt.Errorf("target: %w", err))
		case indOK && !ind.HasTarget:
			add(raw.at(&raw.Target), kindf(ErrNoTarget, "indicator %s has no annual target, but a target %s is given", ind.Code, fmtNum(v)))
		default:
			target, targetOK = v, true
		}
	}
	if len(probs) > 0 || !perOK || !unitOK || !indOK {
		return probs
	}
	if hasValue && valueOK {
		fact.HasValue = true
		fact.Observation = thidua.Observation{Unit: unit.Code, Indicator: ind.Code, Period: per, Basis: basis, Value: value, Pos: raw.at(&raw.Value)}
	}
	if targetOK {
		fact.HasTarget = true
		fact.Target = thidua.TargetValue{Unit: unit.Code, Indicator: ind.Code, Year: per.Year, Value: target, Pos: raw.at(&raw.Target)}
	}
	return probs
}

// factPeriod reads raw's period. A value for a period not yet over is
// refused; an annual target alone may be set in advance.
func (o *Options) factPeriod(raw *rawFact, add func(thidua.Pos, error)) (per thidua.Period, perOK bool) {
	if raw.Period.empty() {
		add(raw.at(&raw.Period), missing("period"))
	} else if a := o.period(raw.Period.Text); a.err != nil {
		add(raw.at(&raw.Period), a.err)
	} else {
		per, perOK = a.p, true
		// A value for a period not yet over is refused; an annual target
		// alone may be set in advance.
		if !raw.Value.empty() || raw.Target.empty() {
			if !a.checked {
				a.checkErr, a.checked = o.checkPeriod(a.p), o.cache != nil
			}
			if err := a.checkErr; err != nil {
				add(raw.at(&raw.Period), err)
				perOK = false
			}
		}
	}
	return per, perOK
}

// factUnit reads raw's unit by code, by name or by both (which must
// agree), as a unit of the cluster during per (any time when not perOK).
func (o *Options) factUnit(raw *rawFact, per thidua.Period, perOK bool, add func(thidua.Pos, error)) (unit *thidua.Unit, unitOK bool) {
	switch {
	case raw.Unit.empty() && raw.UnitCode.empty():
		f := raw.Unit
		if f.Pos == (thidua.Pos{}) {
			f = raw.UnitCode
		}
		add(raw.at(&f), missing("unit"))
	default:
		var byCode, byName *thidua.Unit
		codeOK, nameOK := false, false
		if !raw.UnitCode.empty() {
			if u, err := o.unitDuring(raw.UnitCode.Text, per, perOK); err != nil {
				add(raw.at(&raw.UnitCode), err)
			} else {
				byCode, codeOK = u, true
			}
		}
		if !raw.Unit.empty() {
			if u, err := o.unitDuring(raw.Unit.Text, per, perOK); err != nil {
				if raw.UnitCode.empty() {
					add(raw.at(&raw.Unit), err)
				} else if codeOK {
					// The code settles it; a name we cannot read is
					// worth a word only if it names another unit.
					nameOK = false
				}
			} else {
				byName, nameOK = u, true
			}
		}
		switch {
		case codeOK && nameOK && byCode.Code != byName.Code:
			add(raw.at(&raw.Unit), kindf(ErrDisagree, "unit code %s (%s) and unit name %q (%s %s) disagree", byCode.Code, byCode.Name, clean(raw.Unit.Text), byName.Code, byName.Name))
		case codeOK:
			unit, unitOK = byCode, true
		case nameOK && raw.UnitCode.empty():
			unit, unitOK = byName, true
		}
	}
	return unit, unitOK
}

// factIndicator reads raw's indicator by code, by name or by both (which
// must agree).
func (o *Options) factIndicator(raw *rawFact, add func(thidua.Pos, error)) (ind *thidua.Indicator, indOK bool) {
	switch {
	case raw.Indicator.empty() && raw.IndicatorCode.empty():
		f := raw.Indicator
		if f.Pos == (thidua.Pos{}) {
			f = raw.IndicatorCode
		}
		add(raw.at(&f), missing("indicator"))
	case !raw.IndicatorCode.empty():
		if i, err := o.indicatorRef(raw.IndicatorCode.Text); err != nil {
			add(raw.at(&raw.IndicatorCode), err)
		} else {
			ind, indOK = i, true
			if !raw.Indicator.empty() {
				if j, err := o.indicatorRef(raw.Indicator.Text); err == nil && j.Code != i.Code {
					add(raw.at(&raw.Indicator), kindf(ErrDisagree, "indicator code %s and indicator name %q (%s) disagree", i.Code, clean(raw.Indicator.Text), j.Code))
					indOK = false
				}
			}
		}
	default:
		if i, err := o.indicatorRef(raw.Indicator.Text); err != nil {
			add(raw.at(&raw.Indicator), err)
		} else {
			ind, indOK = i, true
		}
	}
	return ind, indOK
}

// observation is fact for a row that must carry a value.
func (o *Options) observation(raw rawFact) (thidua.Observation, []thidua.Problem) {
	raw.ValueOptional = false
	f, probs := o.fact(&raw)
	return f.Observation, probs
}

func (o *Options) number(ind *thidua.Indicator, indOK bool, f *rawField) (float64, error) {
	var v float64
	if f.Num != nil {
		v = *f.Num
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, &NumberError{Text: f.Text, Err: ErrRange}
		}
	} else {
		parse := parseNumber
		if indOK && (ind.Measure == "%" || ind.Measure != "" && strings.TrimSpace(ind.Measure) == "%") {
			parse = parsePercent
		}
		if o.numbers != nil && o.numbers.pass == 2 {
			o.numbers.observe(f.Pos, f.Text)
		}
		var err error
		v, err = parse(f.Text, o.Locale)
		if errors.Is(err, ErrAmbiguous) {
			v, err = o.numbers.resolve(*f, parse, err)
		}
		if err != nil {
			return 0, err
		}
	}
	if indOK {
		if err := checkValue(*ind, v); err != nil {
			return 0, err
		}
	}
	return v, nil
}

// checkValue checks v against the indicator's rules: not negative when
// its minimum is 0 or more (a count or an amount), within Min and Max, and
// whole for Integer indicators.
func checkValue(ind thidua.Indicator, v float64) error {
	if ind.Min != nil && v < *ind.Min {
		if *ind.Min >= 0 && v < 0 {
			return kindf(ErrOutOfBounds, "negative value %s for %s (a count or amount cannot be negative)", fmtNum(v), ind.Code)
		}
		return kindf(ErrOutOfBounds, "value %s for %s is below the minimum %s", fmtNum(v), ind.Code, fmtNum(*ind.Min))
	}
	if ind.Max != nil && v > *ind.Max {
		return kindf(ErrOutOfBounds, "value %s for %s is above the maximum %s", fmtNum(v), ind.Code, fmtNum(*ind.Max))
	}
	if ind.Integer && v != math.Trunc(v) {
		return kindf(ErrOutOfBounds, "value %s for %s is not a whole number (it counts %s)", fmtNum(v), ind.Code, ind.MeasureEN)
	}
	return nil
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// clean returns s trimmed and NFC, for messages.
func clean(s string) string { return strings.TrimSpace(NFC(s)) }

// readPeriod reads a period (thidua.ParsePeriod) and refuses one whose last
// day is after Options.Now.
func (o *Options) readPeriod(s string) (thidua.Period, error) {
	p, err := thidua.ParsePeriod(NFC(s))
	if err != nil {
		return p, err
	}
	return p, o.checkPeriod(p)
}

// period is thidua.ParsePeriod of the NFC text, memoized per file (a
// file names few distinct periods in many rows) with room for the answer
// of checkPeriod.
func (o *Options) period(s string) *periodAnswer {
	if o.cache == nil {
		a := &periodAnswer{}
		a.p, a.err = thidua.ParsePeriod(NFC(s))
		return a
	}
	if l := &o.cache.lastPeriod; l.a != nil && l.s == s {
		return l.a
	}
	a, ok := o.cache.periods[s]
	if !ok {
		a = &periodAnswer{}
		a.p, a.err = thidua.ParsePeriod(NFC(s))
		o.cache.periods[s] = a
	}
	o.cache.lastPeriod.s, o.cache.lastPeriod.a = s, a
	return a
}

// parsePeriod is thidua.ParsePeriod of the NFC text, memoized per file.
func (o *Options) parsePeriod(s string) (thidua.Period, error) {
	a := o.period(s)
	return a.p, a.err
}

// parseBasis is basisOf, memoized per file.
func (o *Options) parseBasis(s string) (thidua.Basis, error) {
	if s == "" || o.cache == nil {
		return basisOf(s)
	}
	a, ok := o.cache.bases[s]
	if !ok {
		a.b, a.err = basisOf(s)
		o.cache.bases[s] = a
	}
	return a.b, a.err
}

// checkPeriod refuses a period whose last day is after Options.Now.
func (o *Options) checkPeriod(p thidua.Period) error {
	now := o.now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if p.End().After(today) {
		return kindf(ErrFuture, "period %s is in the future: it ends on %s, after today (%s)", p, p.End().Format("2006-01-02"), today.Format("2006-01-02"))
	}
	return nil
}

// LookupUnit finds the unit s names (code, name, alias; see
// thidua.Cluster.LookupUnit) that existed during period p (any time when p
// is nil). The error says why none was found: unknown, ambiguous or not
// existing then.
func (o *Options) LookupUnit(s string, p *thidua.Period) (thidua.Unit, error) {
	u, err := o.unitRef(s, p)
	return *u, err
}

// unitRef is LookupUnit answering with the cached unit.
func (o *Options) unitRef(s string, p *thidua.Period) (*thidua.Unit, error) {
	if o.cache == nil {
		u, err := o.lookupUnit(s, p)
		return &u, err
	}
	// Names rarely change meaning over time: look the name up once for
	// any time and check the period against the unit found.
	a, ok := o.cache.unitAny(s)
	if !ok {
		a = &unitAnswer{}
		a.u, a.err = o.lookupUnit(s, nil)
		a.always = a.u.ValidFrom.IsZero() && a.u.ValidTo.IsZero()
		o.cache.units[unitQuery{text: s}] = a
	}
	if a.err == nil && (p == nil || a.always || a.u.ValidOn(p.Start()) || a.u.ValidOn(p.End())) {
		return &a.u, nil
	}
	if p == nil {
		return &a.u, a.err
	}
	q := unitQuery{text: s, period: p.String()}
	if a, ok := o.cache.units[q]; ok {
		return &a.u, a.err
	}
	a = &unitAnswer{}
	a.u, a.err = o.lookupUnit(s, p)
	o.cache.units[q] = a
	return &a.u, a.err
}

// unitDuring is unitRef during per, or at any time when not perOK. The
// cached answer for a unit valid then needs no pointer to per (which would
// move it to the heap on every row).
func (o *Options) unitDuring(s string, per thidua.Period, perOK bool) (*thidua.Unit, error) {
	if !perOK {
		return o.unitRef(s, nil)
	}
	if o.cache != nil {
		if a, ok := o.cache.unitAny(s); ok && a.err == nil && (a.always || a.u.ValidOn(per.Start()) || a.u.ValidOn(per.End())) {
			return &a.u, nil
		}
	}
	p := per
	return o.unitRef(s, &p)
}

func (o *Options) lookupUnit(s string, p *thidua.Period) (thidua.Unit, error) {
	if o.Cluster == nil {
		return thidua.Unit{}, fmt.Errorf("no cluster to look unit %q up in", clean(s))
	}
	s = clean(s)
	if s == "" {
		return thidua.Unit{}, missing("unit")
	}
	c := o.Cluster
	if p == nil {
		lookup := func(s string) (thidua.Unit, bool) { return c.LookupUnit(s, time.Time{}) }
		if o.cache != nil && o.cache.codes != nil && o.cache.codes.c == c {
			lookup = o.cache.codes.lookup
		}
		if u, ok := lookup(s); ok {
			return u, nil
		}
	} else {
		for _, at := range []time.Time{p.Start(), p.End()} {
			if u, ok := c.LookupUnit(s, at); ok {
				return u, nil
			}
		}
		if u, ok := c.LookupUnit(s, time.Time{}); ok {
			return u, kindf(ErrNotInPeriod, "unit %q (%s %s) did not exist in %s (%s)", s, u.Code, u.Name, p, validity(u))
		}
	}
	// "060 - Pác Nặm", "Pác Nặm (060)", "3. Pác Nặm": a code or a list
	// number with the name. The name decides; a code naming another unit
	// is a contradiction.
	if num, name, ok := splitNumberedName(s); ok {
		if u, err := o.lookupUnit(name, p); err == nil {
			if v, err := o.lookupUnit(num, p); err == nil && v.Code != u.Code {
				return thidua.Unit{}, kindf(ErrAmbiguousName, "unit %q names two units: %s %s and %s %s", s, v.Code, v.Name, u.Code, u.Name)
			}
			return u, nil
		} else if errors.Is(err, ErrNotInPeriod) {
			return u, err
		}
	}
	key := thidua.FoldUnitName(s)
	var names []string
	for _, u := range c.Units {
		m := thidua.FoldUnitName(u.Name) == key || thidua.FoldUnitName(u.NameEN) == key
		for _, a := range u.Aliases {
			m = m || thidua.FoldUnitName(a) == key
		}
		if m {
			names = append(names, u.Code+" "+u.Name+" ("+validity(u)+")")
		}
	}
	if len(names) > 1 {
		return thidua.Unit{}, kindf(ErrAmbiguousName, "unit %q is ambiguous: it names %s", s, strings.Join(names, ", "))
	}
	return thidua.Unit{}, kindf(ErrUnknownUnit, "unknown unit %q (the cluster has %s)", s, unitList(c))
}

var (
	reNumberFirst = regexp.MustCompile(`^(\d{1,5})\s*(?:[.):]\s+|\s*[-–—]\s*)(\S.*)$`)
	reNumberLast  = regexp.MustCompile(`^(.*\S)\s*\(\s*(\d{1,5})\s*\)$`)
)

// splitNumberedName splits "060 - Pác Nặm", "3. Pác Nặm" and
// "Pác Nặm (060)" into the number and the name.
func splitNumberedName(s string) (num, name string, ok bool) {
	if m := reNumberFirst.FindStringSubmatch(s); m != nil {
		return m[1], m[2], true
	}
	if m := reNumberLast.FindStringSubmatch(s); m != nil {
		return m[2], m[1], true
	}
	return "", "", false
}

func validity(u thidua.Unit) string {
	switch {
	case u.ValidFrom.IsZero() && u.ValidTo.IsZero():
		return "always valid"
	case u.ValidFrom.IsZero():
		return "valid until " + u.ValidTo.Format("2006-01-02")
	case u.ValidTo.IsZero():
		return "valid from " + u.ValidFrom.Format("2006-01-02")
	}
	return "valid " + u.ValidFrom.Format("2006-01-02") + " to " + u.ValidTo.Format("2006-01-02")
}

func unitList(c *thidua.Cluster) string {
	var parts []string
	for i, u := range c.Units {
		if i == 12 {
			parts = append(parts, fmt.Sprintf("and %d more", len(c.Units)-i))
			break
		}
		parts = append(parts, u.Code+" "+u.Name)
	}
	return strings.Join(parts, ", ")
}

// LookupIndicator finds the indicator s names (code, name, alias).
func (o *Options) LookupIndicator(s string) (thidua.Indicator, error) {
	ind, err := o.indicatorRef(s)
	return *ind, err
}

// indicatorRef is LookupIndicator answering with the cached indicator.
func (o *Options) indicatorRef(s string) (*thidua.Indicator, error) {
	if o.cache == nil {
		ind, err := o.lookupIndicator(s)
		return &ind, err
	}
	if l := &o.cache.lastInd; l.a != nil && l.s == s {
		return &l.a.ind, l.a.err
	}
	a, ok := o.cache.inds[s]
	if !ok {
		a = &indAnswer{}
		a.ind, a.err = o.lookupIndicator(s)
		o.cache.inds[s] = a
	}
	o.cache.lastInd.s, o.cache.lastInd.a = s, a
	return &a.ind, a.err
}

func (o *Options) lookupIndicator(s string) (thidua.Indicator, error) {
	if o.Cluster == nil {
		return thidua.Indicator{}, fmt.Errorf("no cluster to look indicator %q up in", clean(s))
	}
	s = clean(s)
	if s == "" {
		return thidua.Indicator{}, missing("indicator")
	}
	lookup := o.Cluster.LookupIndicator
	if o.cache != nil && o.cache.codes != nil && o.cache.codes.c == o.Cluster {
		lookup = o.cache.codes.indicator
	}
	ind, err := matchIndicator(o.Cluster, s, lookup)
	if err == nil || !errors.Is(err, ErrUnknownIndicator) {
		return ind, err
	}
	var codes []string
	for _, ind := range o.Cluster.Indicators {
		codes = append(codes, ind.Code)
	}
	return thidua.Indicator{}, kindf(ErrUnknownIndicator, "unknown indicator %q (known codes: %s; names and aliases from the config also match)", s, strings.Join(codes, ", "))
}

// basisOf reads the basis of a value: empty, "period", "trong kỳ",
// "thực hiện", "thực hiện trong kỳ" or "kỳ" give thidua.PeriodBasis; "ytd",
// "lũy kế" (also "luỹ kế", "luy ke"), "lũy kế từ đầu năm", "cộng dồn",
// "cumulative" and "year to date" give thidua.YTDBasis.
func basisOf(s string) (thidua.Basis, error) {
	if s == "" {
		return thidua.PeriodBasis, nil
	}
	switch thidua.Fold(NFC(s)) {
	case "", "period", "trong ky", "thuc hien", "thuc hien trong ky", "ky", "in period", "th":
		return thidua.PeriodBasis, nil
	case "ytd", "luy ke", "luy ke tu dau nam", "cong don", "cumulative", "year to date", "lk":
		return thidua.YTDBasis, nil
	}
	return "", kindf(ErrUnknownBasis, "unknown basis %q (want period / trong kỳ for the period alone, or ytd / lũy kế for 1 January to the period's end)", clean(s))
}

// builder collects the facts of one file into a batch, checking that the
// file does not give two different values for the same fact. Readers add
// every row with add (or addFact), their own problems with problem, and
// take the result with done.
type builder struct {
	Opts  Options
	Batch thidua.Batch
	// seen maps each fact added to its index in Batch.Observations, or
	// -1-i for Batch.Targets[i]. It is filled only once the facts of a
	// kind stop coming in order (obsOrder, tgtOrder): facts whose keys
	// strictly increase cannot repeat an earlier one.
	seen               map[factKey]int
	hint               int // room for the facts of the file (grow)
	obsOrder, tgtOrder keyOrder
	ids                interner
}

// keyOrder follows whether the facts of one kind came so far in strictly
// increasing key order, grouped by unit (unit, indicator, period, basis) or
// by period (period, unit, indicator, basis), with units and indicators
// compared by their first appearance in the file (interner numbers) or by
// their codes; or in runs of one unit and indicator each, each run's
// periods increasing and no unit and indicator in two runs, whatever the
// order of the runs (a file by unit whose units do not all report the same
// indicators). Then no fact can repeat an earlier one.
type keyOrder struct {
	last              factKey
	lastUnit, lastInd string
	any               bool    // a fact was seen
	in                [5]bool // the keys increased so far in that order (see next)
	off               bool    // in none: seen is to hold every key of the kind
	filled            bool    // seen holds them
	// runs holds the unit and indicator of every run before the last
	// fact's (order 4).
	runs map[[2]int32]struct{}
}

// next reports whether k, of unit and indicator codes unit and ind, keeps
// one of the orders, and takes it as the last key.
func (o *keyOrder) next(k factKey, unit, ind string) bool {
	if o.off {
		return false
	}
	p := o.last
	if !o.any {
		o.in = [5]bool{true, true, true, true, true}
		clear(o.runs)
	} else {
		per := cmp.Or(cmp.Compare(p.year, k.year), cmp.Compare(p.typ, k.typ), cmp.Compare(p.n, k.n))
		basis := cmp.Compare(p.basis, k.basis)
		ua, ia := cmp.Compare(p.unit, k.unit), cmp.Compare(p.ind, k.ind)
		ut, it := strings.Compare(o.lastUnit, unit), strings.Compare(o.lastInd, ind)
		o.in[0] = o.in[0] && cmp.Or(ua, ia, per, basis) < 0
		o.in[1] = o.in[1] && cmp.Or(ut, it, per, basis) < 0
		o.in[2] = o.in[2] && cmp.Or(per, ua, ia, basis) < 0
		o.in[3] = o.in[3] && cmp.Or(per, ut, it, basis) < 0
		if o.in[4] {
			if ua == 0 && ia == 0 {
				o.in[4] = cmp.Or(per, basis) < 0
			} else {
				// The last fact's run ends; k's must not be one seen before.
				if o.runs == nil {
					o.runs = map[[2]int32]struct{}{}
				}
				o.runs[[2]int32{p.unit, p.ind}] = struct{}{}
				_, again := o.runs[[2]int32{k.unit, k.ind}]
				o.in[4] = !again
			}
		}
	}
	o.any, o.last, o.lastUnit, o.lastInd = true, k, unit, ind
	o.off = o.in == [5]bool{}
	if o.off {
		o.runs = nil
	}
	return !o.off
}

// factKey identifies a fact: unit, indicator, period and basis, their
// texts interned (a key without pointers hashes fast and costs the garbage
// collector nothing).
type factKey struct {
	unit, ind, typ, basis int32
	year, n               int
}

// interner numbers strings: the same text, the same number.
type interner struct {
	ids map[string]int32
	// The last text of each kind: files repeat a unit, an indicator, a
	// period type and a basis over many rows.
	last [4]struct {
		s  string
		id int32
	}
}

func (in *interner) id(kind int, s string) int32 {
	if l := &in.last[kind]; l.s == s && l.id != 0 {
		return l.id
	}
	id, ok := in.ids[s]
	if !ok {
		if in.ids == nil {
			in.ids = map[string]int32{}
		}
		id = int32(len(in.ids) + 1)
		in.ids[s] = id
	}
	in.last[kind].s, in.last[kind].id = s, id
	return id
}

func (b *builder) key(unit, ind string, p thidua.Period, basis thidua.Basis) factKey {
	return factKey{unit: b.ids.id(0, unit), ind: b.ids.id(1, ind), typ: b.ids.id(2, string(p.Type)),
		basis: b.ids.id(3, string(basis)), year: p.Year, n: p.N}
}

// newBuilder starts a batch for the source.
func newBuilder(src thidua.Source, opts Options) *builder {
	opts.cache = newLookupCache()
	if opts.Cluster != nil {
		opts.cache.codes = newClusterIndex(opts.Cluster)
	}
	return &builder{Opts: opts, Batch: thidua.Batch{Source: src}, seen: map[factKey]int{}}
}

// grow makes room for about n more facts.
func (b *builder) grow(n int) {
	if n <= 0 || len(b.seen) > 0 {
		return
	}
	b.Batch.Observations = append(make([]thidua.Observation, 0, len(b.Batch.Observations)+n), b.Batch.Observations...)
	b.hint = n
}

// problem records a problem at pos.
func (b *builder) problem(pos thidua.Pos, format string, args ...any) {
	b.refuse(pos, fmt.Errorf(format, args...))
}

// refuse records a problem at pos with its cause.
func (b *builder) refuse(pos thidua.Pos, err error) {
	b.Batch.Problems = append(b.Batch.Problems, thidua.Problem{Pos: pos, Err: err})
}

// problems records problems.
func (b *builder) problems(probs ...thidua.Problem) {
	b.Batch.Problems = append(b.Batch.Problems, probs...)
}

// add validates raw (Options.fact) and adds its observation and target, or
// its problems. It reports whether the row was good.
func (b *builder) add(raw rawFact) bool {
	f, probs := b.Opts.fact(&raw)
	if len(probs) > 0 {
		b.problems(probs...)
		return false
	}
	return b.addFact(f)
}

// addFact adds a validated fact, refusing a second, different value for the
// same unit, indicator, period and basis (or the same unit, indicator and
// year for a target). The same value twice is kept once.
func (b *builder) addFact(f fact) bool { return b.addFactRef(&f) }

// addFactRef is addFact without a copy of the fact.
func (b *builder) addFactRef(f *fact) bool {
	ok := true
	if f.HasValue {
		ok = b.addObservation(&f.Observation) && ok
	}
	if f.HasTarget {
		ok = b.addTarget(f.Target) && ok
	}
	return ok
}

// addObservation adds o unless it conflicts with an earlier one.
func (b *builder) addObservation(o *thidua.Observation) bool {
	k := b.key(o.Unit, o.Indicator, o.Period, o.Basis)
	if b.obsOrder.next(k, o.Unit, o.Indicator) {
		b.Batch.Observations = append(b.Batch.Observations, *o)
		return true
	}
	b.seenAll()
	if i, dup := b.seen[k]; dup {
		prev := b.prev(i)
		if prev.value != o.Value {
			b.refuse(o.Pos, kindf(ErrConflict, "two different values for %s %s %s (%s): %s here and %s at %s", o.Unit, o.Indicator, o.Period, o.Basis, fmtNum(o.Value), fmtNum(prev.value), prev.pos))
			return false
		}
		if prev.pos != o.Pos {
			return true // same value again: keep the first
		}
	}
	b.see(k, len(b.Batch.Observations))
	b.Batch.Observations = append(b.Batch.Observations, *o)
	return true
}

// addTarget adds t unless it conflicts with an earlier target.
func (b *builder) addTarget(t thidua.TargetValue) bool {
	k := b.key(t.Unit, t.Indicator, thidua.Period{Type: thidua.Year, Year: t.Year}, "target")
	if b.tgtOrder.next(k, t.Unit, t.Indicator) {
		b.Batch.Targets = append(b.Batch.Targets, t)
		return true
	}
	b.seenAll()
	if i, dup := b.seen[k]; dup {
		prev := b.prev(i)
		if prev.value != t.Value {
			b.refuse(t.Pos, kindf(ErrConflict, "two different values for the %d target of %s %s: %s here and %s at %s", t.Year, t.Unit, t.Indicator, fmtNum(t.Value), fmtNum(prev.value), prev.pos))
			return false
		}
		if prev.pos != t.Pos {
			return true
		}
	}
	b.see(k, -1-len(b.Batch.Targets))
	b.Batch.Targets = append(b.Batch.Targets, t)
	return true
}

type seenFact struct {
	value float64
	pos   thidua.Pos
}

// prev returns the value and position of the fact seen at index i.
func (b *builder) prev(i int) seenFact {
	if i >= 0 {
		o := &b.Batch.Observations[i]
		return seenFact{o.Value, o.Pos}
	}
	t := &b.Batch.Targets[-1-i]
	return seenFact{t.Value, t.Pos}
}

func (b *builder) see(k factKey, i int) {
	if b.seen == nil {
		b.seen = map[factKey]int{}
	}
	b.seen[k] = i
}

// seenAll fills seen with the keys of the kinds whose facts came in order
// so far and now did not (keyOrder.off), once per kind: from then on every
// fact of the kind is checked against the map.
func (b *builder) seenAll() {
	if b.obsOrder.off && !b.obsOrder.filled {
		if b.seen == nil {
			b.seen = make(map[factKey]int, max(b.hint, 2*len(b.Batch.Observations)))
		}
		for i, o := range b.Batch.Observations {
			b.seen[b.key(o.Unit, o.Indicator, o.Period, o.Basis)] = i
		}
		b.obsOrder.filled = true
	}
	if b.tgtOrder.off && !b.tgtOrder.filled {
		for i, t := range b.Batch.Targets {
			b.see(b.key(t.Unit, t.Indicator, thidua.Period{Type: thidua.Year, Year: t.Year}, "target"), -1-i)
		}
		b.tgtOrder.filled = true
	}
}

// withdraw takes back the observations from index i on: the facts of a
// row found wrong after they were added.
func (b *builder) withdraw(i int) {
	for _, o := range b.Batch.Observations[i:] {
		delete(b.seen, b.key(o.Unit, o.Indicator, o.Period, o.Basis))
	}
	b.Batch.Observations = b.Batch.Observations[:i]
	if !b.obsOrder.off {
		// Still in order: the last fact kept has the largest key (the
		// orders that the facts taken back broke stay broken, which only
		// costs the map sooner).
		b.obsOrder.any = i > 0
		if i > 0 {
			o := b.Batch.Observations[i-1]
			b.obsOrder.last = b.key(o.Unit, o.Indicator, o.Period, o.Basis)
			b.obsOrder.lastUnit, b.obsOrder.lastInd = o.Unit, o.Indicator
		}
	}
}

// done returns the batch.
func (b *builder) done() thidua.Batch { return b.Batch }
