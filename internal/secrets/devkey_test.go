package secrets_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/secrets"
)

// An Ed25519 provider with no key anywhere gets the development key pair,
// as the last step; other providers never ask for it. PublicKey is what
// 'hookctl secret --provider discord' prints.
func TestDevKeyPair(t *testing.T) {
	asked := 0
	src := secrets.Sources{DevKey: func(p *catalog.Provider) (string, string, error) {
		asked++
		key, err := p.Scheme.NewEd25519Secret(bytes.Repeat([]byte{9}, 32))
		return key, "/state/discord_ed25519_dev_key", err
	}}
	r := mustNew(t, secrets.CommandLine{}, src)
	list, source, err := r.For("discord")
	if err != nil || source != secrets.SourceDevKey || len(list) != 1 || len(list[0].Value) != 128 {
		t.Fatalf("discord: %v from %v (%v)", list, source, err)
	}
	if got, _ := values(t, r, "notify"); got != "" || asked != 1 {
		t.Errorf("notify got %q; the key pair was asked for %d times", got, asked)
	}
	pub, from, err := r.PublicKey(provider(t, "discord"))
	if err != nil || len(pub) != 64 || from.Source != secrets.SourceDevKey || strings.HasPrefix(list[0].Value, pub) {
		t.Errorf("public key %q from %v: %v", pub, from, err)
	}
	// A configured public key is printed as it is (it cannot sign).
	const portal = "e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70"
	r = mustNew(t, secrets.CommandLine{Values: []string{"discord=" + portal}}, src)
	if pub, _, err := r.PublicKey(provider(t, "discord")); err != nil || pub != portal {
		t.Errorf("configured public key: %q %v", pub, err)
	}
	if _, _, err := r.PublicKey(provider(t, "notify")); err == nil {
		t.Error("a shared secret has a public key")
	}
}
