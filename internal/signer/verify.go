package signer

import (
	"bytes"
	"crypto/hmac"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// VerifyInput is what Verify needs besides the scheme.
type VerifyInput struct {
	Header  http.Header // names are matched case-insensitively
	Body    io.Reader
	Secrets []string // any one matching makes the request valid (rotation)
	Now     time.Time
	// Tolerance overrides the scheme's time window when set; 0 turns it off.
	Tolerance *time.Duration
	URL       string // the full request URL, for schemes that sign it (Twilio, Square, HubSpot)
	Method    string // the request method, for schemes that sign it (HubSpot); POST when empty
}

// Result is a verdict: valid, or the one-line reason it is not.
type Result struct {
	Valid  bool
	Reason string
	Header string // the signature header that was checked
}

func invalid(header, format string, args ...any) *Result {
	return &Result{Header: header, Reason: fmt.Sprintf(format, args...)}
}

// parsed is a signature header taken apart.
type parsed struct {
	header     string
	candidates []string // encoded MACs to compare against
	asym       []string // encoded Ed25519 signatures (v1a, Discord)
	ts, id     string
	hash       string
	prefix     string
}

// Verify checks the request's signature. An error means the input could not
// be used at all (a bad secret, an unreadable body); a failed check is a
// Result with Valid false and a Reason.
func (s *Scheme) Verify(in VerifyInput) (*Result, error) {
	if in.Body == nil {
		in.Body = strings.NewReader("")
	}
	switch {
	case s.Signed == SignedToken:
		return s.verifyToken(in)
	case s.BodySig != nil:
		return s.verifyInBody(in)
	}
	if err := s.needURL(in.URL); err != nil {
		return nil, err
	}
	edKeys := s.hasEdKey(in.Secrets)
	var keys [][]byte
	if !edKeys {
		var err error
		if keys, err = s.keys(in.Secrets); err != nil {
			return nil, err
		}
	} else if len(in.Secrets) == 0 {
		_, err := s.keys(nil)
		return nil, err
	}
	p, bad := s.parse(in.Header)
	if bad != nil {
		return bad, nil
	}
	if s.UsesTimestamp() {
		if r := s.checkTime(p, in); r != nil {
			return r, nil
		}
	}
	if s.TimestampField != "" {
		body, r, err := s.checkBodyTime(p.header, in)
		if err != nil || r != nil {
			return r, err
		}
		in.Body = bytes.NewReader(body)
	}
	if edKeys {
		return s.verifyBuffered(p, in)
	}
	if len(p.candidates) == 0 {
		version, _, _ := strings.Cut(s.Prefix, ",")
		return invalid(p.header, "malformed header %s: no %s signature in it", p.header, version), nil
	}
	var expected []string
	var err error
	if s.Signed == SignedTwilio {
		var r *Result
		expected, r, err = s.expectTwilio(p, keys, in)
		if err != nil || r != nil {
			return r, err
		}
	} else {
		expected, err = s.expectMACs(p, keys, in.Body, in)
		if err != nil {
			return nil, err
		}
	}
	if r := s.match(p, expected); r != nil {
		return r, nil
	}
	return s.mismatch(p, expected, len(keys)), nil
}

// match returns the valid result when a candidate is one of the expected
// MACs, else nil.
func (s *Scheme) match(p *parsed, expected []string) *Result {
	for _, c := range p.candidates {
		if equalsAny(c, expected) {
			return &Result{Valid: true, Header: p.header}
		}
	}
	return nil
}

func (s *Scheme) expectMACs(p *parsed, keys [][]byte, body io.Reader, in VerifyInput) ([]string, error) {
	h, err := newHash(p.hash)
	if err != nil {
		return nil, err
	}
	macs := &macSet{}
	for _, k := range keys {
		macs.main = append(macs.main, keyed.get(p.hash, h, k))
	}
	before, after := s.around(values{id: p.id, ts: p.ts, url: in.URL, method: orPost(in.Method)})
	if before != nil {
		macs.write(before)
	}
	if err := hashBody(macs.main, body); err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if after != nil {
		macs.write(after)
	}
	out := make([]string, len(keys))
	for i, m := range macs.main {
		out[i] = encode(s.Enc, m.Sum(nil))
		keyed.put(p.hash, keys[i], m)
	}
	return out, nil
}

func (s *Scheme) expectTwilio(p *parsed, keys [][]byte, in VerifyInput) ([]string, *Result, error) {
	if in.URL == "" {
		return nil, nil, ErrNeedURL
	}
	signed, err := twilioSignedString(in.URL, in.Body, false)
	var fe *formError
	if errors.As(err, &fe) {
		return nil, invalid(p.header, "the body is not a valid form (%s): Twilio signs form parameters", clip(fe.err.Error())), nil
	}
	if err != nil {
		return nil, nil, err
	}
	if signed.looksJSON && !signed.jsonMode {
		return nil, invalid(p.header, "the body is JSON but the URL has no bodySHA256 parameter: pass the exact URL Twilio called, with its query"), nil
	}
	if signed.jsonMode {
		want, _ := queryParam(in.URL, "bodySHA256")
		if !macEqual(want, signed.bodyHash) {
			return nil, invalid(p.header, "the body does not match the bodySHA256 parameter of the URL (the body was changed)"), nil
		}
	}
	h, err := newHash(p.hash)
	if err != nil {
		return nil, nil, err
	}
	params := strings.TrimPrefix(signed.data, in.URL)
	var out []string
	// Like Twilio's libraries, accept the URL with and without its port
	// (proxies add or drop :443).
	for _, u := range twilioURLVariants(in.URL) {
		for _, k := range keys {
			m := hmac.New(h, k)
			m.Write([]byte(u))
			m.Write([]byte(params))
			out = append(out, encode(s.Enc, m.Sum(nil)))
		}
	}
	return out, nil, nil
}

// headerSets lists the header names Verify reads, in order of preference.
func (s *Scheme) headerSets() []HeaderSet {
	return append(append([]HeaderSet(nil), s.Accept...), s.Headers)
}

func (s *Scheme) parse(h http.Header) (*parsed, *Result) {
	for _, set := range s.headerSets() {
		if vals := h.Values(set.Signature); len(vals) > 0 {
			return s.parseValue(vals, set, h)
		}
	}
	for _, e := range s.Extra {
		if v := h.Get(e.Header); v != "" {
			p, r := s.parsePlain(e.Header, v, e.Prefix)
			if p != nil {
				p.hash = e.Hash
			}
			return p, r
		}
	}
	return nil, invalid(s.Headers.Signature, "missing header %s", s.Headers.Signature)
}

// parseValue takes apart the values of a signature header (a header sent
// twice counts as a list: its signatures are all candidates) and reads the
// timestamp and id headers of its set.
func (s *Scheme) parseValue(vals []string, set HeaderSet, h http.Header) (*parsed, *Result) {
	name := set.Signature
	var p *parsed
	var r *Result
	switch s.Format {
	case FormatList:
		p, r = s.parseList(name, strings.Join(vals, " "))
	case FormatStripe:
		p, r = s.parseStripe(name, strings.Join(vals, ","))
	case FormatPaddle:
		p, r = s.parsePaddle(name, strings.Join(vals, ";"))
	default:
		for _, v := range vals {
			var one *parsed
			if one, r = s.parsePlain(name, v, s.Prefix); r != nil {
				break
			}
			if p == nil {
				p = one
			} else {
				p.candidates = append(p.candidates, one.candidates...)
			}
		}
	}
	if r != nil {
		return nil, r
	}
	if s.Hash == HashEd25519 {
		p.asym, p.candidates = p.candidates, nil
	}
	if s.Format != FormatStripe && s.Format != FormatPaddle && set.Timestamp != "" {
		p.ts = strings.TrimSpace(h.Get(set.Timestamp))
		if p.ts == "" && s.UsesTimestamp() {
			return nil, invalid(name, "missing header %s", set.Timestamp)
		}
	}
	if set.ID != "" {
		p.id = h.Get(set.ID)
		if p.id == "" && s.has(pID) {
			return nil, invalid(name, "missing header %s", set.ID)
		}
	}
	return p, nil
}

func (s *Scheme) parsePlain(name, v, prefix string) (*parsed, *Result) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, invalid(name, "malformed header %s: empty", name)
	}
	if !strings.HasPrefix(v, prefix) {
		return nil, invalid(name, "malformed header %s: missing %q prefix", name, prefix)
	}
	return &parsed{header: name, candidates: []string{v[len(prefix):]}, hash: s.Hash, prefix: prefix}, nil
}

// parseList reads Standard Webhooks' "v1,<b64> v1a,<b64>": v1 entries
// are MAC candidates, v1a ones (AsymPrefix) Ed25519 signatures; other
// versions are skipped. Whether the kind the keys need is there is for
// Verify to say.
func (s *Scheme) parseList(name, v string) (*parsed, *Result) {
	version, _, _ := strings.Cut(s.Prefix, ",")
	asymVersion, _, _ := strings.Cut(s.AsymPrefix, ",")
	p := &parsed{header: name, hash: s.Hash, prefix: s.Prefix}
	for _, entry := range strings.Fields(v) {
		ver, sig, ok := strings.Cut(entry, ",")
		if !ok {
			return nil, invalid(name, "malformed header %s: entry %q is not version,signature", name, clip(entry))
		}
		if strings.Contains(sig, ",") {
			return nil, invalid(name, "malformed header %s: signatures are separated by spaces, not commas", name)
		}
		switch {
		case ver == version:
			p.candidates = append(p.candidates, sig)
		case asymVersion != "" && ver == asymVersion:
			p.asym = append(p.asym, sig)
		}
	}
	if len(p.candidates) == 0 && len(p.asym) == 0 {
		return nil, invalid(name, "malformed header %s: no %s signature in it", name, version)
	}
	return p, nil
}

// parseStripe reads "t=<ts>,v1=<hex>[,v1=<hex>][,v0=...]". Like Stripe's own
// libraries it splits on bare commas, so a space after a comma hides the pair.
func (s *Scheme) parseStripe(name, v string) (*parsed, *Result) {
	version := strings.TrimSuffix(s.Prefix, "=")
	p := &parsed{header: name, hash: s.Hash, prefix: s.Prefix}
	spaced := false
	for _, pair := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			p.ts = val
		case version:
			p.candidates = append(p.candidates, val)
		default:
			if strings.TrimSpace(k) == version || strings.TrimSpace(k) == "t" {
				spaced = true
			}
		}
	}
	hint := ""
	if spaced {
		hint = " (a space after a comma hides the pair: write t=...,v1=... with no spaces)"
	}
	if p.ts == "" {
		return nil, invalid(name, "malformed header %s: no t= timestamp%s", name, hint)
	}
	if len(p.candidates) == 0 {
		return nil, invalid(name, "malformed header %s: no %s= signature%s", name, version, hint)
	}
	return p, nil
}

func (s *Scheme) checkTime(p *parsed, in VerifyInput) *Result {
	ts, err := s.parseTime(p.ts)
	if err != nil {
		return invalid(p.header, "%s", err.Error())
	}
	return s.checkAge(p.header, ts, in)
}

// checkAge applies the time window to a timestamp in unix seconds.
func (s *Scheme) checkAge(header string, ts int64, in VerifyInput) *Result {
	p := &parsed{header: header}
	tol := s.Tolerance
	if in.Tolerance != nil {
		tol = *in.Tolerance
	}
	if tol <= 0 {
		return nil
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	// Whole seconds, as the providers' libraries count (they floor now).
	// Saturating arithmetic: a timestamp near the int64 limits must not wrap
	// around into the window.
	age := subSat(now.Unix(), ts)
	if age > 0 && secondsOver(age, tol) {
		return invalid(p.header, "timestamp too old: signed %s before now, tolerance %s", seconds(age), tol)
	}
	if age < 0 && s.RejectFuture && secondsOver(-age, tol) {
		return invalid(p.header, "timestamp too far in the future: %s ahead of now, tolerance %s", seconds(-age), tol)
	}
	return nil
}

// subSat returns a-b clamped to [-MaxInt64, MaxInt64], so it can be negated.
func subSat(a, b int64) int64 {
	d := a - b
	switch {
	case b < 0 && d < a: // overflow upwards
		return math.MaxInt64
	case b > 0 && d > a: // overflow downwards
		return -math.MaxInt64
	case d == math.MinInt64:
		return -math.MaxInt64
	}
	return d
}

// secondsOver reports whether n seconds (n >= 0) is longer than d.
func secondsOver(n int64, d time.Duration) bool {
	if n > int64(math.MaxInt64/time.Second) {
		return true
	}
	return time.Duration(n)*time.Second > d
}

// seconds writes n seconds as a duration (10m0s), and from two days on in
// days (498932h33m12s reads as 20788 days).
func seconds(n int64) string {
	const day = 24 * 60 * 60
	if n >= 2*day {
		return strconv.FormatInt(n/day, 10) + " days"
	}
	return (time.Duration(n) * time.Second).String()
}

// clip shortens text quoted from a request so a reason stays one short line.
func clip(v string) string {
	const max = 40
	if len(v) <= max {
		return v
	}
	return v[:max] + "..."
}

// mismatch explains why no candidate matched, naming encoding mistakes
// before falling back to "wrong secret or changed body".
func (s *Scheme) mismatch(p *parsed, expected []string, nKeys int) *Result {
	for _, c := range p.candidates {
		if r := s.encodingProblem(p, c, expected); r != nil {
			return r
		}
	}
	if nKeys > 1 {
		return invalid(p.header, "no signature matches any of the %d secrets (wrong secret, or the body was changed: even a trailing newline counts)", nKeys)
	}
	return invalid(p.header, "no signature matches this secret (wrong secret, or the body was changed: even a trailing newline counts)")
}

// encodingProblem names what is wrong with how one signature is written:
// the encoding, the letter case or the length. nil when it looks right.
// Only the case check looks at the expected MACs, and through macEqual
// (constant time, over every expected MAC): what is decided from the
// candidate's shape alone uses the MAC's length, which the hash gives.
func (s *Scheme) encodingProblem(p *parsed, c string, expected []string) *Result {
	h := p.header
	macLen := 0
	if nh, err := newHash(p.hash); err == nil {
		macLen = nh().Size()
	}
	switch s.Enc {
	case EncHex:
		if lower := strings.ToLower(c); lower != c && equalsAny(lower, expected) {
			return invalid(h, "wrong encoding in %s: the signature is uppercase hex; the provider sends lowercase and its libraries compare the text exactly", h)
		}
		raw, err := hex.DecodeString(c)
		if err != nil {
			if b, err := base64.StdEncoding.DecodeString(c); err == nil && len(b) == macLen {
				return invalid(h, "wrong encoding in %s: the signature is base64; the provider sends lowercase hex", h)
			}
			return invalid(h, "wrong encoding in %s: the signature is not hex", h)
		}
		if len(raw) != macLen {
			return invalid(h, "wrong length in %s: %d hex characters, want %d (is the hash %s?)", h, len(c), 2*macLen, p.hash)
		}
	case EncBase64:
		if b, err := hex.DecodeString(c); err == nil && len(b) == macLen {
			return invalid(h, "wrong encoding in %s: the signature is hex; the provider sends standard base64", h)
		}
		raw, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			if b, err := base64.URLEncoding.DecodeString(c); err == nil && len(b) == macLen {
				return invalid(h, "wrong encoding in %s: the signature is URL-safe base64; the provider sends standard base64 (with + and /)", h)
			}
			if b, err := base64.RawStdEncoding.DecodeString(c); err == nil && len(b) == macLen {
				return invalid(h, "wrong encoding in %s: the signature lacks its = padding; the provider sends padded standard base64", h)
			}
			return invalid(h, "wrong encoding in %s: the signature is not standard base64", h)
		}
		if len(raw) != macLen {
			return invalid(h, "wrong length in %s: the signature decodes to %d bytes, want %d (is the hash %s?)", h, len(raw), macLen, p.hash)
		}
	}
	return nil
}

// macEqual compares a candidate with an expected MAC in constant time.
// Every comparison with an expected value goes through it (a test swaps it
// to check that).
var macEqual = func(candidate, expected string) bool {
	return subtle.ConstantTimeCompare([]byte(candidate), []byte(expected)) == 1
}

// equalsAny reports whether c equals any of the expected MACs, comparing
// with every one of them whatever the outcome.
func equalsAny(c string, expected []string) bool {
	found := false
	for _, e := range expected {
		if macEqual(c, e) {
			found = true
		}
	}
	return found
}
