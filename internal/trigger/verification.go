package trigger

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/templates"
)

// A challenge-response handshake (catalog.Verification): the provider's
// verification request is made, signed where the provider signs it, sent
// once, and the answer judged as the provider judges it. check calls
// Verify for its handshake check:
//
//	r, err := trigger.Verify(ctx, p, trigger.VerifySpec{Target: u, Keys: catalog.HandshakeKeys{Secrets: s}}, opts)
//	r.OK, r.Reason // "" or one line: "the answer did not echo hub.challenge"

// VerifySpec says where and with what to send a provider's verification.
type VerifySpec struct {
	Target    *url.URL
	Header    http.Header // extra headers (-H), last
	UserAgent string
	// Keys sign the request (the provider's secrets) and judge the answer
	// (Zoom's encryptedToken, Meta's verify token).
	Keys catalog.HandshakeKeys
	// Event picks another verification request of the provider where it
	// has several (Discord's event.ping); "" is the provider's own.
	Event string
	// Token is the verification token a token handshake sends (Notion's:
	// the key the endpoint signs with); "" makes a fresh one.
	Token string
	Now   func() time.Time
	IDs   *ids.Generator
}

// VerifyResult is what a verification did.
type VerifyResult struct {
	Provider *catalog.Provider
	Name     string // the handshake's name: url_verification, hub.challenge, ...
	Sent     *catalog.HandshakeRequest
	URL      string
	Answer   *catalog.HandshakeAnswer // nil when no answer came
	OK       bool
	// Reason is why it failed, one line: the transport error or the
	// judge's verdict ("encryptedToken is not HMAC(secret, plainToken)").
	Reason  string
	Latency time.Duration
}

// maxAnswer bounds the answer kept for judging: handshake answers are a
// few bytes.
const maxAnswer = 64 << 10

// Verify sends p's verification request and judges the answer. The error
// means nothing was sent (no handshake, no secret for a signed one).
func Verify(ctx context.Context, p *catalog.Provider, s VerifySpec, o Options) (*VerifyResult, error) {
	v := p.Verification()
	if v == nil {
		return nil, fmt.Errorf("%s has no verification handshake", p.Name)
	}
	req, sent, err := VerificationRequest(p, s)
	if err != nil {
		return nil, err
	}
	o.KeepBody = maxAnswer
	snd := o.sender()
	snd.UseProvider(p, o.Timeout)
	res := snd.Send(ctx, req)
	out := &VerifyResult{Provider: p, Name: v.Name, Sent: sent, URL: req.URL, Latency: res.Latency}
	if res.Status == 0 {
		out.Reason = res.Err
		return out, nil
	}
	out.Answer = &catalog.HandshakeAnswer{Status: res.Status, ContentType: res.RespHeader.Get("Content-Type"), Body: res.RespBody}
	if res.RespTruncated {
		out.Reason = fmt.Sprintf("the answer is over %d KB: a handshake answer is a few bytes", maxAnswer>>10)
		return out, nil
	}
	out.Reason = v.Judge(sent, out.Answer, s.Keys)
	out.OK = out.Reason == ""
	return out, nil
}

// VerificationRequest makes p's verification request, as Verify sends
// it and check's handshake check and 'trigger --mutate handshake' send it
// too: the body (the catalogue event's sample, or one built for it), the
// query of a GET, and the signature. sent is what Judge reads.
func VerificationRequest(p *catalog.Provider, s VerifySpec) (req *delivery.Request, sent *catalog.HandshakeRequest, err error) {
	v := p.Verification()
	if v == nil {
		return nil, nil, fmt.Errorf("%s has no verification handshake", p.Name)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.IDs == nil {
		s.IDs = ids.New()
	}
	sent = &catalog.HandshakeRequest{Method: v.RequestMethod(), Header: http.Header{}, Query: url.Values{}}
	contentType := p.ContentType
	var rh []signer.Header
	switch ev := cmp.Or(s.Event, v.Event); {
	case ev != "":
		if _, ok := p.Event(ev); !ok {
			return nil, nil, fmt.Errorf("%s has no event %q", p.Name, ev)
		}
		r, err := templates.Render(p, ev, templates.RenderOptions{Now: s.Now(), IDs: s.IDs})
		if err != nil {
			return nil, nil, err
		}
		sent.Body, contentType, rh = r.Body, r.ContentType, r.Headers
	case v.NewBody != nil:
		sent.Body = v.NewBody(s.IDs, s.Token)
	}
	if v.NewQuery != nil {
		sent.Query = v.NewQuery(s.IDs, s.Keys.VerifyToken)
	}
	target := *s.Target
	if len(sent.Query) > 0 {
		q := target.Query()
		for k, vs := range sent.Query {
			q[k] = vs
		}
		target.RawQuery = q.Encode()
	}
	b := &delivery.Builder{Provider: p, URL: target.String(), UserAgent: s.UserAgent, Extra: s.Header}
	if v.Signed {
		if len(s.Keys.Secrets) == 0 {
			return nil, nil, fmt.Errorf("%s signs its %s request: no secret", p.Name, v.Name)
		}
		b.Secrets = s.Keys.Secrets[:1]
	}
	if sent.Method == http.MethodGet {
		contentType = ""
	}
	req, err = b.Build(sent.Body, contentType, rh, s.IDs.Make(p.Scheme.IDKind), s.Now(), v.Name, "")
	if err != nil {
		return nil, nil, err
	}
	req.Method = sent.Method
	sent.Header = req.Header
	if strings.EqualFold(sent.Method, http.MethodGet) {
		req.Body = nil
	}
	return req, sent, nil
}
