package signer_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/hookctl/hookctl/internal/signer"
)

// More MACs than the pipeline has lanes (six rotation keys), a body of
// several chunks read a few bytes at a time: every signature is the one of
// the whole body.
func TestSignManyKeysThroughThePipeline(t *testing.T) {
	s := scheme(t, "standard")
	const n = 3<<20 + 12345
	var secrets, want []string
	for i := range 6 {
		key := "key number " + strconv.Itoa(i)
		secrets = append(secrets, "whsec_"+base64.StdEncoding.EncodeToString([]byte(key)))
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte("msg_1.1700000000."))
		if _, err := io.Copy(m, &genReader{n: n}); err != nil {
			t.Fatal(err)
		}
		want = append(want, "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
	}
	for _, body := range []io.Reader{&genReader{n: n}, iotest.HalfReader(&genReader{n: n})} {
		h, _ := signed(t, s, signer.SignInput{Secrets: secrets, ID: "msg_1", Timestamp: 1700000000, Body: body})
		if got := h.Get("webhook-signature"); got != strings.Join(want, " ") {
			t.Errorf("got %s\nwant %s", got, strings.Join(want, " "))
		}
	}
}

// A read error deep into a large body is reported, from every lane count,
// and the next signature is still right (the pooled pipeline is clean).
func TestSignReadErrorInThePipeline(t *testing.T) {
	boom := errors.New("disk on fire")
	for _, p := range []string{"notify", "github"} {
		s := scheme(t, p)
		body := io.MultiReader(&genReader{n: 2<<20 + 1}, iotest.ErrReader(boom))
		if _, err := s.Sign(signer.SignInput{Secrets: []string{"k"}, Body: body}); !errors.Is(err, boom) {
			t.Errorf("%s: %v", p, err)
		}
	}
	TestSignStreamedValue(t)
}

// Verify takes the same path: a large body verifies, a changed one does not.
func TestVerifyLargeBody(t *testing.T) {
	s := scheme(t, "github")
	const n = 5 << 20
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"k"}, Body: &genReader{n: n}})
	for _, c := range []struct {
		first byte
		valid bool
	}{{0, true}, {'!', false}} {
		r, err := s.Verify(signer.VerifyInput{Header: h, Body: &genReader{n: n, first: c.first}, Secrets: []string{"k"}})
		if err != nil || r.Valid != c.valid {
			t.Errorf("first byte %q: %+v %v", c.first, r, err)
		}
	}
}

// BenchmarkSignGitHub100MB is GitHub's two signatures (SHA-256 and SHA-1)
// hashed side by side; compare with BenchmarkSignNotify100MB, one SHA-256.
func BenchmarkSignGitHub100MB(b *testing.B) { benchSign(b, "github") }

func BenchmarkSignNotify100MB(b *testing.B) { benchSign(b, "notify") }

func benchSign(b *testing.B, provider string) {
	s := scheme(b, provider)
	b.ReportAllocs()
	b.SetBytes(100 * mb)
	for b.Loop() {
		if _, err := s.Sign(signer.SignInput{Secrets: []string{"k"}, Body: &genReader{n: 100 * mb}}); err != nil {
			b.Fatal(err)
		}
	}
}
