package listen

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
)

// Verdicts that are not a signature check.
const (
	ReasonUnsigned = "unsigned"                          // no signature header
	ReasonTooLarge = "not checked: body over --max-body" // answered 413, body not stored
	ReasonUnread   = "not checked: body not read"        // the sender stopped mid-body
	ReasonBusy     = "not checked: body memory full"     // answered 503: too many bodies in memory at once
)

// NoSecretReason is the verdict when the provider has no secret.
func NoSecretReason(provider string) string { return "no secret for " + provider }

// judge fills in the provider, event, id and signature verdict of a
// request, and handles the Notion handshake.
func (s *Server) judge(r *http.Request, body []byte, res *Result) {
	p := s.provider(r.Header)
	if p == nil || p.Name == "notion" {
		if tok, ok := HandshakeToken(body); ok {
			s.handshake(tok, res)
			return
		}
	}
	var hr *catalog.HandshakeRequest // made when a handshake needs it
	if p == nil {
		hr = handshakeRequest(r, body)
		p = s.cfg.Catalog.DetectVerification(hr)
	}
	if p == nil {
		p = s.cfg.Catalog.DetectBody(body)
	}
	if p == nil {
		res.Reason = ReasonUnsigned
		return
	}
	res.Provider = p.Name
	res.Event, res.EventID = p.Describe(r.Header, body)
	if p.IsHandshake(res.Event) {
		res.Challenge = p.Handshake.Challenge(body)
	}
	// Notion's and Slack's handshakes (p.Handshake) are answered above and
	// in decide; the other providers' verifications here.
	v := p.Verification()
	if v != nil && p.Handshake == nil && hr == nil {
		hr = handshakeRequest(r, body)
	}
	if p.Handshake != nil || v == nil || !v.Match(hr) {
		v = nil
	}
	if v != nil && !v.Signed {
		res.Reason = ReasonUnsigned
		s.answerVerification(p, v, hr, res)
		return
	}
	if !s.det.hasSignature(p, r.Header) && !p.SignedInBody(body) {
		res.Reason = ReasonUnsigned
		if v != nil {
			res.Verification = p.Name + " " + v.Name
			res.hsAnswer = s.refuse(fmt.Sprintf("not answering an unsigned %s: %s signs it, and answering unsigned ones would make the endpoint a signing oracle", v.Name, p.Name))
		}
		return
	}
	s.verify(p, r, body, res)
	if v != nil {
		s.answerVerification(p, v, hr, res)
	}
}

// handshakeRequest is the request as the catalog's handshakes read it.
func handshakeRequest(r *http.Request, body []byte) *catalog.HandshakeRequest {
	hr := &catalog.HandshakeRequest{Method: r.Method, Header: r.Header, Body: body}
	if r.URL.RawQuery != "" {
		hr.Query = r.URL.Query() // read only: nil (no query) reads as empty
	}
	return hr
}

// verify checks a signed request's signature with the provider's secrets
// and fills in the verdict.
func (s *Server) verify(p *catalog.Provider, r *http.Request, body []byte, res *Result) {
	secrets, err := s.cfg.Secrets.Values(p.Name)
	if len(secrets) == 0 {
		res.Reason = NoSecretReason(p.Name)
		if err != nil {
			res.Reason += ": " + err.Error()
		}
		return
	}
	in := signer.VerifyInput{Header: r.Header, Secrets: secrets, Now: s.cfg.Now(), Tolerance: s.cfg.Tolerance, Method: r.Method}
	urls := []string{""}
	if p.Scheme.SignsURL() {
		urls = requestURLs(r)
	}
	var verdict *signer.Result
	var br bytes.Reader
	for i, u := range urls {
		br.Reset(body)
		in.URL, in.Body = u, &br
		v, e := p.Scheme.Verify(in)
		if i == 0 || (e == nil && v.Valid) {
			verdict, err = v, e
		}
		if e == nil && v.Valid {
			break
		}
	}
	valid := err == nil && verdict.Valid
	res.Verified = &valid
	switch {
	case err != nil:
		res.Reason = err.Error()
	case !valid:
		res.Reason = verdict.Reason
	}
}

// provider is --provider, else the one the headers name.
func (s *Server) provider(h http.Header) *catalog.Provider {
	if s.cfg.Provider != nil {
		return s.cfg.Provider
	}
	return s.det.detect(h)
}

// nameOnly fills in what the headers alone say of a request whose body was
// not read (413): its provider, and the event where headers carry it.
func (s *Server) nameOnly(h http.Header, res *Result) {
	if p := s.provider(h); p != nil {
		res.Provider = p.Name
		res.Event, res.EventID = p.Describe(h, nil)
	}
}

// answerVerification answers a provider's endpoint verification as a
// correct endpoint would: a signed one only when its signature is valid.
func (s *Server) answerVerification(p *catalog.Provider, v *catalog.Verification, hr *catalog.HandshakeRequest, res *Result) {
	res.Verification = p.Name + " " + v.Name
	if v.Signed && !res.Valid() {
		res.hsAnswer = s.refuse(fmt.Sprintf("not answering the %s: its signature is not valid (%s)", v.Name, res.Reason))
		return
	}
	keys := catalog.HandshakeKeys{VerifyToken: s.cfg.VerifyToken}
	keys.Secrets, _ = s.cfg.Secrets.Values(p.Name)
	if v.Signed {
		keys.Secrets = s.verifyingFirst(p, hr, keys.Secrets)
	}
	if keys.VerifyToken == "" {
		keys.VerifyToken = keys.Secret()
	}
	a := v.Answer(hr, keys)
	h := http.Header{}
	if a.ContentType != "" {
		h.Set("Content-Type", a.ContentType)
	}
	res.hsAnswer = &answer{status: a.Status, header: h, body: a.Body, note: "answered the " + res.Verification + " handshake as " + p.Title + " requires"}
	if a.Status >= 400 {
		res.hsAnswer.note = "refused the " + res.Verification + " handshake: " + string(a.Body)
	}
}

// verifyingFirst puts first the secret the request verifies with: the
// endpoint answers (Zoom's encryptedToken) with the secret it was signed
// with, not merely the first one configured.
func (s *Server) verifyingFirst(p *catalog.Provider, hr *catalog.HandshakeRequest, secrets []string) []string {
	for i, sec := range secrets {
		in := signer.VerifyInput{Header: hr.Header, Body: bytes.NewReader(hr.Body), Secrets: []string{sec}, Now: s.cfg.Now(), Tolerance: s.cfg.Tolerance, Method: hr.Method}
		if r, err := p.Scheme.Verify(in); err == nil && r.Valid {
			return append([]string{sec}, append(append([]string(nil), secrets[:i]...), secrets[i+1:]...)...)
		}
	}
	return secrets
}

// refuse is a 401 to a handshake a correct endpoint does not answer.
func (s *Server) refuse(why string) *answer {
	a := s.own(http.StatusUnauthorized, why)
	return &a
}

// handshake takes a Notion verification token: it is shown, used as the
// notion secret from now on, and saved for later runs.
func (s *Server) handshake(tok string, res *Result) {
	res.Provider, res.Handshake, res.Token = "notion", true, tok
	res.Reason = ReasonUnsigned
	s.cfg.Secrets.UseNotionToken(tok)
	if s.cfg.SaveNotionToken != nil {
		res.TokenSaved, res.TokenErr = s.cfg.SaveNotionToken(tok)
	}
}

// requestURLs are the URLs the sender may have called, for schemes that
// sign it (twilio, square, hubspot), most likely first. X-Forwarded-Proto or TLS settle the
// scheme; otherwise the request came either through an https tunnel that
// did not say so, or straight from a local sender (hookctl trigger or
// replay) that signed the http URL it called, so both are tried.
func requestURLs(r *http.Request) []string {
	rest := "://" + r.Host + r.RequestURI
	if fp := r.Header.Get("X-Forwarded-Proto"); fp != "" {
		proto, _, _ := strings.Cut(fp, ",")
		return []string{strings.ToLower(strings.TrimSpace(proto)) + rest}
	}
	if r.TLS != nil {
		return []string{"https" + rest}
	}
	return []string{"https" + rest, "http" + rest}
}
