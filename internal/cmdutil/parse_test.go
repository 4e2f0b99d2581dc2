package cmdutil

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseHeaders(t *testing.T) {
	h, err := ParseHeaders([]string{"x-notify-signature: abc", "Stripe-Signature:t=1,v1=2", "X-A:  spaced  ", "x-a: second", "Empty:"})
	if err != nil {
		t.Fatal(err)
	}
	if h.Get("X-Notify-Signature") != "abc" || h.Get("stripe-signature") != "t=1,v1=2" || h.Get("Empty") != "" {
		t.Errorf("headers %v", h)
	}
	if got := h.Values("X-A"); len(got) != 2 || got[0] != "spaced" || got[1] != "second" {
		t.Errorf("repeated header %q", got)
	}
	if _, ok := h["Empty"]; !ok {
		t.Error("an empty value drops the header")
	}
	for _, bad := range []string{"no colon", ": value", " : v", "Two Words: v", "Tab\tName: v", ""} {
		_, err := ParseHeaders([]string{bad})
		var u *UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "is not 'Name: value'") {
			t.Errorf("%q: %v, want a usage error", bad, err)
		}
	}
}

func TestParseTolerance(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"0": 0, "0s": 0, "300": 300 * time.Second, "5m": 5 * time.Minute, "1h30m": 90 * time.Minute,
		" 10m ": 10 * time.Minute, "1500ms": 1500 * time.Millisecond,
	} {
		got, err := ParseTolerance(in)
		if err != nil || got != want {
			t.Errorf("ParseTolerance(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-5m", "-1", "five", "1.5", "5 m", "0x10", "1e3"} {
		_, err := ParseTolerance(bad)
		var u *UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "invalid --tolerance") {
			t.Errorf("%q: %v, want a usage error", bad, err)
		}
	}
}

// FuzzParseHeaders: any -H value parses or is a one-line usage error; what
// parses is a header a request can carry (a token name, a value without
// line breaks), found again by its name.
func FuzzParseHeaders(f *testing.F) {
	for _, s := range []string{"x-notify-signature: abc", "a:b", ": v", "X Y: v", "Stripe-Signature: t=1, v1=2", "X:\t", "webhook-signature: v1,a v1,b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		h, err := ParseHeaders([]string{raw})
		if err != nil {
			var u *UsageError
			if !errors.As(err, &u) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("%q: error %q is not a one-line usage error", raw, err)
			}
			return
		}
		if len(h) != 1 {
			t.Fatalf("%q gave %d headers", raw, len(h))
		}
		for name, vals := range h {
			if !isToken(name) {
				t.Fatalf("%q: accepted header name %q, which is not an HTTP token", raw, name)
			}
			for _, v := range vals {
				if strings.ContainsAny(v, "\r\n\x00") || v != strings.TrimSpace(v) {
					t.Fatalf("%q: accepted header value %q", raw, v)
				}
			}
			want, _, _ := strings.Cut(raw, ":")
			if h.Get(strings.TrimSpace(want)) != vals[0] {
				t.Fatalf("%q: not found again by its name", raw)
			}
		}
	})
}

// isToken is RFC 9110's token: the characters a header name may have.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// FuzzParseTolerance: any --tolerance value is a non-negative duration (a
// negative one would silently turn the check off) or a one-line usage
// error; plain seconds mean seconds.
func FuzzParseTolerance(f *testing.F) {
	for _, s := range []string{"0", "300", "5m", "-5m", "1h1m1s", "9223372036", "1.5", " 10m "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, err := ParseTolerance(v)
		if err != nil {
			var u *UsageError
			if !errors.As(err, &u) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("%q: error %q is not a one-line usage error", v, err)
			}
			return
		}
		if d < 0 {
			t.Fatalf("ParseTolerance(%q) = %v: a negative tolerance turns the check off", v, d)
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && time.Duration(n)*time.Second/time.Second != time.Duration(n) {
			t.Fatalf("ParseTolerance(%q) = %v: %d seconds do not fit a duration", v, d, n)
		} else if err == nil && d != time.Duration(n)*time.Second {
			t.Fatalf("ParseTolerance(%q) = %v, want %d seconds", v, d, n)
		}
	})
}
