package catalog

import (
	"regexp"
	"testing"

	"github.com/hookctl/hookctl/internal/ids"
)

func TestVerificationTokenFormat(t *testing.T) {
	tok := VerificationToken(ids.Seeded(1, 2))
	if !regexp.MustCompile(`^secret_[A-Za-z0-9]{43}$`).MatchString(tok) {
		t.Errorf("token %q", tok)
	}
}

func TestHandshakeProviderIsNotion(t *testing.T) {
	cat, _ := New()
	p, err := cat.HandshakeProvider()
	if err != nil || p.Name != "notion" {
		t.Fatalf("%v %v", p, err)
	}
	if got := string(p.Handshake.Body("secret_x")); got != `{"verification_token":"secret_x"}` {
		t.Errorf("body %s", got)
	}
	slack, _ := cat.Lookup("slack")
	if !p.Handshake.IsToken() || slack.Handshake.IsToken() || (*Handshake)(nil).IsToken() {
		t.Error("notion's is the token handshake, slack's a challenge, and none is neither")
	}
}

func TestForAttempt(t *testing.T) {
	cat, _ := New()
	notion, _ := cat.Lookup("notion")
	notify, _ := cat.Lookup("notify")
	body := []byte(`{"id":"x","attempt_number":1,"data":{"attempt_number":1}}`)
	for _, c := range []struct {
		p       *Provider
		body    string
		attempt int
		want    string
	}{
		{notion, string(body), 1, string(body)},
		{notion, string(body), 3, `{"id":"x","attempt_number":3,"data":{"attempt_number":1}}`},
		{notion, `{"id":"x"}`, 2, `{"id":"x"}`},
		{notion, `not json`, 2, `not json`},
		{notify, string(body), 2, string(body)},
	} {
		got, err := c.p.ForAttempt([]byte(c.body), c.attempt)
		if err != nil || string(got) != c.want {
			t.Errorf("%s attempt %d of %s = %s, %v; want %s", c.p.Name, c.attempt, c.body, got, err, c.want)
		}
	}
}
