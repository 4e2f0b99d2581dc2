package interop

import (
	"encoding/json"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	svix "github.com/svix/svix-webhooks/go"
)

// Standard Webhooks' published test secret.
const whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// TestStandardAndSvixVerify: the standard-webhooks and svix Go libraries
// verify every sample of both providers, and each body is the
// {type, timestamp, data} envelope.
func TestStandardAndSvixVerify(t *testing.T) {
	std, err := standardwebhooks.NewWebhook(whsec)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := svix.NewWebhook(whsec)
	if err != nil {
		t.Fatal(err)
	}
	libs := map[string]func([]byte, sample) error{
		"standard-webhooks": func(b []byte, s sample) error { return std.Verify(b, s.header) },
		"svix":              func(b []byte, s sample) error { return sv.Verify(b, s.header) },
	}
	for _, provider := range []string{"standard", "svix"} {
		for _, s := range samples(t, provider, whsec) {
			for lib, verify := range libs {
				if provider == "svix" && lib == "standard-webhooks" {
					continue // svix-* headers are Svix's names; the standard library reads webhook-*
				}
				if err := verify(s.body, s); err != nil {
					t.Errorf("%s %s: %s rejects it: %v", provider, s.event, lib, err)
				}
				if err := verify(append(s.body, '\n'), s); err == nil {
					t.Errorf("%s %s: %s accepts a changed body: the test proves nothing", provider, s.event, lib)
				}
			}
			var env struct {
				Type      string          `json:"type"`
				Timestamp string          `json:"timestamp"`
				Data      json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(s.body, &env); err != nil || env.Type != s.event || env.Timestamp == "" || len(env.Data) < 2 {
				t.Errorf("%s %s: envelope %+v, %v", provider, s.event, env, err)
			}
		}
	}
}
