package listen

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
)

// displayFunc is a Display that only calls itself with each Result.
type displayFunc func(*Result)

func (f displayFunc) Request(r *Result) { f(r) }
func (displayFunc) NotShown(int64)      {}
func (displayFunc) Flush()              {}

// testDisplay records what it is shown; with block set, its first Flush
// never returns (a stdout nobody reads).
type testDisplay struct {
	mu       sync.Mutex
	results  []*Result
	notShown int64
	block    chan struct{}
}

func (d *testDisplay) Request(r *Result) {
	d.mu.Lock()
	d.results = append(d.results, r)
	d.mu.Unlock()
}

func (d *testDisplay) NotShown(n int64) {
	d.mu.Lock()
	d.notShown += n
	d.mu.Unlock()
}

func (d *testDisplay) Flush() {
	if d.block != nil {
		<-d.block
	}
}

func (d *testDisplay) shown() []*Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*Result(nil), d.results...)
}

// A display that blocks forever holds no answer: every request is
// answered and captured, the requests it could not show are counted, and
// the stop waits for it only DrainTimeout.
func TestBlockedDisplayDoesNotHoldAnswers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	w, err := capture.OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	d := &testDisplay{block: make(chan struct{})}
	defer close(d.block)
	const n = 200
	srv, stop := runServer(t, Config{Capture: w, Display: d, DisplayBody: 1 << 10, QueueLen: 8, DrainTimeout: 50 * time.Millisecond})
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range n {
		resp, err := client.Post(srv.URL(), "application/json", strings.NewReader(`{"event":"user.created","n":`+strings.Repeat("1", i%7+1)+`}`))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d", i, resp.StatusCode)
		}
	}
	start := time.Now()
	sum := stop()
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("stop waited %s for a blocked display", waited)
	}
	shown := int64(len(d.shown()))
	if sum.Requests != n || sum.NotShown == 0 || sum.NotShown+shown < n {
		t.Errorf("%d requests, %d given to the display, %d counted not shown", sum.Requests, shown, sum.NotShown)
	}
	if sum.NotShown > n {
		t.Errorf("%d not shown of %d", sum.NotShown, n)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		lines++
	}
	if lines != n {
		t.Errorf("%d records captured, want %d", lines, n)
	}
}

// A display that keeps up is shown every request, in order of the
// answers, with at most DisplayBody bytes of each body, copied.
func TestDisplayShowsEveryRequest(t *testing.T) {
	d := &testDisplay{}
	srv, stop := runServer(t, Config{Display: d, DisplayBody: 4})
	for _, body := range []string{`{"a":1}`, `xy`} {
		resp, err := http.Post(srv.URL(), "text/plain", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	sum := stop()
	got := d.shown()
	if len(got) != 2 || sum.NotShown != 0 || d.notShown != 0 {
		t.Fatalf("shown %d, not shown %d/%d", len(got), sum.NotShown, d.notShown)
	}
	if string(got[0].Body) != `{"a"` || got[0].Size != 7 || string(got[1].Body) != "xy" {
		t.Errorf("bodies %q (size %d), %q", got[0].Body, got[0].Size, got[1].Body)
	}
}

// The reporter tells the display how many it missed before the next one
// it shows, and never blocks the caller.
func TestReporterCountsWhatItDrops(t *testing.T) {
	d := &testDisplay{}
	p := newReporter(Config{Display: d, DisplayBody: 10, QueueLen: 2, QueueBytes: 15})
	for range 3 { // the third is over QueueLen
		p.report(&Result{Body: []byte("12345")})
	}
	p.report(&Result{Body: []byte("0123456789")}) // over QueueBytes
	go p.run()
	for len(d.shown()) < 2 {
		time.Sleep(time.Millisecond)
	}
	p.report(&Result{})
	if got := p.stop(time.Second); got != 2 {
		t.Errorf("not shown %d, want 2", got)
	}
	if len(d.shown()) != 3 || d.notShown != 2 {
		t.Errorf("shown %d, told %d not shown", len(d.shown()), d.notShown)
	}
}
