package signer

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The signed payload is data: Signed names its parts in order. The words
// id, timestamp, body, url, method and token stand for the request's
// values; anything else is literal text, and '+' joins two parts with
// nothing between them. So "v0:timestamp:body" is Slack's and Zoom's,
// "id+timestamp+body" Twitch's, "method+url+body+timestamp" HubSpot's.
const (
	SignedTimestampColonBody Signed = "timestamp:body"            // ts + ":" + body (Paddle)
	SignedIDTimestampBodyRaw Signed = "id+timestamp+body"         // id + ts + body, no separators (Twitch)
	SignedTimestampBodyRaw   Signed = "timestamp+body"            // ts + body (Discord, Ed25519)
	SignedURLBody            Signed = "url+body"                  // the notification URL + body (Square)
	SignedMethodURLBodyTS    Signed = "method+url+body+timestamp" // HubSpot v3
	SignedTimestampToken     Signed = "timestamp+token"           // from the body's signature object (Mailgun)
	// SignedToken is no MAC at all: the header carries the secret itself
	// (GitLab's X-Gitlab-Token), compared in constant time.
	SignedToken Signed = "token"
)

// FormatPaddle is "ts=<ts>;h1=<mac>[;h1=<mac>]" (Paddle Billing).
const FormatPaddle Format = "paddle"

// HashEd25519 signs with an Ed25519 key instead of a MAC (Discord, and
// Standard Webhooks' v1a).
const HashEd25519 = "ed25519"

// SecretEd25519Hex is a hex Ed25519 key: 64 hex characters are a public
// key, as Discord's developer portal shows it (verifies only); 128 are a
// private key, seed and public key (signs, and verifies through its
// public half).
const SecretEd25519Hex = "ed25519-hex"

// Timestamp formats.
const (
	TimeUnix    = "unix"    // seconds (the default)
	TimeUnixMS  = "unix-ms" // milliseconds (HubSpot, Linear's webhookTimestamp)
	TimeRFC3339 = "rfc3339" // Twitch: RFC 3339 with nanoseconds
)

// BodySignature places the signature in the JSON body instead of a header
// (Mailgun's "signature": {"timestamp", "token", "signature"}): dotted
// paths to each. Sign fills the signature field; the template renders the
// other two.
type BodySignature struct {
	Signature string
	Timestamp string
	Token     string
}

type partKind uint8

const (
	pLit partKind = iota
	pID
	pTS
	pBody
	pURL
	pMethod
	pToken
)

type part struct {
	kind partKind
	lit  string
}

var fieldWords = []struct {
	word string
	kind partKind
}{{"timestamp", pTS}, {"method", pMethod}, {"token", pToken}, {"body", pBody}, {"url", pURL}, {"id", pID}}

// knownParts holds the parsed forms of the built-in payloads, so the hot
// path parses nothing; built on first use, not at start-up (a command
// that signs nothing never needs it).
var knownParts = sync.OnceValue(func() map[Signed][]part {
	m := map[Signed][]part{}
	for _, s := range []Signed{SignedBody, SignedTimestampBody, SignedIDTimestampBody, SignedSlack,
		SignedTimestampColonBody, SignedIDTimestampBodyRaw, SignedTimestampBodyRaw, SignedURLBody,
		SignedMethodURLBodyTS, SignedTimestampToken} {
		m[s], _ = parseSigned(s)
	}
	return m
})

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parseSigned splits a payload description into parts.
func parseSigned(s Signed) ([]part, error) {
	str := string(s)
	var parts []part
	var lit strings.Builder
	var bad string
	flush := func() {
		if lit.Len() > 0 {
			l := lit.String()
			if w := letterWord(l); w != "" && bad == "" {
				bad = w
			}
			parts = append(parts, part{kind: pLit, lit: l})
			lit.Reset()
		}
	}
	for i := 0; i < len(str); {
		matched := false
		if i == 0 || !isWordByte(str[i-1]) {
			for _, f := range fieldWords {
				end := i + len(f.word)
				if strings.HasPrefix(str[i:], f.word) && (end == len(str) || !isWordByte(str[end])) {
					flush()
					parts = append(parts, part{kind: f.kind})
					i, matched = end, true
					break
				}
			}
		}
		if matched {
			continue
		}
		if str[i] != '+' {
			lit.WriteByte(str[i])
		}
		i++
	}
	flush()
	if bad != "" {
		return nil, fmt.Errorf("signed payload %q has the unknown word %q: the words are id, timestamp, body, url, method and token; literal text may hold version tags such as v0", s, bad)
	}
	return parts, nil
}

// letterWord returns the first word of letters alone in a literal: a
// version tag such as v0 has a digit, a misspelt field ("ts") has none.
func letterWord(lit string) string {
	start := -1
	digit := false
	for i := 0; i <= len(lit); i++ {
		if i < len(lit) && isWordByte(lit[i]) {
			if start < 0 {
				start, digit = i, false
			}
			if lit[i] >= '0' && lit[i] <= '9' {
				digit = true
			}
			continue
		}
		if start >= 0 && !digit {
			return lit[start:i]
		}
		start = -1
	}
	return ""
}

// parts returns the scheme's signed parts (nil when they do not parse:
// Validate reports that).
func (s *Scheme) parts() []part {
	if p, ok := knownParts()[s.Signed]; ok {
		return p
	}
	p, _ := parseSigned(s.Signed)
	return p
}

// SignsURL reports whether the request URL is part of what is signed
// (Twilio, Square, HubSpot): a verifier must know the URL the sender called.
func (s *Scheme) SignsURL() bool {
	return s.Signed == SignedTwilio || s.has(pURL)
}

// needURL is the error when a scheme signs the URL and none was given.
func (s *Scheme) needURL(u string) error {
	if u == "" && s.Signed != SignedTwilio && s.has(pURL) {
		return ErrNeedURL
	}
	return nil
}

func (s *Scheme) has(k partKind) bool {
	for _, p := range s.parts() {
		if p.kind == k {
			return true
		}
	}
	return false
}

// validateSigned checks a payload description that is not one of the
// special forms (twilio, token).
func (s *Scheme) validateSigned() error {
	if _, err := parseSigned(s.Signed); err != nil {
		return err
	}
	bodies := 0
	for _, p := range s.parts() {
		switch p.kind {
		case pBody:
			bodies++
		case pTS:
			if s.Headers.Timestamp == "" && s.Format != FormatStripe && s.Format != FormatPaddle && s.BodySig == nil {
				return fmt.Errorf("signing %q needs a timestamp header", s.Signed)
			}
		case pID:
			if s.Headers.ID == "" && s.has(pTS) {
				return fmt.Errorf("signing %q needs a timestamp header and an id header", s.Signed)
			}
			if s.Headers.ID == "" {
				return fmt.Errorf("signing %q needs an id header", s.Signed)
			}
		case pToken:
			if s.BodySig == nil {
				return fmt.Errorf("signing %q needs the body's signature fields (body_signature)", s.Signed)
			}
		}
	}
	if s.BodySig != nil {
		if bodies != 0 {
			return fmt.Errorf("a signature in the body cannot sign the body")
		}
		return nil
	}
	if bodies != 1 {
		return fmt.Errorf("signed payload %q must name the body once: words id, timestamp, body, url, method, joined by literal text or '+' (e.g. timestamp.body, v0:timestamp:body, id+timestamp+body)", s.Signed)
	}
	return nil
}

// values are the request's parts besides the body.
type values struct {
	id, ts, url, method, token string
}

func (v values) of(p part) string {
	switch p.kind {
	case pID:
		return v.id
	case pTS:
		return v.ts
	case pURL:
		return v.url
	case pMethod:
		return v.method
	case pToken:
		return v.token
	}
	return p.lit
}

// around returns the bytes signed before and after the body.
func (s *Scheme) around(v values) (before, after []byte) {
	v.url = s.signedURL(v.url)
	parts := s.parts()
	at := len(parts)
	for i, p := range parts {
		if p.kind == pBody {
			at = i
			break
		}
	}
	for _, p := range parts[:at] {
		before = append(before, v.of(p)...)
	}
	if at < len(parts) {
		for _, p := range parts[at+1:] {
			after = append(after, v.of(p)...)
		}
	}
	return before, after
}

func orPost(method string) string {
	if method == "" {
		return "POST"
	}
	return method
}

// formatTime writes a signing time in the scheme's timestamp format.
func (s *Scheme) formatTime(unix int64, t time.Time) string {
	switch s.TimeFormat {
	case TimeUnixMS:
		if !t.IsZero() {
			return strconv.FormatInt(t.UnixMilli(), 10)
		}
		return strconv.FormatInt(unix*1000, 10)
	case TimeRFC3339:
		if t.IsZero() {
			t = time.Unix(unix, 0)
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatInt(unix, 10)
}

// parseTime reads a timestamp in the scheme's format as unix seconds
// (floored), naming the format when it does not parse.
func (s *Scheme) parseTime(v string) (int64, error) {
	switch s.TimeFormat {
	case TimeUnixMS:
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed timestamp %q: want unix milliseconds", clip(v))
		}
		return floorDiv(ms, 1000), nil
	case TimeRFC3339:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return 0, fmt.Errorf("malformed timestamp %q: want RFC 3339 (2006-01-02T15:04:05.123Z)", clip(v))
		}
		return t.Unix(), nil
	}
	ts, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("malformed timestamp %q: want unix seconds", clip(v))
	}
	return ts, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}

func validTimeFormat(f string) bool {
	switch f {
	case "", TimeUnix, TimeUnixMS, TimeRFC3339:
		return true
	}
	return false
}

// parsePaddle reads "ts=<ts>;h1=<hex>[;h1=<hex>]" (Paddle Billing; one h1
// per active secret while one is rotated).
func (s *Scheme) parsePaddle(name, v string) (*parsed, *Result) {
	version := strings.TrimSuffix(s.Prefix, "=")
	p := &parsed{header: name, hash: s.Hash, prefix: s.Prefix}
	pairs(v, ";", func(k, val string) {
		switch strings.TrimSpace(k) {
		case "ts":
			p.ts = val
		case version:
			p.candidates = append(p.candidates, val)
		}
	})
	if p.ts == "" {
		return nil, invalid(name, "malformed header %s: no ts= timestamp (want ts=<unix seconds>;%s=<hex>)", name, version)
	}
	if len(p.candidates) == 0 {
		return nil, invalid(name, "malformed header %s: no %s= signature", name, version)
	}
	return p, nil
}

// pairs calls f with each key=value of a header value split on sep.
func pairs(v, sep string, f func(k, val string)) {
	for _, pair := range strings.Split(v, sep) {
		if k, val, ok := strings.Cut(pair, "="); ok {
			f(k, val)
		}
	}
}
