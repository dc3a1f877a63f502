package transform

import (
	"log/slog"
	"strings"
	"testing"
)

// TestStepsLogged checks that every model's duration goes to the logger the
// caller gives, at debug level, so `--log-level debug` shows where a slow
// transform spends its time.
func TestStepsLogged(t *testing.T) {
	f := newFixture(t, testCluster())
	f.months("U1", "new_coops", 2020, 1, 1, 2, 3)
	var buf strings.Builder
	f.run(Options{Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	out := buf.String()
	for _, s := range Steps() {
		if !strings.Contains(out, "step="+s.Name+" ") {
			t.Errorf("step %s not logged:\n%s", s.Name, out)
		}
	}
}
