package replay

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
)

// writeCaptures writes n captures of about 450 bytes each to a file.
func writeCaptures(t *testing.T, n int) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "captures.jsonl")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(fh, 1<<20)
	var buf bytes.Buffer
	yes := true
	for i := range n {
		body := fmt.Sprintf(`{"event_id":"evt_%020d","event":"connection.updated","timestamp":"2025-01-10T10:00:00.000Z","data":{"user_id":"usr_%d","status":"paused","connection_id":"con_ck76b3r3c68otqfg5c3g","note":"%s"}}`,
			i, i, strings.Repeat("x", 20))
		rec := &capture.Record{
			ID: fmt.Sprintf("cap_%08d", i), Time: time.Date(2025, 1, 10, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond),
			RemoteAddr: "127.0.0.1:50000", Method: "POST", Path: "/webhooks",
			Headers:  http.Header{"Content-Type": {"application/json"}, "User-Agent": {"Notify/1.0"}, "X-Notify-Signature": {strings.Repeat("ab", 32)}},
			Provider: "notify", Event: "connection.updated", EventID: fmt.Sprintf("evt_%020d", i), Verified: &yes, Status: 200,
		}
		rec.SetBody([]byte(body))
		buf.Reset()
		if err := capture.EncodeLine(&buf, rec); err != nil {
			t.Fatal(err)
		}
		w.Write(buf.Bytes())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	st, _ := fh.Stat()
	fh.Close()
	return path, st.Size()
}

// peakWriter discards output and samples the heap every so many writes,
// keeping the largest HeapInuse seen while the command runs.
type peakWriter struct {
	writes int
	peak   uint64
	lines  int
}

func (p *peakWriter) Write(b []byte) (int, error) {
	p.lines += bytes.Count(b, []byte("\n"))
	if p.writes++; p.writes%2000 == 0 {
		p.sample()
	}
	return len(b), nil
}

func (p *peakWriter) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.peak = max(p.peak, ms.HeapInuse)
}

func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// okTransport answers 200 to every request without a network, so the
// test measures replay's own memory, not sockets'.
type okTransport struct{ n atomic.Int64 }

func (o *okTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	o.n.Add(1)
	return &http.Response{StatusCode: 200, Status: "200 OK", Body: io.NopCloser(strings.NewReader("ok")), Header: http.Header{}, Request: r}, nil
}

// Listing and replaying 100k captures runs in constant memory: the heap
// while the command streams stays a few MB, far below the file's size,
// and no larger for 100k captures than for 10k.
func TestStreamsInConstantMemory(t *testing.T) {
	const n = 100_000
	big, size := writeCaptures(t, n)
	small, _ := writeCaptures(t, n/10)
	t.Logf("capture file: %d records, %.1f MB", n, float64(size)/(1<<20))

	measure := func(name, file string, set func(o *Options)) uint64 {
		opts, _, errOut := newOpts(t, nil)
		pw := &peakWriter{}
		opts.IO.Out = pw
		opts.From = file
		set(opts)
		base := heapInuse()
		if err := replayRun(opts); err != nil {
			t.Fatalf("%s: %v %s", name, err, errOut)
		}
		pw.sample()
		growth := pw.peak - min(base, pw.peak)
		t.Logf("%s: %d output lines, heap in use before %.1f MB, peak growth %.1f MB", name, pw.lines, float64(base)/(1<<20), float64(growth)/(1<<20))
		return growth
	}
	const limit = 16 << 20 // the file is ~45 MB; holding it would show
	for _, c := range []struct {
		name string
		set  func(o *Options)
	}{
		{"list", func(o *Options) { o.List = true }},
		// all but the first capture: both passes, the --last bookkeeping
		// and a request per capture through the sender and printer
		{"replay --last", func(o *Options) {
			o.To, o.HTTPClient, o.Last = "localhost:5000", &http.Client{Transport: &okTransport{}}, n-1
		}},
	} {
		grow100k := measure(c.name+" 100k", big, c.set)
		grow10k := measure(c.name+" 10k", small, c.set)
		if grow100k > limit {
			t.Errorf("%s: the heap grew by %.1f MB over 100k captures (limit %d MB)", c.name, float64(grow100k)/(1<<20), limit>>20)
		}
		if grow100k > 2*grow10k+4<<20 {
			t.Errorf("%s: the heap grows with the file: %.1f MB for 100k captures, %.1f MB for 10k", c.name, float64(grow100k)/(1<<20), float64(grow10k)/(1<<20))
		}
	}
}
