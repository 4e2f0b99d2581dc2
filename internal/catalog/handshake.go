package catalog

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
)

// Handshake is a provider's subscription verification (Notion's): before
// any event it POSTs, unsigned, a JSON object whose only member Field holds
// a verification token; the user pastes the token back, and every later
// event is signed with it.
type Handshake struct {
	Field string // "verification_token"
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
// handshake.
func (c *Catalog) HandshakeProvider() (*Provider, error) {
	for _, p := range c.providers {
		if p.Handshake != nil {
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
