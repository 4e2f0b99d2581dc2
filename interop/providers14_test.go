package interop

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	paddle "github.com/PaddleHQ/paddle-go-sdk/v4"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/templates"
)

// Issue 14's providers against their official libraries: Paddle's Go SDK
// verifies every Paddle sample hookctl signs; Go's crypto/ed25519 (what
// Discord's libraries are built on) verifies every Discord sample, and
// hookctl verifies signatures crypto/ed25519 makes.

// signed14 renders and signs every event of a provider at now.
func signed14(t *testing.T, provider string, secrets []string, now time.Time) map[string]*http.Request {
	t.Helper()
	p := provider14(t, provider)
	out := map[string]*http.Request{}
	for _, ev := range p.EventNames() {
		r, err := templates.Render(p, ev, templates.RenderOptions{Now: now})
		if err != nil {
			t.Fatalf("%s %s: %v", provider, ev, err)
		}
		so, err := p.Scheme.Sign(signer.SignInput{Secrets: secrets, Timestamp: now.Unix(), Time: now, ID: "d1", Body: bytes.NewReader(r.Body)})
		if err != nil {
			t.Fatalf("%s %s: signing: %v", provider, ev, err)
		}
		req, _ := http.NewRequest(http.MethodPost, "https://example.com/webhooks", bytes.NewReader(r.Body))
		for _, h := range so.Headers {
			req.Header.Set(h.Name, h.Value)
		}
		out[ev] = req
	}
	return out
}

func TestPaddleSDKVerifiesEverySample(t *testing.T) {
	const secret = "pdl_ntfset_01hv8x2avx6jggfc9hrjxjdcbd_6v+8ZHjJRBnn4OuOPTTqb1Kfx4SH+vXk"
	for ev, req := range signed14(t, "paddle", []string{secret}, time.Now()) {
		v := paddle.NewWebhookVerifier(secret, paddle.VerifierWithTimestampTolerance(5*time.Second))
		if ok, err := v.Verify(req); !ok || err != nil {
			t.Errorf("%s: Paddle's SDK rejects hookctl's signature %q: %v", ev, req.Header.Get("Paddle-Signature"), err)
		}
		bad := req.Clone(req.Context())
		sig := req.Header.Get("Paddle-Signature")
		flip := map[byte]byte{'0': '1'}[sig[len(sig)-1]]
		if flip == 0 {
			flip = '0'
		}
		bad.Header.Set("Paddle-Signature", sig[:len(sig)-1]+string(flip))
		if ok, _ := paddle.NewWebhookVerifier(secret).Verify(bad); ok {
			t.Errorf("%s: a changed signature passes: the test proves nothing", ev)
		}
	}
	// The other way: what Paddle's verifier accepts, hookctl's does.
	body := []byte(`{"event_id":"evt_01","event_type":"transaction.paid"}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	s := scheme14(t, "paddle")
	out, err := s.Sign(signer.SignInput{Secrets: []string{secret}, Timestamp: time.Now().Unix(), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "https://example.com/", bytes.NewReader(body))
	req.Header.Set("Paddle-Signature", out.Headers[0].Value)
	if ok, err := paddle.NewWebhookVerifier(secret).Verify(req); !ok || err != nil || !strings.HasPrefix(out.Headers[0].Value, "ts="+ts) {
		t.Fatalf("%v %v %s", ok, err, out.Headers[0].Value)
	}
	r, err := s.Verify(signer.VerifyInput{Header: req.Header, Body: bytes.NewReader(body), Secrets: []string{secret}})
	if err != nil || !r.Valid {
		t.Fatalf("hookctl rejects a signature Paddle's SDK accepts: %+v %v", r, err)
	}
}

func scheme14(t *testing.T, provider string) *signer.Scheme { return &provider14(t, provider).Scheme }

func provider14(t *testing.T, provider string) *catalog.Provider {
	t.Helper()
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.Lookup(provider)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiscordEd25519BothWays(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	s := scheme14(t, "discord")
	secret, err := s.NewEd25519Secret(seed)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for ev, req := range signed14(t, "discord", []string{secret}, now) {
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(req.Body)
		sig, err := hex.DecodeString(req.Header.Get("X-Signature-Ed25519"))
		if err != nil || !ed25519.Verify(pub, append([]byte(req.Header.Get("X-Signature-Timestamp")), body.Bytes()...), sig) {
			t.Errorf("%s: crypto/ed25519 rejects hookctl's signature: %v", ev, err)
		}
	}
	// crypto/ed25519 signs as Discord does; hookctl verifies with the
	// public key as the developer portal shows it.
	body := []byte(`{"type":1}`)
	ts := strconv.FormatInt(now.Unix(), 10)
	h := http.Header{}
	h.Set("X-Signature-Timestamp", ts)
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
	r, err := s.Verify(signer.VerifyInput{Header: h, Body: bytes.NewReader(body), Secrets: []string{hex.EncodeToString(pub)}})
	if err != nil || !r.Valid {
		t.Fatalf("hookctl rejects Discord's signature: %+v %v", r, err)
	}
	r, err = s.Verify(signer.VerifyInput{Header: h, Body: bytes.NewReader(append(body, ' ')), Secrets: []string{hex.EncodeToString(pub)}})
	if err != nil || r.Valid {
		t.Fatalf("a changed body passes: %+v %v", r, err)
	}
}
