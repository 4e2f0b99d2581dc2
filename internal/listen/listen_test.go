package listen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/secrets"
)

func testCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestHandshakeToken(t *testing.T) {
	for body, want := range map[string]string{
		`{"verification_token":"secret_abc"}`:              "secret_abc",
		"{\n  \"verification_token\": \"secret_abc\"\n}\n": "secret_abc",
		`{"verification_token":"secret_abc","type":"x"}`:   "",
		`{"verification_token":""}`:                        "",
		`{"verification_token":1}`:                         "",
		`["verification_token"]`:                           "",
	} {
		got, ok := HandshakeToken([]byte(body))
		if got != want || ok != (want != "") {
			t.Errorf("HandshakeToken(%s) = %q %v", body, got, ok)
		}
	}
}

// runServer starts a Server on a free port; stop cancels it and returns
// the summary.
func runServer(t *testing.T, cfg Config) (srv *Server, stop func() *Summary) {
	t.Helper()
	if cfg.Catalog == nil {
		cfg.Catalog = testCatalog(t)
	}
	if cfg.Secrets == nil {
		cfg.Secrets, _ = secrets.New(cfg.Catalog, secrets.CommandLine{}, secrets.Sources{})
	}
	cfg.IDs = ids.Seeded(1, 2)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *Summary, 1)
	go func() {
		sum, err := srv.Run(ctx)
		if err != nil {
			t.Error(err)
		}
		done <- sum
	}()
	var once sync.Once
	var sum *Summary
	stop = func() *Summary {
		once.Do(func() { cancel(); sum = <-done })
		return sum
	}
	t.Cleanup(func() { stop() })
	return srv, stop
}

// appServer serves h on a free port and returns its URL, ending in "/".
func appServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// Requests are served in parallel: the app answers none of them until
// eight are in flight at once, which a serial server would never reach.
func TestConcurrentRequestsAreServedInParallel(t *testing.T) {
	const n = 8
	var inFlight atomic.Int32
	all := make(chan struct{})
	var closeOnce sync.Once
	appURL := appServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inFlight.Add(1) == n {
			closeOnce.Do(func() { close(all) })
		}
		<-all
		fmt.Fprint(w, "done")
	}))
	rt, _ := testRoute(appURL)
	capPath := filepath.Join(t.TempDir(), "c.jsonl")
	w, err := capture.OpenWriter(capPath)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	srv, stop := runServer(t, Config{Routes: []Route{rt}, Capture: w, ForwardTimeout: time.Minute})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL(), "application/json", strings.NewReader(`{"a":1}`))
			if err != nil {
				errs <- err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(b) != "done" {
				errs <- fmt.Errorf("status %d body %q", resp.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if sum := stop(); sum.Forwarded != n || sum.ForwardFailed != 0 {
		t.Errorf("summary %+v", sum)
	}
}

// Forwarding keeps the exact request (minus hop-by-hop headers) and
// answers with the exact response: no headers added either way.
func TestForwardIsExact(t *testing.T) {
	var got *http.Request
	var gotBody []byte
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
		w.Header()["Content-Type"] = nil
		w.Header().Set("X-App", "yes")
		w.Header().Set("Connection", "X-Secret-Hop")
		w.Header().Set("X-Secret-Hop", "no")
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte("\x00raw"))
	})
	rt, _ := testRoute(appServer(t, app) + "base")
	srv, _ := runServer(t, Config{Routes: []Route{rt}})

	body := "{\"name\":\"Zoë\"}\n"
	req, _ := http.NewRequest(http.MethodPut, srv.URL()+"hooks?x=1&y=%2F", strings.NewReader(body))
	req.Header.Set("Connection", "keep-alive, X-Hop")
	req.Header.Set("X-Hop", "dropped")
	req.Header.Set("Keep-Alive", "timeout=5")
	req.Header.Add("X-Multi", "1")
	req.Header.Add("X-Multi", "2")
	req.Header.Set("User-Agent", "sender/1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || string(rb) != "\x00raw" || resp.Header.Get("X-App") != "yes" {
		t.Fatalf("answer %d %q %v", resp.StatusCode, rb, resp.Header)
	}
	if _, ok := resp.Header["Content-Type"]; ok {
		t.Errorf("a Content-Type was added to the app's answer: %v", resp.Header)
	}
	if resp.Header.Get("X-Secret-Hop") != "" {
		t.Errorf("a header named in the app's Connection was passed on")
	}
	if got.Method != http.MethodPut || got.URL.RequestURI() != "/base?x=1&y=%2F" || string(gotBody) != body {
		t.Errorf("app got %s %s %q", got.Method, got.URL.RequestURI(), gotBody)
	}
	if got.Header.Get("X-Hop") != "" || got.Header.Get("Keep-Alive") != "" {
		t.Errorf("hop-by-hop headers forwarded: %v", got.Header)
	}
	if strings.Join(got.Header.Values("X-Multi"), ",") != "1,2" || got.Header.Get("User-Agent") != "sender/1.0" {
		t.Errorf("headers changed: %v", got.Header)
	}

	// A sender without a User-Agent: none is added on the way.
	req, _ = http.NewRequest(http.MethodPost, srv.URL(), strings.NewReader(body))
	req.Header["User-Agent"] = []string{""}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ua, ok := got.Header["User-Agent"]; ok {
		t.Errorf("User-Agent added: %q", ua)
	}
}

// A request whose record cannot be written is never acknowledged.
func TestCaptureFailureIsNotAcknowledged(t *testing.T) {
	w, err := capture.OpenWriter(filepath.Join(t.TempDir(), "c.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	w.Close() // every Append now fails
	d := &testDisplay{}
	srv, stop := runServer(t, Config{Capture: w, Display: d})
	resp, err := http.Post(srv.URL(), "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(b), "capture failed") {
		t.Errorf("answer %d %s", resp.StatusCode, b)
	}
	sum := stop()
	if results := d.shown(); len(results) != 1 || results[0].CaptureErr == nil || results[0].Status != 500 {
		t.Fatalf("results %+v", results)
	}
	if f := sum.Failures(); len(f) != 1 || !strings.Contains(f[0], "could not be captured") {
		t.Errorf("failures %v", f)
	}
}

func TestSummaryFailures(t *testing.T) {
	s := &Summary{Reason: StopTimeout, Count: 3, Webhooks: 1, Valid: 1}
	if f := s.Failures(); len(f) != 1 || f[0] != "timed out before --count 3 was reached: 1 request arrived" {
		t.Errorf("%q", f)
	}
	s = &Summary{Reason: StopCount, Count: 2, Webhooks: 2, Valid: 2, RequireValid: true}
	if f := s.Failures(); len(f) != 0 {
		t.Errorf("%q", f)
	}
	s = &Summary{Reason: StopSignal, Webhooks: 4, Valid: 1, Invalid: 1, Unsigned: 1, NoSecret: 1, RequireValid: true}
	if f := s.Failures(); len(f) != 1 || f[0] != "3 of 4 requests not validly signed (--require-valid): 1 invalid, 1 unsigned, 1 not checked (no secret)" {
		t.Errorf("%q", f)
	}
	e := newExpectations([]string{"payment.*", "user.created"})
	for _, ev := range []string{"payment.failed", "resource.deleted", "", "resource.deleted"} {
		e.observe(ev)
	}
	tl := &tally{expect: e}
	s = tl.summary(Config{Expect: e.globs})
	if f := s.Failures(); len(f) != 2 || f[0] != "unexpected events (no event type), resource.deleted (--expect payment.*, user.created)" || f[1] != "no event matched --expect user.created" {
		t.Errorf("%q", f)
	}
}

func TestStopDoesNotWaitForAStalledClient(t *testing.T) {
	srv, stop := runServer(t, Config{ShutdownGrace: 50 * time.Millisecond})
	conn, err := net.Dial("tcp", strings.TrimPrefix(strings.TrimSuffix(srv.URL(), "/"), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Expect: 100-continue makes the server say when the handler starts
	// reading the body, so the connection is surely active, not idle
	// (Shutdown alone would wait for it until the read timeout).
	if _, err := io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(line, "100") {
		t.Fatalf("want 100 Continue, got %q, %v", line, err)
	}
	if _, err := io.WriteString(conn, "abc"); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(DefaultReadTimeout / 2):
		t.Fatal("stop waited for a client stalled mid-body")
	}
}

// testRoute forwards every event to a URL (cmd/listen parses --forward-to).
func testRoute(target string) (Route, error) {
	u, err := delivery.ParseTarget(target)
	return Route{URL: u}, err
}

// The capture record keeps what the app answered: its headers, exactly,
// and its body, binary ones too, cut at capture.MaxForwardBody with the
// whole size.
func TestCaptureKeepsTheAppsAnswer(t *testing.T) {
	big := bytes.Repeat([]byte("x"), capture.MaxForwardBody+100)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-App", "caf\xe9")
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		switch r.URL.Path {
		case "/big":
			w.Write(big)
		case "/binary":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte("\x00\xff\xfe"))
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTeapot)
			w.Write([]byte(`{"handled":false}`))
		}
	})
	rt, _ := testRoute(appServer(t, app))
	capPath := filepath.Join(t.TempDir(), "c.jsonl")
	w, err := capture.OpenWriter(capPath)
	if err != nil {
		t.Fatal(err)
	}
	srv, stop := runServer(t, Config{Routes: []Route{rt}, Capture: w})
	for _, p := range []string{"json", "binary", "big"} {
		resp, err := http.Post(srv.URL()+p, "application/json", strings.NewReader(`{"a":1}`))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	stop()
	w.Close()

	f, err := os.Open(capPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := capture.NewReader(f, capPath)
	want := []struct {
		status    int
		ctype     string
		body      []byte
		encoding  string
		truncated bool
	}{
		{http.StatusTeapot, "application/json", []byte(`{"handled":false}`), capture.EncodingText, false},
		{http.StatusCreated, "application/octet-stream", []byte("\x00\xff\xfe"), capture.EncodingBase64, false},
		{http.StatusOK, "text/plain; charset=utf-8", big[:capture.MaxForwardBody], capture.EncodingText, true},
	}
	for i, c := range want {
		rec, err := r.Next()
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		fw := rec.Forward
		if fw == nil || fw.Status != c.status {
			t.Fatalf("record %d forward %+v", i, fw)
		}
		if fw.Headers.Get("X-App") != "caf\xe9" || strings.Join(fw.Headers.Values("Set-Cookie"), ",") != "a=1,b=2" || fw.Headers.Get("Content-Type") != c.ctype {
			t.Errorf("record %d: app's headers %q", i, fw.Headers)
		}
		body, err := fw.BodyBytes()
		if err != nil || !bytes.Equal(body, c.body) || fw.BodyEncoding != c.encoding || fw.BodyTruncated != c.truncated {
			t.Errorf("record %d: app's body %q (%s, truncated %v) %v", i, body[:min(len(body), 40)], fw.BodyEncoding, fw.BodyTruncated, err)
		}
		if size := int64(len(c.body)); c.truncated && fw.BodySize != int64(len(big)) || !c.truncated && fw.BodySize != size {
			t.Errorf("record %d: body_size %d", i, fw.BodySize)
		}
	}
}

// An app that is down leaves no answer in the record, only the error.
func TestCaptureOfAFailedForwardHasNoAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String() + "/"
	ln.Close()
	rt, _ := testRoute(down)
	capPath := filepath.Join(t.TempDir(), "c.jsonl")
	w, err := capture.OpenWriter(capPath)
	if err != nil {
		t.Fatal(err)
	}
	srv, stop := runServer(t, Config{Routes: []Route{rt}, Capture: w})
	resp, err := http.Post(srv.URL(), "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	stop()
	w.Close()
	line, err := os.ReadFile(capPath)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct{ Forward map[string]any }
	if err := json.Unmarshal(line, &rec); err != nil || rec.Forward["error"] == nil {
		t.Fatalf("record %s %v", line, err)
	}
	for k := range rec.Forward {
		if k != "url" && k != "latency_ms" && k != "error" {
			t.Errorf("forward has %s: %s", k, line)
		}
	}
}
