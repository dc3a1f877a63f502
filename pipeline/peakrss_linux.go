package pipeline

import (
	"bytes"
	"os"
	"strconv"
)

// peakRSS is the process's peak resident set size so far in bytes
// (VmHWM of /proc/self/status), 0 when it cannot be read.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			f := bytes.Fields(v) // "123456", "kB"
			if len(f) == 2 && string(f[1]) == "kB" {
				if n, err := strconv.ParseInt(string(f[0]), 10, 64); err == nil {
					return n << 10
				}
			}
		}
	}
	return 0
}
