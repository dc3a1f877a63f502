package workers

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// Every job runs once, never more than limit at a time, and the error is
// the lowest failing index's even when a later job fails first.
func TestRun(t *testing.T) {
	err7, err31 := errors.New("job 7"), errors.New("job 31")
	for _, limit := range []int{0, 1, 3, 8, 100} {
		const n = 40
		var ran [n]atomic.Int32
		var running, most atomic.Int32
		err := Run(n, limit, func(i int) error {
			ran[i].Add(1)
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			defer running.Add(-1)
			if i == 7 {
				time.Sleep(5 * time.Millisecond) // fails after 31 has
				return err7
			}
			if i == 31 {
				return err31
			}
			return nil
		})
		if !errors.Is(err, err7) {
			t.Errorf("limit %d: error %v, want job 7's", limit, err)
		}
		for i := range ran {
			if got := ran[i].Load(); got != 1 {
				t.Errorf("limit %d: job %d ran %d times", limit, i, got)
			}
		}
		if want := int32(max(limit, 1)); most.Load() > want {
			t.Errorf("limit %d: %d jobs at once", limit, most.Load())
		}
	}
	if err := Run(0, 4, func(int) error { return errors.New("no job to run") }); err != nil {
		t.Errorf("no jobs: %v", err)
	}
}
