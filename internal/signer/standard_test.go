package signer_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/signer"
)

// Standard Webhooks' published vector.
const (
	stdSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	stdID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	stdTS     = int64(1614265330)
	stdBody   = `{"test": 2432232314}`
	stdSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

// stdMAC computes a v1 signature independently: the key is the base64
// decoded part after whsec_.
func stdMAC(t *testing.T, secret, id string, ts int64, body string) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	return "v1," + macB64(sha256.New, string(key), id+"."+formatInt(ts)+"."+body)
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

func stdHeaders(prefix, id string, ts int64, sig string) []string {
	return []string{prefix + "-id", id, prefix + "-timestamp", formatInt(ts), prefix + "-signature", sig}
}

func TestStandardWebhooks(t *testing.T) {
	if got := stdMAC(t, stdSecret, stdID, stdTS, stdBody); got != stdSig {
		t.Fatalf("independent computation gives %s, the published vector is %s", got, stdSig)
	}
	for _, pc := range []struct{ provider, prefix string }{{"standard", "webhook"}, {"standard-webhooks", "webhook"}, {"svix", "svix"}} {
		t.Run(pc.provider, func(t *testing.T) {
			s := scheme(t, pc.provider)
			h, out := signed(t, s, signer.SignInput{Secrets: []string{stdSecret}, ID: stdID, Timestamp: stdTS, Body: strings.NewReader(stdBody)})
			want := []signer.Header{{pc.prefix + "-id", stdID}, {pc.prefix + "-timestamp", "1614265330"}, {pc.prefix + "-signature", stdSig}}
			if len(out.Headers) != 3 {
				t.Fatalf("headers %v", out.Headers)
			}
			for i, w := range want {
				if out.Headers[i] != w {
					t.Errorf("header %d = %v, want %v", i, out.Headers[i], w)
				}
			}
			ok := check{header: h, body: stdBody, secrets: []string{stdSecret}, now: stdTS}
			mustValid(t, s, ok)

			checkWindow(t, s, ok, true)
			// Without --now, the real clock: the 2021 vector is stale.
			c := ok
			c.now = 0
			mustInvalid(t, s, c, "timestamp too old")

			// Negative cases over the exact bytes.
			bad := ok
			bad.body = stdBody + "\n"
			mustInvalid(t, s, bad, "no signature matches this secret")
			bad.body = `{"test":2432232314}`
			mustInvalid(t, s, bad, "no signature matches this secret")
			bad.body, bad.secrets = stdBody, []string{"whsec_" + base64.StdEncoding.EncodeToString([]byte("another key"))}
			mustInvalid(t, s, bad, "no signature matches this secret")

			p := pc.prefix
			mustInvalid(t, s, check{header: hdr(stdHeaders(p, stdID, stdTS, stdSig[3:])...), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "is not version,signature")
			mustInvalid(t, s, check{header: hdr(p+"-id", stdID, p+"-signature", stdSig), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "missing header "+p+"-timestamp")
			mustInvalid(t, s, check{header: hdr(p+"-timestamp", "1614265330", p+"-signature", stdSig), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "missing header "+p+"-id")
			mustInvalid(t, s, check{header: hdr(p+"-id", stdID, p+"-timestamp", "1614265330"), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "missing header")
			mustInvalid(t, s, check{header: hdr(stdHeaders(p, stdID, stdTS, "v1,"+macHex(sha256.New, "k", "x"))...), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "the signature is hex")
			mustInvalid(t, s, check{header: hdr(stdHeaders(p, stdID, stdTS, strings.TrimRight(stdSig, "="))...), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "padding")
			mustInvalid(t, s, check{header: hdr(stdHeaders(p, "msg_other", stdTS, stdSig)...), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "no signature matches")
			mustInvalid(t, s, check{header: hdr(p+"-id", stdID, p+"-timestamp", "1614265330.5", p+"-signature", stdSig), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "malformed timestamp")

			// v1a (ed25519) entries are skipped; a v1 one among them counts.
			v1a := "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg=="
			mustValid(t, s, check{header: hdr(stdHeaders(p, stdID, stdTS, v1a+" "+stdSig)...), body: stdBody, secrets: []string{stdSecret}, now: stdTS})
			mustInvalid(t, s, check{header: hdr(stdHeaders(p, stdID, stdTS, v1a)...), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "no v1 signature")
			// A comma between entries breaks the list.
			other := stdMAC(t, "whsec_"+base64.StdEncoding.EncodeToString([]byte("old key")), stdID, stdTS, stdBody)
			mustInvalid(t, s, check{header: hdr(stdHeaders(p, stdID, stdTS, stdSig+","+other)...), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "separated by spaces, not commas")
			mustInvalid(t, s, check{header: hdr(stdHeaders(p, stdID, stdTS, other+", "+stdSig)...), body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "separated by spaces, not commas")
		})
	}
}

func TestStandardRotation(t *testing.T) {
	s := scheme(t, "standard")
	oldSecret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("the old signing key"))
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{oldSecret, stdSecret}, ID: stdID, Timestamp: stdTS, Body: strings.NewReader(stdBody)})
	want := stdMAC(t, oldSecret, stdID, stdTS, stdBody) + " " + stdSig
	if got := h.Get("webhook-signature"); got != want {
		t.Fatalf("webhook-signature = %q, want %q", got, want)
	}
	for _, secrets := range [][]string{{stdSecret}, {oldSecret}, {"whsec_" + base64.StdEncoding.EncodeToString([]byte("x")), stdSecret}} {
		mustValid(t, s, check{header: h, body: stdBody, secrets: secrets, now: stdTS})
	}
	mustInvalid(t, s, check{header: h, body: stdBody, secrets: []string{"whsec_eHl6", "whsec_YWJj"}, now: stdTS}, "any of the 2 secrets")
	// The signature header sent twice is one list.
	two := hdr(stdHeaders("webhook", stdID, stdTS, stdMAC(t, oldSecret, stdID, stdTS, stdBody))...)
	two.Add("webhook-signature", stdSig)
	mustValid(t, s, check{header: two, body: stdBody, secrets: []string{stdSecret}, now: stdTS})
}

// svix-* headers win over webhook-* ones when a request carries both.
func TestSvixHeadersWin(t *testing.T) {
	s := scheme(t, "standard")
	wrong := stdMAC(t, "whsec_"+base64.StdEncoding.EncodeToString([]byte("nope")), stdID, stdTS, stdBody)
	both := hdr(append(stdHeaders("webhook", stdID, stdTS, wrong), stdHeaders("svix", stdID, stdTS, stdSig)...)...)
	r := run(t, s, check{header: both, body: stdBody, secrets: []string{stdSecret}, now: stdTS})
	if !r.Valid || r.Header != "svix-signature" {
		t.Errorf("svix valid, webhook wrong: %+v", r)
	}
	both = hdr(append(stdHeaders("webhook", stdID, stdTS, stdSig), stdHeaders("svix", stdID, stdTS, wrong)...)...)
	r = mustInvalid(t, s, check{header: both, body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "no signature matches")
	if r.Header != "svix-signature" {
		t.Errorf("checked %s, want svix-signature", r.Header)
	}
	// The svix-timestamp is the one checked, not webhook-timestamp.
	both = hdr(append(stdHeaders("webhook", stdID, stdTS, stdSig), stdHeaders("svix", stdID, stdTS-1000, stdMAC(t, stdSecret, stdID, stdTS-1000, stdBody))...)...)
	mustInvalid(t, s, check{header: both, body: stdBody, secrets: []string{stdSecret}, now: stdTS}, "timestamp too old")
}

// The key of whsec_ secrets is the decoded bytes; a secret that is not
// base64 is an error, not a verdict.
func TestWhsecKey(t *testing.T) {
	s := scheme(t, "standard")
	key, err := s.Key(stdSecret)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if string(key) != string(raw) {
		t.Errorf("key %x, want %x", key, raw)
	}
	// The prefix is optional, as in the official libraries.
	if k2, err := s.Key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); err != nil || string(k2) != string(raw) {
		t.Errorf("without prefix: %x, %v", k2, err)
	}
	for _, bad := range []string{"whsec_not base64!", "whsec_", ""} {
		if _, err := s.Verify(signer.VerifyInput{Header: hdr(stdHeaders("webhook", stdID, stdTS, stdSig)...), Body: strings.NewReader(stdBody), Secrets: []string{bad}}); err == nil {
			t.Errorf("secret %q accepted", bad)
		}
		if _, err := s.Sign(signer.SignInput{Secrets: []string{bad}, ID: stdID, Body: strings.NewReader(stdBody)}); err == nil {
			t.Errorf("signing with %q succeeded", bad)
		}
	}
}

// A timestamp at the edges of int64 never wraps around into the window.
func TestTimestampExtremes(t *testing.T) {
	s := scheme(t, "standard")
	for _, c := range []struct {
		ts, now int64
		want    string
	}{
		{9223372036854775807, 1700000000, "too far in the future"},
		{-9223372036854775808, 1700000000, "too old"},
		{-9223372036854775808, 9223372036854775807, "too old"},
		{9223372036854775807, -9223372036854775808, "too far in the future"},
		{1700000000, 9223372036854775807, "too old"},
		{1700000000, -1, "too far in the future"},
	} {
		h := hdr(stdHeaders("webhook", stdID, c.ts, stdMAC(t, stdSecret, stdID, c.ts, stdBody))...)
		r, err := s.Verify(signer.VerifyInput{Header: h, Body: strings.NewReader(stdBody), Secrets: []string{stdSecret}, Now: time.Unix(c.now, 0)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Valid || !strings.Contains(r.Reason, c.want) {
			t.Errorf("ts %d now %d: %+v, want %q", c.ts, c.now, r, c.want)
		}
	}
}
