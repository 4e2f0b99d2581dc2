package catalog

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/signer"
)

// Svix's libraries read svix-* headers and fall back to webhook-*; a request
// carrying both is judged by its svix-* headers, whichever provider is named.
func TestSvixAndStandardReadBothHeaderNames(t *testing.T) {
	cat, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := `{"test": 2432232314}`
	now := time.Unix(1614265330, 0)
	sign := func(p *Provider) http.Header {
		out, err := p.Scheme.Sign(signer.SignInput{Secrets: []string{secret}, ID: "msg_p5jXN8AQM9LWM0D4loKWxJek", Timestamp: now.Unix(), Body: strings.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		for _, kv := range out.Headers {
			h.Set(kv.Name, kv.Value)
		}
		return h
	}
	std, _ := cat.Lookup("standard")
	svix, _ := cat.Lookup("svix")
	verify := func(p *Provider, h http.Header) *signer.Result {
		r, err := p.Scheme.Verify(signer.VerifyInput{Header: h, Body: strings.NewReader(body), Secrets: []string{secret}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	webhookHeaders, svixHeaders := sign(std), sign(svix)
	for _, p := range []*Provider{std, svix} {
		for name, h := range map[string]http.Header{"webhook-*": webhookHeaders, "svix-*": svixHeaders} {
			if r := verify(p, h); !r.Valid {
				t.Errorf("%s with %s headers: %s", p.Name, name, r.Reason)
			}
		}
		both := webhookHeaders.Clone()
		both.Set("webhook-signature", "v1,AAAA")
		for k, v := range svixHeaders {
			both[k] = v
		}
		if r := verify(p, both); !r.Valid || r.Header != "svix-signature" {
			t.Errorf("%s with both: svix-* should win, got valid=%v header=%s reason=%s", p.Name, r.Valid, r.Header, r.Reason)
		}
	}
}

// Detection follows the same order: svix-* headers make the request svix's,
// even with webhook-* headers beside them; webhook-* alone is standard.
func TestDetectSvixWinsOverStandard(t *testing.T) {
	cat, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		h    http.Header
		want string
	}{
		{http.Header{"Webhook-Signature": {"v1,x"}, "Svix-Signature": {"v1,y"}}, "svix"},
		{http.Header{"Svix-Signature": {"v1,y"}}, "svix"},
		{http.Header{"Webhook-Signature": {"v1,x"}}, "standard"},
	} {
		if p := cat.Detect(c.h); p == nil || p.Name != c.want {
			t.Errorf("Detect(%v) = %v, want %s", c.h, p, c.want)
		}
	}
}
