package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
)

// Every comparison with the expected MAC, the mismatch diagnostics
// included, goes through macEqual (constant time), and with every expected
// MAC whatever the outcome: a recording macEqual sees them all.
func TestComparisonsWithTheExpectedMACAreConstantTime(t *testing.T) {
	s := &Scheme{Headers: HeaderSet{Signature: "X-Sig"}, Signed: SignedBody, Hash: HashSHA256, Enc: EncHex, Prefix: "sha256=", Format: FormatPlain, Secret: SecretText}
	m := hmac.New(sha256.New, []byte("k2"))
	m.Write([]byte("body"))
	good := hex.EncodeToString(m.Sum(nil))
	var compared []string
	orig := macEqual
	t.Cleanup(func() { macEqual = orig })
	macEqual = func(c, e string) bool {
		compared = append(compared, e)
		return orig(c, e)
	}
	for _, c := range []struct {
		sig, reason string
		valid       bool
	}{
		{good, "", true},
		{strings.ToUpper(good), "uppercase hex", false},
		{strings.Repeat("0", 64), "no signature matches", false},
		{"ABCDEF", "wrong length", false},
	} {
		compared = nil
		r, err := s.Verify(VerifyInput{Header: http.Header{"X-Sig": {"sha256=" + c.sig}}, Body: strings.NewReader("body"), Secrets: []string{"k1", "k2", "k3"}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Valid != c.valid || !strings.Contains(r.Reason, c.reason) {
			t.Errorf("%s: valid %v, reason %q", c.sig, r.Valid, r.Reason)
		}
		// Each comparison round covers the three expected MACs: a match on
		// the second one does not skip the third.
		if len(compared) == 0 || len(compared)%3 != 0 {
			t.Errorf("%s: %d comparisons with expected MACs, want a multiple of 3", c.sig, len(compared))
		}
	}
}
