package mutate_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/mutate"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/templates"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var at = time.Unix(1700000000, 0)

func provider(t *testing.T, name string) *catalog.Provider {
	t.Helper()
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// requests applies a kind to a fresh delivery of p's first event.
func requests(t *testing.T, p *catalog.Provider, name string) (mutate.Input, []*delivery.Request, []string) {
	t.Helper()
	k, err := mutate.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	g := ids.Seeded(1, 2)
	r, err := templates.Render(p, p.Events[0].Name, templates.RenderOptions{Now: at, IDs: g})
	if err != nil {
		t.Fatal(err)
	}
	in := mutate.Input{Body: r.Body, ContentType: r.ContentType, Headers: r.Headers, ID: g.Make(p.Scheme.IDKind), Secrets: []string{secret}, Event: r.Event}
	if why := k.Applies(p, in); why != "" {
		t.Fatalf("%s does not apply to %s: %s", name, p.Name, why)
	}
	sign := mutate.BuilderSign(&delivery.Builder{Provider: p, URL: "http://localhost:5000/hooks"})
	var reqs []*delivery.Request
	var labels []string
	for _, st := range k.Steps(p, in, sign) {
		req, err := st.Build(at)
		if err != nil {
			t.Fatal(err)
		}
		reqs, labels = append(reqs, req), append(labels, st.Label)
	}
	return in, reqs, labels
}

// verify checks a request with the scheme, at the signing time, with tol
// as the window (nil: the scheme's).
func verify(t *testing.T, p *catalog.Provider, req *delivery.Request, tol *time.Duration, secrets ...string) *signer.Result {
	t.Helper()
	if secrets == nil {
		secrets = []string{secret}
	}
	res, err := p.Scheme.Verify(signer.VerifyInput{Header: req.Header, Body: bytes.NewReader(req.Body), Secrets: secrets, Now: at, Tolerance: tol, URL: req.URL})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func one(t *testing.T, p *catalog.Provider, name string) (mutate.Input, *delivery.Request) {
	t.Helper()
	in, reqs, _ := requests(t, p, name)
	if len(reqs) != 1 {
		t.Fatalf("%s sent %d requests", name, len(reqs))
	}
	return in, reqs[0]
}

func TestUnchangedKindsVerify(t *testing.T) {
	for _, name := range []string{"valid", "answer-time", "timestamp-skew"} {
		p := provider(t, "standard")
		if _, req := one(t, p, name); !verify(t, p, req, nil).Valid {
			t.Errorf("%s does not verify", name)
		}
	}
	_, req := one(t, provider(t, "slack"), "timestamp-skew")
	if ts, _ := strconv.ParseInt(req.Header.Get("X-Slack-Request-Timestamp"), 10, 64); at.Unix()-ts != 240 {
		t.Errorf("timestamp-skew signed %d s in the past, want 240", at.Unix()-ts)
	}
}

func TestTamperedBodyIsOneByteOff(t *testing.T) {
	for _, name := range []string{"generic", "twilio", "slack"} {
		p := provider(t, name)
		in, req := one(t, p, "tampered-body")
		diff := 0
		for i := range in.Body {
			if in.Body[i] != req.Body[i] {
				diff++
			}
		}
		if diff != 1 || len(req.Body) != len(in.Body) {
			t.Errorf("%s: %d bytes changed", name, diff)
		}
		if json.Valid(in.Body) != json.Valid(req.Body) {
			t.Errorf("%s: the tampered body is no longer JSON", name)
		}
		if _, err := url.ParseQuery(string(req.Body)); p.Name == "twilio" && err != nil {
			t.Errorf("twilio: the tampered body is no longer a form: %v", err)
		}
		if verify(t, p, req, nil).Valid {
			t.Errorf("%s: a tampered body verifies", name)
		}
	}
	for in, want := range map[string]string{`{"a":"xyz","b":true}`: `{"a":"xyz","c":true}`, `x=%2F9`: `x=%2F0`, `a=b%2F`: `a=c%2F`, ``: ` `, `{"k":"\u00e9"}`: `{"l":"\u00e9"}`} {
		if got := string(mutate.TamperByte([]byte(in))); got != want {
			t.Errorf("TamperByte(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestWrongAndRotatedSecrets(t *testing.T) {
	p := provider(t, "standard")
	_, req := one(t, p, "wrong-secret")
	other := mutate.OtherSecret(p, []string{secret})
	if verify(t, p, req, nil).Valid || !verify(t, p, req, nil, other).Valid {
		t.Error("wrong-secret is not signed with the other secret alone")
	}
	p = provider(t, "stripe")
	_, req = one(t, p, "rotated-secret")
	other = mutate.OtherSecret(p, []string{secret})
	if v := req.Header.Get("Stripe-Signature"); strings.Count(v, "v1=") != 2 {
		t.Errorf("rotated-secret header %s", v)
	}
	if r1, r2 := verify(t, p, req, nil), verify(t, p, req, nil, other); !r1.Valid || !r2.Valid {
		t.Errorf("rotated-secret does not carry both signatures: %s / %s", r1.Reason, r2.Reason)
	}
}

func TestMissingRemovesEverySignatureHeader(t *testing.T) {
	p := provider(t, "github")
	_, req := one(t, p, "missing-signature")
	if req.Header.Get("X-Hub-Signature-256") != "" || req.Header.Get("X-Hub-Signature") != "" {
		t.Errorf("headers left: %v", req.Header)
	}
	if req.Header.Get("X-GitHub-Delivery") == "" {
		t.Error("the other headers must stay")
	}
}

func TestMalformedValues(t *testing.T) {
	cases := map[string][]string{
		"stripe":   {`^not-a-signature$`, `^$`, `^t=1700000000,v0=[0-9a-f]{64}$`, `^t=1700000000,v1=[0-9a-f]{32}$`},
		"standard": {`^not-a-signature$`, `^$`, `^v2,[A-Za-z0-9+/=]{44}$`, `^v1,[A-Za-z0-9+/=]{22}$`},
		"notion":   {`^not-a-signature$`, `^$`, `^sha1=[0-9a-f]{64}$`, `^sha256=[0-9a-f]{32}$`},
		"twilio":   {`^not-a-signature$`, `^$`, `^sha256=[A-Za-z0-9+/=]{28}$`, `^[A-Za-z0-9+/=]{14}$`},
		"github":   {`^not-a-signature$`, `^$`, `^sha1=[0-9a-f]{64}$`, `^sha256=[0-9a-f]{32}$`},
	}
	for name, want := range cases {
		p := provider(t, name)
		_, reqs, labels := requests(t, p, "malformed-signature")
		if strings.Join(labels, ",") != "garbage,empty,wrong prefix,truncated" {
			t.Fatalf("labels %v", labels)
		}
		for i, req := range reqs {
			v, ok := req.Header[http.CanonicalHeaderKey(p.Scheme.Headers.Signature)]
			if !ok || len(v) != 1 || !regexp.MustCompile(want[i]).MatchString(v[0]) {
				t.Errorf("%s %s: header %q, want %s", name, labels[i], v, want[i])
			}
			if verify(t, p, req, nil).Valid {
				t.Errorf("%s %s verifies", name, labels[i])
			}
			for _, e := range p.Scheme.Extra {
				if req.Header.Get(e.Header) != "" {
					t.Errorf("%s %s: %s left to verify by", name, labels[i], e.Header)
				}
			}
		}
	}
}

func TestTimestampsBeyondTheWindow(t *testing.T) {
	p := provider(t, "standard")
	off := time.Duration(0)
	for name, d := range map[string]int64{"stale-timestamp": -600, "future-timestamp": 600} {
		_, req := one(t, p, name)
		ts, _ := strconv.ParseInt(req.Header.Get("webhook-timestamp"), 10, 64)
		if ts-at.Unix() != d {
			t.Errorf("%s signed at %+d s, want %+d", name, ts-at.Unix(), d)
		}
		if verify(t, p, req, nil).Valid || !verify(t, p, req, &off).Valid {
			t.Errorf("%s: want a good MAC outside the window", name)
		}
	}
}

func TestRawBytes(t *testing.T) {
	p := provider(t, "notion")
	in, req := one(t, p, "raw-bytes")
	var compact bytes.Buffer
	_ = json.Compact(&compact, req.Body)
	if !json.Valid(req.Body) || bytes.Equal(compact.Bytes(), req.Body) {
		t.Fatalf("body %s", req.Body)
	}
	for _, s := range []string{`\u00e9`, `\/`, `1.0`, `": "`, `", "`} {
		if !bytes.Contains(req.Body, []byte(s)) {
			t.Errorf("no %s in %s", s, req.Body)
		}
	}
	var before, after map[string]any
	_ = json.Unmarshal(in.Body, &before)
	_ = json.Unmarshal(req.Body, &after)
	delete(after, "hookctl_check")
	if b, a := mustJSON(before), mustJSON(after); b != a {
		t.Errorf("the event changed:\n%s\n%s", b, a)
	}
	if !verify(t, p, req, nil).Valid {
		t.Error("raw-bytes is not signed over its bytes")
	}
	if why := mustKind(t, "raw-bytes").Applies(provider(t, "twilio"), mutate.Input{Body: []byte("a=b")}); !strings.Contains(why, "not JSON") {
		t.Errorf("raw-bytes on a form: %q", why)
	}
}

func TestDuplicateAndHandshake(t *testing.T) {
	p := provider(t, "standard")
	_, reqs, labels := requests(t, p, "duplicate")
	if len(reqs) != 2 || labels[1] != "second" || !bytes.Equal(reqs[0].Body, reqs[1].Body) || reqs[0].Header.Get("webhook-id") != reqs[1].Header.Get("webhook-id") {
		t.Errorf("duplicate: %v", reqs)
	}
	// The handshake is the provider's Verification, sent and judged by
	// trigger.VerificationRequest and its Judge (tested in internal/check).
	hs := mustKind(t, "handshake")
	if !hs.Verification || hs.Steps != nil {
		t.Errorf("handshake must be the Verification, not a change to a delivery: %+v", hs)
	}
	for _, name := range []string{"notion", "slack", "zoom", "meta", "twitch", "discord"} {
		if why := hs.Applies(provider(t, name), mutate.Input{}); why != "" {
			t.Errorf("handshake on %s: %q", name, why)
		}
	}
	if why := mustKind(t, "handshake").Applies(p, mutate.Input{}); why == "" {
		t.Error("standard has no handshake")
	}
}

func TestLookup(t *testing.T) {
	if _, err := mutate.Lookup("stale-timestap"); err == nil || !strings.Contains(err.Error(), `unknown mutation "stale-timestap" (did you mean stale-timestamp?)`) {
		t.Errorf("err = %v", err)
	}
}

func mustKind(t *testing.T, name string) *mutate.Kind {
	k, err := mutate.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// field is the text at path in a JSON body.
func field(body []byte, path string) string {
	raw, _ := override.Lookup(body, path)
	return override.Text(raw)
}

// Mailgun signs inside the body (signature.signature over
// signature.timestamp + signature.token): every change is made there.
func TestInBodySignature(t *testing.T) {
	p := provider(t, "mailgun")
	const sig, tok, ts = "signature.signature", "signature.token", "signature.timestamp"
	_, valid := one(t, p, "valid")
	if !verify(t, p, valid, nil).Valid {
		t.Fatalf("valid does not verify: %s", valid.Body)
	}

	_, req := one(t, p, "tampered-body")
	a, b := field(valid.Body, tok), field(req.Body, tok)
	if diff := countDiff(a, b); diff != 1 || !json.Valid(req.Body) || verify(t, p, req, nil).Valid {
		t.Errorf("tampered-body: token %s -> %s (%d bytes), want one signed byte changed and no verification", a, b, diff)
	}
	if field(req.Body, sig) == "" {
		t.Error("tampered-body must keep the signature")
	}

	_, req = one(t, p, "wrong-secret")
	if verify(t, p, req, nil).Valid || !verify(t, p, req, nil, mutate.OtherSecret(p, []string{secret})).Valid {
		t.Error("wrong-secret is not signed in the body with the other secret alone")
	}

	_, req = one(t, p, "missing-signature")
	if _, ok := override.Lookup(req.Body, sig); ok || field(req.Body, tok) == "" || field(req.Body, "event-data.event") == "" {
		t.Errorf("missing-signature must remove only the signature field: %s", req.Body)
	}
	if r := verify(t, p, req, nil); r.Valid || !strings.Contains(r.Reason, "missing signature.signature") {
		t.Errorf("missing-signature: %+v", r)
	}

	_, reqs, labels := requests(t, p, "malformed-signature")
	for i, want := range []string{`^not-a-signature$`, `^$`, `^sha256=[0-9a-f]{64}$`, `^[0-9a-f]{32}$`} {
		if v := field(reqs[i].Body, sig); !regexp.MustCompile(want).MatchString(v) || verify(t, p, reqs[i], nil).Valid {
			t.Errorf("malformed %s: signature %q, want %s, and no verification", labels[i], v, want)
		}
	}

	_, reqs, _ = requests(t, p, "duplicate")
	if field(reqs[0].Body, "event-data.id") != field(reqs[1].Body, "event-data.id") || field(reqs[0].Body, tok) == field(reqs[1].Body, tok) {
		t.Errorf("duplicate: want the same event with a new token:\n%s\n%s", reqs[0].Body, reqs[1].Body)
	}
	if len(field(reqs[1].Body, tok)) != 50 || field(reqs[1].Body, ts) != strconv.FormatInt(at.Unix(), 10) {
		t.Errorf("duplicate's second token %q, timestamp %q", field(reqs[1].Body, tok), field(reqs[1].Body, ts))
	}
	for i, r := range reqs {
		if !verify(t, p, r, nil).Valid {
			t.Errorf("duplicate %d does not verify", i)
		}
	}

	// Mailgun documents no time window and its signature does not cover
	// the body's bytes: those checks do not apply, and say why.
	for name, want := range map[string]string{
		"stale-timestamp": "mailgun has no time window", "timestamp-skew": "mailgun has no time window",
		"rotated-secret": "body carries one signature", "raw-bytes": "not its bytes",
	} {
		if why := mustKind(t, name).Applies(p, mutate.Input{Body: valid.Body}); !strings.Contains(why, want) {
			t.Errorf("%s on mailgun: %q, want %q", name, why, want)
		}
	}
}

// A scheme that signs in the body with a time window (one defined in the
// config file) gets the timestamp kinds: the body's timestamp is written.
func TestInBodyTimestamps(t *testing.T) {
	p := *provider(t, "mailgun")
	p.Scheme.Tolerance = 5 * time.Minute
	off := time.Duration(0)
	for name, d := range map[string]int64{"stale-timestamp": -600, "timestamp-skew": -240} {
		_, req := one(t, &p, name)
		got, _ := strconv.ParseInt(field(req.Body, "signature.timestamp"), 10, 64)
		if got-at.Unix() != d {
			t.Errorf("%s wrote %+d s, want %+d", name, got-at.Unix(), d)
		}
		if valid := verify(t, &p, req, nil).Valid; valid != (name == "timestamp-skew") || !verify(t, &p, req, &off).Valid {
			t.Errorf("%s: verifies in the window %v; want a good MAC, inside the window only for the skew", name, valid)
		}
	}
}

func countDiff(a, b string) int {
	if len(a) != len(b) {
		return -1
	}
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
