package capture

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func readAll(t *testing.T, path string) (recs []*Record, warnings []string) {
	t.Helper()
	f, r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r.Warn = func(m string) { warnings = append(warnings, m) }
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, warnings
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
}

func record(id string, body string) *Record {
	rec := &Record{ID: id, Time: time.Unix(1700000000, 0).UTC(), Method: "POST", Path: "/hooks", Status: 200}
	rec.SetBody([]byte(body))
	return rec
}

// While one batch is being written, every record that arrives waits and the
// next commit takes all of them in one write.
func TestGroupCommitTakesEveryWaitingRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "captures.jsonl")
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	sizes := make(chan int, 4)
	release := make(chan struct{})
	first := true
	w.beforeCommit = func(size int) {
		sizes <- size
		if first {
			first = false
			<-release // hold the first commit until the others are queued
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	send := func(i int) {
		defer wg.Done()
		errs <- w.Append(record(fmt.Sprintf("cap_%03d", i), fmt.Sprintf(`{"n":%d}`, i)))
	}
	wg.Add(1)
	go send(0)
	if size := <-sizes; size != 1 {
		t.Fatalf("first batch %d records, want 1", size)
	}
	for i := 1; i < n; i++ {
		wg.Add(1)
		go send(i)
	}
	for len(w.reqs) < n-1 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	close(sizes)
	var rest []int
	for s := range sizes {
		rest = append(rest, s)
	}
	if len(rest) != 1 || rest[0] != n-1 {
		t.Fatalf("batches after the first: %v, want one of %d", rest, n-1)
	}
	recs, warnings := readAll(t, path)
	if len(recs) != n || len(warnings) != 0 {
		t.Fatalf("%d records, warnings %v", len(recs), warnings)
	}
}

func TestAppendReturnsAfterTheLineIsInTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "captures.jsonl")
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	body := "{\"name\":\"Zoë <b>&</b>\"}\n"
	if err := w.Append(record("cap_1", body)); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(raw), "\n") || strings.Count(string(raw), "\n") != 1 {
		t.Fatalf("file %q", raw)
	}
	if !strings.Contains(string(raw), `Zoë <b>&</b>`) {
		t.Errorf("body was escaped: %s", raw)
	}
	recs, _ := readAll(t, path)
	if b, _ := recs[0].BodyBytes(); string(b) != body {
		t.Errorf("body %q", b)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}

func TestOpenRepairsATornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "captures.jsonl")
	good := `{"v":1,"id":"cap_1","method":"POST","path":"/"}` + "\n"
	if err := os.WriteFile(path, []byte(good+`{"v":1,"id":"cap_2","meth`), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Repaired {
		t.Error("Repaired not set")
	}
	if err := w.Append(record("cap_3", "x")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	recs, warnings := readAll(t, path)
	if len(recs) != 2 || recs[0].ID != "cap_1" || recs[1].ID != "cap_3" {
		t.Fatalf("records %v", recs)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], ":2: skipped") {
		t.Errorf("warnings %v", warnings)
	}

	// a clean file is left alone
	w, err = OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	if w.Repaired {
		t.Error("Repaired set on a clean file")
	}
	w.Close()
}

// writerWithOne opens a new capture file and appends cap_1 with body to it.
func writerWithOne(t *testing.T, body string) (string, *Writer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "captures.jsonl")
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.Append(record("cap_1", body)); err != nil {
		t.Fatal(err)
	}
	return path, w
}

// Another process that dies mid-line while this one runs: the next batch
// still starts on its own line.
func TestEachBatchStartsOnItsOwnLine(t *testing.T) {
	path, w := writerWithOne(t, "a")
	other, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	other.WriteString(`{"v":1,"id":"cap_torn","bo`)
	other.Close()
	if err := w.Append(record("cap_2", "b")); err != nil {
		t.Fatal(err)
	}
	recs, warnings := readAll(t, path)
	if len(recs) != 2 || recs[1].ID != "cap_2" || len(warnings) != 1 {
		t.Fatalf("records %d, warnings %v", len(recs), warnings)
	}
}

func TestCloseFlushesAndRefusesLaterAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "captures.jsonl")
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w.Append(record(fmt.Sprintf("cap_%d", i), "x")) == nil {
				mu.Lock()
				acked++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("cap_late", "x")); err != ErrClosed {
		t.Errorf("append after close: %v", err)
	}
	recs, _ := readAll(t, path)
	if len(recs) != acked || acked != 50 {
		t.Errorf("%d records for %d acknowledged", len(recs), acked)
	}
}

func TestAppendLineRejectsPartialLines(t *testing.T) {
	w, err := OpenWriter(filepath.Join(t.TempDir(), "c.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, bad := range []string{"", "{}", "{}\n{}\n"} {
		if w.AppendLine([]byte(bad)) == nil {
			t.Errorf("AppendLine(%q) accepted", bad)
		}
	}
}

// Two processes, and two descriptors in each, append large records to one
// file at once: every line is whole.
func TestConcurrentWritersDoNotInterleave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "captures.jsonl")
	const perWriter = 60
	var procs []*exec.Cmd
	for p := range 2 {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "HOOKCTL_CAPTURE_HELPER="+path, "HOOKCTL_CAPTURE_HELPER_NAME=p"+strconv.Itoa(p),
			"HOOKCTL_CAPTURE_HELPER_N="+strconv.Itoa(perWriter))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	for _, cmd := range procs {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper: %v", err)
		}
	}
	recs, warnings := readAll(t, path)
	if len(warnings) != 0 {
		t.Fatalf("warnings: %v", warnings)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		b, err := r.BodyBytes()
		if err != nil || len(b) != int(r.BodySize) || strings.Trim(string(b), string(b[0])) != "" {
			t.Fatalf("record %s: body of %d bytes is not whole", r.ID, len(b))
		}
		seen[r.ID] = true
	}
	if want := 2 * 2 * perWriter; len(recs) != want || len(seen) != want {
		t.Fatalf("%d records (%d distinct), want %d", len(recs), len(seen), want)
	}
}

// TestMain runs the child processes of TestConcurrentWritersDoNotInterleave.
func TestMain(m *testing.M) {
	if path := os.Getenv("HOOKCTL_CAPTURE_HELPER"); path != "" {
		if err := writerProcess(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// writerProcess appends records from two descriptors at once.
func writerProcess(path string) error {
	name := os.Getenv("HOOKCTL_CAPTURE_HELPER_NAME")
	n, _ := strconv.Atoi(os.Getenv("HOOKCTL_CAPTURE_HELPER_N"))
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for fd := range 2 {
		w, err := OpenWriter(path)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer w.Close()
			var inner sync.WaitGroup
			for i := range n {
				inner.Add(1)
				go func() {
					defer inner.Done()
					// 64 KiB to 256 KiB bodies of one repeated letter: a
					// mixed-up line would show as a wrong letter or length.
					letter := string(rune('a' + (fd*n+i)%26))
					body := strings.Repeat(letter, 64<<10+(i%4)*64<<10)
					if err := w.Append(record(fmt.Sprintf("cap_%s_%d_%d", name, fd, i), body)); err != nil {
						errs <- err
					}
				}()
			}
			inner.Wait()
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// A new capture file reports itself created, with the folders made for it
// listed deepest first (their parents are synced); an existing one does not.
func TestOpenOrCreateAndMissingDirs(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b")
	if got, want := missingDirs(dir), []string{dir, filepath.Join(root, "a")}; !slices.Equal(got, want) {
		t.Errorf("missingDirs = %q, want %q", got, want)
	}
	if got := missingDirs(root); len(got) != 0 {
		t.Errorf("missingDirs(existing) = %q", got)
	}
	path := filepath.Join(dir, "c.jsonl")
	w, err := OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	f, created, err := openOrCreate(path)
	if err != nil || created {
		t.Fatalf("reopen: created=%v err=%v", created, err)
	}
	f.Close()
	f, created, err = openOrCreate(filepath.Join(dir, "new.jsonl"))
	if err != nil || !created {
		t.Fatalf("new: created=%v err=%v", created, err)
	}
	f.Close()
}

// A write that fails half way (disk full) is cut back to the last complete
// record: the failed batch's records, whose senders got an error, are not
// in the file, and the next batch starts cleanly.
func TestFailedWriteIsCutBack(t *testing.T) {
	path, w := writerWithOne(t, "kept")
	before, _ := os.ReadFile(path)
	w.writeHook = func(f *os.File, b []byte) error {
		if _, err := f.Write(b[:len(b)/2]); err != nil {
			return err
		}
		return &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	err := w.Append(record("cap_2", "lost"))
	if err == nil || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("append on a full disk: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatalf("file after the failed write:\n%s\nwant:\n%s", after, before)
	}
	w.writeHook = nil
	if err := w.Append(record("cap_3", "next")); err != nil {
		t.Fatal(err)
	}
	recs, warnings := readAll(t, path)
	if len(recs) != 2 || recs[0].ID != "cap_1" || recs[1].ID != "cap_3" || len(warnings) != 0 {
		t.Fatalf("records %v, warnings %v", recs, warnings)
	}
}

// Log rotation: when the capture file is renamed away and replaced, or
// deleted, the next record goes to the file at the path, created again if
// needed; what was written before stays in the rotated file.
func TestRotatedFileIsReopened(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("an open file cannot be renamed or removed on windows")
	}
	path, w := writerWithOne(t, "a")
	dir := filepath.Dir(path)
	// logrotate's default: rename, then create a new empty file.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("cap_2", "b")); err != nil {
		t.Fatal(err)
	}
	// Deleted outright.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("cap_3", "c")); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("cap_4", "d")); err != nil {
		t.Fatal(err)
	}
	ids := func(p string) (out []string) {
		recs, _ := readAll(t, p)
		for _, r := range recs {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(path + ".1"); !slices.Equal(got, []string{"cap_1"}) {
		t.Errorf("rotated file: %v", got)
	}
	if got := ids(path); !slices.Equal(got, []string{"cap_3", "cap_4"}) {
		t.Errorf("file at the path: %v", got)
	}
	if n := w.Reopened.Load(); n != 2 {
		t.Errorf("reopened %d times, want 2", n)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("recreated file: %v %v", st, err)
	}
	// A folder that is gone cannot be recreated: the record is refused
	// with an error that says why.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(record("cap_5", "e")); err == nil || !strings.Contains(err.Error(), "removed or replaced while listening") {
		t.Errorf("append after the folder was removed: %v", err)
	}
}

// A file put in place of the open one that ends mid-line (another
// listen's, killed): the batch that goes there after reopening starts on
// its own line.
func TestReopenedFileWithATornLineGetsAFreshLine(t *testing.T) {
	path, w := writerWithOne(t, "a")
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"v":1,"id":"cap_torn","bo`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"cap_2", "cap_3"} {
		if err := w.Append(record(id, "b")); err != nil {
			t.Fatal(err)
		}
	}
	recs, warnings := readAll(t, path)
	if len(recs) != 2 || recs[0].ID != "cap_2" || recs[1].ID != "cap_3" || len(warnings) != 1 {
		t.Fatalf("records %+v, warnings %v", recs, warnings)
	}
}
