package providers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

// withCustom is the built-ins plus a user provider, as a config file adds it.
func withCustom(t *testing.T) func() (*catalog.Catalog, error) {
	t.Helper()
	p, err := config.ProviderSpec{SignatureHeader: "X-Acme-Signature", Signed: "timestamp.body", TimestampHeader: "X-Acme-Timestamp"}.Provider("acme", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return func() (*catalog.Catalog, error) { return catalog.New(p) }
}

func TestProvidersRunTable(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	if err := providersRun(&Options{IO: ios, Catalog: withCustom(t), Styles: ui.New(false)}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if got := strings.Fields(lines[0]); strings.Join(got, " ") != "NAME SIGNATURE HEADER EVENTS API VERSION SOURCE" {
		t.Errorf("heading %q", lines[0])
	}
	cat, _ := catalog.New()
	stripe, _ := cat.Lookup("stripe")
	if len(lines) != 1+len(cat.Providers())+1 {
		t.Errorf("%d lines for %d built-ins and one user provider", len(lines), len(cat.Providers()))
	}
	for _, want := range [][]string{
		{"notify", "x-notify-signature"},
		{"standard", "(standard-webhooks)", "webhook-signature"},
		{"stripe", "Stripe-Signature", fmt.Sprint(len(stripe.Events)), catalog.StripeAPIVersion},
		{"acme", "X-Acme-Signature", "0", "-", "config", "file"},
	} {
		found := false
		for _, l := range lines {
			if f := strings.Fields(l); len(f) >= len(want) && strings.Join(f[:len(want)], " ") == strings.Join(want, " ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no row starting %q in\n%s", want, out)
		}
	}
	if errOut.Len() != 0 || strings.Contains(out.String(), "\x1b[") {
		t.Errorf("stderr %q, or colour on a pipe", errOut)
	}
}

func TestProvidersRunJSON(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	if err := providersRun(&Options{IO: ios, Catalog: withCustom(t), JSON: true}); err != nil {
		t.Fatal(err)
	}
	var infos []present.ProviderInfo
	if err := json.Unmarshal(out.Bytes(), &infos); err != nil {
		t.Fatal(err)
	}
	by := map[string]present.ProviderInfo{}
	for _, i := range infos {
		by[i.Name] = i
	}
	if n := by["notify"]; n.Success != "exactly 200" || strings.Join(n.Schedule, " ") != "0 5m 30m 2h 5h 10h" || n.ScheduleSource != "provider" || n.Encoding != "hex" || n.Hash != "sha256" {
		t.Errorf("notify %+v", n)
	}
	if g := by["generic"]; g.Timeout != "5s" || strings.Join(g.Schedule, " ") != "0 1m 5m 30m 2h" || !strings.Contains(g.AfterLast, "disabled") {
		t.Errorf("generic %+v", g)
	}
	if s := by["stripe"]; s.Tolerance != "5m0s" || s.SecretForm != "text" || s.Prefix != "v1=" || s.Signed != "timestamp.body" {
		t.Errorf("stripe %+v", s)
	}
	if s := by["standard"]; s.SecretForm != "whsec" || s.Encoding != "base64" || s.IDHeader != "webhook-id" || len(s.Aliases) != 1 || !strings.HasPrefix(s.ScheduleSource, "hookctl default") {
		t.Errorf("standard %+v", s)
	}
	if a := by["acme"]; a.Source != "config file" || a.TimestampHeader != "X-Acme-Timestamp" || a.Tolerance != "5m0s" || a.Events != 0 {
		t.Errorf("acme %+v", a)
	}
}
