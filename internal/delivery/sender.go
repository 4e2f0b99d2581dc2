package delivery

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
)

// Config builds a Sender. Its Rules may be changed between deliveries
// (UseProvider, for events of different providers in one run).
type Config struct {
	Client *http.Client // nil: NewClient(ClientOptions{})
	Rules
	// Observe receives the run's events (attempts, waits, the summary);
	// nil ignores them.
	Observe func(Event)
	// Countdown reports each wait before a retry in steps (Waiting
	// events), for a countdown; otherwise a wait is one Sleep.
	Countdown bool
	// KeepBody is how many bytes of each answer's body to keep for
	// display (default 64 KiB).
	KeepBody int
	// Sleep waits between attempts; nil sleeps for real (tests shorten it).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Sender sends requests, reports each result and keeps the Summary.
type Sender struct {
	Config
	Summary Summary

	client *http.Client
}

// NewSender returns a sender for one command run.
func NewSender(c Config) *Sender {
	s := &Sender{Config: c, client: c.Client}
	if s.client == nil {
		s.client = NewClient(ClientOptions{})
	}
	if s.KeepBody == 0 {
		s.KeepBody = 64 << 10
	}
	if s.Sleep == nil {
		s.Sleep = sleep
	}
	if s.Observe == nil {
		s.Observe = func(Event) {}
	}
	return s
}

// Rules are one provider's delivery rules as a Sender applies them.
type Rules struct {
	// Success is the provider's rule; nil accepts any 2xx. Rule says it in
	// words for the message when a 2xx is refused ("notify accepts only 200").
	Success func(status int) bool
	Rule    string
	// Timeout is the answer timeout of one attempt; 0 waits for ever.
	Timeout time.Duration
	// Answer, when set, checks a successful answer's body further: a
	// non-empty reply says why it is not a success after all (Slack's
	// url_verification must echo its challenge).
	Answer func(body []byte) string
}

// rules are the ones r is sent under: its own, or the sender's.
func (s *Sender) rules(r *Request) Rules {
	if r != nil && r.Rules != nil {
		return *r.Rules
	}
	return s.Rules
}

func (ru Rules) success(status int) bool {
	if ru.Success == nil {
		return status >= 200 && status < 300
	}
	return ru.Success(status)
}

func (ru Rules) rule() string {
	if ru.Rule == "" {
		return "the endpoint must answer 2xx"
	}
	return ru.Rule
}

// Send makes one attempt and returns its result without reporting it or
// counting it in the summary.
func (s *Sender) Send(ctx context.Context, r *Request) *Result { return s.send(ctx, r, s.KeepBody) }

// Plan is the delivery of one event: one attempt, or the provider's retries.
type Plan struct {
	// Schedule is the provider's wait before each attempt (the first is the
	// original delivery, normally 0); its length is the number of attempts.
	// Empty means one attempt.
	Schedule []time.Duration
	// Scale multiplies every wait (--retry-scale); 0 means 1.
	Scale float64
	// Default is set when the provider documents no schedule and hookctl
	// uses its own (Svix's); Provider names the provider for that note.
	Default  bool
	Provider string
	// AfterLast says what the provider does once every attempt failed.
	AfterLast string
	// Stop, when set, is asked after each failed attempt that has attempts
	// after it; a non-empty answer says why the provider makes no retry
	// (Twilio retries only a failed connection, Slack obeys X-Slack-No-Retry).
	Stop func(*Result) string
	// Prepare builds the request of an attempt (1-based): the same event id
	// and body each time, a fresh timestamp and signature where the scheme
	// signs one.
	Prepare func(attempt int) (*Request, error)
}

// Once is a plan that sends one prepared request as is (replay).
func Once(r *Request) Plan {
	return Plan{Prepare: func(int) (*Request, error) { return r, nil }}
}

// Scaled returns a wait multiplied by scale (0 means 1), capped at the
// longest duration rather than wrapping to a negative one.
func Scaled(d time.Duration, scale float64) time.Duration {
	if scale == 0 || scale == 1 {
		return d
	}
	if v := float64(d) * scale; v >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(float64(d) * scale)
}

// Deliver runs a plan: each attempt is reported as it completes, waits are
// scaled (and counted down with Countdown), and the summary is updated. It reports whether
// the event was accepted; the error is Prepare's (nothing was sent for that
// attempt). A cancelled ctx stops it and marks the summary interrupted.
func (s *Sender) Deliver(ctx context.Context, plan Plan) (bool, error) {
	attempts := max(1, len(plan.Schedule))
	s.Summary.Events++
	for i := 1; i <= attempts; i++ {
		if i > 1 {
			if err := s.wait(ctx, Scaled(plan.Schedule[i-1], plan.Scale), i, attempts); err != nil {
				s.interrupted(fmt.Sprintf("interrupted before attempt %d/%d", i, attempts))
				return false, nil
			}
		}
		req, err := plan.Prepare(i)
		if err != nil {
			s.Summary.Failed++
			return false, err
		}
		s.Observe(AttemptStarted{Request: req, Attempt: i, Attempts: attempts})
		res := s.send(ctx, req, s.KeepBody)
		res.Attempt, res.Attempts = i, attempts
		if !res.OK && !res.Interrupted && i < attempts {
			res.NextWait = plan.Schedule[i]
			res.NextWaitScaled = Scaled(res.NextWait, plan.Scale)
		}
		s.Summary.Attempts++
		s.Observe(AttemptDone{res})
		if res.OK {
			s.Summary.Accepted++
			return true, nil
		}
		if res.Interrupted {
			s.interrupted("")
			return false, nil
		}
		if i < attempts && plan.Stop != nil {
			if why := plan.Stop(res); why != "" {
				s.Summary.Failed++
				s.Observe(NoRetry{Reason: why})
				return false, nil
			}
		}
		if i < attempts {
			s.Observe(RetryPlanned{Result: res, Plan: &plan, First: i == 1})
		}
	}
	s.Summary.Failed++
	if len(plan.Schedule) > 0 { // a retry plan, even of one attempt (GitHub makes no retries)
		s.Observe(GaveUp{Attempts: attempts, AfterLast: plan.AfterLast})
	}
	return false, nil
}

func (s *Sender) interrupted(msg string) {
	s.Summary.Failed++
	s.Summary.Interrupted = true
	if msg != "" {
		s.Observe(Interrupted{msg})
	}
}

// Skip counts events the run never reached (after Ctrl-C or an error).
func (s *Sender) Skip(n int) { s.Summary.Skipped += n }

// Finish reports the final summary (a Finished event).
func (s *Sender) Finish() { s.Observe(Finished{&s.Summary}) }

// wait sleeps d before attempt next, in countdown steps when asked.
func (s *Sender) wait(ctx context.Context, d time.Duration, next, attempts int) error {
	if !s.Countdown || d < 500*time.Millisecond {
		return s.Sleep(ctx, d)
	}
	step := 100 * time.Millisecond
	if d > 10*time.Second {
		step = time.Second // long waits: a calm countdown in seconds
	}
	defer s.Observe(WaitOver{})
	until := time.Now().Add(d)
	for left := d; left > 0; left -= step {
		s.Observe(Waiting{Next: next, Attempts: attempts, Left: left.Round(step), Until: until})
		if err := s.Sleep(ctx, min(step, left)); err != nil {
			return err
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Summary counts what a run delivered.
type Summary struct {
	Events   int // events started
	Accepted int // events accepted by the success rule
	Failed   int // events that failed every attempt, or were cut short
	Attempts int // requests sent
	Skipped  int // events never started (interrupted, or an error stopped the run)
	// Unsendable, when set (replay), counts what could not be sent at all
	// (a capture without its body); it does not fail the run.
	Unsendable  *int
	Interrupted bool
}

// OK reports whether everything was delivered and accepted.
func (s *Summary) OK() bool { return s.Failed == 0 && s.Skipped == 0 && !s.Interrupted }

// UseProvider applies a provider's success rule and answer timeout; a nil
// provider means any 2xx within the default timeout. A positive timeout
// (--timeout) overrides the provider's.
func (s *Sender) UseProvider(p *catalog.Provider, timeout time.Duration) {
	s.Rules = ProviderRules(p, timeout)
}

// ProviderRules are a provider's success rule and answer timeout, as
// UseProvider applies them; a request's Rules can carry them when one run
// mixes providers (a load run over events of several).
func ProviderRules(p *catalog.Provider, timeout time.Duration) Rules {
	ru := Rules{Timeout: catalog.DefaultTimeout}
	if p != nil {
		ru.Success = p.Delivery.Success
		ru.Rule = p.Name + " accepts " + p.Delivery.SuccessRule()
		if p.Delivery.Exact200 {
			ru.Rule = p.Name + " accepts only status 200"
		}
		if p.Delivery.Timeout > 0 {
			ru.Timeout = p.Delivery.Timeout
		}
	}
	if timeout > 0 {
		ru.Timeout = timeout
	}
	return ru
}
