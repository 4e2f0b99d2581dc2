package check_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/check"
	"github.com/hookctl/hookctl/internal/check/checktest"
	"github.com/hookctl/hookctl/internal/mutate"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/templates"
)

// secret works for every scheme: a whsec_ key, which text schemes take as text.
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// run checks p's endpoint: rc, or the one handler given instead.
func run(t *testing.T, p *catalog.Provider, rc *checktest.Receiver, spec check.Spec, h ...http.Handler) *check.Report {
	t.Helper()
	var handler http.Handler = rc
	if len(h) == 1 {
		handler = h[0]
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL + "/webhooks?x=1")
	spec.URL, spec.Provider, spec.Secrets = u, p, []string{secretOf(p)}
	rep, err := check.Run(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// notPassed lists the checks that failed or warned, as name=status.
func notPassed(rep *check.Report) []string {
	var out []string
	for _, r := range rep.Results {
		if r.Status == check.Fail || r.Status == check.Warn {
			out = append(out, r.Name+"="+string(r.Status))
		}
	}
	return out
}

// secretOf is the secret p's endpoint is configured with in the tests:
// an Ed25519 key pair for asymmetric schemes, else the whsec_ one.
func secretOf(p *catalog.Provider) string {
	if p.Scheme.Asymmetric() {
		k, _ := p.Scheme.NewEd25519Secret([]byte("hookctl check tests: a key pair!"))
		return k
	}
	return secret
}

// recorder keeps each request an endpoint gets, and its body.
type recorder struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies [][]byte
}

// serve records each request, then passes it to h.
func (rec *recorder) serve(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs, rec.bodies = append(rec.reqs, r), append(rec.bodies, body)
		rec.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

func (rec *recorder) got() ([]*http.Request, [][]byte) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.reqs, rec.bodies
}

func builtins(t *testing.T) *catalog.Catalog {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// A correct endpoint passes every check that applies, for every provider
// and every one of its events; the rest are skipped with a reason.
func TestCorrectReceiverPassesEverywhere(t *testing.T) {
	for _, p := range builtins(t).Providers() {
		for _, ev := range p.EventNames() {
			if check.IsHandshake(p, ev) {
				continue // sent by the handshake check; not an event to check with
			}
			t.Run(p.Name+"/"+ev, func(t *testing.T) {
				t.Parallel()
				rep := run(t, p, &checktest.Receiver{Provider: p, Secret: secretOf(p)}, check.Spec{Event: ev})
				if bad := notPassed(rep); len(bad) > 0 {
					for _, r := range rep.Results {
						t.Logf("%s %s %s", r.Name, r.Status, r.Detail)
					}
					t.Fatalf("a correct endpoint got %v", bad)
				}
				if rep.Passed < 6 || len(rep.Results) != len(mutate.Names()) {
					t.Fatalf("passed %d of %d", rep.Passed, len(rep.Results))
				}
				for _, r := range rep.Results {
					if r.Status == check.Skip && r.Detail == "" {
						t.Errorf("%s skipped without a reason", r.Name)
					}
				}
			})
		}
	}
}

// caughtBy lists the checks a bug must fail (or warn) on p's first event,
// and no others; nil when the bug cannot show on p (no timestamp to
// ignore, no handshake to sign).
func caughtBy(p *catalog.Provider, bug string) []string {
	timed, future := p.Scheme.UsesTimestamp() && p.Scheme.Tolerance > 0, p.Scheme.RejectFuture
	r, _ := templates.Render(p, check.FirstEvent(p), templates.RenderOptions{})
	jsonBody := json.Valid(r.Body)                // raw-bytes needs a JSON body
	body := p.Scheme.Signed != signer.SignedToken // the signature binds the body (or, in it, the token)
	bodyBytes := body && p.Scheme.BodySig == nil  // ... and the body's bytes
	// checktest takes apart these formats; the others it cannot call malformed.
	known := p.Scheme.Format == signer.FormatPlain || p.Scheme.Format == signer.FormatList || p.Scheme.Format == signer.FormatStripe
	var out []string
	add := func(ok bool, names ...string) {
		if ok {
			out = append(out, names...)
		}
	}
	switch bug {
	case checktest.AnySignature: // every forged request gets through
		add(body, "tampered-body=fail")
		add(true, "wrong-secret=fail", "malformed-signature=fail")
		add(timed, "stale-timestamp=fail")
		add(timed && future, "future-timestamp=fail")
	case checktest.MissingHeader:
		add(true, "missing-signature=fail")
	case checktest.IgnoreTimestamp:
		add(timed, "stale-timestamp=fail")
		add(timed && future, "future-timestamp=fail")
	case checktest.Reserialized:
		add(jsonBody && bodyBytes, "raw-bytes=fail")
	case checktest.FailDuplicate:
		add(true, "duplicate=fail")
	case checktest.CrashOnMalformed: // a warning: the forgery is still refused
		add(known, "malformed-signature=warn")
	case checktest.TightWindow: // a 60 s window: only tighter than windows over a minute
		add(timed && p.Scheme.Tolerance > time.Minute, "timestamp-skew=fail")
	case checktest.SignedHandshake:
		add(p.Handshake != nil && p.Handshake.Field != "", "handshake=fail")
	case checktest.NoEcho:
		add(p.Verification() != nil && (p.Handshake == nil || p.Handshake.Field == ""), "handshake=fail") // Notion's token wants only a 2xx
	}
	return out
}

// Each known bug is caught by the checks made for it and by no other, for
// every provider it can show on.
func TestEachBugIsCaughtByItsCheck(t *testing.T) {
	for _, p := range builtins(t).Providers() {
		for _, bug := range checktest.Bugs {
			want := caughtBy(p, bug)
			if bug == checktest.Slow || want == nil {
				continue
			}
			t.Run(bug+"/"+p.Name, func(t *testing.T) {
				t.Parallel()
				rep := run(t, p, &checktest.Receiver{Provider: p, Secret: secretOf(p), Bug: bug}, check.Spec{})
				if got := notPassed(rep); !slices.Equal(got, want) {
					t.Fatalf("got %v, want %v", got, want)
				}
				if rep.OK() != strings.HasSuffix(want[0], "=warn") {
					t.Errorf("OK() = %v with %v: warnings alone must not fail", rep.OK(), want)
				}
			})
		}
	}
}

// A slow endpoint fails answer-time only: the per-request timeout is longer
// than the limit, so every other check still sees its status. The limit is
// the provider's where the catalogue has one, else AnswerWithin.
func TestSlowReceiverFailsOnlyAnswerTime(t *testing.T) {
	p, _ := builtins(t).Lookup("notify")
	rc := &checktest.Receiver{Provider: p, Secret: secretOf(p), Bug: checktest.Slow, Delay: 600 * time.Millisecond}
	rep := run(t, p, rc, check.Spec{Limits: check.Limits{AnswerWithin: 300 * time.Millisecond}})
	if got := notPassed(rep); !slices.Equal(got, []string{"answer-time=fail"}) {
		t.Fatalf("got %v", got)
	}
	for _, r := range rep.Results {
		if r.Name == mutate.AnswerTime && (r.Got == nil || r.Got.Status != 200 || r.Got.Latency < 600*time.Millisecond) {
			t.Errorf("answer-time got %+v: want the valid delivery's 200 after the delay", r.Got)
		}
	}
	g, _ := builtins(t).Lookup("generic")
	if d, why := check.AnswerLimit(g, check.Limits{AnswerWithin: time.Hour}); d != 5*time.Second {
		t.Errorf("generic's limit is %s (%s), want its documented 5s", d, why)
	}
	custom := &catalog.Provider{Name: "acme", Delivery: catalog.DefaultDelivery()}
	custom.Delivery.Timeout = 2 * time.Second // timeout: 2s in the config file
	if d, _ := check.AnswerLimit(custom, check.Limits{AnswerWithin: time.Hour}); d != 2*time.Second {
		t.Errorf("a config provider's timeout gives a limit of %s", d)
	}
	if d, _ := check.AnswerLimit(p, check.Limits{AnswerWithin: 7 * time.Second}); d != 7*time.Second {
		t.Errorf("notify documents no limit: --answer-within gives %s", d)
	}
}

// Every check sends the mutation of its name, and every mutation is a check.
func TestBatteryIsTheMutations(t *testing.T) {
	var names []string
	for _, c := range check.Battery() {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, mutate.Names()) {
		t.Errorf("checks %v, mutations %v", names, mutate.Names())
	}
}

func TestOnlyAndSkip(t *testing.T) {
	p, _ := builtins(t).Lookup("stripe")
	rep := run(t, p, &checktest.Receiver{Provider: p, Secret: secretOf(p)}, check.Spec{Only: []string{"answer-time", "future-timestamp"}})
	var ran []string
	for _, r := range rep.Results {
		switch {
		case r.Status != check.Skip:
			ran = append(ran, r.Name)
		case r.Name == "future-timestamp" && !strings.Contains(r.Detail, "ahead"):
			t.Errorf("future-timestamp skipped for %q, want the scheme's reason", r.Detail)
		}
	}
	if !slices.Equal(ran, []string{"answer-time"}) {
		t.Errorf("ran %v", ran)
	}
	if _, err := check.ParseNames("--only", []string{"valid,stale-timestmp"}); err == nil || !strings.Contains(err.Error(), "did you mean stale-timestamp") {
		t.Errorf("err = %v", err)
	}
}

// The battery is all that is sent, and a redirect is an answer, never
// followed: the redirect's target sees nothing.
func TestSendsOnlyTheBatteryAndFollowsNoRedirect(t *testing.T) {
	p, _ := builtins(t).Lookup("stripe")
	var elsewhere atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer target.Close()
	var rec recorder
	rep := run(t, p, nil, check.Spec{}, rec.serve(&checktest.Receiver{Provider: p, Secret: secretOf(p)}))
	reqs, bodies := rec.got()
	var eventIDs []string
	for i, r := range reqs {
		_, id := p.Describe(r.Header, bodies[i])
		eventIDs = append(eventIDs, id)
	}
	// Each check's event is fresh; only duplicate (the last) repeats its own,
	// and malformed-signature's four requests are one event's.
	seen := map[string]int{}
	for _, id := range eventIDs {
		seen[id]++
	}
	if n := len(eventIDs); len(seen) != n-1-3 || eventIDs[n-1] != eventIDs[n-2] || seen[eventIDs[n-1]] != 2 {
		t.Errorf("event ids %v", eventIDs)
	}
	sent := 0
	for _, r := range rep.Results {
		if r.Shared == "" {
			sent += len(r.Answers)
		}
	}
	if len(reqs) != sent || sent != 14 {
		t.Errorf("the endpoint got %d requests, the report counts %d", len(reqs), sent)
	}
	rep = run(t, p, nil, check.Spec{Only: []string{"valid", "tampered-body"}}, http.RedirectHandler(target.URL, http.StatusFound))
	if elsewhere.Load() != 0 {
		t.Errorf("a redirect was followed %d times", elsewhere.Load())
	}
	if got := notPassed(rep); !slices.Equal(got, []string{"valid=fail"}) || !strings.Contains(rep.Results[1].Detail, "answered 302") {
		t.Errorf("got %v: %s", got, rep.Results[1].Detail)
	}
}

// The handshake check sends each provider's Verification request (the one
// trigger --handshake sends) and grades the answer with its Judge: a
// correct endpoint passes, and one whose answer is wrong fails with the
// Judge's one-line reason.
func TestHandshakeCheckIsTheVerification(t *testing.T) {
	reasons := map[string]string{
		"notion":  "", // a token handshake wants only a 2xx: no-echo cannot fail it
		"slack":   "the answer did not echo the challenge",
		"zoom":    "the answer did not echo plainToken",
		"meta":    "the answer did not echo hub.challenge",
		"twitch":  "the answer is not the challenge alone (Twitch wants the raw challenge string as the body)",
		"discord": `the answer is not the PONG {"type":1} as JSON`,
	}
	for name, reason := range reasons {
		p, err := builtins(t).Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rec recorder
			rep := run(t, p, nil, check.Spec{Only: []string{mutate.Handshake}}, rec.serve(&checktest.Receiver{Provider: p, Secret: secretOf(p)}))
			if r := rep.Results[0]; r.Name != mutate.Handshake || r.Status != check.Pass {
				t.Fatalf("a correct %s endpoint: %s %s", name, r.Status, r.Detail)
			}
			reqs, bodies := rec.got()
			first, firstBody := reqs[0], bodies[0]
			if want := p.Verification().RequestMethod(); first.Method != want {
				t.Errorf("sent %s, want %s", first.Method, want)
			}
			switch name {
			case "notion": // the token is the key the endpoint then verifies with
				if string(firstBody) != `{"verification_token":"`+secretOf(p)+`"}` {
					t.Errorf("notion's token handshake sent %s", firstBody)
				}
			case "meta":
				if q := first.URL.Query(); q.Get("hub.verify_token") != secretOf(p) || q.Get("x") != "1" {
					t.Errorf("meta's query %v: the verify token defaults to the secret, the URL's own query stays", q)
				}
			}
			if reason == "" {
				return
			}
			bad := &checktest.Receiver{Provider: p, Secret: secretOf(p), Bug: checktest.NoEcho}
			rep = run(t, p, bad, check.Spec{Only: []string{mutate.Handshake}})
			if r := rep.Results[0]; r.Status != check.Fail || r.Detail != reason {
				t.Errorf("a wrong answer: %s %q, want fail %q", r.Status, r.Detail, reason)
			}
		})
	}
}

// Meta's verify token is the one the endpoint is configured with when
// given (--verify-token, providers.meta.verify_token), else the secret.
func TestHandshakeMetaVerifyToken(t *testing.T) {
	p, _ := builtins(t).Lookup("meta")
	rc := &checktest.Receiver{Provider: p, Secret: secretOf(p)}
	rep := run(t, p, rc, check.Spec{Only: []string{mutate.Handshake}, VerifyToken: "not-the-endpoints"})
	if r := rep.Results[0]; r.Status != check.Fail || r.Detail != "the answer's status is 403, not 200" {
		t.Errorf("a verify token the endpoint does not hold: %s %q", r.Status, r.Detail)
	}
}

// Mailgun signs inside the body: the battery changes the signature, token
// and timestamp there. A correct endpoint (which also refuses a token it
// has seen, as Mailgun advises) passes; the checks that cannot apply say why.
func TestMailgunSignsInTheBody(t *testing.T) {
	p, _ := builtins(t).Lookup("mailgun")
	rc := &checktest.Receiver{Provider: p, Secret: secretOf(p)}
	var rec recorder
	rep := run(t, p, nil, check.Spec{}, rec.serve(rc))
	got := map[string]string{}
	for _, r := range rep.Results {
		got[r.Name] = string(r.Status)
		if r.Status == check.Skip {
			got[r.Name] += ": " + r.Detail
		}
	}
	want := map[string]string{
		"handshake": "skip: mailgun sends no subscription handshake", "valid": "pass", "answer-time": "pass",
		"tampered-body": "pass", "wrong-secret": "pass", "missing-signature": "pass", "malformed-signature": "pass",
		"stale-timestamp": "skip: mailgun has no time window", "future-timestamp": "skip: mailgun has no time window",
		"timestamp-skew": "skip: mailgun has no time window", "rotated-secret": "skip: mailgun's body carries one signature",
		"raw-bytes": "skip: mailgun signs the body's signature.timestamp and signature.token, not its bytes: re-serializing the body breaks no signature",
		"duplicate": "pass",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	if !rep.OK() || rep.Passed != 7 {
		t.Errorf("passed %d: %v", rep.Passed, notPassed(rep))
	}
	if _, bodies := rec.got(); len(bodies) != 1+1+1+1+4+2 { // valid, tampered, wrong, missing, four malformed, duplicate's two
		t.Fatalf("%d requests", len(bodies))
	}
	// The test endpoint does refuse a replayed token: duplicate passed
	// because its second request is signed anew.
	u := "http://example.test/webhooks"
	_, bodies := rec.got()
	req := httptest.NewRequest(http.MethodPost, u, bytes.NewReader(bodies[0]))
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "token was used before") {
		t.Errorf("a replayed mailgun request: %d %s", w.Code, w.Body)
	}
}
