package dashboards

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/thidua/thidua"
	"github.com/thidua/thidua/internal/keep"
)

// periodKeysFile (in dataDir) holds the key of each period whose files a
// site holds, for the next rendering to tell which it can keep.
const periodKeysFile = "periods.json"

// periodKeys is the key of each period of the site: what its period
// files are made from. rows are the database's keys of its indicator_pop
// rows (nil: no period is ever kept); the key adds the period's scores and
// award proposals and what every file depends on: the cluster's
// configuration (units, indicators, names, rules), the options, and this
// executable (its code, templates and messages). A period without a key
// is always rendered. "@YEAR" lists the periods of each year: a period
// file holds a few of a year's periods (siteRun.periodFiles), kept only
// when its year has the same periods (the same files) as before.
func periodKeys(rows map[string]string, r thidua.Report, ix *index, o Options) map[string]string {
	if rows == nil {
		return nil
	}
	exe := exeHash()
	if exe == "" {
		return nil
	}
	site := sha256.New()
	cl, err := json.Marshal(r.Cluster)
	if err != nil {
		return nil
	}
	fmt.Fprintf(site, "thidua period files\x00%s\x00%s\x00%d\x00%t\x00", exe, o.Lang, o.LargeCluster, r.Synthetic)
	site.Write(cl)
	siteSum := site.Sum(nil)
	keys := map[string]string{}
	for _, p := range ix.periods {
		k, ok := rows[p.String()]
		if !ok {
			continue
		}
		js, err := json.Marshal(struct {
			Scores    []thidua.ScoreRow
			Proposals []thidua.Proposal
		}{ix.scores[p], r.Proposals[p]})
		if err != nil {
			continue // (a value JSON cannot hold: rendered every time)
		}
		h := sha256.New()
		h.Write(siteSum)
		fmt.Fprintf(h, "\x00%s\x00%s\x00", p, k)
		h.Write(js)
		keys[p.String()] = hex.EncodeToString(h.Sum(nil))
	}
	for _, p := range ix.periods {
		y := "@" + strconv.Itoa(p.Year)
		if keys[y] != "" {
			keys[y] += " "
		}
		keys[y] += p.String()
	}
	return keys
}

var exeOnce struct {
	sync.Once
	sum string
}

// exeHash is the SHA-256 of the running executable ("" if it cannot be
// read): a period file kept from an earlier site was made by the same code.
func exeHash() string {
	exeOnce.Do(func() {
		path, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(path)
		if err != nil {
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return
		}
		exeOnce.sum = hex.EncodeToString(h.Sum(nil))
	})
	return exeOnce.sum
}

// writePeriodKeys writes keys to dir's data/periods.json (nothing when
// keys is nil), sorted: the same bytes for the same keys.
func writePeriodKeys(dir string, keys map[string]string) error {
	if keys == nil {
		return nil
	}
	ps := make([]string, 0, len(keys))
	for p := range keys {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	var w jsonw
	w.WriteString("{\n")
	for i, p := range ps {
		w.WriteString("  ")
		w.str(p)
		w.WriteString(": ")
		w.str(keys[p])
		if i < len(ps)-1 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
	}
	w.WriteString("}\n")
	if err := os.WriteFile(filepath.Join(dir, dataDir, periodKeysFile), w.Bytes(), 0o644); err != nil {
		return fmt.Errorf("dashboards: %w", err)
	}
	return nil
}

// readPeriodKeys reads the period keys of the site in prev: none when
// prev is "", is not a folder (a link is not followed), or has no
// readable keys file.
func readPeriodKeys(prev string) map[string]string {
	keys := map[string]string{}
	if prev == "" || !realDir(prev) { // keep.ReadFile checks data/ and the file
		return keys
	}
	b, err := keep.ReadFile(filepath.Join(prev, dataDir), periodKeysFile)
	if err != nil || json.Unmarshal(b, &keys) != nil {
		return map[string]string{}
	}
	return keys
}

func realDir(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}

// takeOver links the regular file from to the new name to (or copies it
// where the file system cannot link); false when from is missing, not a
// regular file (a link is never followed) or cannot be taken over.
func takeOver(from, to string) bool {
	return keep.File(from, to) == nil
}
