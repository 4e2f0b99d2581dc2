package trigger

import (
	"context"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/secrets"
)

// HandshakeOutcome is what RunHandshake did: one of a handshake's result
// (Token) or a verification's (Verified).
type HandshakeOutcome struct {
	Token    *HandshakeResult
	Verified *VerifyResult
}

// NoHandshakeError: the provider has no endpoint verification.
type NoHandshakeError struct {
	Provider string
	With     []string // the providers that have one
}

func (e *NoHandshakeError) Error() string { return e.Provider + " has no endpoint verification" }

// TokensError: more than one verification token was given.
type TokensError struct{ Provider string }

func (e *TokensError) Error() string { return e.Provider + "'s handshake sends one verification token" }

// NoVerifyTokenError: a verification sends a verify token (Meta's) and
// there is none, nor a secret to stand for it.
type NoVerifyTokenError struct{ Provider string }

func (e *NoVerifyTokenError) Error() string { return e.Provider + "'s handshake sends a verify token" }

// RunHandshake sends the endpoint verification of the run's provider:
// Notion's token handshake (Handshake, with the one token the command line
// gives, or a fresh one), or a challenge-response verification (Verify:
// Slack's, Zoom's, Meta's, Twitch's, Discord's) with the secrets and
// verify token it takes; and
// reports what came of it. The error means nothing was sent.
func RunHandshake(ctx context.Context, cat *catalog.Catalog, s *Run, o Options) (*HandshakeOutcome, error) {
	p, err := cat.HandshakeProvider()
	if s.Provider != "" {
		p, err = cat.Lookup(s.Provider)
	}
	if err != nil {
		return nil, err
	}
	if !p.Handshake.IsToken() { // every challenge handshake, Slack's too
		return verification(ctx, cat, p, s, o)
	}
	sr, err := s.Secrets(p)
	if err != nil {
		return nil, err
	}
	spec := HandshakeSpec{Provider: p.Name, Target: s.Target, Header: s.Header, UserAgent: s.UserAgent, Now: s.Now, IDs: s.IDs, Getenv: s.Getenv}
	if given := sr.Given(p.Name); len(given) > 1 {
		return nil, &TokensError{Provider: p.Name}
	} else if len(given) == 1 {
		spec.Token = given[0].Value
	}
	res, err := Handshake(ctx, cat, spec, o)
	return &HandshakeOutcome{Token: res}, err
}

// verification sends a challenge-response handshake (catalog.Verification).
func verification(ctx context.Context, cat *catalog.Catalog, p *catalog.Provider, s *Run, o Options) (*HandshakeOutcome, error) {
	v := p.Verification()
	if v == nil {
		return nil, &NoHandshakeError{Provider: p.Name, With: HandshakeProviders(cat)}
	}
	spec := VerifySpec{Target: s.Target, Header: s.Header, UserAgent: s.UserAgent, Now: s.Now, IDs: s.IDs}
	if len(s.Events) == 1 { // one of the provider's verification requests (Discord's event.ping)
		spec.Event = s.Events[0]
	}
	sr, err := s.Secrets(p)
	if err != nil {
		return nil, err
	}
	if spec.Keys.Secrets, err = sr.Values(p.Name); err != nil {
		return nil, err
	}
	if v.Signed && len(spec.Keys.Secrets) == 0 {
		return nil, &NoSecretError{Provider: p.Name, Named: sr.Named()}
	}
	if spec.Keys.VerifyToken = s.VerifyToken(p.Name); spec.Keys.VerifyToken == "" {
		spec.Keys.VerifyToken = spec.Keys.Secret()
	}
	if v.NewQuery != nil && spec.Keys.VerifyToken == "" {
		return nil, &NoVerifyTokenError{Provider: p.Name}
	}
	res, err := Verify(ctx, p, spec, o)
	return &HandshakeOutcome{Verified: res}, err
}

// providerSecrets are a provider's secrets from every step; none is a
// NoSecretError naming the providers the command line's P= forms are for.
func providerSecrets(r *secrets.Resolver, provider string) ([]string, error) {
	vals, err := r.Values(provider)
	if err == nil && len(vals) == 0 {
		err = &NoSecretError{Provider: provider, Named: r.Named()}
	}
	return vals, err
}

// HandshakeProviders names the providers with an endpoint verification.
func HandshakeProviders(cat *catalog.Catalog) []string {
	var out []string
	for _, p := range cat.Providers() {
		if p.Handshake != nil || p.Verification() != nil {
			out = append(out, p.Name)
		}
	}
	return out
}
