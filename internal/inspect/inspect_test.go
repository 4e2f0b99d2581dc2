package inspect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/signer"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// notifyRecord is a capture of a notify request signed with secret.
func notifyRecord(t testing.TB, id, event, secret string, status int) *capture.Record {
	t.Helper()
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cat.Lookup("notify")
	body := fmt.Sprintf(`{"event":%q,"event_id":"evt_%s","data":{"name":"Ada"}}`, event, id)
	out, err := p.Scheme.Sign(signer.SignInput{Secrets: []string{secret}, Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json"}, "User-Agent": {"Notify-Webhooks/1.0"}}
	for _, sh := range out.Headers {
		h.Set(sh.Name, sh.Value)
	}
	valid := true
	rec := &capture.Record{
		V: capture.Version, ID: id, Time: t0, RemoteAddr: "127.0.0.1:5555", Method: "POST", Host: "127.0.0.1:8787",
		Path: "/webhooks", Headers: h, Provider: "notify", Event: event, EventID: "evt_" + id, Verified: &valid, Status: status,
	}
	rec.SetBody([]byte(body))
	return rec
}

func writeRecords(t testing.TB, path string, recs ...*capture.Record) {
	t.Helper()
	w, err := capture.OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// attemptJSON is replay --json's attempt line, as cmd/inspect wires it.
func attemptJSON(r *delivery.Result) []byte {
	var buf bytes.Buffer
	present.NewDelivery(&iostreams.IOStreams{Out: &buf}, nil, present.Options{JSON: true}).Attempt(r)
	return buf.Bytes()
}

type fixture struct {
	path  string
	index *Index
	srv   *Server
	ts    *httptest.Server
}

func newFixture(t *testing.T, recs ...*capture.Record) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "captures.jsonl")
	if len(recs) > 0 {
		writeRecords(t, path, recs...)
	}
	x, err := NewIndex(path, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	x.Start()
	t.Cleanup(x.Close)
	cat, _ := catalog.New()
	eng := &Engine{Catalog: cat, Now: time.Now, IDs: ids.Seeded(1, 2)}
	ts := httptest.NewUnstartedServer(nil)
	srv, err := New(Config{Index: x, Actions: eng.Actions(), Result: attemptJSON, Addr: ts.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return &fixture{path: path, index: x, srv: srv, ts: ts}
}

func (f *fixture) get(t *testing.T, path string, v any) int {
	t.Helper()
	res, err := http.Get(f.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if v != nil && res.StatusCode == 200 {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, b)
		}
	}
	return res.StatusCode
}

// post sends a POST as the page does: same origin, with the token.
func (f *fixture) post(t *testing.T, path string, body any, v any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", f.ts.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", f.ts.URL)
	req.Header.Set(TokenHeader, f.srv.Token())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if v != nil && res.StatusCode == 200 {
		if err := json.Unmarshal(out, v); err != nil {
			t.Fatalf("POST %s: %v in %s", path, err, out)
		}
	}
	return res.StatusCode, string(out)
}

func ids3(p *Page) []string {
	var out []string
	for _, c := range p.Captures {
		out = append(out, c.ID)
	}
	return out
}

func TestPagingNewestFirst(t *testing.T) {
	var recs []*capture.Record
	for i := range 250 {
		recs = append(recs, notifyRecord(t, fmt.Sprintf("cap_%03d", i), "connection.created", "s", 200))
	}
	f := newFixture(t, recs...)
	var seen []string
	before := ""
	for pages := 0; ; pages++ {
		var p Page
		q := "/api/captures?limit=100"
		if before != "" {
			q += "&before=" + before
		}
		if code := f.get(t, q, &p); code != 200 {
			t.Fatalf("GET %s: %d", q, code)
		}
		if p.Total != 250 {
			t.Fatalf("total %d, want 250", p.Total)
		}
		seen = append(seen, ids3(&p)...)
		if p.Next == "" {
			if pages != 2 {
				t.Fatalf("%d pages, want 3", pages+1)
			}
			break
		}
		before = p.Next
	}
	if len(seen) != 250 || seen[0] != "cap_249" || seen[249] != "cap_000" {
		t.Fatalf("got %d ids from %v to %v", len(seen), seen[0], seen[len(seen)-1])
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("not newest first at %d: %s after %s", i, seen[i], seen[i-1])
		}
	}
	if code := f.get(t, "/api/captures?before=cap_nope", nil); code != 404 {
		t.Fatalf("unknown before: %d, want 404", code)
	}
	if code := f.get(t, "/api/captures?limit=x", nil); code != 400 {
		t.Fatalf("bad limit: %d, want 400", code)
	}
}

func TestFilters(t *testing.T) {
	a := notifyRecord(t, "cap_a", "connection.created", "s", 200)
	b := notifyRecord(t, "cap_b", "connection.updated", "s", 500)
	no := false
	b.Verified, b.Reason = &no, "signature does not match"
	c := &capture.Record{V: 1, ID: "cap_c", Time: t0, Method: "GET", Path: "/health", Query: "probe=1", Headers: http.Header{"X-Trace": {"Needle-42"}}, Reason: "unsigned", Status: 404}
	c.SetBody(nil)
	d := &capture.Record{V: 1, ID: "cap_d", Time: t0, Method: "POST", Path: "/x", Headers: http.Header{}, Provider: "stripe", Event: "payment_intent.succeeded", Reason: "no secret for stripe", Status: 200}
	d.SetBody([]byte{0xff, 0x00, 'h', 'a', 'y', 's', 't', 'a', 'c', 'k'})
	// The app's answers: b's in text, e's binary (base64 in the file).
	b.Forward = &capture.Forward{URL: "http://127.0.0.1:5000/", Status: 500, LatencyMS: 1}
	b.Forward.SetAnswer(http.Header{"X-Request-Id": {"Req-7781"}}, []byte(`{"error":"Deadlock detected"}`), 29)
	e := notifyRecord(t, "cap_e", "connection.deleted", "s", 200)
	e.Forward = &capture.Forward{URL: "http://127.0.0.1:5000/", Status: 200, LatencyMS: 1}
	e.Forward.SetAnswer(http.Header{}, []byte{0xfe, 'A', 'p', 'p', '-', 'O', 'k'}, 7)
	f := newFixture(t, a, b, c, d, e)
	cases := map[string][]string{
		"":                                 {"cap_e", "cap_d", "cap_c", "cap_b", "cap_a"},
		"provider=notify":                  {"cap_e", "cap_b", "cap_a"},
		"provider=github":                  nil,
		"event=connection.*":               {"cap_e", "cap_b", "cap_a"},
		"event=*.updated":                  {"cap_b"},
		"event=payment*":                   {"cap_d"},
		"verdict=valid":                    {"cap_e", "cap_a"},
		"verdict=invalid":                  {"cap_b"},
		"verdict=unsigned":                 {"cap_c"},
		"verdict=no_secret":                {"cap_d"},
		"status=2xx":                       {"cap_e", "cap_d", "cap_a"},
		"status=5xx":                       {"cap_b"},
		"status=404":                       {"cap_c"},
		"q=needle-42":                      {"cap_c"}, // a header value, any case
		"q=probe":                          {"cap_c"}, // the query
		"q=haystack":                       {"cap_d"}, // a binary body's bytes
		"q=evt_cap_b":                      {"cap_b"}, // a text body
		"q=req-7781":                       {"cap_b"}, // the app's answer header
		"q=deadlock%20detected":            {"cap_b"}, // the app's answer body
		"q=app-ok":                         {"cap_e"}, // a binary answer's bytes
		"provider=notify&status=2xx&q=ada": {"cap_e", "cap_a"},
	}
	for q, want := range cases {
		var p Page
		if code := f.get(t, "/api/captures?"+q, &p); code != 200 {
			t.Fatalf("%s: %d", q, code)
		}
		if got := ids3(&p); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
	if p := (Page{}); f.get(t, "/api/captures?verdict=valid", &p) == 200 && p.Captures[0].Verdict != "valid" {
		t.Errorf("summary verdict %q", p.Captures[0].Verdict)
	}
	for _, q := range []string{"verdict=maybe", "status=7xx", "status=abc"} {
		if code := f.get(t, "/api/captures?"+q, nil); code != 400 {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
}

func TestOneRecordIsTheStoredLine(t *testing.T) {
	f := newFixture(t, notifyRecord(t, "cap_1", "connection.created", "s", 200))
	res, err := http.Get(f.ts.URL + "/api/captures/cap_1")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	file, _ := os.ReadFile(f.path)
	if string(got)+"\n" != string(file) {
		t.Fatalf("record differs from the file's line:\n%s\n%s", got, file)
	}
	if code := f.get(t, "/api/captures/cap_2", nil); code != 404 {
		t.Fatalf("unknown id: %d", code)
	}
}

func TestTornLastLineAndTailing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	writeRecords(t, path, notifyRecord(t, "cap_1", "connection.created", "s", 200))
	line, _ := json.Marshal(notifyRecord(t, "cap_2", "connection.created", "s", 200))
	fh, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	fh.Write(line[:40]) // a writer mid-record
	x, err := NewIndex(path, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if n := len(x.snapshot().entries); n != 1 {
		t.Fatalf("%d entries with a torn last line, want 1", n)
	}
	fh.Write(line[40:]) // the record is whole, its newline not yet written
	x.Refresh()
	if n := len(x.snapshot().entries); n != 2 {
		t.Fatalf("%d entries once the last record is whole, want 2", n)
	}
	fh.Close()
	// A later writer starts on a new line; both records after it count.
	writeRecords(t, path, notifyRecord(t, "cap_3", "connection.created", "s", 200))
	x.Refresh()
	v := x.snapshot()
	if len(v.entries) != 3 || v.skipped != 0 {
		t.Fatalf("%d entries, %d skipped; want 3, 0", len(v.entries), v.skipped)
	}
	// A torn line the writer repaired is skipped, not fatal.
	fh, _ = os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	fh.Write([]byte(`{"id":"cap_torn","v":1`))
	fh.Close()
	writeRecords(t, path, notifyRecord(t, "cap_4", "connection.created", "s", 200))
	x.Refresh()
	v = x.snapshot()
	if len(v.entries) != 4 || v.skipped != 1 {
		t.Fatalf("%d entries, %d skipped; want 4, 1", len(v.entries), v.skipped)
	}
	// A file replaced by a shorter one is indexed afresh.
	os.Remove(path)
	writeRecords(t, path, notifyRecord(t, "cap_9", "connection.created", "s", 200))
	x.Refresh()
	v = x.snapshot()
	if len(v.entries) != 1 || !v.idIs(0, "cap_9") {
		t.Fatalf("after replacing the file: %d entries", len(v.entries))
	}
}

func TestMissingFileIsEmptyUntilListenWrites(t *testing.T) {
	f := newFixture(t)
	var p Page
	f.get(t, "/api/captures", &p)
	if p.Total != 0 || len(p.Captures) != 0 {
		t.Fatalf("%+v", p)
	}
	writeRecords(t, f.path, notifyRecord(t, "cap_1", "connection.created", "s", 200))
	waitFor(t, func() bool { f.get(t, "/api/captures", &p); return p.Total == 1 })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
	}
}

func TestStreamSendsOneEventPerNewRecord(t *testing.T) {
	f := newFixture(t, notifyRecord(t, "cap_old", "connection.created", "s", 200))
	res, err := http.Get(f.ts.URL + "/api/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	writeRecords(t, f.path, notifyRecord(t, "cap_n1", "connection.created", "s", 200), notifyRecord(t, "cap_n2", "connection.updated", "s", 200))
	sc := bufio.NewScanner(res.Body)
	var events []string
	var event string
	for len(events) < 2 && sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var s Summary
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &s); err != nil {
				t.Fatal(err)
			}
			if event != "capture" {
				t.Fatalf("event %q, want capture", event)
			}
			events = append(events, s.ID+" "+s.Event+" "+s.Verdict)
		}
	}
	if fmt.Sprint(events) != "[cap_n1 connection.created valid cap_n2 connection.updated valid]" {
		t.Fatalf("events %v", events)
	}
}

func TestVerify(t *testing.T) {
	f := newFixture(t, notifyRecord(t, "cap_1", "connection.created", "s3cr3t", 200))
	var v VerifyResult
	if code, body := f.post(t, "/api/captures/cap_1/verify", map[string]any{"secrets": []string{"s3cr3t"}}, &v); code != 200 || !v.Valid || v.Verdict != "valid" {
		t.Fatalf("right secret: %d %s", code, body)
	}
	v = VerifyResult{}
	if code, body := f.post(t, "/api/captures/cap_1/verify", map[string]any{"secrets": []string{"wrong"}}, &v); code != 200 || v.Valid || v.Verdict != "invalid" || v.Reason == "" {
		t.Fatalf("wrong secret: %d %s", code, body)
	}
	if code, body := f.post(t, "/api/captures/cap_1/verify", map[string]any{"secrets": []string{}}, nil); code != 400 || !strings.Contains(body, "type the notify secret") {
		t.Fatalf("no secret: %d %s", code, body)
	}
	if code, _ := f.post(t, "/api/captures/cap_x/verify", map[string]any{"secrets": []string{"s"}}, nil); code != 404 {
		t.Fatalf("unknown capture: %d", code)
	}
	if code, _ := f.post(t, "/api/captures/cap_1/verify", map[string]any{"secret": "s"}, nil); code != 400 {
		t.Fatalf("unknown field: %d", code)
	}
}

// receiver is a test app that records what it got.
func receiver(t *testing.T, status int) (*httptest.Server, chan *http.Request, chan []byte) {
	reqs, bodies := make(chan *http.Request, 4), make(chan []byte, 4)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		reqs <- r
		bodies <- b
		w.Header().Set("X-App", "yes")
		w.WriteHeader(status)
		io.WriteString(w, `{"received":true}`)
	}))
	t.Cleanup(ts.Close)
	return ts, reqs, bodies
}

func TestReplayAsCapturedAndResigned(t *testing.T) {
	rec := notifyRecord(t, "cap_1", "connection.created", "s3cr3t", 200)
	f := newFixture(t, rec)
	app, reqs, bodies := receiver(t, 202)

	var res map[string]any
	code, body := f.post(t, "/api/captures/cap_1/replay", ReplayRequest{To: app.URL}, &res)
	if code != 200 {
		t.Fatalf("replay: %d %s", code, body)
	}
	got := <-reqs
	if b := <-bodies; string(b) != rec.Body || got.URL.Path != "/webhooks" || got.Header.Get("X-Notify-Signature") != rec.Headers.Get("X-Notify-Signature") {
		t.Fatalf("app got %s %s sig %q", got.URL.Path, b, got.Header.Get("X-Notify-Signature"))
	}
	// notify accepts only 200: the result says 202 and not ok, as replay --json does.
	if res["type"] != "attempt" || res["status"] != float64(202) || res["ok"] != false || res["capture_id"] != "cap_1" {
		t.Fatalf("result %s", body)
	}

	edited := `{"event":"connection.created","edited":true}`
	code, body = f.post(t, "/api/captures/cap_1/replay", ReplayRequest{To: app.URL, Body: &edited, Secrets: []string{"n3w"}}, &res)
	if code != 200 {
		t.Fatalf("edited replay: %d %s", code, body)
	}
	got = <-reqs
	b := <-bodies
	cat, _ := catalog.New()
	p, _ := cat.Lookup("notify")
	v, err := p.Scheme.Verify(signer.VerifyInput{Header: got.Header, Body: bytes.NewReader(b), Secrets: []string{"n3w"}, Now: time.Now()})
	if string(b) != edited || err != nil || !v.Valid {
		t.Fatalf("edited body %s re-signed valid=%v err=%v", b, v, err)
	}
	if code, body := f.post(t, "/api/captures/cap_1/replay", ReplayRequest{To: app.URL, Resign: true}, nil); code != 400 || !strings.Contains(body, "no secret for notify") {
		t.Fatalf("resign without a secret: %d %s", code, body)
	}
	if code, _ := f.post(t, "/api/captures/cap_1/replay", ReplayRequest{To: "ftp://x"}, nil); code != 400 {
		t.Fatalf("bad target: %d", code)
	}
}

func TestSecurity(t *testing.T) {
	f := newFixture(t, notifyRecord(t, "cap_1", "connection.created", "s", 200))
	u, _ := url.Parse(f.ts.URL)
	_, port, _ := strings.Cut(u.Host, ":")
	do := func(method, host string, h map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, f.ts.URL+"/api/captures/cap_1/verify", strings.NewReader(`{"secrets":["s"]}`))
		if method == "GET" {
			req, _ = http.NewRequest(method, f.ts.URL+"/api/captures", nil)
		}
		req.Host = host
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	tok := f.srv.Token()
	json := "application/json"
	for _, c := range []struct {
		name, method, host string
		h                  map[string]string
		want               int
	}{
		{"bound address", "GET", u.Host, nil, 200},
		{"localhost", "GET", "localhost:" + port, nil, 200},
		{"127.0.0.1", "GET", "127.0.0.1:" + port, nil, 200},
		{"rebinding host", "GET", "evil.example:" + port, nil, 403},
		{"right name, wrong port", "GET", "localhost:1", nil, 403},
		{"no port", "GET", "localhost", nil, 403},
		{"page's POST", "POST", u.Host, map[string]string{"Origin": f.ts.URL, TokenHeader: tok, "Content-Type": json}, 200},
		{"POST without Origin (curl)", "POST", u.Host, map[string]string{TokenHeader: tok, "Content-Type": json}, 200},
		{"cross-origin POST", "POST", u.Host, map[string]string{"Origin": "http://evil.example", TokenHeader: tok, "Content-Type": json}, 403},
		{"cross-origin POST, https", "POST", u.Host, map[string]string{"Origin": "https://" + u.Host, TokenHeader: tok, "Content-Type": json}, 403},
		{"null origin", "POST", u.Host, map[string]string{"Origin": "null", TokenHeader: tok, "Content-Type": json}, 403},
		{"cross-site fetch", "POST", u.Host, map[string]string{"Sec-Fetch-Site": "cross-site", TokenHeader: tok, "Content-Type": json}, 403},
		{"POST without token", "POST", u.Host, map[string]string{"Origin": f.ts.URL, "Content-Type": json}, 403},
		{"POST with a wrong token", "POST", u.Host, map[string]string{"Origin": f.ts.URL, TokenHeader: "x" + tok[1:], "Content-Type": json}, 403},
		{"POST as a form", "POST", u.Host, map[string]string{"Origin": f.ts.URL, TokenHeader: tok, "Content-Type": "text/plain"}, 415},
		{"POST to a wrong host", "POST", "evil.example:" + port, map[string]string{TokenHeader: tok, "Content-Type": json}, 403},
	} {
		res := do(c.method, c.host, c.h)
		if res.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, res.StatusCode, c.want)
		}
		for k := range res.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%s: CORS header %s", c.name, k)
			}
		}
		if res.Header.Get("Content-Security-Policy") != csp {
			t.Errorf("%s: no CSP", c.name)
		}
	}
}

func TestPageEmbedsTheTokenAndNothingRemote(t *testing.T) {
	f := newFixture(t)
	res, err := http.Get(f.ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Contains(page, []byte(f.srv.Token())) {
		t.Fatal("the page does not carry the token")
	}
	// Everything the page loads or calls is a path on this server.
	remote := regexp.MustCompile(`(?i)(src|href)=["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|(fetch|EventSource)\(\s*["'](https?:)?//`)
	for _, name := range []string{"web/index.html", "web/app.js", "web/app.css"} {
		b, _ := web.ReadFile(name)
		if m := remote.Find(b); m != nil {
			t.Errorf("%s loads something remote: %s", name, m)
		}
	}
}

// Without a typed secret, a re-signed replay uses the configured one.
func TestReplayResignsWithTheConfiguredSecret(t *testing.T) {
	f := newFixture(t, notifyRecord(t, "cap_1", "connection.created", "old", 200))
	cat, _ := catalog.New()
	eng := &Engine{Catalog: cat, Now: time.Now, IDs: ids.Seeded(3, 4), Secrets: func(p string) ([]string, error) {
		if p != "notify" {
			t.Errorf("asked for %s's secret", p)
		}
		return []string{"configured"}, nil
	}}
	f.srv.cfg.Actions = eng.Actions()
	app, reqs, bodies := receiver(t, 200)
	var res map[string]any
	if code, body := f.post(t, "/api/captures/cap_1/replay", ReplayRequest{To: app.URL + "/elsewhere", Resign: true}, &res); code != 200 || res["ok"] != true {
		t.Fatalf("%d %s", code, body)
	}
	got, b := <-reqs, <-bodies
	p, _ := cat.Lookup("notify")
	v, err := p.Scheme.Verify(signer.VerifyInput{Header: got.Header, Body: bytes.NewReader(b), Secrets: []string{"configured"}, Now: time.Now()})
	if err != nil || !v.Valid || got.URL.Path != "/elsewhere" {
		t.Fatalf("app got %s, signature valid=%v err=%v", got.URL.Path, v, err)
	}
}

// The whole record carries the app's answer, headers and exact body; the
// list's summaries keep the forward's status and latency without them.
func TestRecordCarriesTheAppsAnswer(t *testing.T) {
	rec := notifyRecord(t, "cap_1", "connection.created", "s", 418)
	rec.Forward = &capture.Forward{URL: "http://127.0.0.1:5000/webhooks", Status: 418, LatencyMS: 2.5}
	rec.Forward.SetAnswer(http.Header{"Content-Type": {"application/octet-stream"}, "X-App": {"teapot"}}, []byte("\x00\xffno"), 4)
	f := newFixture(t, rec)

	var got struct {
		Forward struct {
			Status        int
			Headers       http.Header
			Body          string
			BodyEncoding  string `json:"body_encoding"`
			BodySize      int64  `json:"body_size"`
			BodyTruncated bool   `json:"body_truncated"`
		}
	}
	if code := f.get(t, "/api/captures/cap_1", &got); code != 200 {
		t.Fatalf("GET: %d", code)
	}
	fw := got.Forward
	if fw.Status != 418 || fw.Headers.Get("X-App") != "teapot" || fw.BodyEncoding != capture.EncodingBase64 || fw.BodySize != 4 || fw.BodyTruncated {
		t.Errorf("forward %+v", fw)
	}
	if b, err := (&capture.Forward{Body: fw.Body, BodyEncoding: fw.BodyEncoding}).BodyBytes(); err != nil || string(b) != "\x00\xffno" {
		t.Errorf("the app's body %q %v", b, err)
	}

	var list struct{ Captures []map[string]json.RawMessage }
	if code := f.get(t, "/api/captures", &list); code != 200 || len(list.Captures) != 1 {
		t.Fatalf("list: %d %v", code, list)
	}
	var sum map[string]any
	if err := json.Unmarshal(list.Captures[0]["forward"], &sum); err != nil || sum["status"] != 418.0 || sum["latency_ms"] != 2.5 {
		t.Fatalf("summary forward %s %v", list.Captures[0]["forward"], err)
	}
	for _, k := range []string{"headers", "body", "body_encoding", "body_size"} {
		if _, ok := sum[k]; ok {
			t.Errorf("summary carries the app's %s", k)
		}
	}
}
