package sample

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

const (
	nYears  = LastYear - FirstYear + 1
	nMonths = 12 * nYears
	y2020   = 2020 - FirstYear // index of 2020
)

// unit holds the sizes the generator starts from. All of them are estimates
// (see the "Sizes" section of the domain notes) or made up; none is a real
// statistic except the communes count and the 2019 poverty rates.
type unit struct {
	code, name string
	communes   int64
	households int64 // households at the end of 2017
	poverty19  int64 // poverty rate in December 2019, hundredths of a percent
	budget     int64 // budget revenue target 2018, million VND
	afforest   int64 // afforestation target, ha
	recruits   int64 // recruitment quota, people
	rice       int64 // rice area target, ha
	coops      int64 // new cooperatives target
	ntm        int64 // communes meeting the new-rural standard at the end of 2017
	criteria   int64 // average new-rural criteria per commune at the end of 2017, tenths
	commended  int64 // awards a year

	// The shape of 2020-H1 (the seed article).
	budgetAbove50 bool // budget revenue Jan–Jun 2020 above 50% of the 2020 target
	afforestRank  int  // 1–3: among the top three by afforestation % of target in 2020-H1
}

var units = []unit{
	{"058", "Thành phố Bắc Kạn", 8, 10900, 193, 215000, 170, 85, 600, 3, 3, 150, 900, false, 0},
	{"060", "Pác Nặm", 10, 6700, 3522, 12000, 450, 65, 2300, 3, 0, 95, 520, true, 1},
	{"061", "Ba Bể", 16, 11300, 2380, 24000, 500, 115, 3900, 4, 1, 110, 760, false, 3},
	{"062", "Ngân Sơn", 11, 7200, 3441, 14000, 420, 75, 2000, 3, 0, 100, 560, true, 0},
	{"063", "Bạch Thông", 17, 7900, 1746, 21000, 520, 95, 3300, 4, 2, 120, 680, true, 0},
	{"064", "Chợ Đồn", 22, 12500, 1586, 27000, 580, 130, 4000, 5, 1, 110, 820, false, 2},
	{"065", "Chợ Mới", 16, 9500, 1685, 18000, 520, 100, 2800, 4, 2, 125, 700, false, 0},
	{"066", "Na Rì", 22, 10400, 2511, 20000, 600, 140, 4200, 4, 1, 105, 780, true, 0},
}

// Indicator indexes, in the order of the built-in configuration.
const (
	iBudget = iota
	iCoops
	iAfforest
	iRecruits
	iNTM
	iCriteria
	iPoverty
	iPoor
	iHouseholds
	iRice
	iCommended
	nIndicators
)

type indicator struct {
	code           string
	decimals       int  // decimals of the monthly values
	observed       bool // monthly values are emitted (poverty_rate is derived from its parts)
	target         bool
	targetDecimals int
}

var indicators = [nIndicators]indicator{
	iBudget:     {"budget_revenue", 0, true, true, 0},
	iCoops:      {"new_coops", 0, true, true, 0},
	iAfforest:   {"afforestation_ha", 1, true, true, 1},
	iRecruits:   {"recruits", 0, true, true, 0},
	iNTM:        {"ntm_communes", 0, true, true, 0},
	iCriteria:   {"ntm_avg_criteria", 1, true, true, 1},
	iPoverty:    {"poverty_rate", 2, false, true, 2},
	iPoor:       {"poor_households", 0, true, false, 0},
	iHouseholds: {"households", 0, true, false, 0},
	iRice:       {"rice_area_ha", 1, true, true, 1},
	iCommended:  {"commended", 0, true, false, 0},
}

// series is one unit's generated values: months scaled by 10^decimals,
// targets scaled by 10^targetDecimals.
type series struct {
	months  [nMonths]int64
	targets [nYears]int64
}

type data struct {
	s [][nIndicators]series // by unit index
}

// rng is a PCG stream. Only Uint64 is used, with integer helpers of our own,
// so the values do not depend on the library's derivation methods.
type rng struct{ p *rand.PCG }

// stream returns the stream of one generator part, seeded with Seed and the
// FNV-1a hash of the part's name: each indicator and unit has its own stream,
// so changing one leaves the others as they were.
func stream(parts ...string) rng {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rng{rand.NewPCG(Seed, h.Sum64())}
}

// intn returns a value in [0, n).
func (r rng) intn(n int64) int64 { return int64(r.p.Uint64() % uint64(n)) }

// between returns a value in [lo, hi].
func (r rng) between(lo, hi int64) int64 { return lo + r.intn(hi-lo+1) }

// scale returns v × [lo, hi] ÷ 1000, rounded: lo and hi are per mille.
func (r rng) scale(v, lo, hi int64) int64 { return div(v*r.between(lo, hi), 1000) }

// div divides non-negative a by b, rounding half up.
func div(a, b int64) int64 { return (2*a + b) / (2 * b) }

// roundTo rounds v to a multiple of m.
func roundTo(v, m int64) int64 { return div(v, m) * m }

// jitter returns the weights each multiplied by a random 75–125%.
func (r rng) jitter(w []int64) []int64 {
	out := make([]int64, len(w))
	for i, x := range w {
		out[i] = x * r.between(75, 125)
	}
	return out
}

// allocate splits total into parts proportional to w by the largest
// remainder method; the parts add up to total exactly.
func allocate(total int64, w []int64) []int64 {
	out := make([]int64, len(w))
	var sum int64
	for _, x := range w {
		sum += x
	}
	if total <= 0 || sum == 0 {
		return out
	}
	type rem struct{ r, i int64 }
	rs := make([]rem, len(w))
	var used int64
	for i, x := range w {
		out[i] = total * x / sum
		used += out[i]
		rs[i] = rem{total * x % sum, int64(i)}
	}
	slices.SortStableFunc(rs, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return 0
	})
	for k := int64(0); k < total-used; k++ {
		out[rs[k].i]++
	}
	return out
}

// put writes the 12 months of year index y.
func (s *series) put(y int, months []int64) {
	copy(s.months[12*y:12*y+12], months)
}

// halves spreads h1 over January–June and h2 over July–December with the
// jittered seasonal weights w (12 values).
func (r rng) halves(h1, h2 int64, w []int64) []int64 {
	j := r.jitter(w)
	return append(allocate(h1, j[:6]), allocate(h2, j[6:])...)
}

// Seasonal weights, January to December.
var (
	budgetWeights    = []int64{15, 14, 15, 17, 18, 21, 15, 16, 16, 17, 17, 19}
	afforestWeights  = []int64{0, 10, 25, 30, 22, 13, 40, 35, 20, 5, 0, 0}
	riceSpring       = []int64{0, 25, 55, 20, 0, 0, 0, 0, 0, 0, 0, 0}
	riceMain         = []int64{0, 0, 0, 0, 0, 25, 55, 20, 0, 0, 0, 0}
	commendedWeights = []int64{25, 8, 6, 7, 5, 12, 7, 5, 9, 5, 6, 18}
	flatWeights      = []int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
)

func generate() *data {
	d := &data{s: make([][nIndicators]series, len(units))}
	coops2020H1 := partition(26)
	for i := range units {
		u := &units[i]
		s := &d.s[i]
		genBudget(u, &s[iBudget])
		genCoops(u, coops2020H1[i], &s[iCoops])
		genAfforest(u, &s[iAfforest])
		genRecruits(u, &s[iRecruits])
		genNTM(u, &s[iNTM])
		genCriteria(u, &s[iCriteria])
		genHouseholds(u, &s[iHouseholds])
		genPoverty(u, &s[iHouseholds], &s[iPoor], &s[iPoverty])
		genRice(u, &s[iRice])
		genCommended(u, &s[iCommended])
	}
	for _, m := range Mistakes {
		d.plant(m)
	}
	return d
}

// Mistake is an error planted on purpose in the sample, of a kind district
// offices really make, so that the quality page shows what it finds. Its row
// of observations.csv says so in the note column.
type Mistake struct {
	Unit, Indicator, Period string // period: a month, YYYY-MM
	Check                   string // the quality check that should find it
	What                    string // what was done, in English / Vietnamese
}

// Mistakes are the sample's planted errors: none in 2020 (the year of the
// seed article's facts).
var Mistakes = []Mistake{
	{"062", "budget_revenue", "2021-10", "unit_slip",
		"entered in nghìn đồng instead of triệu đồng (×1000) / nhập theo nghìn đồng thay vì triệu đồng"},
	{"061", "afforestation_ha", "2019-05", "unit_slip",
		"decimal point shifted (×10) / đặt nhầm dấu thập phân"},
	{"063", "budget_revenue", "2018-09", "ytd_as_month",
		"year to date typed as the month's value / nhập số lũy kế vào ô tháng"},
	{"065", "ntm_communes", "2021-04", "stock_drop",
		"a cumulative count that drops by 2 / số lũy kế bị giảm 2"},
}

// mistakeNote is the note of a planted mistake's row.
func mistakeNote(m Mistake) string { return Note + "; planted mistake / lỗi cố ý: " + m.What }

// plant applies a Mistake to the generated months.
func (d *data) plant(m Mistake) {
	ui := slices.IndexFunc(units, func(u unit) bool { return u.code == m.Unit })
	k := slices.IndexFunc(indicators[:], func(ind indicator) bool { return ind.code == m.Indicator })
	mi := slices.Index(monthLabels(), m.Period)
	if ui < 0 || k < 0 || mi < 0 {
		panic("sample: bad planted mistake " + m.Unit + " " + m.Indicator + " " + m.Period)
	}
	months := &d.s[ui][k].months
	switch m.Check {
	case "unit_slip":
		if m.Indicator == "budget_revenue" {
			months[mi] *= 1000
		} else {
			months[mi] *= 10
		}
	case "ytd_as_month":
		var sum int64
		for j := mi - mi%12; j <= mi; j++ {
			sum += months[j]
		}
		months[mi] = sum
	case "stock_drop":
		months[mi] = max(0, months[mi-1]-2)
	}
}

// monthLabels lists the sample's months as YYYY-MM.
func monthLabels() []string {
	out := make([]string, nMonths)
	for i := range out {
		out[i] = monthLabel(i)
	}
	return out
}

// partition splits the cluster's n new cooperatives of 2020-H1 among the
// units: one each, the rest one at a time to a unit drawn with probability
// proportional to its cooperatives target.
func partition(n int64) []int64 {
	r := stream("new_coops", "2020-H1")
	out := make([]int64, len(units))
	var sum int64
	for i, u := range units {
		out[i] = 1
		sum += u.coops
	}
	for k := int64(len(units)); k < n; k++ {
		x := r.intn(sum)
		for i, u := range units {
			if x < u.coops {
				out[i]++
				break
			}
			x -= u.coops
		}
	}
	return out
}

// genBudget: the target (dự toán) grows 3–8% a year, rounded to 100 million;
// the year's revenue is 95–110% of it, with 40–50% in the first half; in 2020
// the first half is 53–57.9% of the target in the four units of the article
// and 38–45.9% elsewhere.
func genBudget(u *unit, s *series) {
	r := stream("budget_revenue", u.code)
	t := u.budget
	for y := range nYears {
		if y > 0 {
			t = roundTo(r.scale(t, 1030, 1080), 100)
		}
		s.targets[y] = t
		f1 := r.between(400, 500)
		if y == y2020 {
			if u.budgetAbove50 {
				f1 = r.between(530, 579)
			} else {
				f1 = r.between(380, 459)
			}
		}
		fy := max(r.between(950, 1100), f1+400)
		h1 := t * f1 / 1000
		s.put(y, r.halves(h1, t*fy/1000-h1, budgetWeights))
	}
}

// genCoops: a target of a few cooperatives a year; each one founded in a
// random month. 2020-H1 gets its share of the article's 26.
func genCoops(u *unit, h1In2020 int64, s *series) {
	r := stream("new_coops", u.code)
	for y := range nYears {
		t := max(1, u.coops+r.between(-1, 2))
		var months [12]int64
		if y == y2020 {
			t = u.coops + r.between(1, 3)
			for range h1In2020 {
				months[r.intn(6)]++
			}
			for range r.between(0, 3) {
				months[6+r.intn(6)]++
			}
		} else {
			for range max(0, t+r.between(-2, 1)) {
				months[r.intn(12)]++
			}
		}
		s.targets[y] = t
		s.put(y, months[:])
	}
}

// genAfforest: the target varies ±10% around the unit's size, rounded to
// 10 ha and kept within 160–640 ha; planting in spring (February–June) and summer (July–October); the
// year reaches 95–108% of the target. In 2020 the first half is 80–84%, 72–76%
// and 64–68% of the target in the article's top three, 40–55.9% elsewhere.
func genAfforest(u *unit, s *series) {
	r := stream("afforestation_ha", u.code)
	for y := range nYears {
		t := min(640, max(160, roundTo(r.scale(u.afforest, 900, 1100), 10))) * 10 // tenths of a ha
		s.targets[y] = t
		f1 := r.between(450, 650)
		if y == y2020 {
			switch u.afforestRank {
			case 1:
				f1 = r.between(800, 840)
			case 2:
				f1 = r.between(720, 760)
			case 3:
				f1 = r.between(640, 680)
			default:
				f1 = r.between(400, 559)
			}
		}
		fy := max(r.between(950, 1080), f1+150)
		h1 := t * f1 / 1000
		s.put(y, r.halves(h1, t*fy/1000-h1, afforestWeights))
	}
}

// genRecruits: the quota varies ±10% (60–150 people); the recruits are
// handed over in February (85–100%) and March, and the year's total equals
// the quota exactly.
func genRecruits(u *unit, s *series) {
	r := stream("recruits", u.code)
	for y := range nYears {
		q := min(150, max(60, r.scale(u.recruits, 900, 1100)))
		s.targets[y] = q
		feb := q * r.between(85, 100) / 100
		var months [12]int64
		months[1], months[2] = feb, q-feb
		s.put(y, months[:])
	}
}

// genNTM: each year's target is one or two communes more than the last
// year's count (at most all communes); the new communes are recognized from
// June to December, and a year falls short by one now and then.
func genNTM(u *unit, s *series) {
	r := stream("ntm_communes", u.code)
	n := u.ntm
	for y := range nYears {
		t := min(u.communes, n+r.between(1, 2))
		s.targets[y] = t
		got := t
		if r.intn(4) == 0 && got > n {
			got--
		}
		var gain [12]int64
		for range got - n {
			gain[5+r.intn(7)]++
		}
		var months [12]int64
		for m := range 12 {
			n += gain[m]
			months[m] = n
		}
		s.put(y, months[:])
	}
}

// genCriteria: the average criteria per commune (tenths) rises 0.5–1.2 a
// year in steps of 0.1 at random months, up to 19; the target is 0.8–1.2
// above last year's value.
func genCriteria(u *unit, s *series) {
	r := stream("ntm_avg_criteria", u.code)
	c := u.criteria
	for y := range nYears {
		s.targets[y] = min(190, c+r.between(8, 12))
		var gain [12]int64
		for range r.between(5, 12) {
			gain[r.intn(12)]++
		}
		var months [12]int64
		for m := range 12 {
			c = min(190, c+gain[m])
			months[m] = c
		}
		s.put(y, months[:])
	}
}

// genHouseholds: households grow 0.8–1.6% a year, a little each month.
func genHouseholds(u *unit, s *series) {
	r := stream("households", u.code)
	h := u.households
	for y := range nYears {
		g := h * r.between(8, 16) / 1000
		inc := allocate(g, r.jitter(flatWeights))
		var months [12]int64
		for m := range 12 {
			h += inc[m]
			months[m] = h
		}
		s.put(y, months[:])
	}
}

// genPoverty: the poor households at each December give the rate of the
// year: December 2019 the published rate of the unit, the other years a
// multiple of it (2017 ×1.36–1.44, 2018 ×1.15–1.21, 2020 ×0.90–0.94, 2021
// ×0.82–0.88). During a year 20–40% of the fall happens month by month and
// the rest at the December review. The rate target of a year is last
// December's rate less 2–4 points (at most 30% of it).
func genPoverty(u *unit, hh, poor, rate *series) {
	r := stream("poor_households", u.code)
	factor := [nYears]int64{r.between(1150, 1210), 1000, r.between(900, 940), r.between(820, 880)}
	households := func(y, m int) int64 { // y may be -1: the end of 2017
		if y < 0 {
			return u.households
		}
		return hh.months[12*y+m]
	}
	poorAt := func(y int, f int64) int64 { // December of year y at f per mille of the 2019 rate
		return div(households(y, 11)*u.poverty19*f, 10000*1000)
	}
	prev := poorAt(-1, r.between(1360, 1440))
	for y := range nYears {
		prevRate := div(prev*10000, households(y-1, 11)) // hundredths of a percent
		s := r.between(200, 400)
		rate.targets[y] = prevRate - min(s, prevRate*30/100)

		dec := min(prev, poorAt(y, factor[y]))
		during := (prev - dec) * r.between(20, 40) / 100
		steps := allocate(during, r.jitter(flatWeights[:11]))
		var months [12]int64
		p := prev
		for m := range 11 {
			p -= steps[m]
			months[m] = p
		}
		months[11] = dec
		poor.put(y, months[:])
		prev = dec
	}
}

// genRice: the target varies ±3%, rounded to 10 ha; the year's planting is
// 95–103% of it, 36–42% in the spring crop (February–April) and the rest in
// the main crop (June–August).
func genRice(u *unit, s *series) {
	r := stream("rice_area_ha", u.code)
	for y := range nYears {
		t := roundTo(r.scale(u.rice, 970, 1030), 10) * 10
		s.targets[y] = t
		total := t * r.between(950, 1030) / 1000
		spring := total * r.between(360, 420) / 1000
		a := allocate(spring, r.jitter(riceSpring))
		b := allocate(total-spring, r.jitter(riceMain))
		var months [12]int64
		for m := range 12 {
			months[m] = a[m] + b[m]
		}
		s.put(y, months[:])
	}
}

// genCommended: 85–115% of the unit's usual awards a year, most at the
// year-end review (December–January) and the mid-year review (June).
func genCommended(u *unit, s *series) {
	r := stream("commended", u.code)
	for y := range nYears {
		total := r.scale(u.commended, 850, 1150)
		s.put(y, allocate(total, r.jitter(commendedWeights)))
	}
}
