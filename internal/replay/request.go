package replay

import (
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
)

// hopByHop are the headers of one connection, which a proxy never passes
// on (RFC 9110 section 7.6.1), plus the ones the transport writes itself:
// Content-Length from the body, Host from the new target.
var hopByHop = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length", "Host",
}

// Header returns the captured headers to send again: all of them, values
// in their captured order, except hop-by-hop ones (and those the captured
// Connection header names), Content-Length and Host. A capture without a
// User-Agent is sent without one (Go would add its own).
func Header(rec *capture.Record) http.Header {
	drop := map[string]bool{}
	for _, name := range hopByHop {
		drop[name] = true
	}
	for k, vs := range rec.Headers {
		if textproto.CanonicalMIMEHeaderKey(k) != "Connection" {
			continue
		}
		for _, v := range vs {
			for _, name := range strings.Split(v, ",") {
				if name = strings.TrimSpace(name); name != "" {
					drop[textproto.CanonicalMIMEHeaderKey(name)] = true
				}
			}
		}
	}
	h := make(http.Header, len(rec.Headers)+1)
	ua := false
	for k, vs := range rec.Headers {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		if drop[ck] {
			continue
		}
		if ck == "User-Agent" {
			ua = true
		}
		h[k] = append(h[k], vs...)
	}
	if !ua {
		h["User-Agent"] = []string{""} // net/http then writes none
	}
	return h
}

// TargetURL is where a capture goes: the target with the captured path
// appended to its path and the captured query to its query, the rule
// listen's --forward-to follows ("localhost:5000/app" and a capture of
// "/hooks?x=1" give http://localhost:5000/app/hooks?x=1; a capture of "/"
// goes to http://localhost:5000/app).
func TargetURL(target *url.URL, rec *capture.Record) string {
	p, err := url.ParseRequestURI(rec.RequestURI())
	if err != nil || p.Host != "" || p.Scheme != "" {
		p = &url.URL{Path: rec.Path, RawQuery: rec.Query}
	}
	if !strings.HasPrefix(p.Path, "/") {
		p.Path, p.RawPath = "/"+p.Path, ""
	}
	u := *target
	if p.Path != "/" { // a capture of / goes to the target's path as is
		u.Path = strings.TrimSuffix(target.Path, "/") + p.Path
		u.RawPath = strings.TrimSuffix(target.EscapedPath(), "/") + p.EscapedPath()
	}
	switch {
	case u.RawQuery == "":
		u.RawQuery = p.RawQuery
	case p.RawQuery != "":
		u.RawQuery += "&" + p.RawQuery
	}
	u.ForceQuery = false
	return u.String()
}

// AsIs builds the request exactly as captured: method, headers (see Header)
// and the body's bytes.
func AsIs(rec *capture.Record, target *url.URL) (*delivery.Request, error) {
	if rec.BodyTruncated {
		return nil, fmt.Errorf("capture %s: its body was not stored (%d bytes, %s)", rec.ID, rec.BodySize, rec.NotStoredWhy())
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
