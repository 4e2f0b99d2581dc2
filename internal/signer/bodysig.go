package signer

import (
	"fmt"
	"io"
	"strconv"

	"github.com/hookctl/hookctl/internal/override"
)

// Schemes whose signing data lives in the JSON body: Mailgun signs the
// body's own timestamp and token and writes the signature beside them;
// Linear puts its timestamp there. Such bodies are read into memory
// (bounded like Ed25519 ones): the fields can be anywhere in them.

// field returns the text of the value at path, and where its raw bytes
// start and end in body.
func field(body []byte, path string) (text string, start, end int, ok bool) {
	raw, ok := override.Lookup(body, path)
	if !ok {
		return "", 0, 0, false
	}
	start = cap(body) - cap(raw)
	return override.Text(raw), start, start + len(raw), true
}

// keysAndBody reads the MAC keys and the whole body (bounded).
func (s *Scheme) keysAndBody(secrets []string, r io.Reader) ([][]byte, []byte, error) {
	keys, err := s.keys(secrets)
	if err != nil {
		return nil, nil, err
	}
	body, err := readSigned(r)
	return keys, body, err
}

func (s *Scheme) signInBody(in SignInput) (*SignOutput, error) {
	keys, body, err := s.keysAndBody(in.Secrets, in.Body)
	if err != nil {
		return nil, err
	}
	bs := s.BodySig
	ts, _, _, okTS := field(body, bs.Timestamp)
	tok, _, _, okTok := field(body, bs.Token)
	_, start, end, okSig := field(body, bs.Signature)
	switch {
	case !okTS || !okTok || !okSig:
		return nil, fmt.Errorf("the body has no %s, %s and %s: this provider signs fields of the body, so its template must have them", bs.Timestamp, bs.Token, bs.Signature)
	}
	sig, err := s.bodyMAC(keys[0], ts, tok)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)+len(sig))
	out = append(out, body[:start]...)
	out = strconv.AppendQuote(out, sig)
	out = append(out, body[end:]...)
	return &SignOutput{URL: in.URL, Body: out}, nil
}

func (s *Scheme) bodyMAC(key []byte, ts, tok string) (string, error) {
	macs, err := s.newMACs([][]byte{key})
	if err != nil {
		return "", err
	}
	before, _ := s.around(values{ts: ts, token: tok})
	macs.main[0].Write(before)
	return s.Prefix + encode(s.Enc, macs.main[0].Sum(nil)), nil
}

func (s *Scheme) verifyInBody(in VerifyInput) (*Result, error) {
	keys, body, err := s.keysAndBody(in.Secrets, in.Body)
	if err != nil {
		return nil, err
	}
	bs := s.BodySig
	name := "body field " + bs.Signature
	sig, _, _, ok := field(body, bs.Signature)
	if !ok || sig == "" {
		return invalid(name, "missing %s in the body (this provider signs in the body, not a header)", bs.Signature), nil
	}
	ts, _, _, okTS := field(body, bs.Timestamp)
	tok, _, _, okTok := field(body, bs.Token)
	if !okTS || !okTok {
		return invalid(name, "missing %s or %s in the body: the signature covers both", bs.Timestamp, bs.Token), nil
	}
	unix, err := s.parseTime(ts)
	if err != nil {
		return invalid(name, "%s", err.Error()), nil
	}
	if r := s.checkAge(name, unix, in); r != nil {
		return r, nil
	}
	p := &parsed{header: name, candidates: []string{sig}, hash: s.Hash, prefix: s.Prefix}
	expected := make([]string, 0, len(keys))
	for _, k := range keys {
		e, err := s.bodyMAC(k, ts, tok)
		if err != nil {
			return nil, err
		}
		expected = append(expected, e)
	}
	if equalsAny(sig, expected) {
		return &Result{Valid: true, Header: name}, nil
	}
	return s.mismatch(p, expected, len(keys)), nil
}

// checkBodyTime reads the body (bounded) and applies the time window to
// its TimestampField; it returns the body for the signature check.
func (s *Scheme) checkBodyTime(header string, in VerifyInput) ([]byte, *Result, error) {
	body, err := readSigned(in.Body)
	if err != nil {
		return nil, nil, err
	}
	v, _, _, ok := field(body, s.TimestampField)
	if !ok {
		return nil, invalid(header, "missing %s in the body: the provider sends its delivery time there", s.TimestampField), nil
	}
	unix, err := s.parseTime(v)
	if err != nil {
		return nil, invalid(header, "%s in the body: %s", s.TimestampField, err.Error()), nil
	}
	return body, s.checkAge(header, unix, in), nil
}
