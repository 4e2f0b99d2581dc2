// Package capture is hookctl's capture log: one JSON object per line, one
// line per request listen received. The format is a public interface
// (people commit capture files as CI fixtures): add fields, never change or
// remove one. See "Capture file format" in README.md.
package capture

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/hookctl/hookctl/internal/state"
)

// Version is the record format version written in every record's "v".
const Version = 1

// Body encodings.
const (
	EncodingText   = "text"   // the body is valid UTF-8 and stored as is
	EncodingBase64 = "base64" // the body is stored as standard base64
)

// Record is one captured request.
type Record struct {
	V          int         `json:"v"`
	ID         string      `json:"id"`
	Time       time.Time   `json:"time"`
	RemoteAddr string      `json:"remote_addr"`
	Method     string      `json:"method"`
	Host       string      `json:"host,omitempty"`
	Path       string      `json:"path"`
	Query      string      `json:"query,omitempty"`
	Headers    http.Header `json:"headers"`
	// HeadersBase64 holds, in standard base64, the exact values of every
	// header that has a value that is not valid UTF-8; in Headers those
	// values read with U+FFFD, as JSON cannot carry them. Reader puts the
	// exact values back into Headers.
	HeadersBase64 http.Header `json:"headers_base64,omitempty"`

	Body          string `json:"body"`
	BodyEncoding  string `json:"body_encoding"`
	BodySize      int64  `json:"body_size"`
	BodyTruncated bool   `json:"body_truncated,omitempty"` // over --max-body: not stored, answered 413

	Provider string `json:"provider,omitempty"`
	Event    string `json:"event,omitempty"`
	EventID  string `json:"event_id,omitempty"`
	Verified *bool  `json:"verified"` // true, false, or null when not checked
	Reason   string `json:"reason,omitempty"`

	Status  int      `json:"status"` // what listen answered (or meant to: see SenderGone)
	Forward *Forward `json:"forward,omitempty"`
	// SenderGone: the sender closed the connection before listen answered
	// (its timeout was shorter than listen's --delay or the app), so Status
	// never reached it.
	SenderGone bool `json:"sender_gone,omitempty"`
}

// Forward is the result of forwarding a request to the app.
type Forward struct {
	URL       string  `json:"url"`
	Status    int     `json:"status,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
}

// SetBody stores a body as text when it is valid UTF-8, else as base64.
// Text whose control characters would be written as six-byte \u00XX
// escapes is also stored as base64 when those escapes alone would make it
// longer than base64 is: a body of control characters costs 4/3 of its
// size, not six times it.
func (r *Record) SetBody(b []byte) {
	r.BodySize = int64(len(b))
	if utf8.Valid(b) && len(b)+escapeCost(b) <= base64.StdEncoding.EncodedLen(len(b)) {
		r.Body, r.BodyEncoding = string(b), EncodingText
		return
	}
	r.Body, r.BodyEncoding = base64.StdEncoding.EncodeToString(b), EncodingBase64
}

// escapeCost is how many bytes the six-byte escapes add when text b is
// written as a JSON string (appendString): five for each control character
// without a short escape, three for U+2028 and U+2029. The two-byte escapes
// (quotes, backslashes, \n, \t...) are ordinary in text and not counted.
func escapeCost(b []byte) int {
	n := 0
	for i, c := range b {
		switch {
		case c < 0x20 && c != '\b' && c != '\f' && c != '\n' && c != '\r' && c != '\t':
			n += 5
		case c == 0xe2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xa8 || b[i+2] == 0xa9):
			n += 3
		}
	}
	return n
}

// SetHeaders stores h. The values that are not valid UTF-8 are also kept
// exactly in HeadersBase64 (h itself is not changed).
func (r *Record) SetHeaders(h http.Header) {
	r.Headers, r.HeadersBase64 = h, nil
	for k, vs := range h {
		exact := false
		for _, v := range vs {
			if !utf8.ValidString(v) {
				exact = true
				break
			}
		}
		if !exact {
			continue
		}
		enc := make([]string, len(vs))
		for i, v := range vs {
			enc[i] = base64.StdEncoding.EncodeToString([]byte(v))
		}
		if r.HeadersBase64 == nil {
			r.HeadersBase64 = http.Header{}
		}
		r.HeadersBase64[k] = enc
	}
}

// restoreHeaders puts the exact values of HeadersBase64 into Headers (a
// copy: Headers may be shared).
func (r *Record) restoreHeaders() error {
	if len(r.HeadersBase64) == 0 {
		return nil
	}
	h := make(http.Header, len(r.Headers))
	for k, vs := range r.Headers {
		h[k] = vs
	}
	for k, enc := range r.HeadersBase64 {
		vs := make([]string, len(enc))
		for i, e := range enc {
			v, err := base64.StdEncoding.DecodeString(e)
			if err != nil {
				return fmt.Errorf("capture %s: header %s in headers_base64 is not valid base64", r.ID, k)
			}
			vs[i] = string(v)
		}
		h[k] = vs
	}
	r.Headers = h
	return nil
}

// BodyBytes returns the exact body bytes.
func (r *Record) BodyBytes() ([]byte, error) {
	switch r.BodyEncoding {
	case EncodingText, "":
		return []byte(r.Body), nil
	case EncodingBase64:
		b, err := base64.StdEncoding.DecodeString(r.Body)
		if err != nil {
			return nil, fmt.Errorf("capture %s: body is not valid base64", r.ID)
		}
		return b, nil
	}
	return nil, fmt.Errorf("capture %s: unknown body_encoding %q", r.ID, r.BodyEncoding)
}

// NotStoredWhy says why a truncated record's body was not stored, from
// the status listen answered: over --max-body (413), listen's body memory
// full (503), or a body that did not arrive whole.
func (r *Record) NotStoredWhy() string {
	switch r.Status {
	case http.StatusRequestEntityTooLarge:
		return "over listen's --max-body"
	case http.StatusServiceUnavailable:
		return "listen's memory for bodies was full; the sender was told to retry"
	}
	return "the body did not arrive whole"
}

// RequestURI is the path with its query.
func (r *Record) RequestURI() string {
	if r.Query == "" {
		return r.Path
	}
	return r.Path + "?" + r.Query
}

// DefaultPath is $XDG_STATE_HOME/hookctl/captures.jsonl.
func DefaultPath(getenv func(string) string) string {
	return filepath.Join(state.Dir(getenv), "captures.jsonl")
}
