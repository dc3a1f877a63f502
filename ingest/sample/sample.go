// Package sample generates the built-in sample data of the Bắc Kạn cluster
// (Cụm thi đua 8 huyện, thành phố): monthly values of every indicator for the
// 8 units from January 2018 to December 2021 and their annual targets.
//
// The data is SYNTHETIC. It is generated from a fixed seed by a deterministic
// generator and is not real statistics: only its sizes follow public estimates
// and its first half of 2020 is shaped to reproduce the facts of the 2020
// article of the cluster (26 new cooperatives, budget revenue above 50% of the
// annual estimate in exactly Pác Nặm, Ngân Sơn, Na Rì and Bạch Thông,
// afforestation highest in Pác Nặm, Chợ Đồn and Ba Bể, recruitment at 100% of
// quota everywhere, thousands commended). Every file says so.
//
// The generator uses integer arithmetic only and a PCG stream per indicator
// and unit, so its output is byte-identical on every run and every machine.
package sample

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Name is the sample's display name.
const Name = "Bắc Kạn sample (synthetic)"

// Description says in one paragraph what the sample is.
const Description = "Synthetic monthly data (January 2018 – December 2021) and annual targets for the 8 units " +
	"of the Bắc Kạn emulation cluster, generated from a fixed seed; not real statistics, only shaped to " +
	"match the facts of the cluster's 2020 article. / Dữ liệu MÔ PHỎNG hằng tháng (01/2018 – 12/2021) và " +
	"kế hoạch năm của 8 huyện, thành phố Cụm thi đua tỉnh Bắc Kạn, sinh tự động, không phải số liệu thống kê thật."

// Version is the generator's version; it changes whenever the output does.
const Version = "2"

// Seed is the generator's seed: the first word of every PCG stream.
const Seed uint64 = 20200630

// Note is the text of the note column on every row of the generated files.
const Note = "synthetic / dữ liệu mô phỏng"

// The years the sample covers.
const (
	FirstYear = 2018
	LastYear  = 2021
)

// The names of the generated files.
const (
	ObservationsFile = "observations.csv"
	TargetsFile      = "targets.csv"
	ReadmeFile       = "README.txt"
)

// File is one generated file: its base name and its content (UTF-8 without
// BOM, "\n" line ends, NFC text).
type File struct {
	Name string
	Data []byte
}

var generated = sync.OnceValue(func() []File {
	d := generate()
	return []File{
		{ObservationsFile, d.observationsCSV()},
		{TargetsFile, d.targetsCSV()},
		{ReadmeFile, d.readme()},
	}
})

// Files returns the sample's files: observations.csv (long CSV, one row per
// unit, indicator and month), targets.csv (annual targets) and README.txt.
// The result is the same on every call; the caller may modify it.
func Files() []File {
	fs := generated()
	out := make([]File, len(fs))
	for i, f := range fs {
		out[i] = File{Name: f.Name, Data: bytes.Clone(f.Data)}
	}
	return out
}

// Write writes the sample's files into dir, creating it if needed and
// replacing files of the same names, and returns the paths written. Each file
// is written to a temporary name first and renamed into place.
func Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("sample: create directory %s: %w", dir, err)
	}
	var paths []string
	for _, f := range Files() {
		p := filepath.Join(dir, f.Name)
		if err := writeFile(p, f.Data); err != nil {
			return paths, fmt.Errorf("sample: write %s: %w", p, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
