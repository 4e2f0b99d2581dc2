package listen

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hookctl/hookctl/internal/glob"
)

// tally counts what arrived, for --count, --expect, --require-valid and
// the summary. It holds counters and the distinct unexpected event types
// (at most maxUnexpected), never the requests: memory stays flat.
type tally struct {
	webhooks, other                                   atomic.Int64
	valid, invalid, unsigned, noSecret, hands, unread atomic.Int64
	forwarded, forwardFailed, captureFailed           atomic.Int64
	expect                                            *expectations
}

const maxUnexpected = 20

type expectations struct {
	globs      []string
	mu         sync.Mutex
	seen       []bool
	unexpected []string
	more       int
}

func newExpectations(globs []string) *expectations {
	return &expectations{globs: globs, seen: make([]bool, len(globs))}
}

// observe notes an event and reports whether it matches an expectation
// (always true without --expect).
func (e *expectations) observe(event string) bool {
	if len(e.globs) == 0 {
		return true
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	matched := false
	for i, g := range e.globs {
		if glob.Match(g, event) {
			e.seen[i], matched = true, true
		}
	}
	if !matched {
		name := event
		if name == "" {
			name = "(no event type)"
		}
		if !contains(e.unexpected, name) {
			if len(e.unexpected) < maxUnexpected {
				e.unexpected = append(e.unexpected, name)
			} else {
				e.more++
			}
		}
	}
	return matched
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// observe counts a webhook request; false when it is unexpected.
func (t *tally) observe(r *Result) bool {
	t.webhooks.Add(1)
	switch {
	case r.Handshake:
		t.hands.Add(1)
	case r.Valid():
		t.valid.Add(1)
	case r.Verified != nil:
		t.invalid.Add(1)
	case r.Reason == ReasonUnsigned:
		t.unsigned.Add(1)
	case r.TooLarge:
		t.unread.Add(1)
	default:
		t.noSecret.Add(1)
	}
	if r.Forward != nil {
		t.forwarded.Add(1)
		if r.Forward.Error != "" {
			t.forwardFailed.Add(1)
		}
	}
	if r.CaptureErr != nil {
		t.captureFailed.Add(1)
	}
	if r.Handshake {
		return true // not an event: --expect does not apply
	}
	return t.expect.observe(r.Event)
}

// Summary is the tally when listen stops.
type Summary struct {
	Reason StopReason

	Requests   int64 // every request, webhook path or not
	Webhooks   int64 // requests to the webhook path, with a readable body
	Valid      int64
	Invalid    int64
	Unsigned   int64
	NoSecret   int64
	Handshakes int64
	Unchecked  int64 // too large or cut short: not checked

	Forwarded     int64
	ForwardFailed int64
	CaptureFailed int64
	NotShown      int64 // results the display could not keep up with (output blocked)

	Count          int
	RequireValid   bool
	Expect         []string
	Missing        []string // expectations no event matched
	Unexpected     []string // event types that matched no expectation
	MoreUnexpected int
}

func (t *tally) summary(cfg Config) *Summary {
	s := &Summary{
		Webhooks: t.webhooks.Load(), Valid: t.valid.Load(), Invalid: t.invalid.Load(),
		Unsigned: t.unsigned.Load(), NoSecret: t.noSecret.Load(), Handshakes: t.hands.Load(), Unchecked: t.unread.Load(),
		Forwarded: t.forwarded.Load(), ForwardFailed: t.forwardFailed.Load(), CaptureFailed: t.captureFailed.Load(),
		Count: cfg.Count, RequireValid: cfg.RequireValid, Expect: cfg.Expect,
	}
	s.Requests = s.Webhooks + t.other.Load()
	e := t.expect
	e.mu.Lock()
	for i, g := range e.globs {
		if !e.seen[i] {
			s.Missing = append(s.Missing, g)
		}
	}
	s.Unexpected = append([]string(nil), e.unexpected...)
	s.MoreUnexpected = e.more
	e.mu.Unlock()
	sort.Strings(s.Unexpected)
	return s
}

// Failures lists why the run failed (exit 1); empty when it succeeded.
func (s *Summary) Failures() []string {
	var out []string
	if s.Count > 0 && s.Webhooks < int64(s.Count) {
		why := "stopped"
		if s.Reason == StopTimeout {
			why = "timed out"
		}
		out = append(out, fmt.Sprintf("%s before --count %d was reached: %d %s arrived", why, s.Count, s.Webhooks, plural(s.Webhooks, "request")))
	}
	if len(s.Unexpected) > 0 {
		list := strings.Join(s.Unexpected, ", ")
		if s.MoreUnexpected > 0 {
			list += fmt.Sprintf(" and %d more", s.MoreUnexpected)
		}
		out = append(out, fmt.Sprintf("unexpected %s %s (--expect %s)", plural(int64(len(s.Unexpected)+s.MoreUnexpected), "event"), list, strings.Join(s.Expect, ", ")))
	}
	if len(s.Missing) > 0 {
		out = append(out, fmt.Sprintf("no event matched --expect %s", strings.Join(s.Missing, ", ")))
	}
	if bad := s.Invalid + s.Unsigned + s.NoSecret + s.Unchecked; s.RequireValid && bad > 0 {
		var parts []string
		for _, p := range []struct {
			n    int64
			what string
		}{{s.Invalid, "invalid"}, {s.Unsigned, "unsigned"}, {s.NoSecret, "not checked (no secret)"}, {s.Unchecked, "not checked (body too large or cut short)"}} {
			if p.n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
			}
		}
		out = append(out, fmt.Sprintf("%d of %d %s not validly signed (--require-valid): %s", bad, s.Webhooks, plural(s.Webhooks, "request"), strings.Join(parts, ", ")))
	}
	if s.CaptureFailed > 0 {
		out = append(out, fmt.Sprintf("%d %s could not be captured (answered 500)", s.CaptureFailed, plural(s.CaptureFailed, "request")))
	}
	return out
}

func plural(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
