package config

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/viper"
	"golang.org/x/text/unicode/norm"

	"github.com/thidua/thidua"
)

// maxAcceptedSize bounds the accepted-findings file (a file others may
// write): far more than any real list of accepted findings.
const maxAcceptedSize = 4 << 20

// decodeQuality reads the quality: section and checks it against the
// cluster: thresholds in range, known checks, indicators and units, and the
// accepted-findings file.
func decodeQuality(v *viper.Viper, cl thidua.Cluster) (thidua.QualityConfig, error) {
	q := thidua.QualityConfig{
		Disabled:           stringList(v, "quality.disabled"),
		OutlierRatio:       v.GetFloat64("quality.outlier_ratio"),
		SlipTolerance:      v.GetFloat64("quality.slip_tolerance"),
		YTDTolerance:       v.GetFloat64("quality.ytd_tolerance"),
		MinValue:           v.GetFloat64("quality.min_value"),
		NonDecreasing:      stringList(v, "quality.non_decreasing"),
		UnitFrequency:      v.GetStringMapString("quality.frequency.units"),
		IndicatorFrequency: v.GetStringMapString("quality.frequency.indicators"),
	}
	if v.IsSet("quality.due_days") {
		d, ok := wholeNumber(v.Get("quality.due_days"))
		if !ok {
			return q, &Error{Key: "quality.due_days", Value: v.Get("quality.due_days"), Allowed: "want a whole number of days after the period's end"}
		}
		q.DueDays = &d
	}
	q, err := q.WithDefaults()
	if err != nil {
		return q, &Error{Key: "quality", Err: err}
	}
	for _, c := range q.NonDecreasing {
		if _, ok := cl.Indicator(c); !ok {
			return q, &Error{Key: "quality.non_decreasing", Value: c, Allowed: "want an indicator code of the cluster"}
		}
	}
	for c := range q.UnitFrequency {
		if _, ok := cl.Unit(c); !ok {
			return q, &Error{Key: "quality.frequency.units", Value: c, Allowed: "want a unit code of the cluster"}
		}
	}
	for c := range q.IndicatorFrequency {
		if _, ok := cl.Indicator(c); !ok {
			return q, &Error{Key: "quality.frequency.indicators", Value: c, Allowed: "want an indicator code of the cluster"}
		}
	}
	if file := v.GetString("quality.accepted"); file != "" {
		acc, err := ReadAccepted(file)
		if err != nil {
			return q, &Error{Key: "quality.accepted", Value: file, Err: err}
		}
		q.Accepted = acc
	}
	return q, nil
}

// ErrAccepted is the cause of every error about the accepted-findings file.
var ErrAccepted = errors.New("accepted findings file")

// ReadAccepted reads a CSV of accepted findings with the header
// check,unit,indicator,period,who,why (UTF-8; an empty check, unit, indicator
// or period matches any; who and why are required). It refuses anything but
// a regular file (no links) and files over 4 MiB.
func ReadAccepted(file string) ([]thidua.Accepted, error) {
	fi, err := os.Lstat(file)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w %s: not a regular file", ErrAccepted, file)
	}
	if fi.Size() > maxAcceptedSize {
		return nil, fmt.Errorf("%w %s: %d bytes, more than %d", ErrAccepted, file, fi.Size(), maxAcceptedSize)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(io.LimitReader(f, maxAcceptedSize))
	r.FieldsPerRecord = 6
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w %s: header: %v", ErrAccepted, file, err)
	}
	want := []string{"check", "unit", "indicator", "period", "who", "why"}
	for i, h := range head {
		if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) != want[i] {
			return nil, fmt.Errorf("%w %s: line 1: header %q, want %s", ErrAccepted, file, strings.Join(head, ","), strings.Join(want, ","))
		}
	}
	var out []thidua.Accepted
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w %s: %v", ErrAccepted, file, err)
		}
		for i := range rec {
			rec[i] = norm.NFC.String(strings.TrimSpace(rec[i]))
		}
		a := thidua.Accepted{Check: rec[0], Unit: rec[1], Indicator: rec[2], Period: rec[3], Who: rec[4], Why: rec[5]}
		if a.Who == "" || a.Why == "" {
			return nil, fmt.Errorf("%w %s: line %d: who and why are required", ErrAccepted, file, line)
		}
		if a.Check != "" && !slices.Contains(thidua.QualityChecks, a.Check) {
			return nil, fmt.Errorf("%w %s: line %d: check %q: want one of %s", ErrAccepted, file, line, a.Check, strings.Join(thidua.QualityChecks, ", "))
		}
		out = append(out, a)
	}
}

// wholeNumber is v as an int when the YAML gave a whole number.
func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), n == int64(int(n))
	case float64:
		return int(n), n == float64(int(n))
	}
	return 0, false
}
