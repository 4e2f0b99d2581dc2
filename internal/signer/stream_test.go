package signer_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/signer"
)

// genReader yields n bytes of a fixed pattern without holding them: a body
// of any size in constant memory. first, when set, is the first byte.
type genReader struct {
	n, off int64
	first  byte
}

func (r *genReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	k := int64(len(p))
	if k > r.n-r.off {
		k = r.n - r.off
	}
	for i := int64(0); i < k; {
		i += int64(copy(p[i:k], pattern[(r.off+i)%26:]))
	}
	if r.off == 0 && r.first != 0 && k > 0 {
		p[0] = r.first
	}
	r.off += k
	return int(k), nil
}

// pattern is the alphabet repeated over 64 KB and a bit, so any offset
// modulo 26 starts a long run to copy from.
var pattern = []byte(strings.Repeat("abcdefghijklmnopqrstuvwxyz", 64*kb/26+2))

const (
	kb = 1 << 10
	mb = 1 << 20
)

// TestSignStreams proves sign holds no copy of the body: the number of
// allocations does not grow with the body (outside -race), and the bytes
// allocated for a 100 MB body stay far below its size (in every build).
func TestSignStreams(t *testing.T) {
	for _, c := range []struct {
		provider string
		size     int64
		first    byte
	}{
		{"standard", 100 * mb, 0},
		{"stripe", 16 * mb, 0},
		{"github", 16 * mb, 0},
		{"notify", 16 * mb, 0},
		{"twilio", 16 * mb, '{'}, // a JSON body streams into bodySHA256
	} {
		t.Run(c.provider, func(t *testing.T) {
			s := scheme(t, c.provider)
			in := func(n int64) signer.SignInput {
				return signer.SignInput{Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, ID: "msg_1", Timestamp: 1700000000, URL: "https://x.test/hook", Body: &genReader{n: n, first: c.first}}
			}
			sign := func(n int64) func() {
				return func() {
					if _, err := s.Sign(in(n)); err != nil {
						t.Fatal(err)
					}
				}
			}
			// Allocation counts only outside -race: the race detector makes
			// sync.Pool drop buffers at random, and every lost buffer adds
			// allocations unrelated to the body size. The byte bound below
			// holds in every build.
			if !raceEnabled {
				allocs := func(n int64) float64 { return testing.AllocsPerRun(1, sign(n)) }
				if small, large := allocs(kb), allocs(16*mb); large > small+2 {
					t.Errorf("%d bytes: %.0f allocations, %d bytes: %.0f: allocations grow with the body", kb, small, 16*mb, large)
				}
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			sign(c.size)()
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > 2*mb {
				t.Errorf("signing %d MB allocated %d bytes; want well under 2 MB", c.size/mb, got)
			}
		})
	}
}

// The streamed signature is the one of the whole body.
func TestSignStreamedValue(t *testing.T) {
	s := scheme(t, "github")
	out, err := s.Sign(signer.SignInput{Secrets: []string{"k"}, ID: "x", Body: &genReader{n: 3*mb + 7}})
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, []byte("k"))
	if _, err := io.Copy(m, &genReader{n: 3*mb + 7}); err != nil {
		t.Fatal(err)
	}
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	for _, h := range out.Headers {
		if h.Name == "X-Hub-Signature-256" && h.Value != want {
			t.Errorf("got %s, want %s", h.Value, want)
		}
	}
}

// Bodies around the size of the first, small read buffer sign as a whole.
func TestSignAroundTheSmallBuffer(t *testing.T) {
	s := scheme(t, "github")
	for _, n := range []int64{0, 1, 8<<10 - 1, 8 << 10, 8<<10 + 1, 300 << 10} {
		out, err := s.Sign(signer.SignInput{Secrets: []string{"k"}, ID: "x", Body: &genReader{n: n}})
		if err != nil {
			t.Fatal(err)
		}
		m := hmac.New(sha256.New, []byte("k"))
		if _, err := io.Copy(m, &genReader{n: n}); err != nil {
			t.Fatal(err)
		}
		want := "sha256=" + hex.EncodeToString(m.Sum(nil))
		got := ""
		for _, h := range out.Headers {
			if h.Name == "X-Hub-Signature-256" {
				got = h.Value
			}
		}
		if got != want {
			t.Errorf("%d bytes: got %q, want %s", n, got, want)
		}
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestSignReadError(t *testing.T) {
	for _, p := range []string{"notify", "twilio"} {
		s := scheme(t, p)
		_, err := s.Sign(signer.SignInput{Secrets: []string{"k"}, URL: "https://x.test", Body: io.MultiReader(strings.NewReader("a=b"), errReader{})})
		if err == nil || !strings.Contains(err.Error(), "reading the body") {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// BenchmarkSign100MB reports throughput and allocations of signing a body
// streamed from a reader (go test -bench Sign -benchmem ./internal/signer).
func BenchmarkSign100MB(b *testing.B) {
	s := scheme(b, "standard")
	b.ReportAllocs()
	b.SetBytes(100 * mb)
	for b.Loop() {
		if _, err := s.Sign(signer.SignInput{Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, ID: "msg_1", Timestamp: 1700000000, Body: &genReader{n: 100 * mb}}); err != nil {
			b.Fatal(err)
		}
	}
}
