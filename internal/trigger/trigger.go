// Package trigger is the work of 'hookctl trigger': it plans a run (each
// event's provider, template and secrets), renders each body as the
// provider would, signs it, sends it and follows the provider's retry
// schedule, or sends many fresh renders at once as a load test; it also
// sends Notion's subscription handshake. It prints nothing: progress goes
// to Options.Observe as delivery events, and results are returned.
//
//	plan, err := trigger.NewPlan(cat, trigger.Spec{Events: []string{"message.created"}, Target: u, Secrets: lookup, ...})
//	sum, err := plan.Send(ctx, trigger.Options{Retry: true, Observe: presenter.Observe})
//	load, err := plan.Load(ctx, 5000, trigger.Options{Concurrency: 64})
//	res, err := trigger.Handshake(ctx, cat, trigger.HandshakeSpec{Target: u, ...}, opts)
//
// Sending goes through internal/delivery (transport, retry loop, load
// workers), which replay shares.
package trigger

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/mutate"
	"github.com/hookctl/hookctl/internal/override"
)

// Spec says what a run sends.
type Spec struct {
	Events   []string
	Provider *catalog.Provider // the events' provider; nil infers it from each event name
	All      bool              // every event of Provider
	Body     Body
	Edits    []override.Op // field edits applied to every render
	Target   *url.URL
	Header   http.Header // added last, replacing headers of the same name
	// UserAgent is sent with every request (delivery.UserAgent).
	UserAgent string
	// Secrets returns a provider's signing secrets; none is a
	// NoSecretError, unless Unsigned.
	Secrets func(provider string) ([]string, error)
	// Unsigned builds the requests of a provider with no secret unsigned
	// (events show) instead of failing.
	Unsigned bool
	Now      func() time.Time
	IDs      *ids.Generator
}

// NoSecretError: a provider has no signing secret. Named lists the
// providers the command line's P= secrets are for, when known.
type NoSecretError struct {
	Provider string
	Named    []string
}

func (e *NoSecretError) Error() string { return "no secret for " + e.Provider }

// Plan is a run decided before anything is sent: every body rendered
// once, so template, edit and secret errors come first.
type Plan struct {
	Jobs     []*Job
	target   *url.URL
	now      func() time.Time
	ids      *ids.Generator
	mutation *mutate.Kind // set by Mutate
	// VerifyToken is Meta's verify token for the handshake mutation ("" is
	// the job's first secret).
	VerifyToken string
}

// Job is one event to deliver: its provider and how to make and sign its body.
type Job struct {
	Provider *catalog.Provider
	render   *renderer
	build    *delivery.Builder
}

// NewPlan resolves the events to providers, secrets and body sources.
func NewPlan(cat *catalog.Catalog, s Spec) (*Plan, error) {
	only := s.Provider
	var err error
	events := s.Events
	if s.All {
		events = only.EventNames()
	}
	if len(events) == 0 {
		events = []string{""} // a template or data with a provider: the body names the event
	}
	plan := &Plan{target: s.Target, now: s.Now, ids: s.IDs}
	secrets := map[string][]string{}
	for _, ev := range events {
		p := only
		// A user's data or template may carry an event the catalogue
		// lacks; with a provider that is fine.
		if ev != "" && (p == nil || s.Body.Kind == Builtin) {
			if p, err = cat.ResolveEvent(ev, providerName(only)); err != nil {
				return nil, err
			}
		}
		sec, ok := secrets[p.Name]
		if !ok {
			if sec, err = s.Secrets(p.Name); err != nil {
				return nil, err
			}
			if len(sec) == 0 && !s.Unsigned {
				return nil, &NoSecretError{Provider: p.Name}
			}
			secrets[p.Name] = sec
		}
		r := &renderer{p: p, event: ev, src: &s.Body, ops: s.Edits, now: s.Now, ids: s.IDs}
		if err := r.prepare(); err != nil {
			return nil, err
		}
		plan.Jobs = append(plan.Jobs, &Job{Provider: p, render: r, build: &delivery.Builder{
			Provider: p, Secrets: sec, URL: s.Target.String(), UserAgent: s.UserAgent, Extra: s.Header,
		}})
	}
	return plan, nil
}

func providerName(p *catalog.Provider) string {
	if p == nil {
		return ""
	}
	return p.Name
}

// Signed reports whether the job's requests carry a signature (a
// provider with no secret under Spec.Unsigned: not).
func (j *Job) Signed() bool { return len(j.build.Secrets) > 0 }

// Edit hands the job's first body (rendered by NewPlan) to edit, with a
// name for it, and sends what edit returns every time instead of fresh
// renders; its event and id are read from it again. An error of edit is
// returned as it is.
func (j *Job) Edit(edit func(name string, body []byte) ([]byte, error)) error {
	first := j.render.first.Load()
	if j.render.fixed != nil {
		first = j.render.fixed
	}
	body, err := edit(first.Event+"-body", first.Body)
	if err != nil {
		return err
	}
	j.render.fixed = first.withBody(j.Provider, body)
	return nil
}

// Options say how a run sends.
type Options struct {
	// Client sends the requests; nil builds delivery's client with
	// Insecure and Concurrency.
	Client      *http.Client
	Insecure    bool
	Concurrency int // requests in flight at once (load mode)
	// Retry follows the provider's schedule, each wait multiplied by
	// RetryScale (0 means 1).
	Retry      bool
	RetryScale float64
	Timeout    time.Duration // answer timeout of each attempt; 0 the provider's
	KeepBody   int           // bytes of each answer kept for display (0: delivery's default)
	// Observe receives the run's events; Countdown asks for the waits in
	// steps (see delivery.Config).
	Observe   func(delivery.Event)
	Countdown bool
	Sleep     func(ctx context.Context, d time.Duration) error
}

func (o *Options) sender() *delivery.Sender {
	client := o.Client
	if client == nil {
		client = delivery.NewClient(delivery.ClientOptions{Insecure: o.Insecure, Concurrency: o.Concurrency})
	}
	return delivery.NewSender(delivery.Config{Client: client, Observe: o.Observe, Countdown: o.Countdown, KeepBody: o.KeepBody, Sleep: o.Sleep})
}
