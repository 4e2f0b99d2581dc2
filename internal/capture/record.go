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
	"strings"
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

	// bodyRef is the body SetBodyBytes refers to, Body's bytes unencoded.
	bodyRef []byte
}

// Forward is the result of forwarding a request to the app. Headers and
// the body fields hold the app's answer, when it answered; records written
// before they were added do not have them.
type Forward struct {
	URL       string  `json:"url"`
	Status    int     `json:"status,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`

	Headers       http.Header `json:"headers,omitempty"`        // the app's answer headers
	HeadersBase64 http.Header `json:"headers_base64,omitempty"` // as Record.HeadersBase64
	Body          string      `json:"body,omitempty"`           // its first MaxForwardBody bytes, as Record.Body
	BodyEncoding  string      `json:"body_encoding,omitempty"`
	BodySize      int64       `json:"body_size,omitempty"`      // the whole answer's size
	BodyTruncated bool        `json:"body_truncated,omitempty"` // only the first MaxForwardBody bytes are stored
}

// MaxForwardBody is how much of the app's answer body a record keeps.
const MaxForwardBody = 64 << 10

// SetAnswer stores the app's answer headers and body: at most
// MaxForwardBody bytes of b, and size, the whole answer's size (at least
// len(b)).
func (f *Forward) SetAnswer(h http.Header, b []byte, size int64) {
	f.Headers, f.HeadersBase64 = h, exactHeaders(h)
	f.BodySize = max(size, int64(len(b)))
	if len(b) > MaxForwardBody {
		b = b[:MaxForwardBody]
	}
	f.BodyTruncated = f.BodySize > int64(len(b))
	f.Body, f.BodyEncoding = encodeBody(b)
}

// BodyBytes returns the exact bytes of the app's answer body that the
// record keeps.
func (f *Forward) BodyBytes() ([]byte, error) {
	return decodeBody(f.Body, f.BodyEncoding, "forward body")
}

// SetBody stores a body as text when it is valid UTF-8, else as base64.
// Text whose control characters would be written as six-byte \u00XX
// escapes is also stored as base64 when those escapes alone would make it
// longer than base64 is: a body of control characters costs 4/3 of its
// size, not six times it.
func (r *Record) SetBody(b []byte) {
	r.BodySize = int64(len(b))
	r.Body, r.BodyEncoding = encodeBody(b)
}

// SetBodyBytes is SetBody without a copy of the body: the record refers to
// b, and Body stays empty; only the encoders (Writer.Append, EncodeLine)
// read b, writing exactly what SetBody would have stored. For a caller
// that encodes the record once and drops it while b is still its own
// (listen, whose body buffers are reused): b must not change until then.
func (r *Record) SetBodyBytes(b []byte) {
	r.BodySize = int64(len(b))
	r.Body, r.BodyEncoding, r.bodyRef = "", bodyEncoding(b), b
	if b == nil {
		r.bodyRef = []byte{}
	}
}

// encodeBody is SetBody's choice of encoding, for any body.
func encodeBody(b []byte) (string, string) {
	if bodyEncoding(b) == EncodingText {
		return string(b), EncodingText
	}
	return base64.StdEncoding.EncodeToString(b), EncodingBase64
}

// bodyEncoding is how SetBody stores b: as text when it is valid UTF-8
// and its escapes do not make it longer than base64, else as base64.
func bodyEncoding(b []byte) string {
	if utf8.Valid(b) && len(b)+escapeCost(b) <= base64.StdEncoding.EncodedLen(len(b)) {
		return EncodingText
	}
	return EncodingBase64
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
	r.Headers, r.HeadersBase64 = h, exactHeaders(h)
}

// exactHeaders is the HeadersBase64 of h: nil when every value is UTF-8.
func exactHeaders(h http.Header) http.Header {
	var exact http.Header
	for k, vs := range h {
		invalid := false
		for _, v := range vs {
			if !utf8.ValidString(v) {
				invalid = true
				break
			}
		}
		if !invalid {
			continue
		}
		enc := make([]string, len(vs))
		for i, v := range vs {
			enc[i] = base64.StdEncoding.EncodeToString([]byte(v))
		}
		if exact == nil {
			exact = http.Header{}
		}
		exact[k] = enc
	}
	return exact
}

// restoreHeaders puts the exact values of HeadersBase64 into Headers, the
// record's and its forward's.
func (r *Record) restoreHeaders() error {
	h, err := restoreHeaders(r.Headers, r.HeadersBase64)
	if err != nil {
		return fmt.Errorf("capture %s: %w", r.ID, err)
	}
	r.Headers = h
	if f := r.Forward; f != nil {
		if f.Headers, err = restoreHeaders(f.Headers, f.HeadersBase64); err != nil {
			return fmt.Errorf("capture %s: forward %w", r.ID, err)
		}
	}
	return nil
}

// restoreHeaders returns h with the exact values of b64 (a copy: h may be
// shared).
func restoreHeaders(h, b64 http.Header) (http.Header, error) {
	if len(b64) == 0 {
		return h, nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		out[k] = vs
	}
	for k, enc := range b64 {
		vs := make([]string, len(enc))
		for i, e := range enc {
			v, err := base64.StdEncoding.DecodeString(e)
			if err != nil {
				return nil, fmt.Errorf("header %s in headers_base64 is not valid base64", k)
			}
			vs[i] = string(v)
		}
		out[k] = vs
	}
	return out, nil
}

// BodyBytes returns the exact body bytes.
func (r *Record) BodyBytes() ([]byte, error) {
	b, err := decodeBody(r.Body, r.BodyEncoding, "body")
	if err != nil {
		return nil, fmt.Errorf("capture %s: %w", r.ID, err)
	}
	return b, nil
}

// decodeBody turns a stored body back into its bytes.
func decodeBody(body, encoding, what string) ([]byte, error) {
	switch encoding {
	case EncodingText, "":
		return []byte(body), nil
	case EncodingBase64:
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, fmt.Errorf("%s is not valid base64", what)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown %s_encoding %q", strings.ReplaceAll(what, " ", "."), encoding)
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
