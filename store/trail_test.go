package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A value's trail: reported, corrected, the correction undone, removed by
// undoing its first report, reported again; each step with its load, file,
// cells, values and the load's status now.
func TestHistory(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a := mustLoad(t, db, testBatch("a.csv", 1, 2)).Load
	b := mustLoad(t, db, testBatch("b.csv", 1, 5)).Load // corrects Feb
	if err := db.SetArchived(ctx, b.ID, "archive/b.20260301T080000Z.csv"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Undo(ctx, b.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Undo(ctx, a.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t, db, testBatch("c.csv", 7, 8)).Load
	hs, err := db.History(ctx, "060", "new_coops", "2020-02")
	if err != nil {
		t.Fatal(err)
	}
	num := func(v *float64) string {
		if v == nil {
			return "-"
		}
		return fmt.Sprint(*v)
	}
	var got []string
	for _, h := range hs {
		got = append(got, fmt.Sprintf("%s %s load %d (%s, %s, %q) %s@%s -> %s@%s", h.Basis, h.Action, h.Load, h.File, h.Status, h.Archived,
			num(h.Old), h.OldSource, num(h.New), h.NewSource))
	}
	want := []string{
		fmt.Sprintf(`period insert load %d (a.csv, undone, "") -@ -> 2@a.csv:3`, a.ID),
		fmt.Sprintf(`period update load %d (b.csv, undone, "archive/b.20260301T080000Z.csv") 2@a.csv:3 -> 5@b.csv:3`, b.ID),
		fmt.Sprintf(`period undo load %d (b.csv, undone, "archive/b.20260301T080000Z.csv") 5@b.csv:3 -> 2@a.csv:3`, b.ID),
		fmt.Sprintf(`period undo load %d (a.csv, undone, "") 2@a.csv:3 -> -@`, a.ID),
		fmt.Sprintf(`period insert load %d (c.csv, loaded, "") -@ -> 8@c.csv:3`, c.ID),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// January: reported by a, removed by its undo, reported by c.
	hs, err = db.History(ctx, "060", "new_coops", "2020-01")
	if err != nil || len(hs) != 3 || hs[1].Action != "undo" || hs[2].Action != "insert" || hs[2].Load != c.ID || *hs[2].New != 7 || hs[2].NewSource != "c.csv:2" {
		t.Errorf("an unchanged value: %+v %v", hs, err)
	}
	// Nothing held: no trail.
	if hs, err := db.History(ctx, "060", "new_coops", "2021-01"); err != nil || len(hs) != 0 {
		t.Errorf("nothing: %+v %v", hs, err)
	}
	ls, err := db.Loads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if want := map[int64]string{b.ID: "archive/b.20260301T080000Z.csv"}[l.ID]; l.Archived != want {
			t.Errorf("load %d archived %q, want %q", l.ID, l.Archived, want)
		}
	}
}
