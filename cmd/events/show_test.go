package events

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/signer"
)

func showOpts(t *testing.T, event string, secretArgs ...string) (*ShowOptions, *bytes.Buffer) {
	t.Helper()
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	ios, _, out, _ := iostreams.Test()
	at := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	return &ShowOptions{
		IO: ios, Catalog: func() (*catalog.Catalog, error) { return cat, nil },
		Secrets: cmdutil.SecretsFrom(cat, secrets.Sources{}), Now: func() time.Time { return at },
		IDs: ids.Seeded(1, 2), Version: "test", Event: event, SecretArgs: secretArgs,
	}, out
}

// TestShowSignsWhatItShows: the signature printed verifies over the body
// printed, as the provider's receiver would check it.
func TestShowSignsWhatItShows(t *testing.T) {
	o, out := showOpts(t, "customer.subscription.updated", "whsec_test")
	if err := showRun(o); err != nil {
		t.Fatal(err)
	}
	head, body, ok := strings.Cut(out.String(), "\n\n")
	if !ok {
		t.Fatalf("no blank line between headers and body:\n%s", out)
	}
	body = strings.TrimSuffix(body, "\n")
	var sig string
	for _, l := range strings.Split(head, "\n") {
		if v, ok := strings.CutPrefix(l, "Stripe-Signature: "); ok {
			sig = v
		}
	}
	cat, _ := catalog.New()
	p, _ := cat.Lookup("stripe")
	res, err := p.Scheme.Verify(signer.VerifyInput{
		Secrets: []string{"whsec_test"}, Header: map[string][]string{"Stripe-Signature": {sig}},
		Body: strings.NewReader(body), Now: o.Now(),
	})
	if err != nil || !res.Valid {
		t.Errorf("the shown signature %q does not verify the shown body: %+v, %v", sig, res, err)
	}
	if !strings.Contains(body, `"type":"customer.subscription.updated"`) || !strings.Contains(body, `"previous_attributes":`) {
		t.Errorf("body is not the event's: %s", body)
	}
}
