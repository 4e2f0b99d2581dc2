package trigger

import (
	"context"
	"fmt"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/mutate"
)

// NotApplicableError: a mutation does not apply to an event's provider
// or body (stale-timestamp to a scheme that signs no timestamp).
type NotApplicableError struct{ Mutation, Why string }

func (e *NotApplicableError) Error() string {
	return fmt.Sprintf("%s does not apply: %s", e.Mutation, e.Why)
}

// Mutate makes the run send, for each event, the requests of one of
// check's mutations (internal/mutate) instead of its delivery: exactly
// what 'hookctl check' sends for the check of that name, each request
// once. A mutation that does not apply to an event is a
// *NotApplicableError, and nothing is sent.
func (p *Plan) Mutate(k *mutate.Kind) error {
	for _, j := range p.Jobs {
		first := j.render.fixed
		if first == nil {
			first = j.render.first.Load()
		}
		in := mutate.Input{Body: first.Body, ContentType: first.ContentType, Event: first.Event}
		if why := k.Applies(j.Provider, in); why != "" {
			return &NotApplicableError{Mutation: k.Name, Why: why}
		}
	}
	p.mutation = k
	return nil
}

// deliver sends one job: its delivery (with retries when asked), or the
// mutation's requests.
func (p *Plan) deliver(ctx context.Context, s *delivery.Sender, j *Job, o Options) error {
	if p.mutation == nil {
		_, err := s.Deliver(ctx, p.deliveryPlan(j, o))
		return err
	}
	if p.mutation.Verification {
		return p.verification(ctx, s, j)
	}
	r, err := j.render.next()
	if err != nil {
		return err
	}
	in := mutate.Input{
		Body: r.Body, ContentType: r.ContentType, Headers: r.Headers, Event: r.Event, EventID: r.EventID,
		ID: p.ids.Make(j.Provider.Scheme.IDKind), Secrets: j.build.Secrets,
	}
	for _, st := range p.mutation.Steps(j.Provider, in, mutate.BuilderSign(j.build)) {
		if ctx.Err() != nil {
			return nil
		}
		req, err := st.Build(p.now())
		if err != nil {
			return err
		}
		req.Event = fmt.Sprintf("%s (%s)", req.Event, label(p.mutation.Name, st.Label))
		if _, err := s.Deliver(ctx, delivery.Once(req)); err != nil {
			return err
		}
	}
	return nil
}

func label(kind, step string) string {
	if step == "" {
		return kind
	}
	return kind + ": " + step
}

// verification sends the job's provider's verification request, the one
// Verify and check's handshake check send.
func (p *Plan) verification(ctx context.Context, s *delivery.Sender, j *Job) error {
	keys := catalog.HandshakeKeys{Secrets: j.build.Secrets, VerifyToken: p.VerifyToken}
	if keys.VerifyToken == "" {
		keys.VerifyToken = keys.Secret()
	}
	req, _, err := VerificationRequest(j.Provider, VerifySpec{
		Target: p.target, Header: j.build.Extra, UserAgent: j.build.UserAgent, Keys: keys, Token: keys.Secret(), Now: p.now, IDs: p.ids,
	})
	if err != nil {
		return err
	}
	req.Event = fmt.Sprintf("%s (%s)", req.Event, p.mutation.Name)
	_, err = s.Deliver(ctx, delivery.Once(req))
	return err
}
