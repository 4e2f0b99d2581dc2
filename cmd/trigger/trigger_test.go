package trigger

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/state"
)

// got is one request a test server received.
type got struct {
	URL    string
	Header http.Header
	Body   []byte
}

// server answers the statuses in order (the last repeats) and keeps what it got.
func server(t *testing.T, statuses ...int) (*httptest.Server, func() []got) {
	t.Helper()
	var mu sync.Mutex
	var reqs []got
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, got{"http://" + r.Host + r.URL.RequestURI(), r.Header.Clone(), b})
		st := 200
		if len(statuses) > 0 {
			st = statuses[min(len(reqs), len(statuses))-1]
		}
		mu.Unlock()
		w.WriteHeader(st)
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []got {
		mu.Lock()
		defer mu.Unlock()
		return append([]got(nil), reqs...)
	}
}

var clock = time.Date(2025, 2, 18, 10, 30, 0, 0, time.UTC)

func testOptions(t *testing.T, to string, events ...string) (*Options, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	state := t.TempDir()
	return &Options{
		IO:      ios,
		Now:     func() time.Time { return clock },
		IDs:     ids.Seeded(1, 2),
		Getenv:  func(k string) string { return map[string]string{"XDG_STATE_HOME": state}[k] },
		Catalog: func() (*catalog.Catalog, error) { return catalog.New() },
		Secrets: cmdutil.SecretsFrom(nil, secrets.Sources{}),
		Sleep:   func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		Version: "1.2.3",
		Events:  events, To: to, RetryScale: 1, Count: 1, Concurrency: 1,
	}, out, errOut
}

func verify(t *testing.T, provider string, g got, secret string) {
	t.Helper()
	cat, _ := catalog.New()
	p, err := cat.Lookup(provider)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Scheme.Verify(signer.VerifyInput{Header: g.Header, Body: bytes.NewReader(g.Body), Secrets: []string{secret}, Now: clock, URL: g.URL})
	if err != nil || !res.Valid {
		t.Errorf("%s signature does not verify: %v %+v\nheaders %v", provider, err, res, g.Header)
	}
}

func TestTriggerSendsWhatTheProviderSends(t *testing.T) {
	srv, reqs := server(t)
	opts, out, errOut := testOptions(t, srv.URL+"/webhooks", "connection.created")
	opts.SecretArgs = []string{"s3cr3t"}
	opts.Headers = []string{"X-Extra: yes", "User-Agent: custom"}
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatalf("triggerRun: %v\n%s", err, errOut)
	}
	r := reqs()
	if len(r) != 1 {
		t.Fatalf("%d requests", len(r))
	}
	g := r[0]
	verify(t, "notify", g, "s3cr3t")
	var doc map[string]any
	if err := json.Unmarshal(g.Body, &doc); err != nil || doc["event"] != "connection.created" || doc["timestamp"] != "2025-02-18T10:30:00.000Z" {
		t.Errorf("body %s", g.Body)
	}
	if bytes.Contains(g.Body, []byte("\n")) || bytes.Contains(g.Body, []byte(`": `)) {
		t.Errorf("body not compact: %q", g.Body)
	}
	if g.Header.Get("Content-Type") != "application/json" || g.Header.Get("User-Agent") != "custom" || g.Header.Get("X-Extra") != "yes" {
		t.Errorf("headers %v", g.Header)
	}
	if !strings.HasSuffix(g.URL, "/webhooks") {
		t.Errorf("URL %s", g.URL)
	}
	want := "accepted  connection.created " + doc["event_id"].(string) + " -> " + srv.URL + "/webhooks  200 OK  "
	if !strings.HasPrefix(out.String(), want) || !strings.Contains(out.String(), "\n    {\"ok\":true}\n") {
		t.Errorf("output:\n%s\nwant prefix %q", out, want)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestTriggerDefaultUserAgent(t *testing.T) {
	srv, reqs := server(t)
	opts, _, _ := testOptions(t, srv.URL, "message.created")
	opts.SecretArgs = []string{"s"}
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if ua := reqs()[0].Header.Get("User-Agent"); ua != "hookctl/1.2.3 (+https://github.com/hookctl/hookctl)" {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestTriggerRetryKeepsIDAndResigns(t *testing.T) {
	srv, reqs := server(t, 500, 500, 200)
	opts, out, _ := testOptions(t, srv.URL, "user.signup")
	opts.Provider = "standard"
	opts.SecretArgs = []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
	opts.Retry, opts.RetryScale = true, 0.5
	now := clock
	opts.Now = func() time.Time { now = now.Add(time.Second); return now }
	var waits []time.Duration
	opts.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatalf("triggerRun: %v\n%s", err, out)
	}
	r := reqs()
	if len(r) != 3 {
		t.Fatalf("%d requests", len(r))
	}
	if len(waits) != 2 || waits[0] != 2500*time.Millisecond || waits[1] != 150*time.Second {
		t.Errorf("waits %v, want Svix's 5s and 5m halved", waits)
	}
	id := r[0].Header.Get("Webhook-Id")
	for i, g := range r {
		if g.Header.Get("Webhook-Id") != id || !bytes.Equal(g.Body, r[0].Body) {
			t.Errorf("attempt %d: id %s body %s differ from the first", i+1, g.Header.Get("Webhook-Id"), g.Body)
		}
		cat, _ := catalog.New()
		p, _ := cat.Lookup("standard")
		res, _ := p.Scheme.Verify(signer.VerifyInput{Header: g.Header, Body: bytes.NewReader(g.Body), Secrets: opts.SecretArgs, Now: now})
		if !res.Valid {
			t.Errorf("attempt %d: %s", i+1, res.Reason)
		}
	}
	if r[0].Header.Get("Webhook-Timestamp") == r[2].Header.Get("Webhook-Timestamp") {
		t.Errorf("the timestamp was not renewed")
	}
	if !strings.Contains(out.String(), "retry 2/8 in 5s (scaled ×0.5: 2.5s); hookctl's default schedule (Svix's): standard documents none") {
		t.Errorf("output:\n%s", out)
	}
}

func TestTriggerNotionAttemptNumber(t *testing.T) {
	srv, reqs := server(t, 503, 200)
	opts, _, _ := testOptions(t, srv.URL, "page.created")
	opts.SecretArgs = []string{"secret_x"}
	opts.Retry = true
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	r := reqs()
	if len(r) != 2 {
		t.Fatalf("%d requests", len(r))
	}
	for i, g := range r {
		verify(t, "notion", g, "secret_x")
		var doc struct {
			ID      string `json:"id"`
			Attempt int    `json:"attempt_number"`
		}
		_ = json.Unmarshal(g.Body, &doc)
		if doc.Attempt != i+1 {
			t.Errorf("attempt %d carries attempt_number %d", i+1, doc.Attempt)
		}
	}
	// Only attempt_number changed, in place.
	a := strings.Replace(string(r[0].Body), `"attempt_number":1,`, `"attempt_number":2,`, 1)
	if a != string(r[1].Body) {
		t.Errorf("bodies differ beyond attempt_number:\n%s\n%s", r[0].Body, r[1].Body)
	}
}

func TestTriggerTwilioSignsTheURL(t *testing.T) {
	srv, reqs := server(t)
	opts, _, _ := testOptions(t, srv.URL+"/sms?x=1", "message.received")
	opts.SecretArgs = []string{"authtoken"}
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	g := reqs()[0]
	if g.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q", g.Header.Get("Content-Type"))
	}
	verify(t, "twilio", g, "authtoken")
}

func TestTriggerFailureExitsOne(t *testing.T) {
	srv, _ := server(t, 201)
	opts, out, _ := testOptions(t, srv.URL, "connection.updated")
	opts.SecretArgs = []string{"s"}
	opts.JSON = true
	err := triggerRun(context.Background(), opts)
	if cmdutil.ExitCode(err) != 1 || !cmdutil.ShouldPrint(err) || err.Error() != "1 of 1 delivery failed" {
		t.Fatalf("err %v: want exit 1 with a one-line summary for stderr", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"status":201,"ok":false`) || !strings.HasPrefix(lines[1], `{"type":"summary"`) {
		t.Errorf("JSON output:\n%s", out)
	}
}

func TestTriggerInterruptedDuringWait(t *testing.T) {
	srv, reqs := server(t, 500)
	opts, out, _ := testOptions(t, srv.URL, "resource.deleted", "user.created")
	opts.SecretArgs = []string{"s"}
	opts.Retry = true
	ctx, cancel := context.WithCancel(context.Background())
	opts.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	err := triggerRun(ctx, opts)
	if cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err %v", err)
	}
	if len(reqs()) != 1 || !strings.Contains(out.String(), "interrupted before attempt 2/5") ||
		!strings.Contains(out.String(), "2 events, 1 attempt: 0 accepted, 1 failed, 1 not sent (interrupted)") {
		t.Errorf("%d requests, output:\n%s", len(reqs()), out)
	}
}

func TestTriggerUsageErrors(t *testing.T) {
	cases := []struct {
		mod  func(o *Options)
		want string
	}{
		{func(o *Options) { o.To = "" }, "no target"},
		{func(o *Options) { o.To = "ftp://x" }, "not ftp"},
		{func(o *Options) { o.Events = []string{"nope.nope"} }, `unknown event "nope.nope"`},
		{func(o *Options) { o.SecretArgs = nil }, "no secret for notify"},
		{func(o *Options) { o.Sets = []string{"data.status.x=1"} }, "cannot set data.status.x: data.status is a string, not an object"},
		{func(o *Options) { o.Edit = true }, "--edit opens $EDITOR and needs a terminal"},
		{func(o *Options) { o.Count = 3; o.Retry = true }, "don't mix"},
		{func(o *Options) { o.Template = "/nonexistent/t.json" }, "--template /nonexistent/t.json: no such file or directory"},
		{func(o *Options) { o.SecretArgs = []string{"a", "b"} }, "one signature per request"},
	}
	for _, c := range cases {
		srv, reqs := server(t)
		opts, out, _ := testOptions(t, srv.URL, "connection.updated")
		opts.SecretArgs = []string{"s"}
		c.mod(opts)
		err := triggerRun(context.Background(), opts)
		if cmdutil.ExitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v (exit %d), want exit 2 and %q", err, cmdutil.ExitCode(err), c.want)
		}
		if len(reqs()) != 0 || out.Len() != 0 {
			t.Errorf("%q: something was sent or printed: %s", c.want, out)
		}
	}
}

func TestTriggerEdit(t *testing.T) {
	srv, reqs := server(t)
	opts, _, _ := testOptions(t, srv.URL, "connection.created")
	opts.SecretArgs = []string{"s"}
	opts.Edit = true
	opts.IO.SetTTY(true, false, false)
	var seen string
	opts.Editor = func(path string) error {
		b, _ := os.ReadFile(path)
		seen = string(b)
		return os.WriteFile(path, []byte(strings.Replace(seen, `"active"`, `"paused"`, 1)), 0o600)
	}
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen, "\n  \"event\": \"connection.created\",\n") {
		t.Errorf("the editor did not get the indented body:\n%s", seen)
	}
	g := reqs()[0]
	if !bytes.Contains(g.Body, []byte(`"status":"paused"`)) || bytes.Contains(g.Body, []byte("\n")) {
		t.Errorf("sent %s", g.Body)
	}
	verify(t, "notify", g, "s")

	opts.Editor = func(path string) error { return os.WriteFile(path, []byte("{broken"), 0o600) }
	if err := triggerRun(context.Background(), opts); cmdutil.ExitCode(err) != 2 || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("broken edit: %v", err)
	}
}

func TestTriggerHandshakeSavesToken(t *testing.T) {
	srv, reqs := server(t)
	opts, out, _ := testOptions(t, srv.URL)
	opts.Handshake = true
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	g := reqs()[0]
	var body map[string]string
	if err := json.Unmarshal(g.Body, &body); err != nil || !strings.HasPrefix(body["verification_token"], "secret_") || len(body["verification_token"]) != 50 {
		t.Fatalf("body %s", g.Body)
	}
	if g.Header.Get("X-Notion-Signature") != "" || string(g.Body) != `{"verification_token":"`+body["verification_token"]+`"}` {
		t.Errorf("handshake must be unsigned compact JSON: %v %s", g.Header, g.Body)
	}
	tok, _ := state.NotionToken(opts.Getenv)
	if tok != body["verification_token"] || !strings.Contains(out.String(), "verification_token: "+tok+"\n") {
		t.Errorf("saved %q, printed:\n%s", tok, out)
	}
}

func TestTriggerLoad(t *testing.T) {
	srv, reqs := server(t)
	opts, out, _ := testOptions(t, srv.URL, "message.created", "message.deleted")
	opts.SecretArgs = []string{"s"}
	opts.Count, opts.Concurrency = 30, 3
	opts.JSON = true
	if err := triggerRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	r := reqs()
	ids := map[string]bool{}
	for _, g := range r {
		verify(t, "notifly", g, "s")
		var doc struct{ ID string }
		_ = json.Unmarshal(g.Body, &doc)
		ids[doc.ID] = true
	}
	if len(r) != 30 || len(ids) != 30 {
		t.Errorf("%d requests, %d distinct ids", len(r), len(ids))
	}
	var sum map[string]any
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil || sum["type"] != "load" || sum["succeeded"] != float64(30) {
		t.Errorf("summary %s", out)
	}
}

// A load run over events of two providers judges each request by its own
// provider's rule: notify accepts only 200, notifly any 2xx, so a 201
// fails every notify event and no notifly one.
func TestTriggerLoadMixedProviders(t *testing.T) {
	statuses := make([]int, 20)
	for i := range statuses {
		statuses[i] = 201
	}
	srv, reqs := server(t, statuses...)
	opts, out, _ := testOptions(t, srv.URL, "connection.created", "message.created")
	opts.SecretArgs = []string{"s"}
	opts.Count, opts.Concurrency = 20, 2
	opts.JSON = true
	if err := triggerRun(context.Background(), opts); err == nil {
		t.Fatal("a run with failures succeeded")
	}
	if n := len(reqs()); n != 20 {
		t.Fatalf("%d requests", n)
	}
	var sum struct {
		Succeeded, Failed int
		Failures          []struct {
			Kind  string
			Count int
		}
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil || sum.Succeeded != 10 || sum.Failed != 10 ||
		len(sum.Failures) != 1 || sum.Failures[0].Kind != "HTTP 201" {
		t.Errorf("summary %s", out)
	}
}

// hostileServer answers every request with escape sequences in its status
// text, headers and body, written raw (net/http would not send them). Go's
// client refuses ASCII controls in headers, not C1 ones (U+009B is CSI).
func hostileServer(t *testing.T, status string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = http.ReadRequest(bufio.NewReader(c))
				body := "hello \x1b]0;pwned\x07 \x1b[31mred\x1b[0m\n\x1b[2Jsecond line\n"
				fmt.Fprintf(c, "HTTP/1.1 %s\r\nX-Evil: \u009b5mblink\r\nLocation: /next\u009b2J\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", status, len(body), body)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// A server cannot write escape sequences to the terminal through trigger:
// its status text, headers, body and what they explain are shown escaped.
func TestTriggerShowsHostileAnswersEscaped(t *testing.T) {
	for _, status := range []string{"200 OK\x1b]0;owned\x07", "302 Found\x1b[2J"} {
		opts, out, _ := testOptions(t, hostileServer(t, status), "connection.created")
		opts.SecretArgs = []string{"s"}
		opts.Verbose = true
		_ = triggerRun(context.Background(), opts)
		got := out.String()
		if strings.ContainsAny(got, "\x1b\x07\u009b") {
			t.Errorf("status %q: raw escape in the output:\n%q", status, got)
		}
		for _, want := range []string{`\x1b]0;pwned\x07`, `X-Evil: \u009b5mblink`, `\x1b[2Jsecond line`} {
			if !strings.Contains(got, want) {
				t.Errorf("status %q: %q not shown:\n%s", status, want, got)
			}
		}
	}
}
