package inspect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/glob"
	"github.com/hookctl/hookctl/internal/listen"
)

// Verdict classes, as the list shows and filters them.
const (
	VerdictUnchecked = "unchecked" // not checked for another reason (body over --max-body, ...)
	VerdictValid     = "valid"
	VerdictInvalid   = "invalid"
	VerdictUnsigned  = "unsigned"
	VerdictNoSecret  = "no_secret"
)

var verdicts = []string{VerdictUnchecked, VerdictValid, VerdictInvalid, VerdictUnsigned, VerdictNoSecret}

func verdictCode(verified *bool, reason string) uint8 {
	switch {
	case verified != nil && *verified:
		return 1
	case verified != nil:
		return 2
	case reason == listen.ReasonUnsigned:
		return 3
	case strings.HasPrefix(reason, listen.NoSecretReason("")):
		return 4
	}
	return 0
}

// Summary is one capture as the list shows it: the record without its
// headers and body, plus its verdict class.
type Summary struct {
	ID            string          `json:"id"`
	Time          time.Time       `json:"time"`
	Method        string          `json:"method"`
	Path          string          `json:"path"`
	Query         string          `json:"query,omitempty"`
	Provider      string          `json:"provider,omitempty"`
	Event         string          `json:"event,omitempty"`
	EventID       string          `json:"event_id,omitempty"`
	Verified      *bool           `json:"verified"`
	Reason        string          `json:"reason,omitempty"`
	Verdict       string          `json:"verdict"`
	Status        int             `json:"status"`
	BodySize      int64           `json:"body_size"`
	BodyTruncated bool            `json:"body_truncated,omitempty"`
	Forward       *ForwardSummary `json:"forward,omitempty"`
}

// ForwardSummary is a record's forward without the app's headers and body,
// which only the whole record carries.
type ForwardSummary struct {
	URL       string  `json:"url"`
	Status    int     `json:"status,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

func summarize(line []byte) (*Summary, error) {
	var s Summary
	if err := json.Unmarshal(line, &s); err != nil {
		return nil, err
	}
	s.Verdict = verdicts[verdictCode(s.Verified, s.Reason)]
	return &s, nil
}

// Filter narrows the list. Every field given must hold.
type Filter struct {
	Provider string
	Event    string // a glob (internal/glob), matched as listen's --expect
	Verdict  string // one of the Verdict classes
	Status   string // a class (2xx) or a code (404)
	Q        string // case-insensitive text in the path, query, headers or body, or the app's answer headers or body
}

// ParseFilter reads a filter from the query string.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{Provider: q.Get("provider"), Event: q.Get("event"), Verdict: q.Get("verdict"), Status: strings.ToLower(q.Get("status")), Q: q.Get("q")}
	if f.Verdict != "" && !slices.Contains(verdicts, f.Verdict) {
		return f, fmt.Errorf("unknown verdict %q: use one of %s", f.Verdict, strings.Join(verdicts, ", "))
	}
	if f.Status != "" {
		if _, _, err := f.statusRange(); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (f Filter) statusRange() (lo, hi int, err error) {
	s := f.Status
	if len(s) == 3 && strings.HasSuffix(s, "xx") && s[0] >= '1' && s[0] <= '5' {
		lo = int(s[0]-'0') * 100
		return lo, lo + 99, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 || n > 599 {
		return 0, 0, fmt.Errorf("invalid status %q: use a class such as 2xx or a code such as 404", f.Status)
	}
	return n, n, nil
}

// matcher applies a filter to one snapshot: the fields the index keeps
// are checked in memory, q only on the records that pass them.
type matcher struct {
	f       Filter
	events  []bool // by name index: does the event glob match
	prov    int    // name index of the provider, -1 any, -2 none can match
	verdict int
	lo, hi  int
	needle  []byte
	plain   bool   // the needle reads the same inside a JSON string
	lower   []byte // reused: a line in lower case
}

func newMatcher(f Filter, names []string) *matcher {
	m := &matcher{f: f, prov: -1, verdict: -1}
	if f.Provider != "" {
		m.prov = -2
		for i, n := range names {
			if n == f.Provider {
				m.prov = i
			}
		}
	}
	if f.Event != "" {
		m.events = make([]bool, len(names))
		for i, n := range names {
			m.events[i] = n != "" && glob.Match(f.Event, n)
		}
	}
	if f.Verdict != "" {
		m.verdict = slices.Index(verdicts, f.Verdict) // verdicts are in code order
	}
	if f.Status != "" {
		m.lo, m.hi, _ = f.statusRange()
	}
	if f.Q != "" {
		m.needle = bytes.ToLower([]byte(f.Q))
		m.plain = true
		for _, c := range m.needle {
			if c < ' ' || c > '~' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				m.plain = false
			}
		}
	}
	return m
}

func (m *matcher) entry(e entry) bool {
	switch {
	case m.prov != -1 && int(e.prov) != m.prov:
		return false
	case m.events != nil && (int(e.event) >= len(m.events) || !m.events[e.event]):
		return false
	case m.verdict >= 0 && int(e.verdict) != m.verdict:
		return false
	case m.hi > 0 && (int(e.status) < m.lo || int(e.status) > m.hi):
		return false
	}
	return true
}

// text reports whether q occurs in the record's path, query, headers or
// body (its decoded bytes), or in the forwarded app's answer headers or
// body.
func (m *matcher) text(line []byte) bool {
	if m.needle == nil {
		return true
	}
	// A needle JSON writes as is can only be in a record whose line holds
	// it (in any case), unless the body is base64: most lines are ruled
	// out without being decoded.
	if m.plain && !bytes.Contains(line, []byte(`"body_encoding":"base64"`)) {
		m.lower = append(m.lower[:0], line...)
		for i, c := range m.lower {
			if 'A' <= c && c <= 'Z' {
				m.lower[i] = c + 'a' - 'A'
			}
		}
		if !bytes.Contains(m.lower, m.needle) {
			return false
		}
	}
	var rec capture.Record
	if json.Unmarshal(line, &rec) != nil {
		return false
	}
	if m.has([]byte(rec.Path)) || m.has([]byte(rec.Query)) || m.inHeaders(rec.Headers) {
		return true
	}
	if body, err := rec.BodyBytes(); err == nil && m.has(body) {
		return true
	}
	if fw := rec.Forward; fw != nil { // the app's answer
		if m.inHeaders(fw.Headers) {
			return true
		}
		body, err := fw.BodyBytes()
		return err == nil && m.has(body)
	}
	return false
}

// has reports whether b holds the needle, in any case.
func (m *matcher) has(b []byte) bool { return bytes.Contains(bytes.ToLower(b), m.needle) }

func (m *matcher) inHeaders(h http.Header) bool {
	for k, vs := range h {
		if m.has([]byte(k)) {
			return true
		}
		for _, v := range vs {
			if m.has([]byte(v)) {
				return true
			}
		}
	}
	return false
}
