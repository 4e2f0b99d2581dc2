package delivery

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
)

// Builder makes the requests a provider sends to one target: POST, the
// body's Content-Type, hookctl's User-Agent, the provider's own headers,
// every header of its signature scheme over the exact body, and the
// caller's extra headers (-H) last, replacing any of the same name.
type Builder struct {
	Provider  *catalog.Provider
	Secrets   []string // nil sends unsigned (the Notion handshake)
	URL       string   // the target; schemes that sign the URL (Twilio) may extend it
	UserAgent string
	Extra     http.Header
}

// Build signs body at time now. id fills the scheme's id header (Standard
// Webhooks' webhook-id, GitHub's delivery id) and is kept by the caller
// across retries; event and eventID are for display.
func (b *Builder) Build(body []byte, contentType string, providerHeaders []signer.Header, id string, now time.Time, event, eventID string) (*Request, error) {
	h := make(http.Header, 6+len(providerHeaders)+len(b.Extra))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	if b.UserAgent != "" {
		h.Set("User-Agent", b.UserAgent)
	}
	for _, ph := range providerHeaders {
		h.Set(ph.Name, ph.Value)
	}
	url := b.URL
	if len(b.Secrets) > 0 {
		out, err := b.Provider.Scheme.Sign(signer.SignInput{
			Secrets: b.Secrets, ID: id, Timestamp: now.Unix(), URL: b.URL, Body: bytes.NewReader(body),
		})
		if err != nil {
			return nil, fmt.Errorf("signing for %s: %w", b.Provider.Name, err)
		}
		for _, sh := range out.Headers {
			h.Set(sh.Name, sh.Value)
		}
		if out.URL != "" {
			url = out.URL
		}
		if out.Body != nil {
			body = out.Body // the signature is in the body (Mailgun)
		}
	}
	for k, v := range b.Extra {
		h[http.CanonicalHeaderKey(k)] = v
	}
	return &Request{Method: http.MethodPost, URL: url, Header: h, Body: body, Event: event, EventID: eventID}, nil
}
