package glob

import "testing"

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"message.*", "message.created", true},
		{"message.*", "message", false},
		{"message.*", "contact.created", false},
		{"*", "orders/create", true},
		{"orders/*", "orders/create", true},
		{"*.created", "page.created", true},
		{"*.created", "page.created.x", false},
		{"page.?reated", "page.created", true},
		{"payment.succeeded", "payment.succeeded", true},
		{"payment.succeeded", "payment.succeeded2", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"*", "", true},
		{"x", "", false},
	} {
		if got := Match(c.pattern, c.name); got != c.want {
			t.Errorf("Match(%q, %q) = %v", c.pattern, c.name, got)
		}
	}
}
