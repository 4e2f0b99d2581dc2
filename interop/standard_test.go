package interop

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	svix "github.com/svix/svix-webhooks/go"

	"github.com/hookctl/hookctl/internal/signer"
)

// Standard Webhooks' published test secret.
const whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// TestStandardAndSvixVerify: the standard-webhooks and svix Go libraries
// verify every sample of both providers, and each body is the
// {type, timestamp, data} envelope.
func TestStandardAndSvixVerify(t *testing.T) {
	std, err := standardwebhooks.NewWebhook(whsec)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := svix.NewWebhook(whsec)
	if err != nil {
		t.Fatal(err)
	}
	libs := map[string]func([]byte, sample) error{
		"standard-webhooks": func(b []byte, s sample) error { return std.Verify(b, s.header) },
		"svix":              func(b []byte, s sample) error { return sv.Verify(b, s.header) },
	}
	for _, provider := range []string{"standard", "svix"} {
		for _, s := range samples(t, provider, whsec) {
			for lib, verify := range libs {
				if provider == "svix" && lib == "standard-webhooks" {
					continue // svix-* headers are Svix's names; the standard library reads webhook-*
				}
				if err := verify(s.body, s); err != nil {
					t.Errorf("%s %s: %s rejects it: %v", provider, s.event, lib, err)
				}
				if err := verify(append(s.body, '\n'), s); err == nil {
					t.Errorf("%s %s: %s accepts a changed body: the test proves nothing", provider, s.event, lib)
				}
			}
			var env struct {
				Type      string          `json:"type"`
				Timestamp string          `json:"timestamp"`
				Data      json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(s.body, &env); err != nil || env.Type != s.event || env.Timestamp == "" || len(env.Data) < 2 {
				t.Errorf("%s %s: envelope %+v, %v", provider, s.event, env, err)
			}
		}
	}
}

// TestStandardV1aEd25519BothWays: Standard Webhooks' asymmetric v1a
// entries against Go's crypto/ed25519, which the spec names: Ed25519 over
// id.timestamp.body, base64, keys whsk_ (the seed) and whpk_. No Go module
// of standard-webhooks with webhook_asymmetric.go is served, and the npm
// library has no v1a (interop/npm checks it passes over v1a entries).
func TestStandardV1aEd25519BothWays(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{42}, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	whsk := "whsk_" + base64.StdEncoding.EncodeToString(priv.Seed())
	whpk := "whpk_" + base64.StdEncoding.EncodeToString(pub)
	s := builtinScheme(t, "standard")
	id, ts, body := "msg_2Kc1rXnT0bW5pQ", time.Now().Unix(), []byte(`{"type":"user.created","data":{"id":"u_1"}}`)
	signedBytes := func(b []byte) []byte { return fmt.Appendf(nil, "%s.%d.%s", id, ts, b) }

	out, err := s.Sign(signer.SignInput{Secrets: []string{whsk}, ID: id, Timestamp: ts, Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	for _, x := range out.Headers {
		h.Set(x.Name, x.Value)
	}
	sig, ok := strings.CutPrefix(h.Get("webhook-signature"), "v1a,")
	raw, err := base64.StdEncoding.DecodeString(sig)
	if !ok || err != nil || !ed25519.Verify(pub, signedBytes(body), raw) {
		t.Fatalf("crypto/ed25519 rejects hookctl's v1a entry %q: %v", h.Get("webhook-signature"), err)
	}

	// crypto/ed25519 signs as a v1a sender does; hookctl verifies it with
	// whpk_ and rejects it over another body.
	h.Set("webhook-signature", "v1a,"+base64.StdEncoding.EncodeToString(ed25519.Sign(priv, signedBytes(body))))
	for _, c := range []struct {
		body  []byte
		valid bool
	}{{body, true}, {append(bytes.Clone(body), ' '), false}} {
		r, err := s.Verify(signer.VerifyInput{Header: h, Body: bytes.NewReader(c.body), Secrets: []string{whpk}})
		if err != nil || r.Valid != c.valid {
			t.Errorf("body %q: %+v %v, want valid %v", c.body, r, err, c.valid)
		}
	}
}
