// Package check is the work of 'hookctl check URL': it sends one small,
// bounded battery of requests to a webhook endpoint, each signed as the
// provider signs (or changed as internal/mutate says), and grades each
// answer: does the endpoint accept what the provider sends, reject what a
// forger sends, answer in time and survive a redelivery?
//
// The battery is data (Battery): a check is a name, what a correct
// endpoint does, and a judge of the answers; the requests it sends are the
// mutation of the same name, which 'hookctl trigger --mutate' sends too.
// Adding a check is one entry here and one mutation there. Run returns a
// Report and reports progress to Spec.Observe; it prints nothing.
package check

import (
	"fmt"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/mutate"
)

// Status is a check's verdict.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn" // passed, with something to look at; never fails a run
	Skip Status = "skip" // does not apply, or not selected
)

// Check is one check of the battery.
type Check struct {
	Name string
	// Expect says what a correct endpoint does.
	Expect func(p *catalog.Provider, lim Limits) string
	// Judge grades the answers to the check's requests.
	Judge func(p *catalog.Provider, lim Limits, answers []Answer) Verdict
	// Shares names a check whose answers this one judges when both run
	// (answer-time times the valid delivery instead of sending another).
	Shares string
}

// Verdict is a judge's grade: the status, why (for a fail or a warn), and
// the index of the answer it rests on (the last one for a pass).
type Verdict struct {
	Status Status
	Detail string
	At     int
}

func passed(answers []Answer) Verdict { return Verdict{Status: Pass, At: len(answers) - 1} }

// Limits are the run's time limits.
type Limits struct {
	// AnswerWithin is the answer-time limit of providers whose catalogue
	// entry has no answer timeout of its own (--answer-within).
	AnswerWithin time.Duration
	// Timeout bounds each request (--timeout): longer than any answer
	// limit, so a slow endpoint still shows its status.
	Timeout time.Duration
}

// Defaults of the limits.
const (
	DefaultAnswerWithin = 10 * time.Second
	DefaultTimeout      = 30 * time.Second
)

// AnswerLimit is how fast the provider wants an answer: its catalogue
// timeout when it documents one (generic: 5 s), else lim.AnswerWithin.
func AnswerLimit(p *catalog.Provider, lim Limits) (time.Duration, string) {
	if t := p.Delivery.Timeout; t > 0 && t != catalog.DefaultTimeout {
		return t, p.Name + "'s limit"
	}
	return lim.AnswerWithin, "--answer-within"
}

// Battery lists the checks in the order they run. Each name is a mutation
// (internal/mutate) of the same name.
func Battery() []*Check {
	rejects := func(what string) func(*catalog.Provider, Limits) string {
		return func(*catalog.Provider, Limits) string { return what }
	}
	accepts := func(what, why string) func(*catalog.Provider, Limits) string {
		return func(p *catalog.Provider, _ Limits) string { return what + " (" + p.Delivery.SuccessRule() + ")" + why }
	}
	return []*Check{
		{Name: mutate.Handshake, Expect: expectHandshake, Judge: handshake},
		{Name: mutate.Valid, Expect: accepts("accepts it", ""), Judge: accept},
		{Name: mutate.AnswerTime, Expect: expectInTime, Judge: inTime, Shares: mutate.Valid},
		{Name: mutate.TamperedBody, Expect: rejects("rejects it (4xx)"), Judge: reject("a changed body would be processed")},
		{Name: mutate.WrongSecret, Expect: rejects("rejects it (4xx)"), Judge: reject("anyone can forge events")},
		{Name: mutate.MissingSignature, Expect: rejects("rejects it (4xx)"), Judge: reject("anyone can send unsigned events")},
		{Name: mutate.MalformedSignature, Expect: rejects("rejects each (4xx), without crashing"), Judge: reject("a broken signature passes")},
		{Name: mutate.StaleTimestamp, Expect: rejects("rejects it (4xx)"), Judge: reject("a captured request can be replayed at any later time")},
		{Name: mutate.FutureTimestamp, Expect: rejects("rejects it (4xx)"), Judge: reject("a request signed ahead can be replayed for longer than the window")},
		{Name: mutate.TimestampSkew, Expect: accepts("accepts it", ""), Judge: accept},
		{Name: mutate.RotatedSecret, Expect: accepts("accepts it", ""), Judge: accept},
		{Name: mutate.RawBytes, Expect: accepts("accepts it", ": it verifies the bytes it received"), Judge: accept},
		{Name: mutate.Duplicate, Expect: accepts("accepts both", ": idempotent on the event id"), Judge: accept},
	}
}

// ParseNames checks --only/--skip values: comma-separated check names,
// which are the mutations' names.
func ParseNames(flag string, values []string) ([]string, error) {
	var out []string
	known := mutate.Names()
	for _, v := range values {
		for _, n := range strings.Split(v, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			if !contains(known, n) {
				msg := fmt.Sprintf("%s: unknown check %q", flag, n)
				if s := catalog.Suggest(n, known); len(s) > 0 {
					msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
				}
				return nil, fmt.Errorf("%s; the checks are %s", msg, strings.Join(known, ", "))
			}
			out = append(out, n)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func expectInTime(p *catalog.Provider, lim Limits) string {
	d, why := AnswerLimit(p, lim)
	return fmt.Sprintf("answers within %s (%s)", d, why)
}

func expectHandshake(p *catalog.Provider, _ Limits) string {
	if v := p.Verification(); v != nil {
		return fmt.Sprintf("answers %s's %s as %s requires", p.Name, v.Name, p.Name)
	}
	return "answers the provider's verification request"
}

// handshake passes when the answer is what the provider requires, as its
// Verification's Judge says (the same judge as trigger --handshake's).
func handshake(_ *catalog.Provider, _ Limits, answers []Answer) Verdict {
	for i, a := range answers {
		switch {
		case a.Err != "":
			return Verdict{Fail, a.label() + a.Err, i}
		case a.Problem != "":
			return Verdict{Fail, a.label() + a.Problem, i}
		}
	}
	return passed(answers)
}

// accept passes when every answer is a success by the provider's rule.
func accept(p *catalog.Provider, _ Limits, answers []Answer) Verdict {
	for i, a := range answers {
		switch {
		case a.Err != "":
			return Verdict{Fail, a.label() + a.Err, i}
		case !p.Delivery.Success(a.Status):
			return Verdict{Fail, fmt.Sprintf("%sanswered %d: %s accepts only %s", a.label(), a.Status, p.Name, p.Delivery.SuccessRule()), i}
		}
	}
	return passed(answers)
}

// reject passes when no answer is a 2xx; a 5xx warns, as the provider
// would retry it (and it suggests a crash on bad input). risk says what
// accepting it lets through.
func reject(risk string) func(*catalog.Provider, Limits, []Answer) Verdict {
	return func(_ *catalog.Provider, _ Limits, answers []Answer) Verdict {
		v := passed(answers)
		for i, a := range answers {
			switch {
			case a.Err != "":
				return Verdict{Fail, a.label() + a.Err, i}
			case a.Status >= 200 && a.Status < 300:
				return Verdict{Fail, fmt.Sprintf("%saccepted with %d: %s", a.label(), a.Status, risk), i}
			case a.Status >= 500 && v.Status == Pass:
				v = Verdict{Warn, fmt.Sprintf("%srejected with %d: a 5xx makes the provider retry, and suggests a crash on bad input; answer 4xx", a.label(), a.Status), i}
			}
		}
		return v
	}
}

// inTime passes when the answer came within the provider's limit,
// whatever its status (valid judges that).
func inTime(p *catalog.Provider, lim Limits, answers []Answer) Verdict {
	d, _ := AnswerLimit(p, lim)
	for i, a := range answers {
		if a.Err != "" && a.Status == 0 {
			return Verdict{Fail, a.label() + a.Err, i}
		}
		if a.Latency > d {
			return Verdict{Fail, fmt.Sprintf("%sanswered after %s, over the %s limit: answer first, then do the work", a.label(), a.Latency.Round(time.Millisecond), d), i}
		}
	}
	return passed(answers)
}
