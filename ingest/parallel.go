package ingest

import (
	"runtime"

	"github.com/thidua/thidua"
)

// rowResult is what validating one row gives: its problems, or its n facts.
type rowResult struct {
	probs []thidua.Problem
	facts [2]fact
	n     int
}

// validateChunk is the number of rows a worker validates at a time.
const validateChunk = 2048

// validateRows validates rows with validate and adds the results to b in
// row order, counting every row in b.Batch.Rows: problems as they come, and
// facts through addFact, whose duplicate check thus sees them in file order.
// Validation runs on every CPU in chunks of rows, each worker with a copy of
// b.Opts that has a lookup cache of its own; the facts and problems, their
// order and the batch are the same as validating the rows one by one.
func validateRows(b *builder, rows []tableRow, validate func(*Options, tableRow, *rowResult)) {
	add := func(r *rowResult) {
		b.Batch.Rows++
		if len(r.probs) > 0 {
			b.problems(r.probs...)
			return
		}
		for i := range r.n {
			b.addFactRef(&r.facts[i])
		}
	}
	workers := min(runtime.GOMAXPROCS(0), (len(rows)+validateChunk-1)/validateChunk)
	if workers <= 1 {
		var r rowResult
		for _, row := range rows {
			validate(&b.Opts, row, &r)
			add(&r)
		}
		return
	}

	type chunk struct {
		rows []tableRow
		out  []rowResult
		done chan struct{}
	}
	// At most 2×workers chunks are in flight; their buffers are reused.
	free := make(chan []rowResult, 2*workers)
	for range cap(free) {
		free <- make([]rowResult, 0, validateChunk)
	}
	jobs := make(chan *chunk)
	pending := make(chan *chunk, 2*workers)
	go func() {
		for len(rows) > 0 {
			n := min(validateChunk, len(rows))
			c := &chunk{rows: rows[:n], out: <-free, done: make(chan struct{})}
			rows = rows[n:]
			pending <- c
			jobs <- c
		}
		close(jobs)
		close(pending)
	}()
	for range workers {
		o := b.Opts
		o.cache = b.Opts.cache.fork()
		go func() {
			for c := range jobs {
				c.out = c.out[:len(c.rows)]
				for i, row := range c.rows {
					validate(&o, row, &c.out[i])
				}
				close(c.done)
			}
		}()
	}
	for c := range pending {
		<-c.done
		for i := range c.out {
			add(&c.out[i])
			// Drop what the buffer holds for the collector; its facts
			// were copied into the batch.
			c.out[i].probs = nil
		}
		free <- c.out[:0]
	}
}
