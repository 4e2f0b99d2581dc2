package check

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/mutate"
	"github.com/hookctl/hookctl/internal/templates"
	"github.com/hookctl/hookctl/internal/trigger"
)

// Spec is one run of the battery.
type Spec struct {
	URL      *url.URL
	Provider *catalog.Provider
	Event    string   // "" is the provider's first event
	Secrets  []string // what the endpoint is configured with
	// VerifyToken is Meta's verify token for the handshake check ("" is
	// the first secret, as for trigger --handshake).
	VerifyToken string
	Limits      Limits
	// Only and Skip select checks by name (ParseNames); empty Only is all.
	Only, Skip []string
	UserAgent  string
	Now        func() time.Time
	IDs        *ids.Generator
	// Send makes one request; nil sends with an HTTP client that never
	// follows redirects, each request bounded by Limits.Timeout.
	Send func(ctx context.Context, r *delivery.Request) Answer
	// Observe receives progress; nil ignores it.
	Observe func(Event)
}

// Answer is what the endpoint did with one request.
type Answer struct {
	Label       string // the mutation step's label ("empty", "second"), "" for one request
	Status      int    // 0 when no answer came
	Latency     time.Duration
	BodyStart   string // the first bytes of the answer's body, as one line of text
	ContentType string // the answer's Content-Type
	Body        []byte // the first bytes of the answer's body, as they came (judges read them)
	Sent        []byte // the request's body
	Err         string // one line, when no (complete) answer came
	// Advice is what to do about Err, for the command layer to word.
	Advice delivery.Advice
	// Problem is the handshake judge's verdict on a complete answer
	// (catalog.Verification.Judge): "" when it is what the provider requires.
	Problem string
}

func (a Answer) label() string {
	if a.Label == "" {
		return ""
	}
	return a.Label + ": "
}

// Result is one check's outcome.
type Result struct {
	Name     string
	Required bool // it counts toward the exit status (every check that runs does)
	Status   Status
	Sent     string // what was sent
	Expected string // what a correct endpoint does
	// Got is the decisive answer: the first that failed or warned, else the
	// last; nil for a skip.
	Got     *Answer
	Answers []Answer
	Detail  string // why it failed or warned, or why it was skipped
	// Shared names the check whose answers this one judged (answer-time
	// judges valid's); "" when it sent its own requests.
	Shared string
}

// Report is a whole run.
type Report struct {
	URL      string
	Provider string
	Event    string
	Results  []*Result
	Passed   int
	Failed   int
	Warned   int
	Skipped  int
}

// OK reports whether every required check passed (warnings do not fail).
func (r *Report) OK() bool { return r.Failed == 0 }

// Event is progress: Started before a check sends, Done after it is judged.
type Event interface{ checkEvent() }

// Started: check Name, the Index-th of Total, is about to send.
type Started struct {
	Name         string
	Index, Total int
}

// Done: a check has its Result.
type Done struct{ Result *Result }

func (Started) checkEvent() {}
func (Done) checkEvent()    {}

// Run sends the battery and grades each answer. Its error means the run
// could not start (no template for the event, a body that cannot be
// signed); an endpoint's failures are in the Report.
func Run(ctx context.Context, s Spec) (*Report, error) {
	s = s.withDefaults()
	p := s.Provider
	if s.Event == "" {
		s.Event = FirstEvent(p)
	}
	switch {
	case s.Event == "":
		return nil, fmt.Errorf("provider %s has no events to send", p.Name)
	case IsHandshake(p, s.Event):
		return nil, fmt.Errorf("%s is %s's handshake, which the handshake check sends: pick an event to check with", s.Event, p.Name)
	}
	sample, err := s.render()
	if err != nil {
		return nil, err
	}
	rep := &Report{URL: s.URL.String(), Provider: p.Name, Event: s.Event}
	kinds := map[string]*mutate.Kind{}
	for _, k := range mutate.Kinds() {
		kinds[k.Name] = k
	}
	battery := Battery()
	skip := make([]string, len(battery))
	runs, why := 0, []string(nil)
	for i, c := range battery {
		switch skip[i] = s.skipReason(c, kinds[c.Name], sample); skip[i] {
		case "":
			runs++
		case notSelected:
		default:
			why = append(why, c.Name+": "+skip[i])
		}
	}
	if runs == 0 { // nothing would be sent: a run that grades nothing must not pass
		return nil, &NothingToCheckError{Provider: p.Name, Why: why}
	}
	answers := map[string][]Answer{}
	for i, c := range battery {
		k := kinds[c.Name]
		res := &Result{Name: c.Name, Sent: k.Sent, Expected: c.Expect(p, s.Limits)}
		switch why := skip[i]; {
		case why != "":
			res.Status, res.Detail = Skip, why
		case ctx.Err() != nil:
			res.Status, res.Detail = Skip, "interrupted"
		default:
			res.Required = true
			s.Observe(Started{Name: c.Name, Index: i + 1, Total: len(battery)})
			got, shared := answers[c.Shares]
			if shared {
				res.Shared = c.Shares
			} else {
				if got, err = s.send(ctx, k); err != nil {
					return nil, err
				}
			}
			answers[c.Name] = got
			res.Answers = got
			v := c.Judge(p, s.Limits, got)
			res.Status, res.Detail = v.Status, v.Detail
			if len(got) > 0 {
				res.Got = &got[min(v.At, len(got)-1)]
			}
		}
		rep.add(res)
		s.Observe(Done{Result: res})
	}
	return rep, nil
}

// IsHandshake reports whether an event is the provider's verification
// request (Slack's url_verification, Zoom's endpoint.url_validation...),
// which the handshake check sends and the other checks do not.
func IsHandshake(p *catalog.Provider, event string) bool {
	v := p.Verification()
	return p.IsHandshake(event) || v != nil && v.Event != "" && v.Event == event
}

// FirstEvent is the event a run sends by default: the provider's first
// that is not its handshake.
func FirstEvent(p *catalog.Provider) string {
	for _, e := range p.Events {
		if !IsHandshake(p, e.Name) {
			return e.Name
		}
	}
	return ""
}

func (r *Report) add(res *Result) {
	r.Results = append(r.Results, res)
	switch res.Status {
	case Pass:
		r.Passed++
	case Fail:
		r.Failed++
	case Warn:
		r.Warned++
	case Skip:
		r.Skipped++
	}
}

const notSelected = "not selected"

// NothingToCheckError: the selection leaves no check that applies.
type NothingToCheckError struct {
	Provider string
	Why      []string // the selected checks' reasons not to apply
}

func (e *NothingToCheckError) Error() string {
	if len(e.Why) == 0 {
		return "every check is skipped: nothing to send"
	}
	return fmt.Sprintf("no selected check applies to %s (%s)", e.Provider, strings.Join(e.Why, "; "))
}

func (s Spec) skipReason(c *Check, k *mutate.Kind, sample mutate.Input) string {
	if contains(s.Skip, c.Name) || len(s.Only) > 0 && !contains(s.Only, c.Name) {
		return notSelected
	}
	return k.Applies(s.Provider, sample)
}

// send renders a fresh event (a new event id) for the check, and sends
// the mutation's requests in order.
func (s Spec) send(ctx context.Context, k *mutate.Kind) ([]Answer, error) {
	if k.Verification {
		return s.verify(ctx)
	}
	in, err := s.render()
	if err != nil {
		return nil, err
	}
	b := &delivery.Builder{Provider: s.Provider, URL: s.URL.String(), UserAgent: s.UserAgent}
	var out []Answer
	for _, st := range k.Steps(s.Provider, in, mutate.BuilderSign(b)) {
		req, err := st.Build(s.Now())
		if err != nil {
			return nil, err
		}
		a := s.Send(ctx, req)
		a.Label, a.Sent = st.Label, req.Body
		out = append(out, a)
	}
	return out, nil
}

// verify sends the provider's verification request, made as trigger
// --handshake makes it, and judges the answer with the provider's Judge.
func (s Spec) verify(ctx context.Context) ([]Answer, error) {
	p := s.Provider
	keys := catalog.HandshakeKeys{Secrets: s.Secrets, VerifyToken: s.VerifyToken}
	if keys.VerifyToken == "" {
		keys.VerifyToken = keys.Secret()
	}
	req, sent, err := trigger.VerificationRequest(p, trigger.VerifySpec{
		Target: s.URL, UserAgent: s.UserAgent, Keys: keys, Token: keys.Secret(), Now: s.Now, IDs: s.IDs,
	})
	if err != nil {
		return nil, err
	}
	a := s.Send(ctx, req)
	a.Sent = req.Body
	if a.Err == "" {
		a.Problem = p.Verification().Judge(sent, &catalog.HandshakeAnswer{Status: a.Status, ContentType: a.ContentType, Body: a.Body}, keys)
	}
	return []Answer{a}, nil
}

// render makes a fresh delivery of the run's event.
func (s Spec) render() (mutate.Input, error) {
	r, err := templates.Render(s.Provider, s.Event, templates.RenderOptions{Now: s.Now(), IDs: s.IDs})
	if err != nil {
		return mutate.Input{}, err
	}
	return mutate.Input{
		Body: r.Body, ContentType: r.ContentType, Headers: r.Headers, Event: r.Event, EventID: r.EventID,
		ID: s.IDs.Make(s.Provider.Scheme.IDKind), Secrets: s.Secrets,
	}, nil
}

func (s Spec) withDefaults() Spec {
	if s.Limits.AnswerWithin <= 0 {
		s.Limits.AnswerWithin = DefaultAnswerWithin
	}
	if s.Limits.Timeout <= 0 {
		s.Limits.Timeout = DefaultTimeout
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.IDs == nil {
		s.IDs = ids.New()
	}
	if s.Send == nil {
		s.Send = HTTPSender(delivery.NewClient(delivery.ClientOptions{}), s.Limits.Timeout)
	}
	if s.Observe == nil {
		s.Observe = func(Event) {}
	}
	return s
}
