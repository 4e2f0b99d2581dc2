package signer

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// Asymmetric signatures (Ed25519) cannot be computed from a stream: the
// whole message is signed. Their bodies are read into memory, up to
// maxSignedBody (Discord interactions and Standard Webhooks messages are a
// few kilobytes).
const maxSignedBody = 64 << 20

// Key prefixes of Standard Webhooks' asymmetric keys: whsk_ holds the
// base64 32-byte seed (signs, and verifies through its public half),
// whpk_ the base64 public key (verifies).
const (
	prefixWhsk = "whsk_"
	prefixWhpk = "whpk_"
)

// edPair is an Ed25519 key: priv is nil for a public key alone.
type edPair struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

// edKey reads an asymmetric key from a secret. ok is false when the
// secret is a MAC key of the scheme instead; signing says which half a
// 32-byte hex key is (a seed when signing, a public key when verifying).
func (s *Scheme) edKey(secret string, signing bool) (k edPair, ok bool, err error) {
	switch {
	case s.Secret == SecretEd25519Hex:
		raw, derr := hex.DecodeString(strings.TrimSpace(secret))
		if derr != nil {
			return k, true, fmt.Errorf("the key must be hex: 64 characters (the public key, as the provider's portal shows it) or 128 (a private key)")
		}
		if len(raw) == ed25519.PublicKeySize {
			if signing {
				return k, true, fmt.Errorf("a 64-character key is a public key: it verifies; signing needs the 128-character private key (with no key configured, hookctl uses its development key pair)")
			}
			return edPair{pub: ed25519.PublicKey(raw)}, true, nil
		}
		return edFromBytes(raw, signing, "hex")
	case s.Secret == SecretWhsec && strings.HasPrefix(secret, prefixWhsk):
		raw, derr := decodeB64(secret[len(prefixWhsk):])
		if derr != nil || len(raw) != ed25519.SeedSize && len(raw) != ed25519.PrivateKeySize {
			return k, true, fmt.Errorf("a whsk_ key must be whsk_ followed by the base64 of a 32-byte Ed25519 seed")
		}
		return edFromBytes(raw, true, "whsk_")
	case s.Secret == SecretWhsec && strings.HasPrefix(secret, prefixWhpk):
		raw, derr := decodeB64(secret[len(prefixWhpk):])
		if derr != nil || len(raw) != ed25519.PublicKeySize {
			return k, true, fmt.Errorf("a whpk_ key must be whpk_ followed by the base64 of a 32-byte Ed25519 public key")
		}
		if signing {
			return k, true, fmt.Errorf("a whpk_ key is a public key: it verifies; sign with its whsk_ key")
		}
		return edPair{pub: ed25519.PublicKey(raw)}, true, nil
	}
	return k, false, nil
}

func edFromBytes(raw []byte, signing bool, form string) (edPair, bool, error) {
	switch len(raw) {
	case ed25519.PrivateKeySize:
		priv := ed25519.PrivateKey(raw)
		return edPair{priv: priv, pub: priv.Public().(ed25519.PublicKey)}, true, nil
	case ed25519.SeedSize:
		if signing {
			priv := ed25519.NewKeyFromSeed(raw)
			return edPair{priv: priv, pub: priv.Public().(ed25519.PublicKey)}, true, nil
		}
		return edPair{pub: ed25519.PublicKey(raw)}, true, nil
	}
	return edPair{}, true, fmt.Errorf("the %s key is %d bytes: want 32 (a public key or a seed) or 64 (a private key)", form, len(raw))
}

func decodeB64(v string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(v)
	}
	return b, err
}

// PublicKey returns the public key an app is configured with, in the
// scheme's own form: hex for Discord, whpk_ for Standard Webhooks. secret
// is a private key of the scheme.
func (s *Scheme) PublicKey(secret string) (string, error) {
	k, ok, err := s.edKey(secret, true)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("this secret is a shared secret, not an Ed25519 key: there is no public key")
	}
	if s.Secret == SecretWhsec {
		return prefixWhpk + base64.StdEncoding.EncodeToString(k.pub), nil
	}
	return hex.EncodeToString(k.pub), nil
}

// NewEd25519Secret writes a private key made from seed in the scheme's
// form: 128 hex characters (seed and public key) for hex schemes, whsk_
// and the base64 seed for Standard Webhooks.
func (s *Scheme) NewEd25519Secret(seed []byte) (string, error) {
	if len(seed) != ed25519.SeedSize {
		return "", fmt.Errorf("an Ed25519 seed is %d bytes, not %d", ed25519.SeedSize, len(seed))
	}
	if s.Secret == SecretWhsec {
		return prefixWhsk + base64.StdEncoding.EncodeToString(seed), nil
	}
	if s.Secret != SecretEd25519Hex {
		return "", fmt.Errorf("this scheme signs with a shared secret, not an Ed25519 key")
	}
	return hex.EncodeToString(ed25519.NewKeyFromSeed(seed)), nil
}

// Asymmetric reports whether the scheme signs with Ed25519 keys only.
func (s *Scheme) Asymmetric() bool { return s.Hash == HashEd25519 }

// hasEdKey reports whether any secret is an Ed25519 key of the scheme.
func (s *Scheme) hasEdKey(secrets []string) bool {
	if s.Hash == HashEd25519 {
		return true
	}
	if s.Secret != SecretWhsec {
		return false
	}
	for _, sec := range secrets {
		if strings.HasPrefix(sec, prefixWhsk) || strings.HasPrefix(sec, prefixWhpk) {
			return true
		}
	}
	return false
}

// readSigned reads a body that is signed whole, bounded.
func readSigned(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSignedBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the body: %w", err)
	}
	if len(b) > maxSignedBody {
		return nil, fmt.Errorf("the body is larger than %d MB: Ed25519 signatures cover the whole message, which hookctl holds in memory", maxSignedBody>>20)
	}
	return b, nil
}

// signBuffered signs a body held in memory, for schemes where some key is
// an Ed25519 key: each secret gives one entry, an Ed25519 signature or a
// MAC, in the order given.
func (s *Scheme) signBuffered(in SignInput, ts string) (*SignOutput, error) {
	if len(in.Secrets) == 0 {
		return nil, ErrNoSecret
	}
	body, err := readSigned(in.Body)
	if err != nil {
		return nil, err
	}
	before, after := s.around(values{id: in.ID, ts: ts, url: in.URL, method: orPost(in.Method)})
	msg := concat(before, body, after)
	entries := make([]string, 0, len(in.Secrets))
	for _, sec := range in.Secrets {
		k, ok, err := s.edKey(sec, true)
		if err != nil {
			return nil, err
		}
		if ok {
			entries = append(entries, s.asymPrefix()+encode(s.Enc, ed25519.Sign(k.priv, msg)))
			continue
		}
		keys, err := s.keys([]string{sec})
		if err != nil {
			return nil, err
		}
		macs, err := s.newMACs(keys)
		if err != nil {
			return nil, err
		}
		macs.main[0].Write(msg)
		entries = append(entries, s.Prefix+encode(s.Enc, macs.main[0].Sum(nil)))
	}
	return s.output(in, ts, entries, nil), nil
}

// asymPrefix is the prefix of an Ed25519 entry: AsymPrefix in a list of
// both kinds, else the scheme's own prefix.
func (s *Scheme) asymPrefix() string {
	if s.AsymPrefix != "" {
		return s.AsymPrefix
	}
	return s.Prefix
}

func concat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// verifyEd checks Ed25519 signatures: any candidate valid under any
// public key passes. nil means none matched (the caller explains).
func (s *Scheme) verifyEd(p *parsed, pubs []ed25519.PublicKey, msg []byte) (*Result, bool) {
	for _, c := range p.asym {
		sig, err := decodeSig(s.Enc, c)
		if err != nil || len(sig) != ed25519.SignatureSize {
			continue
		}
		for _, pub := range pubs {
			if ed25519.Verify(pub, msg, sig) {
				return &Result{Valid: true, Header: p.header}, true
			}
		}
	}
	return nil, false
}

func decodeSig(enc, v string) ([]byte, error) {
	if enc == EncBase64 {
		return base64.StdEncoding.DecodeString(v)
	}
	return hex.DecodeString(v)
}

// edMismatch explains why no Ed25519 signature verified.
func (s *Scheme) edMismatch(p *parsed, nKeys int) *Result {
	h := p.header
	for _, c := range p.asym {
		sig, err := decodeSig(s.Enc, c)
		switch {
		case err != nil && s.Enc == EncHex:
			return invalid(h, "wrong encoding in %s: the signature is not hex", h)
		case err != nil:
			return invalid(h, "wrong encoding in %s: the signature is not standard base64", h)
		case len(sig) != ed25519.SignatureSize:
			return invalid(h, "wrong length in %s: the signature is %d bytes, an Ed25519 signature is 64", h, len(sig))
		}
	}
	if nKeys > 1 {
		return invalid(h, "no signature verifies with any of the %d public keys (wrong key, or the body or timestamp was changed)", nKeys)
	}
	return invalid(h, "no signature verifies with this public key (wrong key, or the body or timestamp was changed)")
}

// verifyBuffered verifies a request whose keys include Ed25519 ones: the
// body is read once into memory, and each key checks its kind of entry.
func (s *Scheme) verifyBuffered(p *parsed, in VerifyInput) (*Result, error) {
	body, err := readSigned(in.Body)
	if err != nil {
		return nil, err
	}
	var pubs []ed25519.PublicKey
	var macSecrets []string
	for _, sec := range in.Secrets {
		k, ok, err := s.edKey(sec, false)
		if err != nil {
			return nil, err
		}
		if ok {
			pubs = append(pubs, k.pub)
		} else {
			macSecrets = append(macSecrets, sec)
		}
	}
	before, after := s.around(values{id: p.id, ts: p.ts, url: in.URL, method: orPost(in.Method)})
	if len(pubs) > 0 {
		if r, ok := s.verifyEd(p, pubs, concat(before, body, after)); ok {
			return r, nil
		}
	}
	if len(macSecrets) > 0 && len(p.candidates) > 0 {
		keys, err := s.keys(macSecrets)
		if err != nil {
			return nil, err
		}
		expected, err := s.expectMACs(p, keys, bytes.NewReader(body), in)
		if err != nil {
			return nil, err
		}
		if r := s.match(p, expected); r != nil {
			return r, nil
		}
		if len(pubs) == 0 || len(p.asym) == 0 {
			return s.mismatch(p, expected, len(keys)), nil
		}
	}
	if len(p.asym) == 0 {
		version, _, _ := strings.Cut(s.asymPrefix(), ",")
		return invalid(p.header, "malformed header %s: no %s signature in it (the key given is an Ed25519 key)", p.header, version), nil
	}
	return s.edMismatch(p, len(pubs)), nil
}
