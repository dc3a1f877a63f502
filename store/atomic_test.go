//go:build unix

package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/thidua/thidua"
)

// bigLoadRows is more than the 204,800 rows after which a DuckDB Appender
// commits on its own outside an explicit transaction.
const bigLoadRows = 300_000

func bigBatch(tag string) thidua.Batch {
	b := thidua.Batch{Source: thidua.Source{File: tag + ".csv", Name: tag + ".csv", SHA256: "sha-" + tag, Format: "csv"}}
	b.Observations = make([]thidua.Observation, 0, bigLoadRows)
	for i := range bigLoadRows {
		b.Observations = append(b.Observations, thidua.Observation{
			Unit: fmt.Sprintf("%s-%05d", tag, i/48), Indicator: "new_coops",
			Period: thidua.MonthPeriod(2000+i%48/12, i%12+1), Basis: thidua.PeriodBasis, Value: float64(i),
			Pos: thidua.Pos{File: tag + ".csv", Line: i + 2}})
	}
	b.Rows = bigLoadRows
	return b
}

// TestKilledLoadHelper is the child process of TestKilledLoadLeavesNothing:
// it loads one big batch and says when it starts and ends.
func TestKilledLoadHelper(t *testing.T) {
	path, tag := os.Getenv("THIDUA_TEST_LOAD_DB"), os.Getenv("THIDUA_TEST_LOAD_TAG")
	if path == "" {
		t.Skip("child process of TestKilledLoadLeavesNothing")
	}
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := bigBatch(tag)
	fmt.Println("loading")
	if _, err := db.LoadBatch(ctx, b, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	fmt.Println("loaded")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestKilledLoadLeavesNothing kills a process with SIGKILL while it loads a
// batch bigger than the Appender's own commit size, and checks that the
// database then holds either all of that file's rows or none.
func TestKilledLoadLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "k.duckdb")
	rng := rand.New(rand.NewPCG(6, 6))
	load := func(tag string, killAfter time.Duration) (started, finished bool, took time.Duration) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledLoadHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), "THIDUA_TEST_LOAD_DB="+path, "THIDUA_TEST_LOAD_TAG="+tag)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var t0 time.Time
		var timer <-chan time.Time
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					lines = nil
					break
				}
				switch l {
				case "loading":
					started, t0 = true, time.Now()
					if killAfter > 0 {
						timer = time.After(killAfter)
					}
				case "loaded":
					finished, took = true, time.Since(t0)
				}
				continue
			case <-timer:
				cmd.Process.Signal(syscall.SIGKILL)
				timer = nil
				continue
			}
			break
		}
		err = cmd.Wait()
		if killAfter == 0 && err != nil {
			t.Fatalf("load %s: %v\n%s", tag, err, stderr.String())
		}
		return started, finished, took
	}
	check := func(when string) (loads int) {
		db, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatalf("%s: open: %v", when, err)
		}
		defer db.Close()
		rows, err := db.SQL().Query(`SELECT l.file, l.inserted, (SELECT count(*) FROM observations o WHERE o.load_id = l.load_id)
			FROM loads l ORDER BY l.load_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var file string
			var inserted, held int
			if err := rows.Scan(&file, &inserted, &held); err != nil {
				t.Fatal(err)
			}
			if inserted != bigLoadRows || held != bigLoadRows {
				t.Errorf("%s: load of %s: inserted %d, held %d, want %d", when, file, inserted, held, bigLoadRows)
			}
			loads++
		}
		var orphans int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM observations WHERE load_id NOT IN (SELECT load_id FROM loads)`).Scan(&orphans); err != nil {
			t.Fatal(err)
		}
		if orphans != 0 {
			t.Errorf("%s: %d rows of a load that was never recorded (half-loaded file)", when, orphans)
		}
		return loads
	}

	_, _, took := load("full", 0)
	if n := check("after a complete load"); n != 1 {
		t.Fatalf("after a complete load: %d loads, want 1", n)
	}
	midLoad := 0
	for i := range 6 {
		tag := "k" + strconv.Itoa(i)
		delay := time.Duration(float64(took) * (0.05 + 0.9*rng.Float64()))
		started, finished, _ := load(tag, delay)
		if started && !finished {
			midLoad++
		}
		// Killed before its commit: nothing of it; after: all of it.
		n := check(fmt.Sprintf("after killing load %s at %v", tag, delay))
		if n != 1 && n != 2 || finished && n != 2 || !started && n != 1 {
			t.Errorf("after killing load %s (started %v, finished %v): %d loads, want 1 or 2", tag, started, finished, n)
		}
		// A finished child (or one killed right after its commit) leaves a
		// complete load; start each round from one complete load.
		if n == 2 {
			db, err := Open(context.Background(), path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().Exec(`DELETE FROM observations WHERE load_id <> 1; DELETE FROM loads WHERE load_id <> 1`); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
	}
	if midLoad == 0 {
		t.Fatalf("no child was killed in the middle of its load (full load took %v): the test proved nothing", took)
	}
	t.Logf("full load of %d rows took %v; %d of 6 children killed mid-load", bigLoadRows, took, midLoad)
}
