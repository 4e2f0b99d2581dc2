// Package ids makes identifiers in the formats providers use. A Generator is
// seeded for reproducible output in tests and from crypto/rand otherwise.
package ids

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
)

const (
	base32hex = "0123456789abcdefghijklmnopqrstuv" // xid's alphabet
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	digits    = "0123456789"
	hexChars  = "0123456789abcdef"
)

// Generator makes ids. It is safe for concurrent use.
type Generator struct {
	mu sync.Mutex
	r  *rand.Rand
}

// New returns a generator seeded from the system's random source.
func New() *Generator {
	var seed [16]byte
	_, _ = crand.Read(seed[:])
	return Seeded(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:]))
}

// Seeded returns a generator that always produces the same sequence.
func Seeded(a, b uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(a, b))}
}

func (g *Generator) pick(alphabet string, n int) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// XID returns prefix + a 20-character xid-style id, e.g. evt_ck7qhp33c68tov35spng.
func (g *Generator) XID(prefix string) string { return prefix + g.pick(base32hex, 20) }

// Alnum returns n random letters and digits, e.g. a056V7R7NmNRjl70.
func (g *Generator) Alnum(n int) string { return g.pick(alnum, n) }

// Digits returns n random decimal digits.
func (g *Generator) Digits(n int) string { return g.pick(digits, n) }

// Hex returns n random lowercase hex characters.
func (g *Generator) Hex(n int) string { return g.pick(hexChars, n) }

// Int returns a random integer in [lo, hi].
func (g *Generator) Int(lo, hi int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// UUID returns a random version 4 UUID.
func (g *Generator) UUID() string {
	g.mu.Lock()
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	g.mu.Unlock()
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Kind names an id format; schemes use it for their id header.
type Kind string

const (
	KindMsg  Kind = "msg"  // msg_ + 27 alphanumerics (Standard Webhooks, Svix)
	KindUUID Kind = "uuid" // GitHub delivery, Shopify webhook id
)

// Make returns a fresh id of the given kind, or "" for an unknown kind.
func (g *Generator) Make(k Kind) string {
	switch k {
	case KindMsg:
		return "msg_" + g.Alnum(27)
	case KindUUID:
		return g.UUID()
	}
	return ""
}
