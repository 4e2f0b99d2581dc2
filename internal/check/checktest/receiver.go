// Package checktest is a webhook receiver for testing 'hookctl check': it
// verifies requests as a correct endpoint of any catalogue provider does,
// or with one known bug. Only tests import it.
package checktest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/signer"
)

// The bugs a Receiver can have, each the kind receivers ship.
const (
	AnySignature     = "any-signature"      // accepts any signature header, unverified
	MissingHeader    = "missing-header"     // accepts a request with no signature header
	IgnoreTimestamp  = "ignore-timestamp"   // verifies the MAC but not the timestamp's age
	Reserialized     = "reserialized"       // verifies a re-serialized body (Notion's sample code)
	Slow             = "slow"               // does its work before answering (see Receiver.Delay)
	FailDuplicate    = "fail-duplicate"     // fails the second delivery of an event id
	CrashOnMalformed = "crash-on-malformed" // answers 500 to a signature it cannot decode
	TightWindow      = "tight-window"       // a 60 s time window instead of 5 minutes
	SignedHandshake  = "signed-handshake"   // wants a signature on Notion's unsigned handshake
	NoEcho           = "no-echo"            // answers a challenge handshake without the challenge (or PONG)
)

// Bugs lists them.
var Bugs = []string{AnySignature, MissingHeader, IgnoreTimestamp, Reserialized, Slow, FailDuplicate, CrashOnMalformed, TightWindow, SignedHandshake, NoEcho}

// Receiver is an endpoint of one provider with the secret it is configured with.
type Receiver struct {
	Provider *catalog.Provider
	Secret   string
	Bug      string        // "" is a correct endpoint
	Delay    time.Duration // with Slow: how long each accepted event takes (default 6 s)

	mu   sync.Mutex
	seen map[string]bool
}

func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	hr := &catalog.HandshakeRequest{Method: r.Method, Query: r.URL.Query(), Header: r.Header, Body: body}
	if v := rc.Provider.Verification(); v != nil && v.Match(hr) {
		rc.handshake(w, r, v, hr)
		return
	}
	status, msg := rc.judge(r, body)
	reply(w, status, msg)
}

func reply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "message": msg})
}

// handshake answers the provider's verification request as the catalogue
// says a correct endpoint does, once the request passes: a signed one is
// verified first, so the endpoint is no signing oracle.
func (rc *Receiver) handshake(w http.ResponseWriter, r *http.Request, v *catalog.Verification, hr *catalog.HandshakeRequest) {
	if v.Signed {
		if status, msg := rc.judge(r, hr.Body); status != http.StatusOK {
			reply(w, status, msg)
			return
		}
	} else if rc.Bug == SignedHandshake && r.Header.Get(rc.Provider.Scheme.Headers.Signature) == "" {
		reply(w, http.StatusUnauthorized, "missing signature")
		return
	}
	if rc.Bug == NoEcho {
		reply(w, http.StatusOK, "verified")
		return
	}
	a := v.Answer(hr, catalog.HandshakeKeys{Secrets: []string{rc.Secret}, VerifyToken: rc.Secret})
	if a.ContentType != "" {
		w.Header().Set("Content-Type", a.ContentType)
	}
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}

func (rc *Receiver) judge(r *http.Request, body []byte) (int, string) {
	p, s := rc.Provider, rc.Provider.Scheme
	value, present := signature(s, r.Header, body)
	if !present {
		if rc.Bug != MissingHeader {
			return http.StatusUnauthorized, "missing signature"
		}
	} else if rc.Bug == CrashOnMalformed && !WellFormed(s, value) {
		return http.StatusInternalServerError, "panic: cannot decode the signature"
	} else if rc.Bug != AnySignature {
		if ok, why := rc.verify(r, body); !ok {
			return http.StatusUnauthorized, why
		}
		if s.BodySig != nil && rc.replayed(body) {
			return http.StatusUnauthorized, "this token was used before: a replayed request"
		}
	}
	_, id := p.Describe(r.Header, body)
	if id == "" {
		sum := sha256.Sum256(body)
		id = hex.EncodeToString(sum[:])
	}
	if rc.again("event:"+id) && rc.Bug == FailDuplicate {
		return http.StatusInternalServerError, "duplicate key " + id
	}
	if rc.Bug == Slow {
		d := rc.Delay
		if d == 0 {
			d = 6 * time.Second
		}
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
	}
	return http.StatusOK, "processed"
}

// signature is the request's signature: its header's values, or for a
// scheme that signs in the body, that field; false when there is none.
func signature(s signer.Scheme, h http.Header, body []byte) (string, bool) {
	if bs := s.BodySig; bs != nil {
		raw, ok := override.Lookup(body, bs.Signature)
		return override.Text(raw), ok
	}
	values, ok := h[http.CanonicalHeaderKey(s.Headers.Signature)]
	return strings.Join(values, ","), ok
}

// replayed remembers the tokens of verified in-body signatures and reports
// one seen before, as Mailgun advises ("cache the token value locally and
// not honor any subsequent request with the same token"): a redelivery
// comes with a new signature, so it passes.
func (rc *Receiver) replayed(body []byte) bool {
	raw, _ := override.Lookup(body, rc.Provider.Scheme.BodySig.Token)
	return rc.again("token:" + override.Text(raw))
}

// again records key and reports whether it was recorded before.
func (rc *Receiver) again(key string) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.seen == nil {
		rc.seen = map[string]bool{}
	}
	seen := rc.seen[key]
	rc.seen[key] = true
	return seen
}

func (rc *Receiver) verify(r *http.Request, body []byte) (bool, string) {
	in := signer.VerifyInput{Header: r.Header, Body: bytes.NewReader(body), Secrets: []string{rc.Secret}, Now: time.Now(),
		URL: "http://" + r.Host + r.URL.RequestURI()}
	switch rc.Bug {
	case IgnoreTimestamp:
		off := time.Duration(0)
		in.Tolerance = &off
	case TightWindow:
		tight := time.Minute
		in.Tolerance = &tight
	case Reserialized:
		var b bytes.Buffer
		if json.Compact(&b, body) == nil {
			in.Body = &b
		}
	}
	res, err := rc.Provider.Scheme.Verify(in)
	if err != nil {
		return false, err.Error()
	}
	return res.Valid, res.Reason
}

// WellFormed reports whether a signature header value decodes as the
// scheme writes it: the prefix, then MACs of the hash's size.
func WellFormed(s signer.Scheme, v string) bool {
	switch {
	case s.Signed == signer.SignedToken:
		return v != ""
	case s.Format != signer.FormatPlain && s.Format != signer.FormatList && s.Format != signer.FormatStripe:
		return true // a format this receiver does not take apart
	}
	size := map[string]int{signer.HashSHA256: 32, signer.HashSHA1: 20, signer.HashSHA512: 64, signer.HashEd25519: 64}[s.Hash]
	mac := func(text string) bool {
		var b []byte
		var err error
		if s.Enc == signer.EncBase64 {
			b, err = base64.StdEncoding.DecodeString(text)
		} else {
			b, err = hex.DecodeString(text)
		}
		return err == nil && len(b) == size
	}
	var entries []string
	switch s.Format {
	case signer.FormatStripe:
		if !strings.HasPrefix(v, "t=") {
			return false
		}
		entries = strings.Split(v, ",")[1:]
	case signer.FormatList:
		entries = strings.Fields(v)
	default:
		entries = []string{v}
	}
	found := false
	for _, e := range entries {
		if text, ok := strings.CutPrefix(e, s.Prefix); ok {
			if !mac(text) {
				return false
			}
			found = true
		}
	}
	return found
}
