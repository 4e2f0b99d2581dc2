package catalog

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
)

// Handshake is a provider's subscription verification, of one of two kinds.
//
// Notion's (Field), a token handshake: before any event it POSTs, unsigned,
// a JSON object whose only member Field holds a verification token; the
// user pastes the token back, and every later event is signed with it.
// trigger.Handshake sends it and keeps the token.
//
// Slack's (Event), a challenge handshake: the request is the Event's
// template (url_verification), signed like any event, and the endpoint
// passes only when its 200 answer echoes the value of the body's Echo
// member (challenge). It is sent, answered and judged as the provider's
// Verification, the mechanism every other provider's handshake uses.
type Handshake struct {
	Field string // "verification_token"

	Event, Echo string // "url_verification", "challenge"
}

// IsToken reports whether h is a token handshake (Notion's) rather than a
// challenge one (Slack's).
func (h *Handshake) IsToken() bool { return h != nil && h.Field != "" }

// Challenge is the value a challenge handshake's body asks to be echoed.
func (h *Handshake) Challenge(body []byte) string {
	v, _ := override.Lookup(body, h.Echo)
	return override.Text(v)
}

// Echoes reports whether an answer's body echoes the challenge as Slack
// takes it: the bare text, JSON {"challenge": ...}, or a form challenge=...
func (h *Handshake) Echoes(answer []byte, challenge string) bool {
	if challenge == "" {
		return false
	}
	text := strings.TrimSpace(string(answer))
	if text == challenge {
		return true
	}
	if v, ok := override.Lookup([]byte(text), h.Echo); ok && override.Text(v) == challenge {
		return true
	}
	form, err := url.ParseQuery(text)
	return err == nil && form.Get(h.Echo) == challenge
}

// IsHandshake reports whether an event is the provider's handshake request
// rather than an event (Slack's url_verification): it carries no event id.
func (p *Provider) IsHandshake(event string) bool {
	return p.Handshake != nil && p.Handshake.Event != "" && p.Handshake.Event == event
}

// HandshakeFor is the named provider, which must verify subscriptions with
// a handshake.
func (c *Catalog) HandshakeFor(name string) (*Provider, error) {
	p, err := c.Lookup(name)
	if err != nil {
		return nil, err
	}
	if p.Handshake == nil {
		var with []string
		for _, q := range c.providers {
			if q.Handshake != nil {
				with = append(with, q.Name)
			}
		}
		return nil, fmt.Errorf("provider %s sends no subscription handshake: --handshake is for %s", p.Name, strings.Join(with, " or "))
	}
	return p, nil
}

// VerificationToken makes a token in Notion's format: "secret_" and 43
// letters and digits. Both the handshake and the {{secret}} template
// function make theirs here.
func VerificationToken(g *ids.Generator) string { return "secret_" + g.Alnum(43) }

// Body is the handshake request's body for a token: compact JSON.
func (h *Handshake) Body(token string) []byte {
	b, _ := json.Marshal(map[string]string{h.Field: token})
	return b
}

// HandshakeProvider is the provider that verifies a subscription with a
// token handshake (Notion), --handshake's provider when none is named.
func (c *Catalog) HandshakeProvider() (*Provider, error) {
	for _, p := range c.providers {
		if p.Handshake.IsToken() {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no provider in the catalogue sends a subscription handshake")
}

// ForAttempt is the body of attempt (1-based) of a delivery: the first
// attempt's body, with the provider's attempt counter (Delivery.AttemptField,
// Notion's attempt_number) set to attempt where the body has it at the
// top level. Other bodies come back unchanged.
func (p *Provider) ForAttempt(body []byte, attempt int) ([]byte, error) {
	f := p.Delivery.AttemptField
	if f == "" || attempt <= 1 || !hasTopLevel(body, f) {
		return body, nil
	}
	return override.Apply(body, []override.Op{{Path: f, Value: fmt.Appendf(nil, "%d", attempt)}})
}

// hasTopLevel reports whether a JSON body has a top-level key.
func hasTopLevel(body []byte, key string) bool {
	n, err := override.Parse(body)
	if err != nil {
		return false
	}
	_, ok := n.Get(strings.NewReplacer(`\`, `\\`, ".", `\.`).Replace(key))
	return ok
}
