package interop

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-github/v84/github"
)

// TestGitHubValidateAndParse: go-github's ValidatePayload accepts every
// sample's signature, and ParseWebHook turns it into the typed event of its
// X-GitHub-Event header, with the action of the event's name.
func TestGitHubValidateAndParse(t *testing.T) {
	const secret = "It's a Secret to Everybody"
	for _, s := range samples(t, "github", secret) {
		r := s.request(t)
		payload, err := github.ValidatePayload(r, []byte(secret))
		if err != nil {
			t.Errorf("%s: ValidatePayload: %v", s.event, err)
			continue
		}
		kind := github.WebHookType(r)
		base, action, _ := strings.Cut(s.event, ".")
		if kind != base || github.DeliveryID(r) == "" {
			t.Errorf("%s: X-GitHub-Event %q, X-GitHub-Delivery %q", s.event, kind, github.DeliveryID(r))
		}
		parsed, err := github.ParseWebHook(kind, payload)
		if err != nil {
			t.Errorf("%s: ParseWebHook: %v", s.event, err)
			continue
		}
		if action != "" {
			got := reflect.ValueOf(parsed).MethodByName("GetAction")
			if !got.IsValid() {
				t.Errorf("%s: %T has no action", s.event, parsed)
			} else if a := got.Call(nil)[0].String(); a != action {
				t.Errorf("%s: %T action %q, want %q", s.event, parsed, a, action)
			}
		}
		if repo := reflect.ValueOf(parsed).MethodByName("GetRepo"); repo.IsValid() && s.event != "installation.created" {
			if name := repo.Call(nil)[0].MethodByName("GetFullName").Call(nil)[0].String(); name == "" {
				t.Errorf("%s: %T has no repository", s.event, parsed)
			}
		}
	}
}
