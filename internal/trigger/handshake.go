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
	OK       bool   // the endpoint accepted it
	SavedTo  string // where the token was kept; "" when not accepted or not saved
	SaveErr  error  // why it could not be kept
}

// Handshake sends the catalogue's token handshake (Notion's), unsigned,
// once, and keeps the token when it is accepted so later runs sign with
// it. A challenge handshake (Slack's url_verification) is a
// catalog.Verification like every other provider's: send it with Verify.
// The error means nothing was sent.
func Handshake(ctx context.Context, cat *catalog.Catalog, s HandshakeSpec, o Options) (*HandshakeResult, error) {
	p, err := cat.HandshakeProvider()
	if s.Provider != "" {
		p, err = cat.HandshakeFor(s.Provider)
	}
	if err != nil {
		return nil, err
	}
	if !p.Handshake.IsToken() {
		return nil, fmt.Errorf("%s's %s is a challenge handshake: send it with Verify", p.Name, p.Handshake.Event)
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
