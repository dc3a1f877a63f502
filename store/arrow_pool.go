//go:build duckdb_arrow

package store

import (
	"sync"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// bufPool is an Arrow memory.Allocator that keeps the buffers DuckDB
// releases and hands them out again. stageReader builds one record batch
// after another of the same shape: with the Go allocator every batch's
// buffers were new memory (about 270 bytes per fact, most of the Go heap
// an ingest allocates), which the kernel had to fault in and zero and whose
// growth set off collections that scan the batch's facts again and again.
// Buffers are zeroed when handed out, as the Go allocator's are.
//
// Buffers come back on DuckDB's threads (the C stream's release callbacks),
// hence the lock. The pool keeps at most maxBytes; it is dropped with the
// reader.
type bufPool struct {
	mu       sync.Mutex
	free     [][]byte // whole buffers, each 64-byte aligned
	bytes    int
	maxBytes int
}

func newBufPool(maxBytes int) *bufPool { return &bufPool{maxBytes: maxBytes} }

// poolAlign is Arrow's buffer alignment (memory.GoAllocator's).
const poolAlign = 64

func (p *bufPool) Allocate(size int) []byte {
	p.mu.Lock()
	best := -1
	for i, b := range p.free {
		if cap(b) >= size && (best < 0 || cap(b) < cap(p.free[best])) {
			best = i
		}
	}
	if best >= 0 {
		b := p.free[best]
		last := len(p.free) - 1
		p.free[best], p.free[last] = p.free[last], nil
		p.free = p.free[:last]
		p.bytes -= cap(b)
		p.mu.Unlock()
		b = b[:size]
		clear(b)
		return b
	}
	p.mu.Unlock()
	buf := make([]byte, size+poolAlign)
	shift := 0
	if r := int(uintptrOf(buf)) % poolAlign; r != 0 {
		shift = poolAlign - r
	}
	return buf[shift : shift+size : shift+size]
}

func (p *bufPool) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		return b[:size]
	}
	nb := p.Allocate(size)
	copy(nb, b)
	p.Free(b)
	return nb
}

func (p *bufPool) Free(b []byte) {
	if cap(b) == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bytes+cap(b) > p.maxBytes {
		return // the collector has it
	}
	p.free = append(p.free, b[:0])
	p.bytes += cap(b)
}

var _ memory.Allocator = (*bufPool)(nil)

// uintptrOf is the address of b's first byte.
func uintptrOf(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
