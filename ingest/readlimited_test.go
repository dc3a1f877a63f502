package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand"
	"testing"
)

// refReadLimited is readLimited's contract, one byte at a time: the whole
// text, or none of it and the line (counted at \n) of the first line
// longer than maxLine bytes, a line ending at \n or \r.
func refReadLimited(data []byte, maxLine int) ([]byte, int) {
	line, n := 1, 0
	for _, c := range data {
		if c == '\n' || c == '\r' {
			if c == '\n' {
				line++
			}
			n = 0
			continue
		}
		if n++; n > maxLine {
			return nil, line
		}
	}
	return data, 0
}

// TestReadLimitedLines reads random texts of \n, \r\n and lone \r lines,
// some longer than the limit and some across the reader's 64 KiB chunks,
// and compares the kept text, the long line's number and the hash with
// refReadLimited's.
func TestReadLimitedLines(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	ends := []string{"\n", "\r\n", "\r"}
	for k := range 60 {
		maxLine := 50 + rng.Intn(200)
		var b bytes.Buffer
		size := 1000 + rng.Intn(300_000)
		for b.Len() < size {
			n := rng.Intn(maxLine)
			if rng.Intn(400) == 0 && k%3 == 0 {
				n = maxLine + 1 + rng.Intn(100_000) // a line over the limit, maybe over a chunk
			}
			b.Write(bytes.Repeat([]byte{'a' + byte(rng.Intn(26))}, n))
			b.WriteString(ends[rng.Intn(len(ends))])
		}
		data := b.Bytes()
		if k%5 == 0 {
			data = bytes.ReplaceAll(data, []byte("\r"), nil) // chunks without \r
		}
		got, long, size2, sum, err := readLimited(bytes.NewReader(data), 1<<30, maxLine)
		if err != nil {
			t.Fatal(err)
		}
		want, wantLong := refReadLimited(data, maxLine)
		h := sha256.Sum256(data)
		if !bytes.Equal(got, want) || long != wantLong || size2 != int64(len(data)) || sum != hex.EncodeToString(h[:]) {
			t.Fatalf("text %d (%d bytes, max line %d): kept %d bytes (want %d), long line %d (want %d), size %d, sum ok %v",
				k, len(data), maxLine, len(got), len(want), long, wantLong, size2, sum == hex.EncodeToString(h[:]))
		}
	}
}
