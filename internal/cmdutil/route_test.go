package cmdutil

import (
	"strings"
	"testing"
)

func TestParseRoute(t *testing.T) {
	for _, c := range []struct{ in, glob, url string }{
		{"http://localhost:5000/hooks", "", "http://localhost:5000/hooks"},
		{"localhost:5000", "", "http://localhost:5000/"},
		{":5000", "", "http://localhost:5000/"},
		{"message.*=http://localhost:5000/messages", "message.*", "http://localhost:5000/messages"},
		{"orders/*=localhost:3000", "orders/*", "http://localhost:3000/"},
		{"http://localhost:5000/in?token=a=b", "", "http://localhost:5000/in?token=a=b"},
	} {
		rt, err := ParseRoute(c.in)
		if err != nil {
			t.Errorf("ParseRoute(%q): %v", c.in, err)
			continue
		}
		if rt.Glob != c.glob || rt.URL.String() != c.url {
			t.Errorf("ParseRoute(%q) = %q %q, want %q %q", c.in, rt.Glob, rt.URL, c.glob, c.url)
		}
	}
	for _, bad := range []string{"", "=http://x", "ftp://x", "message.*=ftp://x"} {
		if _, err := ParseRoute(bad); err == nil || !strings.Contains(err.Error(), "--forward-to") {
			t.Errorf("ParseRoute(%q) error %v", bad, err)
		}
	}
}
