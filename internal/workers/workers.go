// Package workers runs a numbered set of jobs on a bounded number of
// goroutines.
package workers

import (
	"sync"
	"sync/atomic"
)

// Run runs f(0) … f(n-1) on up to limit goroutines (at least one) and
// returns the error of the lowest index that failed, so that the error a
// run reports does not depend on which goroutine was faster. Every job
// runs, whatever the others return.
func Run(n, limit int, f func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(limit, 1), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				errs[i] = f(i)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
