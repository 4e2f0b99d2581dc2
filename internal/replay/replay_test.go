package replay

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
)

// The fixture's captures were signed with these secrets at their capture
// time (testdata/captures/README.md).
var fixtureSecrets = map[string]string{
	"notify":   "notify-fixture-secret",
	"standard": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	"github":   "github-fixture-secret",
	"stripe":   "whsec_stripe_fixture_secret",
}

const fixture = "../../testdata/captures/mixed.jsonl"

var fixtureBase = time.Date(2025, 1, 10, 10, 0, 0, 0, time.UTC)

func readAll(t *testing.T, path string) []*capture.Record {
	t.Helper()
	f, r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*capture.Record
	for {
		rec, err := r.Next()
		if err != nil {
			return out
		}
		out = append(out, rec)
	}
}

// The fixture itself must be right: every signed capture verifies with its
// secret at the time it was captured.
func TestFixtureSignaturesVerify(t *testing.T) {
	cat, _ := catalog.New()
	recs := readAll(t, fixture)
	if len(recs) != 7 {
		t.Fatalf("%d records", len(recs))
	}
	signed := 0
	for _, rec := range recs {
		if rec.Verified == nil || !*rec.Verified {
			continue
		}
		p, err := cat.Lookup(rec.Provider)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := rec.BodyBytes()
		res, err := p.Scheme.Verify(signer.VerifyInput{Header: rec.Headers, Body: bytes.NewReader(body),
			Secrets: []string{fixtureSecrets[p.Name]}, Now: rec.Time})
		if err != nil || !res.Valid {
			t.Errorf("%s: %+v %v", rec.ID, res, err)
		}
		signed++
	}
	if signed != 5 {
		t.Errorf("%d signed captures, want 5", signed)
	}
}

func selectIDs(t *testing.T, file string, sel Selection) (*Scan, []string) {
	t.Helper()
	s, err := ScanFile(context.Background(), file, sel, func(m string) { t.Errorf("warning %s", m) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := s.Each(context.Background(), func(rec *capture.Record) error {
		got = append(got, rec.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != s.Selected {
		t.Errorf("Each gave %d, Scan said %d", len(got), s.Selected)
	}
	return s, got
}

func TestSelection(t *testing.T) {
	cases := []struct {
		name string
		sel  Selection
		want string
	}{
		{"all", Selection{}, "cap_0001notify cap_0002standard cap_0003binary cap_0004github cap_0005toobig cap_0006stripe cap_0007notify"},
		{"ids in file order", Selection{IDs: []string{"cap_0006stripe", "cap_0001notify"}}, "cap_0001notify cap_0006stripe"},
		{"last", Selection{Last: 2}, "cap_0006stripe cap_0007notify"},
		{"last more than there are", Selection{Last: 50}, "cap_0001notify cap_0002standard cap_0003binary cap_0004github cap_0005toobig cap_0006stripe cap_0007notify"},
		{"event glob", Selection{Events: []string{"connection.*"}}, "cap_0001notify cap_0007notify"},
		{"any of two globs", Selection{Events: []string{"push", "*.paid"}}, "cap_0002standard cap_0004github"},
		{"glob does not match an empty event", Selection{Events: []string{"*"}}, "cap_0001notify cap_0002standard cap_0004github cap_0006stripe cap_0007notify"},
		{"star crosses dots", Selection{Events: []string{"pay*ed"}}, "cap_0006stripe"},
		{"since", Selection{Since: fixtureBase.Add(3*time.Minute + 30*time.Second)}, "cap_0005toobig cap_0006stripe cap_0007notify"},
		{"last after the filters", Selection{Events: []string{"connection.*"}, Last: 1}, "cap_0007notify"},
		{"ids and a filter", Selection{IDs: []string{"cap_0001notify", "cap_0002standard"}, Events: []string{"invoice.*"}}, "cap_0002standard"},
		{"nothing", Selection{Events: []string{"nope.*"}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, got := selectIDs(t, fixture, c.sel)
			if strings.Join(got, " ") != c.want {
				t.Errorf("got %v\nwant %s", got, c.want)
			}
			if s.Read != 7 || len(s.Missing) != 0 {
				t.Errorf("read %d, missing %v", s.Read, s.Missing)
			}
		})
	}
}

func TestScanCountsProvidersOfTheLastN(t *testing.T) {
	s, _ := selectIDs(t, fixture, Selection{Last: 3})
	want := map[string]int{"notify": 2, "stripe": 1}
	if len(s.Providers) != len(want) || s.Providers["notify"] != 2 || s.Providers["stripe"] != 1 {
		t.Errorf("providers %v, want %v", s.Providers, want)
	}
	if s.Truncated != 1 || s.Matched != 7 || s.Selected != 3 {
		t.Errorf("truncated %d matched %d selected %d", s.Truncated, s.Matched, s.Selected)
	}
}

func TestUnknownIDs(t *testing.T) {
	s, err := ScanFile(context.Background(), fixture, Selection{IDs: []string{"cap_nope", "cap_0001notify", "cap_gone", "cap_nope"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Missing, ",") != "cap_nope,cap_gone" || s.Selected != 1 {
		t.Errorf("missing %v selected %d", s.Missing, s.Selected)
	}
}

func TestValidate(t *testing.T) {
	for _, sel := range []Selection{{Events: []string{""}}, {Last: -1}} {
		if err := sel.Validate(); err == nil {
			t.Errorf("%+v: no error", sel)
		}
	}
	ok := Selection{Events: []string{"message.*", "orders/create"}, Last: 3}
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := ScanFile(context.Background(), filepath.Join(t.TempDir(), "none.jsonl"), Selection{}, nil, nil)
	if !errors.Is(err, ErrNoFile) {
		t.Errorf("err %v", err)
	}
}

// A torn last line is warned about once, by the first pass; the records
// before it are all there. Records appended after the first pass are not
// part of this run.
func TestTornLineAndAppendsDuringTheRun(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "c.jsonl")
	torn := append(append([]byte{}, data...), []byte(`{"v":1,"id":"cap_torn","meth`)...)
	if err := os.WriteFile(file, torn, 0o600); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	s, err := ScanFile(context.Background(), file, Selection{Last: 2}, func(m string) { warnings = append(warnings, m) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	// the writer finishes the torn line and appends another record
	fh, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	fh.WriteString("od\":\"POST\"}\n" + strings.SplitN(string(data), "\n", 2)[0] + "\n")
	fh.Close()
	var got []string
	if err := s.Each(context.Background(), func(rec *capture.Record) error { got = append(got, rec.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "cap_0006stripe cap_0007notify" {
		t.Errorf("got %v", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "c.jsonl:8: skipped torn last line") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestEachNoticesAShrunkFile(t *testing.T) {
	data, _ := os.ReadFile(fixture)
	file := filepath.Join(t.TempDir(), "c.jsonl")
	os.WriteFile(file, data, 0o600)
	s, err := ScanFile(context.Background(), file, Selection{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, data[:len(data)/2], 0o600)
	err = s.Each(context.Background(), func(*capture.Record) error { return nil })
	if !errors.Is(err, ErrChanged) {
		t.Errorf("err %v", err)
	}
}

func TestHeaderDropsHopByHop(t *testing.T) {
	rec := &capture.Record{Headers: http.Header{
		"Connection":        {"keep-alive, X-Hop"},
		"X-Hop":             {"x"},
		"Keep-Alive":        {"timeout=5"},
		"Transfer-Encoding": {"chunked"},
		"Content-Length":    {"12"},
		"Host":              {"old.example"},
		"x-lower-case":      {"kept as written"},
		"X-Multi":           {"1", "2"},
		"Upgrade":           {"h2c"},
	}}
	h := Header(rec)
	want := http.Header{"x-lower-case": {"kept as written"}, "X-Multi": {"1", "2"}, "User-Agent": {""}}
	if len(h) != len(want) {
		t.Fatalf("header %v", h)
	}
	for k, v := range want {
		if strings.Join(h[k], "|") != strings.Join(v, "|") {
			t.Errorf("%s = %q, want %q", k, h[k], v)
		}
	}
	rec.Headers["User-Agent"] = []string{"Provider/1"}
	if ua := Header(rec)["User-Agent"]; len(ua) != 1 || ua[0] != "Provider/1" {
		t.Errorf("user agent %q", ua)
	}
}

func TestTargetURL(t *testing.T) {
	cases := []struct{ to, path, query, want string }{
		{"localhost:5000", "/webhooks", "", "http://localhost:5000/webhooks"},
		{"localhost:5000/", "/webhooks", "a=1", "http://localhost:5000/webhooks?a=1"},
		{"localhost:5000/app", "/webhooks", "", "http://localhost:5000/app"},
		{"localhost:5000/webhooks", "/webhooks", "", "http://localhost:5000/webhooks"},
		{"localhost:5000/app/", "/", "", "http://localhost:5000/app/"},
		{"localhost:5000/app", "/", "a=1", "http://localhost:5000/app?a=1"},
		{"localhost:5000/app?k=v", "/hook", "a=1&b=%20", "http://localhost:5000/app?k=v&a=1&b=%20"},
		{"https://example.com/base", "/upload/ä b", "", "https://example.com/base"},
		{"https://example.com", "/upload/ä b", "", "https://example.com/upload/%C3%A4%20b"},
		{"localhost:5000", "/upload/%C3%A4%20b", "", "http://localhost:5000/upload/%C3%A4%20b"},
		{"localhost:5000", "/a%2Fb", "", "http://localhost:5000/a%2Fb"},
		{"localhost:5000", "", "", "http://localhost:5000/"},
	}
	for _, c := range cases {
		u, err := delivery.ParseTarget(c.to)
		if err != nil {
			t.Fatal(err)
		}
		got := TargetURL(u, &capture.Record{Path: c.path, Query: c.query})
		if got != c.want {
			t.Errorf("%s + %s?%s = %s, want %s", c.to, c.path, c.query, got, c.want)
		}
		if _, err := url.Parse(got); err != nil {
			t.Errorf("%s does not parse: %v", got, err)
		}
	}
}

func TestResignReplacesEveryNameOfTheScheme(t *testing.T) {
	cat, _ := catalog.New()
	p, _ := cat.Lookup("standard")
	now := time.Unix(1736505000, 0)
	req := &delivery.Request{URL: "http://localhost/", Body: []byte(`{"a":1}` + "\n"), EventID: "msg_old", Header: http.Header{
		"Webhook-Id": {"msg_old"}, "webhook-timestamp": {"1"}, "Webhook-Signature": {"v1,old"},
		"Svix-Id": {"msg_old"}, "Svix-Timestamp": {"1"}, "Svix-Signature": {"v1,old"}, "X-Keep": {"yes"},
	}}
	r := &Resigner{Provider: p, Secrets: []string{fixtureSecrets["standard"]}, Now: func() time.Time { return now }, IDs: ids.Seeded(1, 2)}
	if err := r.Resign(req); err != nil {
		t.Fatal(err)
	}
	if len(req.Header) != 4 || req.Header.Get("X-Keep") != "yes" {
		t.Fatalf("headers %v", req.Header)
	}
	id := req.Header.Get("webhook-id")
	if !strings.HasPrefix(id, "msg_") || id == "msg_old" || req.EventID != id || req.Header.Get("webhook-timestamp") != "1736505000" {
		t.Errorf("id %q timestamp %q", id, req.Header.Get("webhook-timestamp"))
	}
	res, err := p.Scheme.Verify(signer.VerifyInput{Header: req.Header, Body: bytes.NewReader(req.Body), Secrets: []string{fixtureSecrets["standard"]}, Now: now})
	if err != nil || !res.Valid {
		t.Errorf("verify %+v %v", res, err)
	}
}

func TestResignGitHubWritesBothSignatures(t *testing.T) {
	cat, _ := catalog.New()
	p, _ := cat.Lookup("github")
	req := &delivery.Request{URL: "http://localhost/", Body: []byte("Hello, World!"), Header: http.Header{
		"X-Hub-Signature": {"sha1=old"}, "X-Hub-Signature-256": {"sha256=old"}, "X-Github-Delivery": {"old"}, "X-Github-Event": {"push"},
	}}
	r := &Resigner{Provider: p, Secrets: []string{"It's a Secret to Everybody"}, Now: time.Now, IDs: ids.Seeded(1, 2)}
	if err := r.Resign(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Hub-Signature-256"); got != "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" {
		t.Errorf("signature %q", got)
	}
	if !strings.HasPrefix(req.Header.Get("X-Hub-Signature"), "sha1=") || req.Header.Get("X-Hub-Signature") == "sha1=old" {
		t.Errorf("sha1 signature %q", req.Header.Get("X-Hub-Signature"))
	}
	if d := req.Header.Get("X-GitHub-Delivery"); d == "old" || len(d) != 36 || req.Header.Get("X-GitHub-Event") != "push" {
		t.Errorf("delivery %q, headers %v", d, req.Header)
	}
}

func TestVerdict(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		rec  capture.Record
		want string
	}{
		{capture.Record{Verified: &yes}, "valid"},
		{capture.Record{Verified: &no, Reason: "signature mismatch"}, "invalid: signature mismatch"},
		{capture.Record{Reason: "unsigned"}, "unsigned"},
		{capture.Record{}, "-"},
	} {
		if got := Verdict(&c.rec); got != c.want {
			t.Errorf("Verdict = %q, want %q", got, c.want)
		}
	}
}

// Twilio signs the URL: a re-signed capture is signed for the URL it is
// now sent to, and verifies there.
func TestResignTwilioSignsTheNewURL(t *testing.T) {
	cat, _ := catalog.New()
	p, _ := cat.Lookup("twilio")
	target, _ := delivery.ParseTarget("localhost:5000/app")
	rec := &capture.Record{ID: "cap_tw", Method: "POST", Path: "/sms", Query: "a=1", Provider: "twilio",
		Headers: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Twilio-Signature": {"old="}}}
	rec.SetBody([]byte("Body=Hello+%C3%A9&From=%2B15005550006&To=%2B15005550001"))
	req, err := AsIs(rec, target)
	if err != nil {
		t.Fatal(err)
	}
	r := &Resigner{Provider: p, Secrets: []string{"auth-token"}, Now: time.Now, IDs: ids.Seeded(1, 2)}
	if err := r.Resign(req); err != nil {
		t.Fatal(err)
	}
	if req.URL != "http://localhost:5000/app?a=1" || req.Header.Get("X-Twilio-Signature") == "old=" {
		t.Fatalf("url %s headers %v", req.URL, req.Header)
	}
	res, err := p.Scheme.Verify(signer.VerifyInput{Header: req.Header, Body: bytes.NewReader(req.Body), Secrets: []string{"auth-token"}, URL: req.URL, Now: time.Now()})
	if err != nil || !res.Valid {
		t.Errorf("verify %+v %v", res, err)
	}
}
