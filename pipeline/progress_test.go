package pipeline

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// TestProgressLine draws the progress line into a buffer standing for a
// terminal, and checks it is silent on anything that is not a terminal.
func TestProgressLine(t *testing.T) {
	if p := newProgress(&bytes.Buffer{}); p != nil {
		t.Error("progress on a buffer, want none off a terminal")
	}
	if f, err := os.CreateTemp(t.TempDir(), "log"); err == nil {
		if p := newProgress(f); p != nil {
			t.Error("progress on a regular file, want none")
		}
		f.Close()
	}
	var nilp *progress
	nilp.Start("ingest", 3) // a nil progress draws nothing and does not panic
	nilp.Next("a.csv")
	nilp.Done()

	var buf bytes.Buffer
	p := &progress{w: &buf}
	p.Start("ingest", 4)
	p.Next("a.csv")
	p.Next("b.csv")
	p.Write([]byte("time=... level=INFO msg=loaded\n"))
	p.Done()
	p.Start("transform", 0)
	time.Sleep(450 * time.Millisecond)
	p.Done()
	out := buf.String()
	for _, want := range []string{"ingest", "[############------------] 2/4", "b.csv", "\r\033[K", "transform", "<=>"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output lacks %q: %q", want, out)
		}
	}
	// The log line starts on a cleared line, on its own.
	if !strings.Contains(out, "\r\033[Ktime=... level=INFO msg=loaded\n") {
		t.Errorf("log line not written on a cleared line: %q", out)
	}
	if !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("progress not cleared at the end: %q", out)
	}
}
