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
func (r *Record) SetBody(b []byte) {
	r.BodySize = int64(len(b))
	if utf8.Valid(b) {
		r.Body, r.BodyEncoding = string(b), EncodingText
		return
	}
	r.Body, r.BodyEncoding = base64.StdEncoding.EncodeToString(b), EncodingBase64
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
