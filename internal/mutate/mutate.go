// Package mutate holds the changes hookctl makes to a delivery to test how
// an endpoint handles it: a body changed after signing, a signature made
// with another secret, a stale timestamp, a duplicate delivery... Each
// change is one Kind, named as the check that uses it ('hookctl check') and
// as 'hookctl trigger --mutate NAME', which both take it from here, so a
// failed check is reproduced by exactly the requests the check sent.
//
// A Kind turns one delivery (Input) into the requests to send (Steps),
// signing through the caller's Sign, so the requests are built the one way
// every command builds them (delivery.Builder).
package mutate

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/signer"
)

// Input is one delivery before it is signed: what the provider's signer
// reads and what the request carries.
type Input struct {
	Body        []byte
	ContentType string
	Headers     []signer.Header // the provider's own headers (not the signature's)
	ID          string          // the scheme's message id (webhook-id); kept by duplicate
	Secrets     []string        // nil sends the request unsigned
	Event       string          // for display
	EventID     string
}

// Sign builds the request of an Input signed at a time.
type Sign func(in Input, at time.Time) (*delivery.Request, error)

// BuilderSign signs through a delivery.Builder (its Secrets are replaced by
// the Input's): the same requests trigger sends.
func BuilderSign(b *delivery.Builder) Sign {
	return func(in Input, at time.Time) (*delivery.Request, error) {
		c := *b
		c.Secrets = in.Secrets
		return c.Build(in.Body, in.ContentType, in.Headers, in.ID, at, in.Event, in.EventID)
	}
}

// Step is one request of a mutation, built when it is sent (at is the
// send time, so each request's timestamp and signature are fresh).
type Step struct {
	Label string // which variant ("garbage", "empty"...); "" when a kind sends one request
	Build func(at time.Time) (*delivery.Request, error)
}

// Kind is one change to a delivery.
type Kind struct {
	Name string
	// Sent says in a few words what is sent.
	Sent string
	// Applies says why the change does not apply to a provider's scheme
	// (and the delivery's body), or "" when it does.
	Applies func(p *catalog.Provider, in Input) string
	// Steps are the requests to send, in order.
	Steps func(p *catalog.Provider, in Input, sign Sign) []Step
	// Verification marks the handshake: it sends no change to a delivery
	// but the provider's verification request (catalog.Verification, built
	// by trigger.VerificationRequest and judged by its Judge), so it has
	// no Steps.
	Verification bool
}

// Names of the kinds: they are check names, --only/--skip and --mutate values.
const (
	Valid              = "valid"
	AnswerTime         = "answer-time"
	TamperedBody       = "tampered-body"
	WrongSecret        = "wrong-secret"
	MissingSignature   = "missing-signature"
	MalformedSignature = "malformed-signature"
	StaleTimestamp     = "stale-timestamp"
	FutureTimestamp    = "future-timestamp"
	TimestampSkew      = "timestamp-skew"
	RotatedSecret      = "rotated-secret"
	RawBytes           = "raw-bytes"
	Duplicate          = "duplicate"
	Handshake          = "handshake"
)

// Skew is how far in the past timestamp-skew signs: inside every window.
const Skew = 4 * time.Minute

// beyond is how far past the tolerance stale- and future-timestamp sign,
// so a small clock difference between hookctl and the endpoint does not
// decide the check.
const beyond = 5 * time.Minute

// Kinds lists every change, in the order check runs them: the handshake
// first, as a Notion endpoint learns its key from it.
func Kinds() []*Kind {
	return []*Kind{
		{Name: Handshake, Sent: "the provider's endpoint verification request", Applies: hasVerification, Verification: true},
		{Name: Valid, Sent: "a correctly signed event", Applies: always, Steps: once(unchanged)},
		{Name: AnswerTime, Sent: "the valid delivery, timed", Applies: always, Steps: once(unchanged)},
		{Name: TamperedBody, Sent: "the body changed by one byte after signing", Applies: signsBody, Steps: once(tampered)},
		{Name: WrongSecret, Sent: "signed with another secret", Applies: always, Steps: once(wrongSecret)},
		{Name: MissingSignature, Sent: "the signature header (or body field) removed", Applies: always, Steps: once(missing)},
		{Name: MalformedSignature, Sent: "garbage, empty, wrong prefix and truncated signatures", Applies: always, Steps: malformed},
		{Name: StaleTimestamp, Sent: "signed with a timestamp beyond the tolerance, in the past", Applies: windowed, Steps: once(stale)},
		{Name: FutureTimestamp, Sent: "signed with a timestamp beyond the tolerance, ahead", Applies: rejectsFuture, Steps: once(future)},
		{Name: TimestampSkew, Sent: "signed four minutes in the past, inside the window", Applies: windowed, Steps: once(skewed)},
		{Name: RotatedSecret, Sent: "an unknown signature, then the right one", Applies: multiSignature, Steps: once(rotated)},
		{Name: RawBytes, Sent: "a valid event whose bytes differ from JSON re-serialization", Applies: signsBodyBytes, Steps: once(rawBytes)},
		{Name: Duplicate, Sent: "the same event twice (same id and body, fresh signature)", Applies: always, Steps: duplicate},
	}
}

// Names lists the kinds' names in order.
func Names() []string {
	ks := Kinds()
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.Name
	}
	return out
}

// Lookup finds a kind by name; the error lists the names.
func Lookup(name string) (*Kind, error) {
	for _, k := range Kinds() {
		if k.Name == name {
			return k, nil
		}
	}
	msg := fmt.Sprintf("unknown mutation %q", name)
	if s := catalog.Suggest(name, Names()); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
	}
	return nil, fmt.Errorf("%s: the mutations are the check names: %s", msg, strings.Join(Names(), ", "))
}

// edit is a change to one signed request, made at time at.
type edit func(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error)

func once(e edit) func(*catalog.Provider, Input, Sign) []Step {
	return func(p *catalog.Provider, in Input, sign Sign) []Step {
		return []Step{{Build: func(at time.Time) (*delivery.Request, error) { return e(p, in, sign, at) }}}
	}
}

func unchanged(_ *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	return sign(in, at)
}

// signedAt signs d away from the send time (in the body too, for a
// scheme that signs the body's timestamp).
func signedAt(d time.Duration) edit {
	return func(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
		return sign(stamp(p, in, at.Add(d)), at.Add(d))
	}
}

func stale(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	return signedAt(-p.Scheme.Tolerance-beyond)(p, in, sign, at)
}

func future(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	return signedAt(p.Scheme.Tolerance+beyond)(p, in, sign, at)
}

func skewed(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	return signedAt(-min(Skew, p.Scheme.Tolerance*4/5))(p, in, sign, at)
}

// tampered changes one signed byte after signing: of the body, or of the
// token where the signature in the body covers its token, not the body.
func tampered(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	req, err := sign(in, at)
	if err != nil {
		return nil, err
	}
	if bs := bodySig(p); bs != nil {
		req.Body = tamperToken(bs, req.Body)
	} else {
		req.Body = TamperByte(req.Body)
	}
	return req, nil
}

func wrongSecret(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	in.Secrets = []string{OtherSecret(p, in.Secrets)}
	return sign(in, at)
}

func rotated(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	in.Secrets = append([]string{OtherSecret(p, in.Secrets)}, in.Secrets...)
	return sign(in, at)
}

func missing(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	req, err := sign(in, at)
	if err != nil {
		return nil, err
	}
	if bs := bodySig(p); bs != nil {
		req.Body, err = withoutSignature(bs, req.Body)
		return req, err
	}
	for _, h := range signatureHeaders(p) {
		req.Header.Del(h)
	}
	return req, nil
}

func rawBytes(_ *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	in.Body = RawBytesBody(in.Body)
	return sign(in, at)
}

// duplicate sends the same event twice; each is signed when it is sent
// (a signature in the body gets a new token and timestamp, as the
// provider signs each request anew).
func duplicate(p *catalog.Provider, in Input, sign Sign) []Step {
	first := once(unchanged)(p, in, sign)[0]
	first.Label = "first"
	second := once(resigned)(p, in, sign)[0]
	second.Label = "second"
	return []Step{first, second}
}

func resigned(p *catalog.Provider, in Input, sign Sign, at time.Time) (*delivery.Request, error) {
	return sign(stamp(p, freshToken(p, in), at), at)
}

// malformed sends one request per kind of bad signature header value:
// only the scheme's main header, broken, is left to judge by.
func malformed(p *catalog.Provider, in Input, sign Sign) []Step {
	in.Secrets = in.Secrets[:min(len(in.Secrets), 1)] // one signature to break
	name := http.CanonicalHeaderKey(p.Scheme.Headers.Signature)
	var steps []Step
	for _, v := range badValues(p.Scheme.Prefix) {
		steps = append(steps, Step{Label: v.label, Build: func(at time.Time) (*delivery.Request, error) {
			req, err := sign(in, at)
			if err != nil {
				return nil, err
			}
			if bs := bodySig(p); bs != nil {
				req.Body, _ = setText(req.Body, bs.Signature, v.change(bodySignature(bs, req.Body)))
				return req, nil
			}
			good := req.Header.Get(name)
			for _, h := range signatureHeaders(p) {
				req.Header.Del(h)
			}
			req.Header[name] = []string{v.change(good)}
			return req, nil
		}})
	}
	return steps
}

type badValue struct {
	label  string
	change func(good string) string
}

// badValues are the malformed values of a signature header, each made
// from the good one: its MAC is the text after the last prefix (Stripe's
// "t=..,v1=<mac>", the list's "v1,<mac>", "sha256=<mac>", a bare MAC).
func badValues(prefix string) []badValue {
	split := func(good string) (head, mac string) {
		i := 0
		if prefix != "" {
			i = strings.LastIndex(good, prefix)
			if i < 0 {
				return good, ""
			}
		}
		return good[:i], good[i+len(prefix):]
	}
	return []badValue{
		{"garbage", func(string) string { return "not-a-signature" }},
		{"empty", func(string) string { return "" }},
		{"wrong prefix", func(good string) string { head, mac := split(good); return head + otherPrefix(prefix) + mac }},
		{"truncated", func(good string) string { head, mac := split(good); return head + prefix + mac[:len(mac)/2] }},
	}
}

// otherPrefix is a prefix of the same shape that the scheme does not accept.
func otherPrefix(prefix string) string {
	switch prefix {
	case "":
		return "sha256="
	case "sha256=":
		return "sha1="
	case "v1,":
		return "v2,"
	case "v1=":
		return "v0="
	case "v0=":
		return "v1="
	}
	return "x" + prefix
}

// signatureHeaders are every header that carries a signature of the
// provider's scheme.
func signatureHeaders(p *catalog.Provider) []string {
	out := []string{p.Scheme.Headers.Signature}
	for _, e := range p.Scheme.Extra {
		out = append(out, e.Header)
	}
	return out
}

// OtherSecret is a secret of the scheme's form that is not one of the
// endpoint's: signatures made with it must be refused.
func OtherSecret(p *catalog.Provider, not []string) string {
	s := "hookctl-check-not-your-secret"
	if p.Scheme.Asymmetric() { // another Ed25519 key pair
		s, _ = p.Scheme.NewEd25519Secret([]byte("hookctl check: not your key pair"))
	} else if p.Scheme.Secret == signer.SecretWhsec {
		s = "whsec_" + base64.StdEncoding.EncodeToString([]byte(s))
	}
	for _, n := range not {
		if n == s {
			return s + "-2"
		}
	}
	return s
}

func always(*catalog.Provider, Input) string { return "" }

func signsBody(p *catalog.Provider, _ Input) string {
	if p.Scheme.Signed == signer.SignedToken {
		return p.Name + "'s token does not sign the body"
	}
	return ""
}

// windowed: the scheme signs a timestamp and has a time window. A
// signature in the body always covers the body's timestamp.
func windowed(p *catalog.Provider, _ Input) string {
	switch {
	case !p.Scheme.UsesTimestamp() && bodySig(p) == nil:
		return p.Name + " signs no timestamp"
	case p.Scheme.Tolerance <= 0:
		return p.Name + " has no time window"
	}
	return ""
}

func rejectsFuture(p *catalog.Provider, in Input) string {
	if why := windowed(p, in); why != "" {
		return why
	}
	if !p.Scheme.RejectFuture {
		return p.Name + "'s libraries accept timestamps ahead of the clock"
	}
	return ""
}

func multiSignature(p *catalog.Provider, _ Input) string {
	switch {
	case bodySig(p) != nil:
		return p.Name + "'s body carries one signature"
	case !p.Scheme.MultiSignature():
		return p.Name + "'s header carries one signature"
	}
	return ""
}

// signsBodyBytes: raw-bytes needs a JSON body, whose bytes a signature
// in the body does not cover.
func signsBodyBytes(p *catalog.Provider, in Input) string {
	if bs := bodySig(p); bs != nil {
		return p.Name + " signs the body's " + bs.Timestamp + " and " + bs.Token + ", not its bytes: re-serializing the body breaks no signature"
	}
	return jsonBody(p, in)
}

func jsonBody(p *catalog.Provider, in Input) string {
	if !json.Valid(in.Body) {
		return "the " + p.Name + " " + orEvent(in.Event) + " body is not JSON: nothing re-serializes it"
	}
	return ""
}

func orEvent(ev string) string {
	if ev == "" {
		return "event"
	}
	return ev
}

func hasVerification(p *catalog.Provider, _ Input) string {
	if p.Verification() == nil {
		return p.Name + " sends no subscription handshake"
	}
	return ""
}
