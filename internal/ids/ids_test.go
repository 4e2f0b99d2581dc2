package ids

import (
	"regexp"
	"testing"
)

func TestFormats(t *testing.T) {
	g := Seeded(1, 2)
	checks := map[string]*regexp.Regexp{
		g.XID("evt_"):   regexp.MustCompile(`^evt_[0-9a-v]{20}$`),
		g.Alnum(16):     regexp.MustCompile(`^[A-Za-z0-9]{16}$`),
		g.UUID():        regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`),
		g.Make(KindMsg): regexp.MustCompile(`^msg_[A-Za-z0-9]{27}$`),
		g.Hex(8):        regexp.MustCompile(`^[0-9a-f]{8}$`),
		g.Digits(5):     regexp.MustCompile(`^[0-9]{5}$`),
	}
	for v, re := range checks {
		if !re.MatchString(v) {
			t.Errorf("%q does not match %s", v, re)
		}
	}
	if a, b := Seeded(7, 7).UUID(), Seeded(7, 7).UUID(); a != b {
		t.Errorf("seeded generators differ: %s %s", a, b)
	}
	if n := g.Int(3, 5); n < 3 || n > 5 {
		t.Errorf("Int out of range: %d", n)
	}
}
