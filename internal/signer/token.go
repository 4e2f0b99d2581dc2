package signer

import (
	"crypto/subtle"
	"strings"
)

// A token scheme sends the secret itself in its header (GitLab's
// X-Gitlab-Token): there is nothing to compute, and verifying is a
// constant-time comparison with each secret.

func (s *Scheme) signToken(in SignInput) (*SignOutput, error) {
	if len(in.Secrets) == 0 || in.Secrets[0] == "" {
		return nil, ErrNoSecret
	}
	return &SignOutput{URL: in.URL, Headers: []Header{{s.Headers.Signature, s.Prefix + in.Secrets[0]}}}, nil
}

func (s *Scheme) verifyToken(in VerifyInput) (*Result, error) {
	if _, err := s.keys(in.Secrets); err != nil {
		return nil, err
	}
	name := s.Headers.Signature
	vals := in.Header.Values(name)
	if len(vals) == 0 {
		return invalid(name, "missing header %s", name), nil
	}
	got, ok := strings.CutPrefix(vals[0], s.Prefix)
	if !ok {
		return invalid(name, "malformed header %s: missing %q prefix", name, s.Prefix), nil
	}
	match := 0
	for _, sec := range in.Secrets {
		match |= subtle.ConstantTimeCompare([]byte(got), []byte(sec))
	}
	if match == 1 {
		return &Result{Valid: true, Header: name}, nil
	}
	if strings.TrimSpace(got) != got {
		return invalid(name, "%s has spaces around the token: the provider sends the token exactly as configured", name), nil
	}
	return invalid(name, "%s is not the secret token (it carries the token itself, compared exactly)", name), nil
}
