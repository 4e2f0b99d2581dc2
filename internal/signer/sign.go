package signer

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"
	"time"
)

// Header is one HTTP header, kept in the order the provider sends them.
type Header struct {
	Name  string
	Value string
}

// SignInput is what Sign needs besides the scheme.
type SignInput struct {
	Secrets   []string // several where the scheme carries several signatures (rotation)
	ID        string   // for schemes with an id header
	Timestamp int64    // unix seconds, for schemes that sign one
	// Time, when set, is the signing time to the nanosecond, for
	// timestamps written in milliseconds or RFC 3339 (else Timestamp).
	Time   time.Time
	URL    string // the full URL, for schemes that sign it (Twilio, Square, HubSpot)
	Method string // the request method, for schemes that sign it (HubSpot); POST when empty
	Body   io.Reader
}

// SignOutput is the headers to send and, for schemes that change them, the
// URL and the body.
type SignOutput struct {
	Headers []Header
	URL     string
	// Body, when not nil, is the body to send instead of the one given: the
	// scheme writes its signature into it (Mailgun).
	Body []byte
}

// macSet is one MAC per (key, hash) pair, all fed the same bytes.
type macSet struct {
	main  []hash.Hash // one per key, scheme hash
	extra [][]hash.Hash
}

func (s *Scheme) newMACs(keys [][]byte) (*macSet, error) {
	h, err := newHash(s.Hash)
	if err != nil {
		return nil, err
	}
	m := &macSet{extra: make([][]hash.Hash, len(s.Extra))}
	for _, k := range keys {
		m.main = append(m.main, hmac.New(h, k))
	}
	for i, e := range s.Extra {
		eh, err := newHash(e.Hash)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			m.extra[i] = append(m.extra[i], hmac.New(eh, k))
		}
	}
	return m, nil
}

// hashes lists every MAC of the set.
func (m *macSet) hashes() []hash.Hash {
	hs := append([]hash.Hash(nil), m.main...)
	for _, e := range m.extra {
		hs = append(hs, e...)
	}
	return hs
}

// write feeds b to every MAC (the prefix before the body).
func (m *macSet) write(b []byte) {
	for _, h := range m.hashes() {
		h.Write(b)
	}
}

// smallPool holds the buffers a body is first read into: most webhook
// bodies fit, and then no pipeline is started. A one-shot command
// (hookctl sign on 1 KB) so never touches the pipeline's half megabyte of
// fresh memory, which on some machines costs more than the signing.
var smallPool = sync.Pool{New: func() any { b := make([]byte, 8<<10); return &b }}

// hashBody streams the body into every hash in constant memory: a body
// that fits the small buffer is hashed from it; the rest of a large regular
// file from memory maps (hashFile, linux); any other larger body through
// the pipeline (hashStream), which reads ahead and hashes side by side.
func hashBody(hs []hash.Hash, r io.Reader) error {
	sb := smallPool.Get().(*[]byte)
	n, err := readFull(r, *sb)
	for _, h := range hs {
		h.Write((*sb)[:n])
	}
	smallPool.Put(sb)
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	if ok, err := hashFile(hs, r); ok {
		return err
	}
	return hashStream(hs, r)
}

// readFull fills buf unless the reader ends first (io.EOF) or fails; unlike
// io.ReadFull it passes the reader's own errors through unchanged.
func readFull(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Errors of a sign or verify call that the command layer words with its
// flags.
var (
	ErrNoSecret = errors.New("no secret")
	ErrNeedURL  = errors.New("the scheme signs the full request URL, and none was given")
)

func (s *Scheme) keys(secrets []string) ([][]byte, error) {
	if len(secrets) == 0 {
		return nil, ErrNoSecret
	}
	keys := make([][]byte, 0, len(secrets))
	for _, sec := range secrets {
		k, err := s.Key(sec)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// Sign reads the body once, streaming, and returns every header the provider
// sends: signature, timestamp and id headers in the scheme's order.
func (s *Scheme) Sign(in SignInput) (*SignOutput, error) {
	if len(in.Secrets) > 1 && !s.MultiSignature() {
		return nil, fmt.Errorf("this scheme carries one signature per request: pass one secret (rotation needs a scheme such as standard or stripe)")
	}
	if in.Body == nil {
		in.Body = strings.NewReader("")
	}
	if err := s.needURL(in.URL); err != nil {
		return nil, err
	}
	ts := s.formatTime(in.Timestamp, in.Time)
	switch {
	case s.Signed == SignedToken:
		return s.signToken(in)
	case s.BodySig != nil:
		return s.signInBody(in)
	case s.hasEdKey(in.Secrets):
		return s.signBuffered(in, ts)
	}
	keys, err := s.keys(in.Secrets)
	if err != nil {
		return nil, err
	}
	if s.Signed == SignedTwilio {
		return s.signTwilio(keys, in)
	}
	macs, err := s.newMACs(keys)
	if err != nil {
		return nil, err
	}
	before, after := s.around(values{id: in.ID, ts: ts, url: in.URL, method: orPost(in.Method)})
	if before != nil {
		macs.write(before)
	}
	if err := hashBody(macs.hashes(), in.Body); err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if after != nil {
		macs.write(after)
	}
	entries := make([]string, len(macs.main))
	for i, h := range macs.main {
		entries[i] = s.Prefix + encode(s.Enc, h.Sum(nil))
	}
	return s.output(in, ts, entries, macs.extra), nil
}

// output assembles the headers: id, timestamp, the signature entries in
// the scheme's format, then the Extra headers.
func (s *Scheme) output(in SignInput, ts string, entries []string, extra [][]hash.Hash) *SignOutput {
	out := &SignOutput{URL: in.URL}
	if s.Headers.ID != "" {
		out.Headers = append(out.Headers, Header{s.Headers.ID, in.ID})
	}
	if s.Headers.Timestamp != "" {
		out.Headers = append(out.Headers, Header{s.Headers.Timestamp, ts})
	}
	out.Headers = append(out.Headers, Header{s.Headers.Signature, s.formatValue(entries, ts)})
	for i, e := range s.Extra {
		if i < len(extra) {
			out.Headers = append(out.Headers, Header{e.Header, e.Prefix + encode(s.Enc, extra[i][0].Sum(nil))})
		}
	}
	return out
}

func (s *Scheme) formatValue(parts []string, ts string) string {
	switch s.Format {
	case FormatList:
		return strings.Join(parts, " ")
	case FormatStripe:
		return "t=" + ts + "," + strings.Join(parts, ",")
	case FormatPaddle:
		return "ts=" + ts + ";" + strings.Join(parts, ";")
	}
	return parts[0]
}

// Twilio signs the URL. A form body's parameters are appended to it, sorted
// by name; a JSON body is instead bound by a bodySHA256 query parameter.
func (s *Scheme) signTwilio(keys [][]byte, in SignInput) (*SignOutput, error) {
	if in.URL == "" {
		return nil, ErrNeedURL
	}
	signedURL, err := twilioSignedString(in.URL, in.Body, true)
	if err != nil {
		return nil, err
	}
	h, err := newHash(s.Hash)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(h, keys[0])
	mac.Write([]byte(signedURL.data))
	return &SignOutput{
		URL:     signedURL.url,
		Headers: []Header{{s.Headers.Signature, s.Prefix + encode(s.Enc, mac.Sum(nil))}},
	}, nil
}

type twilioSigned struct {
	url       string // the URL the request goes to
	data      string // what is MACed
	bodyHash  string // hex sha256 of the body (JSON mode)
	jsonMode  bool
	looksJSON bool // the body starts with { or [ (verify: a JSON body needs bodySHA256)
}

// maxTwilioForm bounds a form body, which is parsed in memory (Twilio's are
// a few hundred bytes; JSON bodies stream).
const maxTwilioForm = 64 << 20

// formError is a form body that does not parse.
type formError struct{ err error }

func (e *formError) Error() string { return "form body: " + e.err.Error() }

// twilioSignedString builds what Twilio MACs. When sign is true and the body
// is JSON, the URL gains (or has replaced) its bodySHA256 parameter. When
// verifying, the URL decides: with bodySHA256 the body is JSON, else a form;
// a JSON-looking body without it is reported (looksJSON) and not read.
func twilioSignedString(rawURL string, body io.Reader, sign bool) (*twilioSigned, error) {
	br := bufio.NewReader(body)
	first, _ := firstNonSpace(br)
	looksJSON := first == '{' || first == '['
	_, hasParam := queryParam(rawURL, "bodySHA256")
	jsonMode := hasParam || (sign && looksJSON)
	if jsonMode {
		sum := sha256.New()
		if err := hashBody([]hash.Hash{sum}, br); err != nil {
			return nil, fmt.Errorf("reading the body: %w", err)
		}
		bodyHash := hex.EncodeToString(sum.Sum(nil))
		u := rawURL
		if sign {
			u = setQueryParam(rawURL, "bodySHA256", bodyHash)
		}
		return &twilioSigned{url: u, data: u, bodyHash: bodyHash, jsonMode: true, looksJSON: looksJSON}, nil
	}
	if looksJSON {
		return &twilioSigned{url: rawURL, looksJSON: true}, nil
	}
	raw, err := io.ReadAll(io.LimitReader(br, maxTwilioForm+1))
	if err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if len(raw) > maxTwilioForm {
		return nil, fmt.Errorf("the form body is larger than %s: Twilio sends a few form parameters", "64 MiB")
	}
	params, err := parseForm(string(raw))
	if err != nil {
		return nil, &formError{err}
	}
	return &twilioSigned{url: rawURL, data: rawURL + params}, nil
}

func firstNonSpace(br *bufio.Reader) (byte, error) {
	for n := 1; n <= 4096; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return 0, err
		}
		switch c := b[n-1]; c {
		case ' ', '\t', '\r', '\n':
			continue
		default:
			return c, nil
		}
	}
	return 0, nil
}
