package replay

import (
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
)

// Header returns the captured headers to send again: all of them, values
// in their captured order, except hop-by-hop ones (and those the captured
// Connection header names), Content-Length and Host, which the transport
// writes for the new target. A capture without a User-Agent is sent
// without one (Go would add its own).
func Header(rec *capture.Record) http.Header {
	h := make(http.Header, len(rec.Headers)+1)
	httpx.CopyEndToEnd(h, rec.Headers, "Content-Length", "Host")
	ua := false
	for k := range h {
		ua = ua || textproto.CanonicalMIMEHeaderKey(k) == "User-Agent"
	}
	if !ua {
		h["User-Agent"] = []string{""} // net/http then writes none
	}
	return h
}

// TargetURL is where a capture goes: the target itself when it has a
// path, else the target with the captured path; the captured query is
// kept either way. It is the rule listen's --forward-to follows
// (httpx.JoinURL), so replaying to a listen does not grow the path.
func TargetURL(target *url.URL, rec *capture.Record) string {
	return httpx.JoinURL(target, rec.Path, rec.Query)
}

// NotStoredError is a capture whose body listen did not store (over
// --max-body, not arrived whole, or listen's body memory full): it cannot
// be sent again.
type NotStoredError struct {
	ID   string
	Size int64  // the body's size as it arrived
	Why  string // capture.Record.NotStoredWhy
}

func (e *NotStoredError) Error() string {
	return fmt.Sprintf("capture %s: its body was not stored (%s, %s)", e.ID, httpx.Size(e.Size), e.Why)
}

// AsIs builds the request exactly as captured: method, headers (see Header)
// and the body's bytes.
func AsIs(rec *capture.Record, target *url.URL) (*delivery.Request, error) {
	if rec.BodyTruncated {
		return nil, &NotStoredError{ID: rec.ID, Size: rec.BodySize, Why: rec.NotStoredWhy()}
	}
	body, err := rec.BodyBytes()
	if err != nil {
		return nil, err
	}
	method := rec.Method
	if method == "" {
		method = http.MethodPost
	}
	return &delivery.Request{
		Method: method, URL: TargetURL(target, rec), Header: Header(rec), Body: body,
		Event: rec.Event, EventID: rec.EventID, CaptureID: rec.ID,
	}, nil
}

// Resigner signs requests again for one provider.
type Resigner struct {
	Provider *catalog.Provider
	Secrets  []string
	Now      func() time.Time
	IDs      *ids.Generator
}

// SchemeHeaders lists every header a scheme reads or writes for its
// signature, id and timestamp, under all the names it accepts.
func SchemeHeaders(s *signer.Scheme) []string {
	var names []string
	for _, set := range append([]signer.HeaderSet{s.Headers}, s.Accept...) {
		for _, n := range []string{set.Signature, set.Timestamp, set.ID} {
			if n != "" {
				names = append(names, n)
			}
		}
	}
	for _, e := range s.Extra {
		names = append(names, e.Header)
	}
	return names
}

// Resign replaces the request's signature: the scheme's old signature, id
// and timestamp headers are removed (under every name the scheme accepts),
// then a new id (where the scheme has one), the current time (where it
// signs one) and a signature over the exact body with the secrets are
// added, by the builder trigger signs with. The other captured headers
// stay. Schemes that sign the URL (Twilio) sign the new one, and may
// change it.
func (r *Resigner) Resign(req *delivery.Request) error {
	sch := &r.Provider.Scheme
	id := ""
	if sch.UsesID() {
		old := req.Header.Get(sch.Headers.ID)
		if id = r.IDs.Make(sch.IDKind); id == "" {
			id = old // no id format known: keep the captured one
		}
		if req.EventID == old && old != "" {
			req.EventID = id // the event was known by its id header (Standard Webhooks)
		}
	}
	drop := map[string]bool{}
	for _, n := range SchemeHeaders(sch) {
		drop[textproto.CanonicalMIMEHeaderKey(n)] = true
	}
	kept := make(http.Header, len(req.Header))
	for k, v := range req.Header {
		if !drop[textproto.CanonicalMIMEHeaderKey(k)] {
			kept[k] = v
		}
	}
	b := &delivery.Builder{Provider: r.Provider, Secrets: r.Secrets, URL: req.URL, Extra: kept}
	out, err := b.Build(req.Body, "", nil, id, r.Now(), req.Event, req.EventID)
	if err != nil {
		return fmt.Errorf("re-signing: %w", err)
	}
	req.URL, req.Header = out.URL, out.Header
	return nil
}
