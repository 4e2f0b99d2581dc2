package trigger

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/state"
	"github.com/hookctl/hookctl/internal/templates"
)

// HandshakeSpec says what subscription handshake to send.
type HandshakeSpec struct {
	// Provider names whose handshake; "" is the catalogue's first (notion).
	Provider  string
	Target    *url.URL
	Header    http.Header
	UserAgent string
	// Token is the verification token to send; "" makes a fresh one in
	// the provider's format (catalog.VerificationToken).
	Token string
	// Secrets sign a challenge handshake (Slack signs url_verification).
	Secrets []string
	// Getenv finds the state folder where an accepted token is kept for
	// later runs (internal/state); nil keeps nothing.
	Getenv func(string) string
	Now    func() time.Time
	IDs    *ids.Generator
}

// HandshakeResult is what a handshake did.
type HandshakeResult struct {
	Provider *catalog.Provider
	Token    string
	// Challenge is what a challenge handshake asked to be echoed (Slack's).
	Challenge string
	OK        bool   // the endpoint accepted it (and echoed the challenge)
	SavedTo   string // where the token was kept; "" when not accepted or not saved
	SaveErr   error  // why it could not be kept
}

// Handshake sends the catalogue's subscription verification request
// (Notion's), unsigned, once, and keeps the token when it is accepted so
// later runs sign with it. The error means nothing was sent.
func Handshake(ctx context.Context, cat *catalog.Catalog, s HandshakeSpec, o Options) (*HandshakeResult, error) {
	p, err := cat.HandshakeProvider()
	if s.Provider != "" {
		p, err = cat.HandshakeFor(s.Provider)
	}
	if err != nil {
		return nil, err
	}
	if p.Handshake.Event != "" {
		return challenge(ctx, p, s, o)
	}
	res := &HandshakeResult{Provider: p, Token: s.Token}
	if res.Token == "" {
		res.Token = catalog.VerificationToken(s.IDs)
	}
	b := &delivery.Builder{Provider: p, URL: s.Target.String(), UserAgent: s.UserAgent, Extra: s.Header}
	req, err := b.Build(p.Handshake.Body(res.Token), "application/json", nil, "", s.Now(), "verification", "")
	if err != nil {
		return nil, err
	}
	snd := o.sender()
	snd.UseProvider(p, o.Timeout)
	res.OK, _ = snd.Deliver(ctx, delivery.Once(req))
	if res.OK && s.Getenv != nil {
		if res.SaveErr = state.SaveNotionToken(s.Getenv, res.Token); res.SaveErr == nil {
			res.SavedTo = state.NotionTokenPath(s.Getenv)
		}
	}
	return res, nil
}

// challenge sends a challenge handshake (Slack's url_verification): the
// handshake event's template, signed, once; it passes only when the 2xx
// answer echoes the challenge.
func challenge(ctx context.Context, p *catalog.Provider, s HandshakeSpec, o Options) (*HandshakeResult, error) {
	h := p.Handshake
	r, err := templates.Render(p, h.Event, templates.RenderOptions{Now: s.Now(), IDs: s.IDs})
	if err != nil {
		return nil, err
	}
	res := &HandshakeResult{Provider: p, Challenge: h.Challenge(r.Body)}
	b := &delivery.Builder{Provider: p, Secrets: s.Secrets, URL: s.Target.String(), UserAgent: s.UserAgent, Extra: s.Header}
	req, err := b.Build(r.Body, r.ContentType, r.Headers, s.IDs.Make(p.Scheme.IDKind), s.Now(), r.Event, "")
	if err != nil {
		return nil, err
	}
	rules := delivery.ProviderRules(p, o.Timeout)
	rules.Answer = func(body []byte) string {
		if h.Echoes(body, res.Challenge) {
			return ""
		}
		return fmt.Sprintf("the answer does not echo the %s: %s answers %s with it as text or as {%q: ...}", h.Echo, p.Title, h.Event, h.Echo)
	}
	req.Rules = &rules
	snd := o.sender()
	snd.UseProvider(p, o.Timeout)
	res.OK, _ = snd.Deliver(ctx, delivery.Once(req))
	return res, nil
}
