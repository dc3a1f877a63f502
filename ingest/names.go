package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/thidua/thidua"
)

// Indicator names as offices write them.
//
// Every reader (long CSV, targets, Parquet, report forms, cluster tables)
// finds the indicator a cell names with matchIndicator, in this order; the
// first step that finds any indicator decides:
//
//  1. exactly: its code, or its name, English name or an alias compared
//     with thidua.Fold (case, accents, NFC/NFD and punctuation ignored);
//  2. loosely: leading numbering ("1.", "II.", "a)") and every
//     parenthetical qualifier dropped on either side ("(lũy kế)", "(xã)",
//     "(triệu đồng)", "(%)"), and common abbreviations written out (NTM,
//     NSNN, HTX, KT-XH, UBND, TP., H.; see nameAbbreviations);
//  3. the loose names with their words in any order.
//
// When a step finds two indicators the name is refused (ErrAmbiguousName),
// naming both. A parenthesis that is a unit of measure the value's size
// depends on ("(tỷ đồng)" for an indicator kept in triệu đồng), or "(%)"
// for an indicator that is not a percentage, is refused (ErrMeasure).

// ErrMeasure: an indicator named with a unit of measure that is not its own
// and changes a value's size (tỷ đồng for triệu đồng, m2 for ha).
var ErrMeasure = errors.New("unit of measure does not match")

// nameAbbreviations are the abbreviations of indicator names written out
// before loose comparison, by folded word sequence.
var nameAbbreviations = [][2]string{
	{"kt xh", "kinh te xa hoi"},
	{"ktxh", "kinh te xa hoi"},
	{"ntm", "nong thon moi"},
	{"nsnn", "ngan sach nha nuoc"},
	{"htx", "hop tac xa"},
	{"ubnd", "uy ban nhan dan"},
	{"tp", "thanh pho"},
	{"h", "huyen"},
}

// reParens matches a parenthetical group (not nested).
var reParens = regexp.MustCompile(`\([^()]*\)`)

// looseName returns the loose key of an indicator name (step 2) and the
// texts of its parentheses.
func looseName(s string) (key string, parens []string) {
	s = reNumbering.ReplaceAllString(strings.TrimSpace(s), "")
	for _, m := range reParens.FindAllString(s, -1) {
		parens = append(parens, strings.TrimSpace(strings.Trim(m, "()")))
	}
	f := " " + thidua.Fold(reParens.ReplaceAllString(s, " ")) + " "
	for _, a := range nameAbbreviations {
		f = strings.ReplaceAll(f, " "+a[0]+" ", " "+a[1]+" ")
	}
	return strings.TrimSpace(f), parens
}

// sortedWords is key with its words sorted (step 3).
func sortedWords(key string) string {
	w := strings.Fields(key)
	slices.Sort(w)
	return strings.Join(w, " ")
}

// nameIndex holds the loose and word-order keys of a cluster's indicators.
type nameIndex struct {
	loose, sorted map[string][]int // key → indicators, each once, in cluster order
}

func newNameIndex(c *thidua.Cluster) *nameIndex {
	x := &nameIndex{loose: map[string][]int{}, sorted: map[string][]int{}}
	add := func(m map[string][]int, k string, i int) {
		if k != "" && !slices.Contains(m[k], i) {
			m[k] = append(m[k], i)
		}
	}
	for i, ind := range c.Indicators {
		for _, n := range append([]string{ind.Name, ind.NameEN}, ind.Aliases...) {
			k, _ := looseName(n)
			add(x.loose, k, i)
			add(x.sorted, sortedWords(k), i)
		}
	}
	return x
}

// lastIndex caches the nameIndex of the cluster last asked about (a run
// has one cluster; clusters are not changed once configured).
var lastIndex atomic.Pointer[clusterNames]

type clusterNames struct {
	c *thidua.Cluster
	x *nameIndex
}

func indexOf(c *thidua.Cluster) *nameIndex {
	if p := lastIndex.Load(); p != nil && p.c == c {
		return p.x
	}
	x := newNameIndex(c)
	lastIndex.Store(&clusterNames{c, x})
	return x
}

// matchIndicator finds the indicator of cluster c that s names (see the
// rules above). exact is step 1 (c.LookupIndicator or a faster index of
// it). The error wraps ErrUnknownIndicator, ErrAmbiguousName or ErrMeasure.
func matchIndicator(c *thidua.Cluster, s string, exact func(string) (thidua.Indicator, bool)) (thidua.Indicator, error) {
	s = strings.TrimSpace(s)
	key, parens := looseName(s)
	ind, ok := exact(s)
	if !ok {
		var err error
		if ind, err = matchLoose(c, s, key); err != nil {
			return ind, err
		}
	}
	for _, p := range parens {
		if msg := measureConflict(p, ind); msg != "" {
			return thidua.Indicator{}, kindf(ErrMeasure, "indicator %q: %s", s, msg)
		}
		if p == "%" && strings.TrimSpace(ind.Measure) != "%" {
			return thidua.Indicator{}, kindf(ErrMeasure, "indicator %q: a percentage, but %s is counted in %s; give the %s itself", s, ind.Code, ind.Measure, ind.Measure)
		}
	}
	return ind, nil
}

// matchLoose is steps 2 and 3 of matchIndicator, for s of loose key key.
func matchLoose(c *thidua.Cluster, s, key string) (thidua.Indicator, error) {
	if key == "" {
		return thidua.Indicator{}, kindf(ErrUnknownIndicator, "unknown indicator %q", s)
	}
	x := indexOf(c)
	for _, m := range []struct {
		idx map[string][]int
		k   string
	}{{x.loose, key}, {x.sorted, sortedWords(key)}} {
		found := m.idx[m.k]
		switch {
		case len(found) == 1:
			return c.Indicators[found[0]], nil
		case len(found) > 1:
			var names []string
			for _, i := range found {
				names = append(names, fmt.Sprintf("%s (%s)", c.Indicators[i].Code, c.Indicators[i].Name))
			}
			return thidua.Indicator{}, kindf(ErrAmbiguousName, "indicator %q could be %s; write its code or its full name", s, strings.Join(names, " or "))
		}
	}
	return thidua.Indicator{}, kindf(ErrUnknownIndicator, "unknown indicator %q", s)
}
