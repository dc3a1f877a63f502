package pipeline

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/thidua/thidua/config"
)

// progress draws one line on a terminal showing the step in progress (ingest,
// transform, render, export): a bar with a count when the step knows how many
// items it has, a moving marker with the elapsed time when it does not. On
// anything but a terminal it draws nothing, so cron mails and log files get
// only the log lines. Log lines written through it (Write) clear the bar
// first and redraw it after, so the two never mix on one line. A nil
// *progress draws nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	step  string
	total int // 0: unknown
	done  int
	item  string
	start time.Time
	drawn bool
	stop  chan struct{}
	wg    sync.WaitGroup
}

// newProgress returns a progress drawing on w, or nil when w is not a
// terminal.
func newProgress(w io.Writer) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{w: w}
}

// Start shows step; total is its number of items, 0 if unknown.
func (p *progress) Start(step string, total int) {
	if p == nil {
		return
	}
	p.Done()
	p.mu.Lock()
	p.step, p.total, p.done, p.item, p.start = step, total, 0, "", time.Now()
	p.stop = make(chan struct{})
	p.draw()
	p.mu.Unlock()
	p.wg.Add(1)
	go func(stop chan struct{}) {
		defer p.wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				p.mu.Lock()
				p.draw()
				p.mu.Unlock()
			}
		}
	}(p.stop)
}

// Next says the step moves on to item.
func (p *progress) Next(item string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.item = item
	p.draw()
}

// Done ends the step and clears its line.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	p.clear()
	p.step = ""
	p.mu.Unlock()
	p.wg.Wait()
}

// Write writes a log line above the bar.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	n, err := p.w.Write(b)
	p.draw()
	return n, err
}

func (p *progress) clear() {
	if p.drawn {
		io.WriteString(p.w, "\r\033[K")
		p.drawn = false
	}
}

const barWidth = 24

// draw redraws the line; p.mu is held.
func (p *progress) draw() {
	if p.step == "" {
		return
	}
	elapsed := time.Since(p.start)
	var bar string
	if p.total > 0 {
		fill := min(barWidth, p.done*barWidth/p.total)
		bar = fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("#", fill), strings.Repeat("-", barWidth-fill), p.done, p.total)
	} else {
		// A marker bouncing from end to end, one cell per tick.
		pos := int(elapsed/(200*time.Millisecond)) % (2 * (barWidth - 3))
		if pos >= barWidth-3 {
			pos = 2*(barWidth-3) - pos
		}
		bar = "[" + strings.Repeat(" ", pos) + "<=>" + strings.Repeat(" ", barWidth-3-pos) + "]"
	}
	item := p.item
	if utf8.RuneCountInString(item) > 40 {
		r := []rune(item)
		item = "…" + string(r[len(r)-39:])
	}
	fmt.Fprintf(p.w, "\r\033[K%-10s %s %5.1fs %s", p.step, bar, elapsed.Seconds(), item)
	p.drawn = true
}

// progressLogger returns the logger of cfg writing through p, so that log
// lines and the bar share the terminal; it mirrors loadConfig's choice of
// handler and level.
func progressLogger(cfg *config.Config, p *progress) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(p, opts))
	}
	return slog.New(slog.NewTextHandler(p, opts))
}
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
