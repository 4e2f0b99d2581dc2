package signer_test

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
)

// The tests run the schemes as the catalogue defines them, so a change to a
// built-in's definition is caught here, and compute every expected value
// with crypto/hmac directly, never through the signer.

var builtins = sync.OnceValues(func() (*catalog.Catalog, error) { return catalog.New() })

// scheme returns a copy of a built-in provider's scheme.
func scheme(t testing.TB, provider string) *signer.Scheme {
	t.Helper()
	cat, err := builtins()
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.Lookup(provider)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Scheme
	return &s
}

func mac(h func() hash.Hash, key, msg string) []byte {
	m := hmac.New(h, []byte(key))
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func macHex(h func() hash.Hash, key, msg string) string { return hex.EncodeToString(mac(h, key, msg)) }
func macB64(h func() hash.Hash, key, msg string) string {
	return base64.StdEncoding.EncodeToString(mac(h, key, msg))
}

// hdr builds a request header from name, value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// signed signs body and returns the headers as a request would carry them.
func signed(t testing.TB, s *signer.Scheme, in signer.SignInput) (http.Header, *signer.SignOutput) {
	t.Helper()
	out, err := s.Sign(in)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	h := http.Header{}
	for _, x := range out.Headers {
		h.Add(x.Name, x.Value)
	}
	return h, out
}

type check struct {
	header  http.Header
	body    string
	secrets []string
	now     int64 // unix seconds; 0 means the zero time (time.Now in Verify)
	tol     *time.Duration
	url     string
}

func run(t testing.TB, s *signer.Scheme, c check) *signer.Result {
	t.Helper()
	in := signer.VerifyInput{Header: c.header, Body: strings.NewReader(c.body), Secrets: c.secrets, Tolerance: c.tol, URL: c.url}
	if c.now != 0 {
		in.Now = time.Unix(c.now, 0)
	}
	r, err := s.Verify(in)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if strings.ContainsAny(r.Reason, "\r\n") {
		t.Errorf("reason is not one line: %q", r.Reason)
	}
	return r
}

func mustValid(t testing.TB, s *signer.Scheme, c check) {
	t.Helper()
	if r := run(t, s, c); !r.Valid {
		t.Errorf("want valid, got invalid: %s", r.Reason)
	}
}

// mustInvalid checks the verdict is invalid and the reason says want.
func mustInvalid(t testing.TB, s *signer.Scheme, c check, want string) *signer.Result {
	t.Helper()
	r := run(t, s, c)
	if r.Valid {
		t.Errorf("want invalid (%s), got valid", want)
		return r
	}
	if r.Reason == "" || !strings.Contains(r.Reason, want) {
		t.Errorf("reason %q does not say %q", r.Reason, want)
	}
	return r
}

func dur(d time.Duration) *time.Duration { return &d }

// checkWindow checks the 300 s window around ok.now: in at its edges, out
// one second past them (the future side only when the scheme rejects the
// future), widened by a tolerance override, gone with a tolerance of 0.
func checkWindow(t *testing.T, s *signer.Scheme, ok check, rejectFuture bool) {
	t.Helper()
	at := func(d int64, tol *time.Duration) check {
		c := ok
		c.now, c.tol = ok.now+d, tol
		return c
	}
	mustValid(t, s, at(0, nil))
	mustValid(t, s, at(300, nil))
	mustInvalid(t, s, at(301, nil), "timestamp too old: signed 5m1s before now, tolerance 5m0s")
	if rejectFuture {
		mustValid(t, s, at(-300, nil))
		mustInvalid(t, s, at(-301, nil), "timestamp too far in the future: 5m1s ahead of now, tolerance 5m0s")
	} else {
		mustValid(t, s, at(-86400*365, nil))
	}
	mustValid(t, s, at(301, dur(10*time.Minute)))
	mustValid(t, s, at(-301, dur(10*time.Minute)))
	mustInvalid(t, s, at(601, dur(10*time.Minute)), "timestamp too old: signed 10m1s before now, tolerance 10m0s")
	mustValid(t, s, at(86400*365, dur(0)))
	mustValid(t, s, at(-86400*365, dur(0)))
}
