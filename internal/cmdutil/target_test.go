package cmdutil

import (
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	good := map[string]string{
		"localhost:5000":                 "http://localhost:5000/",
		":5000":                          "http://localhost:5000/",
		"5000":                           "http://localhost:5000/",
		"localhost:5000/webhooks":        "http://localhost:5000/webhooks",
		"127.0.0.1:8080/a/b?x=1":         "http://127.0.0.1:8080/a/b?x=1",
		"http://example.com":             "http://example.com/",
		"HTTPS://example.com:8443/hook":  "https://example.com:8443/hook",
		"https://abc.ngrok.app/wh#frag":  "https://abc.ngrok.app/wh",
		"[::1]:5000":                     "http://[::1]:5000/",
		"  localhost:5000/webhooks?a=b ": "http://localhost:5000/webhooks?a=b",
	}
	for in, want := range good {
		u, err := ParseTarget(in)
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", in, err)
			continue
		}
		if u.String() != want {
			t.Errorf("ParseTarget(%q) = %s, want %s", in, u, want)
		}
	}
	bad := map[string]string{
		"":                      "no target: pass --to URL, or start hookctl listen",
		"ftp://x":               "not ftp",
		"localhost:99999":       "port 99999",
		"localhost:abc":         "invalid --to",
		"http://":               "no host",
		"localhost:":            "port is empty",
		"http://u:p@host:5000/": "credentials",
	}
	for in, want := range bad {
		_, err := ParseTarget(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTarget(%q) error = %v, want it to mention %q", in, err, want)
		}
	}
}
