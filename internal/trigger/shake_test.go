package trigger

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/secrets"
)

// TestRunHandshakeRefuses: what RunHandshake cannot send is a typed error,
// before anything is sent (the target does not exist).
func TestRunHandshakeRefuses(t *testing.T) {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	run := func(provider string, cl secrets.CommandLine, token string) error {
		_, err := RunHandshake(context.Background(), cat, &Run{
			Provider: provider, Target: &url.URL{Scheme: "http", Host: "127.0.0.1:1"},
			Secrets: func(p *catalog.Provider) (*secrets.Resolver, error) {
				cl.Provider = p
				return secrets.New(cat, cl, secrets.Sources{})
			},
			VerifyToken: func(string) string { return token },
			Now:         time.Now, IDs: ids.Seeded(1, 2),
		}, Options{})
		return err
	}
	var noShake *NoHandshakeError
	if err := run("stripe", secrets.CommandLine{}, ""); !errors.As(err, &noShake) || noShake.Provider != "stripe" || !slices.Contains(noShake.With, "notion") || !slices.Contains(noShake.With, "meta") {
		t.Errorf("stripe: %v", err)
	}
	var tokens *TokensError
	if err := run("notion", secrets.CommandLine{Values: []string{"a", "b"}}, ""); !errors.As(err, &tokens) {
		t.Errorf("two notion tokens: %v", err)
	}
	var noToken *NoVerifyTokenError
	if err := run("meta", secrets.CommandLine{}, ""); !errors.As(err, &noToken) || noToken.Provider != "meta" {
		t.Errorf("meta with no verify token nor secret: %v", err)
	}
	var noKey *NoSecretError
	if err := run("slack", secrets.CommandLine{Values: []string{"zoom=z"}}, ""); !errors.As(err, &noKey) || noKey.Provider != "slack" || !slices.Equal(noKey.Named, []string{"zoom"}) {
		t.Errorf("slack with only a zoom secret: %v", err)
	}
}
