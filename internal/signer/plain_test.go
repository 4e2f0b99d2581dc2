package signer_test

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/signer"
)

// The document providers sign the raw body: lowercase hex HMAC-SHA256.
func TestBodySchemes(t *testing.T) {
	const secret = "s3cr3t"
	const body = `{"event_id":"evt_ck7qhp33c68tov35spng","event":"connection.created","data":{"connection_id":"con_ck76b3r3c68otqfg5c3g"}}`
	for _, c := range []struct{ provider, header, prefix string }{
		{"notify", "x-notify-signature", ""},
		{"notifly", "x-notifly-signature", ""},
		{"generic", "X-Webhook-Signature", ""},
		{"notion", "X-Notion-Signature", "sha256="},
	} {
		t.Run(c.provider, func(t *testing.T) {
			s := scheme(t, c.provider)
			want := c.prefix + macHex(sha256.New, secret, body)
			h, _ := signed(t, s, signer.SignInput{Secrets: []string{secret}, Body: strings.NewReader(body)})
			if got := h.Get(c.header); got != want {
				t.Fatalf("%s = %q, want %q", c.header, got, want)
			}
			if len(h) != 1 {
				t.Errorf("headers %v, want only %s", h, c.header)
			}
			ok := check{header: hdr(c.header, want), body: body, secrets: []string{secret}}
			mustValid(t, s, ok)

			// Header names are case-insensitive.
			mustValid(t, s, check{header: hdr(strings.ToUpper(c.header), want), body: body, secrets: []string{secret}})

			bad := ok
			bad.body = body + "\n"
			mustInvalid(t, s, bad, "no signature matches this secret")
			bad.body = strings.Replace(body, `{"event_id":`, "{\n  \"event_id\": ", 1)
			mustInvalid(t, s, bad, "no signature matches this secret")
			bad.body, bad.secrets = body, []string{"wrong"}
			mustInvalid(t, s, bad, "no signature matches this secret")

			upper := c.prefix + strings.ToUpper(want[len(c.prefix):])
			mustInvalid(t, s, check{header: hdr(c.header, upper), body: body, secrets: []string{secret}}, "uppercase hex")
			mustInvalid(t, s, check{header: hdr("X-Other", want), body: body, secrets: []string{secret}}, "missing header "+c.header)
			mustInvalid(t, s, check{header: hdr(c.header, want[:len(want)-2]), body: body, secrets: []string{secret}}, "wrong length")
			mustInvalid(t, s, check{header: hdr(c.header, c.prefix+macB64(sha256.New, secret, body)), body: body, secrets: []string{secret}}, "the signature is base64")
			mustInvalid(t, s, check{header: hdr(c.header, c.prefix+"zz"+want[len(c.prefix)+2:]), body: body, secrets: []string{secret}}, "not hex")

			// Two secrets on the receiving side: any one may match.
			mustValid(t, s, check{header: hdr(c.header, want), body: body, secrets: []string{"old", secret}})
			mustInvalid(t, s, check{header: hdr(c.header, want), body: body, secrets: []string{"old", "older"}}, "any of the 2 secrets")

			// One signature per request: signing with two secrets is an error.
			if _, err := s.Sign(signer.SignInput{Secrets: []string{"a", "b"}, Body: strings.NewReader(body)}); err == nil {
				t.Error("signing with two secrets succeeded")
			}
		})
	}
}

// Notion's document: the signature of its sample body, compact JSON signed
// with the verification token itself.
func TestNotionPublishedSample(t *testing.T) {
	const token = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl"
	const body = `{"verification_token":"` + token + `"}`
	const want = "sha256=461e8cbcba8a75c3edd866f0e71280f5a85cbf21eff040ebd10fe266df38a735"
	s := scheme(t, "notion")
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{token}, Body: strings.NewReader(body)})
	if got := h.Get("X-Notion-Signature"); got != want {
		t.Fatalf("X-Notion-Signature = %q, want %q", got, want)
	}
	mustValid(t, s, check{header: hdr("x-notion-signature", want), body: body, secrets: []string{token}})
	// Notion's sample code re-serializes; the bytes Python's json.dumps
	// writes by default (spaces after : and ,) are another body.
	mustInvalid(t, s, check{header: hdr("X-Notion-Signature", want), body: `{"verification_token": "` + token + `"}`, secrets: []string{token}}, "no signature matches")
	mustInvalid(t, s, check{header: hdr("X-Notion-Signature", want[len("sha256="):]), body: body, secrets: []string{token}}, `missing "sha256=" prefix`)
}

func TestGitHub(t *testing.T) {
	const secret, body = "It's a Secret to Everybody", "Hello, World!"
	const want = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	s := scheme(t, "github")
	h, out := signed(t, s, signer.SignInput{Secrets: []string{secret}, ID: "d0a1c6f0-0000-4000-8000-000000000000", Body: strings.NewReader(body)})
	if got := h.Get("X-Hub-Signature-256"); got != want {
		t.Fatalf("X-Hub-Signature-256 = %q, want %q", got, want)
	}
	legacy := "sha1=" + macHex(sha1.New, secret, body)
	if got := h.Get("X-Hub-Signature"); got != legacy {
		t.Errorf("X-Hub-Signature = %q, want %q", got, legacy)
	}
	if got := h.Get("X-GitHub-Delivery"); got != "d0a1c6f0-0000-4000-8000-000000000000" {
		t.Errorf("X-GitHub-Delivery = %q", got)
	}
	var names []string
	for _, x := range out.Headers {
		names = append(names, x.Name)
	}
	if got := strings.Join(names, ","); got != "X-GitHub-Delivery,X-Hub-Signature-256,X-Hub-Signature" {
		t.Errorf("header order %s", got)
	}

	mustValid(t, s, check{header: h, body: body, secrets: []string{secret}})
	mustValid(t, s, check{header: hdr("x-hub-signature-256", want), body: body, secrets: []string{secret}})
	// Only the legacy header: it is checked, with sha1.
	r := run(t, s, check{header: hdr("X-Hub-Signature", legacy), body: body, secrets: []string{secret}})
	if !r.Valid || r.Header != "X-Hub-Signature" {
		t.Errorf("legacy header alone: %+v", r)
	}
	mustInvalid(t, s, check{header: hdr("X-Hub-Signature", legacy), body: body + "\n", secrets: []string{secret}}, "no signature matches")
	mustInvalid(t, s, check{header: hdr("X-Hub-Signature", "sha1="+macHex(sha256.New, secret, body)), body: body, secrets: []string{secret}}, "is the hash sha1?")
	// Both present: the sha256 one decides, as octokit does.
	mustInvalid(t, s, check{header: hdr("X-Hub-Signature-256", "sha256="+macHex(sha256.New, "other", body), "X-Hub-Signature", legacy), body: body, secrets: []string{secret}}, "no signature matches")

	mustInvalid(t, s, check{header: hdr("X-Hub-Signature-256", want[7:]), body: body, secrets: []string{secret}}, `missing "sha256=" prefix`)
	mustInvalid(t, s, check{header: hdr("X-Hub-Signature-256", "sha256="+strings.ToUpper(want[7:])), body: body, secrets: []string{secret}}, "uppercase hex")
	mustInvalid(t, s, check{header: hdr("X-Hub-Signature-256", ""), body: body, secrets: []string{secret}}, "empty")
	mustInvalid(t, s, check{header: hdr("X-GitHub-Event", "push"), body: body, secrets: []string{secret}}, "missing header X-Hub-Signature-256")
}

func TestShopify(t *testing.T) {
	const secret = "hush"
	const body = `{"id":820982911946154508,"email":"jon@example.com"}`
	want := macB64(sha256.New, secret, body)
	s := scheme(t, "shopify")
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{secret}, ID: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", Body: strings.NewReader(body)})
	if got := h.Get("X-Shopify-Hmac-Sha256"); got != want {
		t.Fatalf("X-Shopify-Hmac-Sha256 = %q, want %q", got, want)
	}
	if got := h.Get("X-Shopify-Webhook-Id"); got != "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" {
		t.Errorf("X-Shopify-Webhook-Id = %q", got)
	}
	c := check{header: hdr("x-shopify-hmac-sha256", want), body: body, secrets: []string{secret}}
	mustValid(t, s, c)
	c.body = body + "\n"
	mustInvalid(t, s, c, "no signature matches")
	mustInvalid(t, s, check{header: hdr("X-Shopify-Hmac-Sha256", macHex(sha256.New, secret, body)), body: body, secrets: []string{secret}}, "the signature is hex")
	mustInvalid(t, s, check{header: hdr("X-Shopify-Hmac-Sha256", strings.TrimRight(want, "=")), body: body, secrets: []string{secret}}, "padding")
	mustInvalid(t, s, check{header: hdr("X-Shopify-Hmac-Sha256", "!!!"), body: body, secrets: []string{secret}}, "not standard base64")
	mustInvalid(t, s, check{header: hdr("X-Shopify-Hmac-Sha256", macB64(sha1.New, secret, body)), body: body, secrets: []string{secret}}, "decodes to 20 bytes, want 32")
}

// A user-defined provider uses the same signer: here sha512, base64, a
// prefix and a timestamp, as a config file can describe it.
func TestUserDefinedScheme(t *testing.T) {
	s := &signer.Scheme{
		Headers:   signer.HeaderSet{Signature: "X-Acme-Signature", Timestamp: "X-Acme-Timestamp"},
		Signed:    signer.SignedTimestampBody,
		Hash:      signer.HashSHA512,
		Enc:       signer.EncBase64,
		Prefix:    "sig=",
		Format:    signer.FormatPlain,
		Secret:    signer.SecretText,
		Tolerance: 5 * time.Minute,
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	const secret, body, ts = "acme-key", `{"type":"order.paid"}`, int64(1700000000)
	want := "sig=" + macB64(sha512.New, secret, "1700000000."+body)
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{secret}, Timestamp: ts, Body: strings.NewReader(body)})
	if h.Get("X-Acme-Signature") != want || h.Get("X-Acme-Timestamp") != "1700000000" {
		t.Fatalf("headers %v, want signature %s", h, want)
	}
	mustValid(t, s, check{header: h, body: body, secrets: []string{secret}, now: ts + 10})
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{secret}, now: ts + 301}, "timestamp too old")
	// No future limit unless the scheme asks for one.
	mustValid(t, s, check{header: h, body: body, secrets: []string{secret}, now: ts - 3600})
	mustInvalid(t, s, check{header: hdr("X-Acme-Signature", want), body: body, secrets: []string{secret}, now: ts}, "missing header X-Acme-Timestamp")
	mustInvalid(t, s, check{header: hdr("X-Acme-Signature", want, "X-Acme-Timestamp", "1700000001"), body: body, secrets: []string{secret}, now: ts}, "no signature matches")
	mustInvalid(t, s, check{header: hdr("X-Acme-Signature", want, "X-Acme-Timestamp", "soon"), body: body, secrets: []string{secret}, now: ts}, "malformed timestamp")

	for _, bad := range []signer.Scheme{
		{Headers: signer.HeaderSet{Signature: "X"}, Signed: signer.SignedBody, Hash: "md5", Enc: "hex", Format: signer.FormatPlain, Secret: "text"},
		{Headers: signer.HeaderSet{Signature: "X"}, Signed: signer.SignedBody, Hash: "sha256", Enc: "base32", Format: signer.FormatPlain, Secret: "text"},
		{Headers: signer.HeaderSet{Signature: "X"}, Signed: signer.SignedSlack, Hash: "sha256", Enc: "hex", Format: signer.FormatPlain, Secret: "text"},
		{Headers: signer.HeaderSet{Signature: "X", Timestamp: "T"}, Signed: signer.SignedIDTimestampBody, Hash: "sha256", Enc: "hex", Format: signer.FormatPlain, Secret: "text"},
		{Headers: signer.HeaderSet{}, Signed: signer.SignedBody, Hash: "sha256", Enc: "hex", Format: signer.FormatPlain, Secret: "text"},
		{Headers: signer.HeaderSet{Signature: "X"}, Signed: signer.SignedBody, Hash: "sha256", Enc: "hex", Format: signer.FormatPlain, Secret: "base64"},
		{Headers: signer.HeaderSet{Signature: "X"}, Signed: "ts:body", Hash: "sha256", Enc: "hex", Format: signer.FormatPlain, Secret: "text"},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate accepted %+v", bad)
		}
	}
}

func TestSignNeedsASecret(t *testing.T) {
	s := scheme(t, "notify")
	if _, err := s.Sign(signer.SignInput{Body: strings.NewReader("x")}); err == nil {
		t.Error("signing without a secret succeeded")
	}
	if _, err := s.Verify(signer.VerifyInput{Header: hdr("x-notify-signature", "ab"), Body: strings.NewReader("x")}); err == nil {
		t.Error("verifying without a secret succeeded")
	}
	if _, err := s.Sign(signer.SignInput{Secrets: []string{""}, Body: strings.NewReader("x")}); err == nil {
		t.Error("signing with an empty secret succeeded")
	}
}

// A nil body is an empty one, never a panic.
func TestNilBody(t *testing.T) {
	s := scheme(t, "notify")
	out, err := s.Sign(signer.SignInput{Secrets: []string{"k"}})
	if err != nil || out.Headers[0].Value != macHex(sha256.New, "k", "") {
		t.Fatalf("%v %v", out, err)
	}
	r, err := s.Verify(signer.VerifyInput{Header: hdr("x-notify-signature", out.Headers[0].Value), Secrets: []string{"k"}})
	if err != nil || !r.Valid {
		t.Errorf("%+v %v", r, err)
	}
}
