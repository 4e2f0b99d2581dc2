package present

import (
	"testing"

	"github.com/hookctl/hookctl/internal/secrets"
)

func TestInvalidReason(t *testing.T) {
	const mismatch = "no signature matches this secret (wrong secret, or the body was changed: even a trailing newline counts)"
	for _, c := range []struct {
		reason, provider string
		source           secrets.Source
		lossy            bool
		want             string
	}{
		{mismatch, "stripe", secrets.SourceDev, false, mismatch + " (checked with the development secret: pass --secret or set HOOKCTL_STRIPE_SECRET)"},
		{"no signature verifies with this public key (wrong key, or the body or timestamp was changed)", "discord", secrets.SourceDevKey, false,
			"no signature verifies with this public key (wrong key, or the body or timestamp was changed) (checked with the development key pair: pass --secret or set HOOKCTL_DISCORD_SECRET)"},
		{"X-Token is not the secret token (it carries the token itself, compared exactly)", "my-app", secrets.SourceDev, false,
			"X-Token is not the secret token (it carries the token itself, compared exactly) (checked with the development secret: pass --secret or set HOOKCTL_MY_APP_SECRET)"},
		{mismatch, "stripe", secrets.SourceBare, false, mismatch},
		{mismatch, "stripe", secrets.SourceProviderEnv, false, mismatch},
		{"missing header Stripe-Signature", "stripe", secrets.SourceDev, false, "missing header Stripe-Signature"},
		{"timestamp too old: signed 10m1s before now, tolerance 5m0s", "stripe", secrets.SourceDev, false, "timestamp too old: signed 10m1s before now, tolerance 5m0s"},
		{"", "notify", secrets.SourceNamed, false, "the signature does not verify"},
		{mismatch, "notify", secrets.SourceDev, true, mismatch + " (checked with the development secret: pass --secret or set HOOKCTL_NOTIFY_SECRET); note: curl --trace-ascii prints bytes outside printable ASCII as '.', so the body may differ from the one sent: save the request with curl --trace instead"},
	} {
		if got := InvalidReason(c.reason, c.provider, c.source, c.lossy); got != c.want {
			t.Errorf("InvalidReason(%q, %s, %v, %v)\n got %q\nwant %q", c.reason, c.provider, c.source, c.lossy, got, c.want)
		}
	}
}
