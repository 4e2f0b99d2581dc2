package signer_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/signer"
)

// Fuzz targets for the signature header parsers (go test -fuzz=FuzzParseList
// ./internal/signer, one target at a time). Their seeds run under plain go
// test.

// fuzzHeader verifies a request whose signature header is value: never a
// panic or an error, a one-line reason, and valid only when the value holds
// the real signature.
func fuzzHeader(t *testing.T, provider string, extra http.Header, value, body string) {
	s := scheme(t, provider)
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	h := extra.Clone()
	h.Set(s.Headers.Signature, value)
	r, err := s.Verify(signer.VerifyInput{Header: h, Body: strings.NewReader(body), Secrets: []string{secret}, Now: time.Unix(1700000000, 0), URL: "https://x.test/hook"})
	if err != nil {
		t.Fatalf("Verify error on header %q: %v", value, err)
	}
	if strings.ContainsAny(r.Reason, "\r\n") || (!r.Valid && r.Reason == "") {
		t.Fatalf("reason %q for header %q", r.Reason, value)
	}
	if !r.Valid {
		return
	}
	ts := int64(0)
	if v := h.Get(s.Headers.Timestamp); v != "" {
		ts = mustParse(t, v)
	}
	out, err := s.Sign(signer.SignInput{Secrets: []string{secret}, ID: h.Get(s.Headers.ID), Timestamp: ts, URL: "https://x.test/hook", Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	var real string
	for _, x := range out.Headers {
		if x.Name == s.Headers.Signature {
			real = x.Value
		}
	}
	switch s.Format {
	case signer.FormatStripe:
		_, real, _ = strings.Cut(real, ","+s.Prefix)
	default:
		real = strings.TrimPrefix(real, s.Prefix)
	}
	if real == "" {
		t.Fatalf("no signature in %v", out.Headers)
	}
	if !strings.Contains(value, real) {
		t.Fatalf("header %q verified without the signature %q", value, real)
	}
}

func mustParse(t *testing.T, v string) int64 {
	var n int64
	for _, c := range strings.TrimSpace(v) {
		if c < '0' || c > '9' {
			t.Fatalf("valid with timestamp %q", v)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func FuzzParsePlain(f *testing.F) {
	body := `{"a":1}`
	f.Add(uint8(0), "4b2d0cdb5dbb3a5e1f0c1e8c7e1d8f6a3b5c9d0e1f2a3b4c5d6e7f8091a2b3c4", body)
	f.Add(uint8(1), "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "Hello, World!")
	f.Add(uint8(2), "sha256=", body)
	f.Add(uint8(3), "v0=ABCDEF", body)
	f.Add(uint8(4), "=====", body)
	f.Add(uint8(1), "sha256=zz", "")
	f.Add(uint8(2), "sha256=461e8cbcba8a75c3edd866f0e71280f5a85cbf21eff040ebd10fe266df38a735 ", body)
	f.Fuzz(func(t *testing.T, which uint8, value, body string) {
		providers := []string{"notify", "github", "notion", "slack", "shopify", "twilio"}
		extra := http.Header{}
		p := providers[int(which)%len(providers)]
		if p == "slack" {
			extra.Set("X-Slack-Request-Timestamp", "1700000000")
		}
		fuzzHeader(t, p, extra, value, body)
	})
}

func FuzzParseList(f *testing.F) {
	f.Add("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", `{"test": 2432232314}`, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330")
	f.Add("v1a,abc v1,def", "", "msg_1", "1700000000")
	f.Add("v1,a,v1,b", "", "msg_1", "1700000000")
	f.Add("   ", "x", "msg_1", "-1")
	f.Add("v1, v1,", "x", "msg_1", "99999999999999999999")
	f.Add("v2,abc", "x", "", "1700000000")
	f.Fuzz(func(t *testing.T, value, body, id, ts string) {
		fuzzHeader(t, "standard", hdr("webhook-id", id, "webhook-timestamp", ts), value, body)
	})
}

func FuzzParseStripe(f *testing.F) {
	f.Add("t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd", `{"id":"evt_1"}`)
	f.Add("t=1700000000, v1=abc", "")
	f.Add("t=,v1=", "")
	f.Add("t=1700000000,v1=abc,v1=def,v0=123", "x")
	f.Add(",,,=,=", "x")
	f.Add("t=-9223372036854775808,v1=00", "x")
	f.Fuzz(func(t *testing.T, value, body string) {
		fuzzHeader(t, "stripe", http.Header{}, value, body)
	})
}

// customSchemes are user-defined shapes the config file can describe.
var customSchemes = []signer.Scheme{
	{Headers: signer.HeaderSet{Signature: "X-Sig"}, Signed: signer.SignedBody, Hash: signer.HashSHA1, Enc: signer.EncHex, Prefix: "sha1=", Format: signer.FormatPlain, Secret: signer.SecretText},
	{Headers: signer.HeaderSet{Signature: "X-Sig", Timestamp: "X-Ts", ID: "X-Id"}, Signed: signer.SignedIDTimestampBody, Hash: signer.HashSHA512, Enc: signer.EncBase64, Format: signer.FormatPlain, Secret: signer.SecretWhsec, Tolerance: 5 * time.Minute, RejectFuture: true},
	{Headers: signer.HeaderSet{Signature: "X-Sig", Timestamp: "X-Ts"}, Signed: signer.SignedSlack, Hash: signer.HashSHA256, Enc: signer.EncHex, Prefix: "v0=", Format: signer.FormatPlain, Secret: signer.SecretText, Tolerance: time.Minute},
}

// FuzzSignVerify: whatever the body, id, timestamp and secret, a request
// signed by a scheme verifies with that scheme at the signing time.
func FuzzSignVerify(f *testing.F) {
	f.Add([]byte(`{"test": 2432232314}`), "msg_p5jXN8AQM9LWM0D4loKWxJek", int64(1614265330), []byte("secret"))
	f.Add([]byte(""), "", int64(0), []byte("k"))
	f.Add([]byte("a=1&b=%2B2&a=0"), "id with spaces", int64(-1), []byte{0xff, 0})
	f.Add([]byte(" \n{\"x\":[1,2]}\n"), "x.y.z", int64(9223372036854775807), []byte("whsec_"))
	f.Add([]byte("\r\n\r\n"), "\t", int64(-9223372036854775808), []byte(","))
	f.Fuzz(func(t *testing.T, body []byte, id string, ts int64, secret []byte) {
		if len(secret) == 0 {
			return
		}
		cat := catalogSchemes(t)
		all := append(cat, customSchemes...)
		for i := range all {
			s := &all[i]
			sec := string(secret)
			if s.Secret == signer.SecretWhsec {
				sec = "whsec_" + base64.StdEncoding.EncodeToString(secret)
			}
			msgID := id
			if msgID == "" && s.Signed == signer.SignedIDTimestampBody {
				msgID = "msg_1"
			}
			out, err := s.Sign(signer.SignInput{Secrets: []string{sec}, ID: msgID, Timestamp: ts, URL: "https://x.test/hook?a=1", Body: bytes.NewReader(body)})
			if err != nil {
				if s.Signed == signer.SignedTwilio {
					continue // a body that is not a form cannot be signed as one
				}
				t.Fatalf("%s: Sign: %v", s.Headers.Signature, err)
			}
			h := http.Header{}
			for _, x := range out.Headers {
				h.Add(x.Name, x.Value)
			}
			r, err := s.Verify(signer.VerifyInput{Header: h, Body: bytes.NewReader(body), Secrets: []string{sec}, Now: time.Unix(ts, 0), URL: out.URL})
			if err != nil {
				t.Fatalf("%s: Verify: %v", s.Headers.Signature, err)
			}
			if !r.Valid {
				t.Fatalf("%s: signed request does not verify: %s (headers %v)", s.Headers.Signature, r.Reason, h)
			}
		}
	})
}

func catalogSchemes(t *testing.T) []signer.Scheme {
	var out []signer.Scheme
	for _, name := range []string{"notify", "notifly", "generic", "notion", "standard", "svix", "stripe", "github", "shopify", "slack", "twilio"} {
		out = append(out, *scheme(t, name))
	}
	return out
}
