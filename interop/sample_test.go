package interop

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/templates"
)

// sample is one built-in event as 'hookctl trigger' would send it.
type sample struct {
	event  string
	body   []byte
	header http.Header
	url    string // the URL it was signed for (Twilio signs it)
}

// request is the sample as the receiving app's handler sees it.
func (s sample) request(t *testing.T) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header = s.header.Clone()
	return r
}

// form is a form body's fields, one value each (Twilio, Slack commands).
func (s sample) form(t *testing.T) map[string]string {
	t.Helper()
	v, err := url.ParseQuery(string(s.body))
	if err != nil {
		t.Fatalf("%s: form body does not parse: %v", s.event, err)
	}
	out := make(map[string]string, len(v))
	for k := range v {
		out[k] = v.Get(k)
	}
	return out
}

const target = "https://example.com/webhooks/hook?source=hookctl"

// samples renders and signs every event of a built-in provider with secret,
// at the current time (the libraries check timestamps against the clock).
func samples(t *testing.T, provider, secret string) []sample {
	t.Helper()
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.Lookup(provider)
	if err != nil {
		t.Fatal(err)
	}
	gen := ids.New()
	var out []sample
	for _, ev := range p.EventNames() {
		r, err := templates.Render(p, ev, templates.RenderOptions{Now: time.Now(), IDs: gen})
		if err != nil {
			t.Fatalf("%s %s: %v", provider, ev, err)
		}
		h := http.Header{}
		h.Set("Content-Type", r.ContentType)
		for _, x := range r.Headers {
			h.Set(x.Name, x.Value)
		}
		signed, err := p.Scheme.Sign(signer.SignInput{
			Secrets: []string{secret}, ID: gen.Make(p.Scheme.IDKind), Timestamp: time.Now().Unix(),
			URL: target, Body: bytes.NewReader(r.Body),
		})
		if err != nil {
			t.Fatalf("%s %s: signing: %v", provider, ev, err)
		}
		for _, x := range signed.Headers {
			h.Set(x.Name, x.Value)
		}
		u := target
		if signed.URL != "" {
			u = signed.URL
		}
		out = append(out, sample{event: ev, body: r.Body, header: h, url: u})
	}
	if len(out) == 0 {
		t.Fatalf("%s has no events", provider)
	}
	return out
}
