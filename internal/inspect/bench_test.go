package inspect

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
)

// benchFile writes a capture file of n records of about 1 KB each (a
// notify request with a 600-byte body), as listen would.
func benchFile(b *testing.B, n int) string {
	path := filepath.Join(b.TempDir(), "captures.jsonl")
	writeBenchFile(b, path, n)
	return path
}

func writeBenchFile(b testing.TB, path string, n int) {
	b.Helper()
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	body := fmt.Sprintf(`{"event":"connection.created","event_id":"evt_%%07d","data":{"note":%q}}`, strings.Repeat("lorem ipsum ", 42))
	valid := true
	for i := range n {
		ev := []string{"connection.created", "connection.updated", "message.created"}[i%3]
		rec := &capture.Record{
			V: 1, ID: fmt.Sprintf("cap_%07d", i), Time: t0.Add(time.Duration(i) * time.Millisecond), RemoteAddr: "127.0.0.1:5000",
			Method: "POST", Host: "127.0.0.1:8787", Path: "/webhooks", Provider: "notify", Event: ev, EventID: fmt.Sprintf("evt_%07d", i),
			Headers:  http.Header{"Content-Type": {"application/json"}, "User-Agent": {"Notify/1.0"}, "X-Notify-Signature": {"0f3a"}},
			Verified: &valid, Status: 200 + 300*(i%50/49), Forward: &capture.Forward{URL: "http://localhost:5000/webhooks", Status: 200, LatencyMS: 1.5},
		}
		rec.SetBody([]byte(fmt.Sprintf(body, i)))
		line, _ := json.Marshal(rec)
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	fh.Close()
}

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// BenchmarkIndex100k streams a 100k-record file into the index: the time
// inspect takes before it serves, and the heap the index keeps.
func BenchmarkIndex100k(b *testing.B) {
	path := benchFile(b, 100_000)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	var kept float64
	for range b.N {
		before := heapMB()
		x, err := NewIndex(path, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		kept = heapMB() - before
		if n := len(x.snapshot().entries); n != 100_000 {
			b.Fatalf("%d entries", n)
		}
		x.Close()
	}
	b.ReportMetric(kept, "MB-index-heap")
	b.ReportMetric(float64(st.Size())/(1<<20), "MB-file")
}

// benchPage times one API request on a 100k-record file.
func benchPage(b *testing.B, query string) {
	path := benchFile(b, 100_000)
	x, err := NewIndex(path, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	srv, err := New(Config{Index: x, Result: attemptJSON, Addr: "127.0.0.1:4040"})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/api/captures?"+query, nil)
	req.Host = "127.0.0.1:4040"
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		io.Copy(io.Discard, w.Body)
	}
}

// The newest page, a page deep in the file, a filter the index answers
// (status class; 2% of records match) and a text search that must read
// every record (it matches none).
func BenchmarkFirstPage100k(b *testing.B)  { benchPage(b, "limit=100") }
func BenchmarkDeepPage100k(b *testing.B)   { benchPage(b, "limit=100&before=cap_0050000") }
func BenchmarkStatus5xx100k(b *testing.B)  { benchPage(b, "limit=100&status=5xx") }
func BenchmarkSearchMiss100k(b *testing.B) { benchPage(b, "limit=100&q=no-such-text") }

// TestWriteBenchFile writes the benchmarks' 100k-record file to
// $HOOKCTL_BENCH_FILE, for measuring a whole 'hookctl inspect' on it
// (bench/README.md); it does nothing otherwise.
func TestWriteBenchFile(t *testing.T) {
	dst := os.Getenv("HOOKCTL_BENCH_FILE")
	if dst == "" {
		t.Skip("set HOOKCTL_BENCH_FILE to write the 100k-record file")
	}
	writeBenchFile(t, dst, 100_000)
}
