package ingest

import (
	"time"

	"github.com/thidua/thidua"
)

// testCluster returns a hand-built copy of the built-in Bắc Kạn cluster
// (config/default.yaml): 8 units valid until 30 June 2025 and the
// indicators with their names, aliases and bounds. Tests of this package
// use it instead of importing config.
func testCluster() *thidua.Cluster {
	end := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	f := func(v float64) *float64 { return &v }
	unit := func(code, name, kind string, communes int, aliases ...string) thidua.Unit {
		return thidua.Unit{Code: code, Name: name, NameEN: name, Kind: kind, Communes: communes, ValidTo: end, Aliases: aliases}
	}
	unitEN := func(code, name, nameEN, kind string, communes int, aliases ...string) thidua.Unit {
		u := unit(code, name, kind, communes, aliases...)
		u.NameEN = nameEN
		return u
	}
	c := &thidua.Cluster{
		Code:   "BK8",
		Name:   "Cụm thi đua 8 huyện, thành phố tỉnh Bắc Kạn",
		NameEN: "Bắc Kạn cluster of 8 districts and city",
		Units: []thidua.Unit{
			unitEN("058", "Thành phố Bắc Kạn", "Bắc Kạn City", "city", 8, "Thành Phố Bắc Kạn", "TP. Bắc Kạn", "TP Bắc Kạn", "Thị xã Bắc Kạn", "Bắc Cạn", "Thành phố Bắc Cạn", "Bac Kan"),
			unit("060", "Pác Nặm", "district", 10, "Huyện Pác Nặm"),
			unit("061", "Ba Bể", "district", 16),
			unit("062", "Ngân Sơn", "district", 11, "H. Ngân Sơn"),
			unit("063", "Bạch Thông", "district", 17),
			unit("064", "Chợ Đồn", "district", 22),
			unit("065", "Chợ Mới", "district", 16),
			unit("066", "Na Rì", "district", 22, "Na Rỳ"),
		},
		Indicators: []thidua.Indicator{
			{Code: "budget_revenue", Name: "Thu ngân sách nhà nước trên địa bàn", NameEN: "State budget revenue collected",
				Measure: "triệu đồng", MeasureEN: "million VND", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true,
				Min: f(0), Aliases: []string{"Thu ngân sách", "Thu NSNN", "Thu ngân sách nhà nước"}},
			{Code: "new_coops", Name: "Hợp tác xã thành lập mới", NameEN: "New cooperatives established",
				Measure: "HTX", MeasureEN: "cooperatives", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true,
				Min: f(0), Integer: true, Aliases: []string{"HTX thành lập mới", "Số HTX thành lập mới", "Thành lập mới hợp tác xã"}},
			{Code: "afforestation_ha", Name: "Diện tích trồng rừng mới", NameEN: "New forest planted",
				Measure: "ha", MeasureEN: "ha", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true, Decimals: 1,
				Min: f(0), Aliases: []string{"Trồng rừng", "Trồng rừng mới", "Diện tích trồng rừng"}},
			{Code: "recruits", Name: "Công dân nhập ngũ (tuyển quân)", NameEN: "Military recruits delivered",
				Measure: "người", MeasureEN: "people", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true, CapPct: 100,
				Min: f(0), Integer: true, Aliases: []string{"Tuyển quân", "Công dân nhập ngũ", "Giao quân"}},
			{Code: "ntm_communes", Name: "Số xã đạt chuẩn nông thôn mới (lũy kế)", NameEN: "Communes meeting the new-rural standard",
				Measure: "xã", MeasureEN: "communes", Agg: thidua.Last, Direction: thidua.Higher, HasTarget: true,
				Min: f(0), Integer: true, Aliases: []string{"Xã đạt chuẩn nông thôn mới", "Số xã đạt chuẩn NTM", "Xã đạt chuẩn NTM"}},
			{Code: "ntm_avg_criteria", Name: "Bình quân tiêu chí nông thôn mới/xã", NameEN: "Average new-rural criteria met per commune (of 19)",
				Measure: "tiêu chí", MeasureEN: "criteria", Agg: thidua.Last, Direction: thidua.Higher, HasTarget: true, Decimals: 1,
				Min: f(0), Max: f(19), Aliases: []string{"Bình quân tiêu chí NTM/xã", "Bình quân tiêu chí/xã", "Bình quân số tiêu chí nông thôn mới/xã"}},
			{Code: "poverty_rate", Name: "Tỷ lệ hộ nghèo", NameEN: "Poverty rate",
				Measure: "%", MeasureEN: "%", Agg: thidua.Ratio, Numerator: "poor_households", Denominator: "households", Factor: 100,
				Direction: thidua.Lower, HasTarget: true, Decimals: 2, Min: f(0), Max: f(100),
				Aliases: []string{"Tỷ lệ nghèo", "Tỷ lệ hộ nghèo đa chiều"}},
			{Code: "poor_households", Name: "Số hộ nghèo", NameEN: "Poor households", Measure: "hộ", MeasureEN: "households",
				Agg: thidua.Last, Direction: thidua.Lower, Min: f(0), Integer: true, Hidden: true, Aliases: []string{"Hộ nghèo"}},
			{Code: "households", Name: "Tổng số hộ dân cư", NameEN: "Households", Measure: "hộ", MeasureEN: "households",
				Agg: thidua.Last, Direction: thidua.Higher, Min: f(0), Integer: true, Hidden: true, Aliases: []string{"Tổng số hộ", "Số hộ dân cư"}},
			{Code: "rice_area_ha", Name: "Diện tích gieo cấy lúa", NameEN: "Rice area planted",
				Measure: "ha", MeasureEN: "ha", Agg: thidua.Sum, Direction: thidua.Higher, HasTarget: true, Decimals: 1,
				Min: f(0), Aliases: []string{"Gieo cấy lúa", "Diện tích lúa", "Diện tích gieo trồng lúa"}},
			{Code: "commended", Name: "Số lượt tập thể, cá nhân được khen thưởng", NameEN: "Collectives and individuals commended",
				Measure: "lượt", MeasureEN: "awards", Agg: thidua.Sum, Direction: thidua.Higher,
				Min: f(0), Integer: true, Aliases: []string{"Khen thưởng", "Số lượt khen thưởng", "Tập thể cá nhân được khen thưởng"}},
		},
	}
	return c
}

// testNow is the present for tests: periods up to 2025 are in the past.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// testOptions returns Options with the test cluster and clock.
func testOptions() Options {
	return Options{Cluster: testCluster(), Now: testNow}
}
