// Package verify is the work of 'hookctl verify': it checks one request's
// signature as the provider's libraries do, with the provider named or
// detected from the headers, and keeps the one-line reason a signature
// does not verify. It prints nothing and names no flag.
//
//	req := &verify.Request{Header: h, Now: time.Now()}
//	req.Add(captured.Header, captured.URL, captured.Body)
//	res, err := verify.Check(cat, nil, req, verify.Keys{Secrets: lookup})
package verify

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/signer"
)

// Request is what is checked: the headers, the URL (for schemes that sign
// it), the clock and time window to judge it by, and the body.
type Request struct {
	Header    http.Header
	URL       string
	Now       time.Time
	Tolerance *time.Duration // nil: the scheme's
	Body      io.Reader      // nil: Keys.Open, once the provider is known
	Lossy     bool           // the body came from a log that loses bytes (curl --trace-ascii)
}

// Add takes a request's headers (those already set win), its URL (unless
// one is set) and its body.
func (r *Request) Add(h http.Header, url string, body []byte) {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	for k, vs := range h {
		if r.Header.Get(k) == "" {
			r.Header[k] = vs
		}
	}
	r.URL = cmp.Or(r.URL, url)
	r.Body = bytes.NewReader(body)
}

// Keys are asked for once the provider is known.
type Keys struct {
	// Secrets returns the provider's secrets and the step of the secrets
	// order they come from.
	Secrets func(*catalog.Provider) ([]string, secrets.Source, error)
	// Open opens the body when Request.Body is nil.
	Open func() (io.ReadCloser, error)
}

// Result is a verdict.
type Result struct {
	Valid    bool
	Provider *catalog.Provider // nil: none named, and none detected
	Detected bool              // Provider was detected from the headers
	Header   string            // the signature header checked
	Reason   string            // why it is not valid, one line (signer's); "" can be
	Source   secrets.Source    // where the secrets checked with came from
	Lossy    bool              // Request.Lossy
}

// SchemeError: the provider's scheme could not check at all (a bad
// secret, an unreadable body, a URL it needs and lacks).
type SchemeError struct {
	Provider string
	Err      error
}

func (e *SchemeError) Error() string { return fmt.Sprintf("%s: %v", e.Provider, e.Err) }

func (e *SchemeError) Unwrap() error { return e.Err }

// Check checks r's signature as p's (nil: the provider detected from the
// headers; none detected is a Result with no Provider). An error of Keys
// is returned as it is.
func Check(cat *catalog.Catalog, p *catalog.Provider, r *Request, k Keys) (*Result, error) {
	res := &Result{Provider: p, Lossy: r.Lossy}
	if p == nil {
		if p = cat.Detect(r.Header); p == nil {
			return res, nil
		}
		res.Provider, res.Detected = p, true
	}
	sec, source, err := k.Secrets(p)
	if err != nil {
		return nil, err
	}
	res.Source = source
	body := r.Body
	if body == nil {
		rc, err := k.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		body = rc
	}
	v, err := p.Scheme.Verify(signer.VerifyInput{Header: r.Header, URL: r.URL, Now: r.Now, Tolerance: r.Tolerance, Secrets: sec, Body: body})
	if err != nil {
		return nil, &SchemeError{Provider: p.Name, Err: err}
	}
	res.Valid, res.Header, res.Reason = v.Valid, v.Header, v.Reason
	return res, nil
}

// SignsInBody reports whether the named provider keeps its signature in
// the body (Mailgun): its requests need no headers.
func SignsInBody(cat *catalog.Catalog, name string) bool {
	p, err := cat.Lookup(name)
	return name != "" && err == nil && p.Scheme.BodySig != nil
}
