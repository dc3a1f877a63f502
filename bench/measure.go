package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Stage is the measurement of one pipeline stage (or its baseline).
type Stage struct {
	Name    string  `json:"name"`
	Rows    int64   `json:"rows"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	// CPUSeconds is the process's user + system CPU time during the stage,
	// DuckDB's threads included: steadier than wall time on a busy machine.
	CPUSeconds float64 `json:"cpu_seconds"`
	RowsPS     float64 `json:"rows_per_s"`
	MBPS       float64 `json:"mb_per_s"`
	// PeakHeapMB is the Go heap's peak during the stage (sampled every
	// 10 ms); PeakRSSMB the process's peak resident set (VmHWM, reset before
	// the stage), which includes DuckDB's C memory.
	PeakHeapMB float64 `json:"peak_go_heap_mb"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	// Baseline names the DuckDB-native stage this one is compared with, and
	// Ratio is Seconds ÷ that stage's Seconds (below 1: faster than native).
	Baseline string  `json:"baseline,omitempty"`
	Ratio    float64 `json:"ratio,omitempty"`
	// CPURatio is CPUSeconds ÷ the baseline's CPUSeconds.
	CPURatio float64 `json:"cpu_ratio,omitempty"`
	// Extra holds stage-specific figures (pages, KB per page, file sizes).
	Extra map[string]float64 `json:"extra,omitempty"`
	Note  string             `json:"note,omitempty"`
	// Projected marks a stage that was not run: its figures are a
	// projection (see Note).
	Projected bool `json:"projected,omitempty"`
}

// measure runs f as the stage called name and records its time, throughput
// and peak memory. f returns the rows and bytes it processed.
func measure(name string, f func() (rows, bytes int64, err error)) (Stage, error) {
	runtime.GC()
	resetPeakRSS()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > peak {
			peak = v
		}
	}
	read()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				read()
			}
		}
	}()
	cpu0 := cpuTime()
	start := time.Now()
	rows, bytes, err := f()
	d := time.Since(start)
	cpu := cpuTime() - cpu0
	close(stop)
	wg.Wait()
	read()
	st := Stage{Name: name, Rows: rows, Bytes: bytes, Seconds: d.Seconds(), CPUSeconds: cpu.Seconds(),
		PeakHeapMB: float64(peak) / (1 << 20), PeakRSSMB: float64(peakRSS()) / (1 << 20)}
	if st.Seconds > 0 {
		st.RowsPS = float64(rows) / st.Seconds
		st.MBPS = float64(bytes) / (1 << 20) / st.Seconds
	}
	if err != nil {
		return st, fmt.Errorf("bench: %s: %w", name, err)
	}
	return st, nil
}

// cpuTime returns the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the kernel's record of the process's peak resident
// set (VmHWM), so that the next stage's peak is its own. It does nothing
// where /proc/self/clear_refs cannot be written.
func resetPeakRSS() {
	f, err := os.OpenFile("/proc/self/clear_refs", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	f.WriteString("5")
	f.Close()
}

// peakRSS returns VmHWM from /proc/self/status in bytes, 0 if unknown.
func peakRSS() int64 { return procStatus("VmHWM:") }

func procStatus(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, key) {
			continue
		}
		fields := strings.Fields(line[len(key):])
		if len(fields) == 0 {
			return 0
		}
		kb, _ := strconv.ParseInt(fields[0], 10, 64)
		return kb << 10
	}
	return 0
}

// compare sets st's baseline and ratio against base.
func (st *Stage) compare(base Stage) {
	st.Baseline = base.Name
	if base.Seconds > 0 {
		st.Ratio = st.Seconds / base.Seconds
	}
	if base.CPUSeconds > 0 {
		st.CPURatio = st.CPUSeconds / base.CPUSeconds
	}
}

func (st *Stage) extra(k string, v float64) {
	if st.Extra == nil {
		st.Extra = map[string]float64{}
	}
	st.Extra[k] = v
}

// WriteTable writes the stages of r as a markdown table.
func (r *Result) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "\n### %s: %s (%d rows, %.1f MB CSV; %d threads, %s, arrow staging %v) — %s\n\n",
		r.Size.Name, sizeText(r.Size), r.Dataset.Rows, float64(r.Dataset.Bytes)/(1<<20), r.Threads, r.DuckDB, r.ArrowStaging, r.Date)
	fmt.Fprintln(w, "| stage | rows | wall s | CPU s | rows/s | MB/s | peak heap MB | peak RSS MB | vs baseline (wall, CPU) | note |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
	for _, s := range r.Stages {
		ratio := ""
		if s.Baseline != "" {
			ratio = fmt.Sprintf("%.2f×, %.2f× %s", s.Ratio, s.CPURatio, s.Baseline)
		}
		note := s.Note
		for _, k := range sortedKeys(s.Extra) {
			note = strings.TrimPrefix(note+fmt.Sprintf("; %s=%.4g", k, s.Extra[k]), "; ")
		}
		fmt.Fprintf(w, "| %s | %d | %.3f | %.3f | %.0f | %.1f | %.0f | %.0f | %s | %s |\n",
			s.Name, s.Rows, s.Seconds, s.CPUSeconds, s.RowsPS, s.MBPS, s.PeakHeapMB, s.PeakRSSMB, ratio, note)
	}
	fmt.Fprintln(w)
	if r.Error != "" {
		fmt.Fprintf(w, "**Run failed:** %s\n\n", r.Error)
	}
	for _, g := range r.Goals {
		mark := "MET"
		if !g.Met {
			mark = "MISSED"
		}
		fmt.Fprintf(w, "- %s: %s (%s)\n", g.Name, mark, g.Detail)
	}
	fmt.Fprintln(w)
}

func sizeText(s Size) string {
	return fmt.Sprintf("%d units × %d indicators × %d months", s.Units, s.Indicators, s.Months)
}
