package signer

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
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
	URL       string // the full request URL, for schemes that sign it (Twilio)
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
	ts, id     string
	hash       string
	prefix     string
}

// Verify checks the request's signature. An error means the input could not
// be used at all (a bad secret, an unreadable body); a failed check is a
// Result with Valid false and a Reason.
func (s *Scheme) Verify(in VerifyInput) (*Result, error) {
	keys, err := s.keys(in.Secrets)
	if err != nil {
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
	var expected []string
	if s.Signed == SignedTwilio {
		var r *Result
		expected, r, err = s.expectTwilio(p, keys, in)
		if err != nil || r != nil {
			return r, err
		}
	} else {
		expected, err = s.expectMACs(p, keys, in.Body)
		if err != nil {
			return nil, err
		}
	}
	for _, c := range p.candidates {
		for _, e := range expected {
			if hmac.Equal([]byte(c), []byte(e)) {
				return &Result{Valid: true, Header: p.header}, nil
			}
		}
	}
	return s.mismatch(p, expected, len(keys)), nil
}

func (s *Scheme) expectMACs(p *parsed, keys [][]byte, body io.Reader) ([]string, error) {
	h, err := newHash(p.hash)
	if err != nil {
		return nil, err
	}
	macs := &macSet{}
	for _, k := range keys {
		macs.main = append(macs.main, hmac.New(h, k))
	}
	w := macs.writer()
	if pre := s.prefix(p.id, p.ts); pre != nil {
		_, _ = w.Write(pre)
	}
	if err := copyBuf(w, body); err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	out := make([]string, len(keys))
	for i, m := range macs.main {
		out[i] = encode(s.Enc, m.Sum(nil))
	}
	return out, nil
}

func (s *Scheme) expectTwilio(p *parsed, keys [][]byte, in VerifyInput) ([]string, *Result, error) {
	if in.URL == "" {
		return nil, nil, fmt.Errorf("twilio signs the full request URL: pass --url (the URL Twilio called, with its query)")
	}
	signed, err := twilioSignedString(in.URL, in.Body, false)
	if err != nil {
		return nil, nil, err
	}
	if signed.jsonMode {
		want, _ := queryParam(in.URL, "bodySHA256")
		if !hmac.Equal([]byte(want), []byte(signed.bodyHash)) {
			return nil, invalid(p.header, "the body does not match the bodySHA256 parameter of the URL"), nil
		}
	}
	h, _ := newHash(s.Hash)
	out := make([]string, len(keys))
	for i, k := range keys {
		m := hmac.New(h, k)
		m.Write([]byte(signed.data))
		out[i] = encode(s.Enc, m.Sum(nil))
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
			return s.parseValue(strings.Join(vals, " "), set, h)
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

func (s *Scheme) parseValue(v string, set HeaderSet, h http.Header) (*parsed, *Result) {
	name := set.Signature
	var p *parsed
	var r *Result
	switch s.Format {
	case FormatList:
		p, r = s.parseList(name, v)
	case FormatStripe:
		p, r = s.parseStripe(name, v)
	default:
		p, r = s.parsePlain(name, v, s.Prefix)
	}
	if r != nil {
		return nil, r
	}
	if s.Format != FormatStripe && set.Timestamp != "" {
		p.ts = strings.TrimSpace(h.Get(set.Timestamp))
		if p.ts == "" && s.UsesTimestamp() {
			return nil, invalid(name, "missing header %s", set.Timestamp)
		}
	}
	if set.ID != "" {
		p.id = h.Get(set.ID)
		if p.id == "" && s.Signed == SignedIDTimestampBody {
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

// parseList reads Standard Webhooks' "v1,<b64> v1,<b64>"; other versions
// (v1a, ed25519) are skipped.
func (s *Scheme) parseList(name, v string) (*parsed, *Result) {
	version, _, _ := strings.Cut(s.Prefix, ",")
	p := &parsed{header: name, hash: s.Hash, prefix: s.Prefix}
	for _, entry := range strings.Fields(v) {
		ver, sig, ok := strings.Cut(entry, ",")
		if !ok {
			return nil, invalid(name, "malformed header %s: entry %q is not version,signature", name, entry)
		}
		if strings.Contains(sig, ",") {
			return nil, invalid(name, "malformed header %s: signatures are separated by spaces, not commas", name)
		}
		if ver == version {
			p.candidates = append(p.candidates, sig)
		}
	}
	if len(p.candidates) == 0 {
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
	ts, err := strconv.ParseInt(p.ts, 10, 64)
	if err != nil {
		return invalid(p.header, "malformed timestamp %q: want unix seconds", p.ts)
	}
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
	age := now.Sub(time.Unix(ts, 0))
	if age > tol {
		return invalid(p.header, "timestamp too old: signed %s ago, tolerance %s", age.Round(time.Second), tol)
	}
	if s.RejectFuture && -age > tol {
		return invalid(p.header, "timestamp too far in the future: %s ahead, tolerance %s", (-age).Round(time.Second), tol)
	}
	return nil
}

// mismatch explains why no candidate matched, naming encoding mistakes.
func (s *Scheme) mismatch(p *parsed, expected []string, nKeys int) *Result {
	for _, c := range p.candidates {
		switch s.Enc {
		case EncHex:
			if _, err := hex.DecodeString(c); err != nil {
				return invalid(p.header, "wrong encoding in %s: the signature is not hex", p.header)
			}
			for _, e := range expected {
				if c != e && strings.EqualFold(c, e) {
					return invalid(p.header, "wrong encoding in %s: the signature is uppercase hex; the provider sends lowercase and its libraries compare the text exactly", p.header)
				}
			}
			if len(c) != len(expected[0]) {
				return invalid(p.header, "wrong length in %s: %d hex characters, want %d (is the hash %s?)", p.header, len(c), len(expected[0]), p.hash)
			}
		case EncBase64:
			if _, err := base64.StdEncoding.DecodeString(c); err != nil {
				return invalid(p.header, "wrong encoding in %s: the signature is not standard base64", p.header)
			}
		}
	}
	if nKeys > 1 {
		return invalid(p.header, "no signature matches any of the %d secrets (wrong secret, or the body was changed: even a trailing newline counts)", nKeys)
	}
	return invalid(p.header, "no signature matches this secret (wrong secret, or the body was changed: even a trailing newline counts)")
}
