package trigger

import (
	"net/http"
	"net/url"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/mutate"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/secrets"
)

// Run is a run as a command asks for it, before its providers are known:
// what to send and with what. Plan turns it into a Plan of deliveries,
// RunHandshake sends its provider's endpoint verification instead.
type Run struct {
	Events []string
	// Provider names the events' provider; "" infers it from each event
	// name (RunHandshake: the catalogue's handshake provider, notion).
	Provider string
	All      bool // every event of Provider
	Body     Body
	Edits    []override.Op // field edits applied to every render
	// Edit, when set, is handed the first body and returns the one to
	// send every time instead (Job.Edit); its error comes as an EditError.
	Edit func(name string, body []byte) ([]byte, error)
	// Mutation makes the run send one of check's mutations (Plan.Mutate).
	Mutation  *mutate.Kind
	Target    *url.URL
	Header    http.Header // added last, replacing headers of the same name
	UserAgent string
	// Secrets resolves the secrets once the provider is known (nil when
	// the events name it): bare secrets on the command line are for it.
	Secrets func(*catalog.Provider) (*secrets.Resolver, error)
	// Unsigned builds unsigned requests for a provider with no secret
	// (Spec.Unsigned).
	Unsigned bool
	// VerifyToken is a provider's verify token (Meta's); "" takes its
	// first secret.
	VerifyToken func(provider string) string
	Getenv      func(string) string // where an accepted handshake token is kept (HandshakeSpec)
	Now         func() time.Time
	IDs         *ids.Generator
}

// EditError is an error of Run.Edit, as it returned it.
type EditError struct{ Err error }

func (e *EditError) Error() string { return e.Err.Error() }

func (e *EditError) Unwrap() error { return e.Err }

// Plan looks the provider up, resolves the secrets (none for a provider
// is a NoSecretError naming the providers the command line's P= secrets
// are for), plans the run (NewPlan), edits its first body and applies the
// mutation.
func (r *Run) Plan(cat *catalog.Catalog) (*Plan, error) {
	var only *catalog.Provider
	if r.Provider != "" {
		var err error
		if only, err = cat.Lookup(r.Provider); err != nil {
			return nil, err
		}
	}
	sr, err := r.Secrets(only)
	if err != nil {
		return nil, err
	}
	plan, err := NewPlan(cat, Spec{
		Events: r.Events, Provider: only, All: r.All, Body: r.Body, Edits: r.Edits, Target: r.Target, Header: r.Header,
		UserAgent: r.UserAgent, Now: r.Now, IDs: r.IDs, Unsigned: r.Unsigned,
		Secrets: func(p string) ([]string, error) {
			if r.Unsigned {
				return sr.Values(p)
			}
			return providerSecrets(sr, p)
		},
	})
	if err != nil {
		return nil, err
	}
	if r.Edit != nil {
		if err := plan.Jobs[0].Edit(r.Edit); err != nil {
			return nil, &EditError{Err: err}
		}
	}
	if r.Mutation != nil {
		if err := plan.Mutate(r.Mutation); err != nil {
			return nil, err
		}
		if r.Mutation.Verification && len(plan.Jobs) > 0 {
			plan.VerifyToken = r.VerifyToken(plan.Jobs[0].Provider.Name)
		}
	}
	return plan, nil
}
