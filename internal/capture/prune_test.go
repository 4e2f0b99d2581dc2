package capture

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writeRecords(t *testing.T, path string, start time.Time, n int) {
	t.Helper()
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		rec := &Record{V: Version, ID: fmt.Sprintf("cap_%03d", i), Time: start.Add(time.Duration(i) * time.Hour), Method: "POST", Path: "/"}
		rec.SetBody([]byte(fmt.Sprintf(`{"n":%d}`, i)))
		if err := w.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func ids(t *testing.T, path string) []string {
	t.Helper()
	f, r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec.ID)
	}
}

// Prune keeps the newest records, in place: a writer that was open
// before the prune keeps appending to the same file after it.
func TestPrune(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeRecords(t, path, start, 10)
	w, err := OpenWriter(path) // a listen running meanwhile
	if err != nil {
		t.Fatal(err)
	}
	res, err := Prune(path, PruneOptions{Keep: 4})
	if err != nil || res.Removed != 6 || res.Kept != 4 || res.After >= res.Before {
		t.Fatalf("keep 4: %+v %v", res, err)
	}
	if got := fmt.Sprint(ids(t, path)); got != "[cap_006 cap_007 cap_008 cap_009]" {
		t.Fatalf("kept %s", got)
	}
	if err := w.Append(&Record{V: Version, ID: "cap_new", Time: start.Add(100 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if got := fmt.Sprint(ids(t, path)); got != "[cap_006 cap_007 cap_008 cap_009 cap_new]" {
		t.Fatalf("after an append: %s", got)
	}
	res, err = Prune(path, PruneOptions{Keep: -1, Before: start.Add(8 * time.Hour)})
	if err != nil || res.Removed != 2 || res.Kept != 3 {
		t.Fatalf("older than: %+v %v", res, err)
	}
	if got := fmt.Sprint(ids(t, path)); got != "[cap_008 cap_009 cap_new]" {
		t.Fatalf("kept %s", got)
	}
	res, err = Prune(path, PruneOptions{Keep: -1})
	if err != nil || res.Removed != 0 || res.After != res.Before {
		t.Fatalf("nothing to do: %+v %v", res, err)
	}
	res, err = Prune(path, PruneOptions{Clear: true, Keep: -1})
	if st, _ := os.Stat(path); err != nil || res.Removed != 3 || st.Size() != 0 {
		t.Fatalf("clear: %+v %v", res, err)
	}
}

func TestFind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	writeRecords(t, path, time.Now(), 3)
	for id, want := range map[string]string{"": "cap_002", "cap_001": "cap_001"} {
		if rec, err := Find(path, id, nil); err != nil || rec.ID != want {
			t.Errorf("Find(%q) = %v, %v; want %s", id, rec, err, want)
		}
	}
	if _, err := Find(path, "cap_00", nil); err != ErrNoCapture {
		t.Errorf("a prefix under 8 characters: %v", err)
	}
	if _, err := Find(path, "cap_000", nil); err != nil {
		t.Errorf("exact: %v", err)
	}
}

func TestSizeWatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	writeRecords(t, path, time.Now(), 1)
	w := &SizeWatch{Path: path, Limit: 1 << 20}
	if w.Check() != 0 {
		t.Fatal("a small file was reported")
	}
	w = &SizeWatch{Path: path, Limit: 10}
	if w.Check() == 0 {
		t.Fatal("a file over the limit was not reported")
	}
	for i := 0; i < 600; i++ {
		if w.Check() != 0 {
			t.Fatal("reported twice")
		}
	}
}
