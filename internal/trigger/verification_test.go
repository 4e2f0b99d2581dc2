package trigger

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
)

// Verify against an endpoint that answers with the catalogue's own
// Answer passes for every provider with a verification; one that answers
// {"ok":true} fails with the provider's reason.
func TestVerifyEveryProvider(t *testing.T) {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{"discord": "07070707070707070707070707070707070707070707070707070707070707079b6d6e3ec9e2ac5f8f0d5bc9c7f0c1f1e0e7d6a50e9f0c5b4f6c1bd67da8b3ce"}
	wrong := map[string]string{
		"slack": "the answer did not echo the challenge", "zoom": "the answer did not echo plainToken",
		"meta": "the answer did not echo hub.challenge", "twitch": "the answer is not the challenge alone (Twitch wants the raw challenge string as the body)",
		"discord": `the answer is not the PONG {"type":1} as JSON`,
	}
	for _, p := range cat.Providers() {
		v := p.Verification()
		if v == nil {
			continue
		}
		keys := catalog.HandshakeKeys{Secrets: []string{"s3cr3t-value"}, VerifyToken: "vt"}
		if s, ok := secrets[p.Name]; ok {
			keys.Secrets = []string{s}
		}
		for _, correct := range []bool{true, false} {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				a := v.Answer(&catalog.HandshakeRequest{Method: r.Method, Query: r.URL.Query(), Header: r.Header, Body: body}, keys)
				if !correct {
					a = catalog.HandshakeAnswer{Status: 200, ContentType: "application/json", Body: []byte(`{"ok":true}`)}
				}
				if a.ContentType != "" {
					w.Header().Set("Content-Type", a.ContentType)
				}
				w.WriteHeader(a.Status)
				_, _ = w.Write(a.Body)
			}))
			u, _ := url.Parse(srv.URL)
			res, err := Verify(context.Background(), p, VerifySpec{Target: u, Keys: keys}, Options{})
			srv.Close()
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			switch {
			case correct && !res.OK:
				t.Errorf("%s: the catalogue's own answer fails: %s", p.Name, res.Reason)
			case !correct && !p.Handshake.IsToken() && res.Reason != wrong[p.Name]:
				t.Errorf("%s: a wrong answer gives %q, want %q", p.Name, res.Reason, wrong[p.Name])
			}
		}
	}
	if _, err := Verify(context.Background(), mustLookup(t, cat, "notify"), VerifySpec{}, Options{}); err == nil {
		t.Error("a provider without a verification was sent one")
	}
}

func mustLookup(t *testing.T, cat *catalog.Catalog, name string) *catalog.Provider {
	t.Helper()
	p, err := cat.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
