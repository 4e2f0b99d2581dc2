package present

import (
	"strings"
	"testing"
)

func TestRenderBody(t *testing.T) {
	for _, c := range []struct {
		ct, body string
		kind     BodyKind
		want     string
	}{
		{"application/json", `{"a":1,"b":[true]}` + "\n", BodyJSON, "{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}"},
		{"application/x-www-form-urlencoded", `{"a":1}`, BodyJSON, "{\n  \"a\": 1\n}"}, // curl's default type on a JSON body
		{"application/x-www-form-urlencoded", "To=%2B1555&Body=hello+world%21&Body=again", BodyForm, "To = +1555\nBody = hello world!\nBody = again"},
		{"text/plain", "hello\nworld\n", BodyText, "hello\nworld"},
		{"application/json", `{"broken":`, BodyText, `{"broken":`},
		{"application/octet-stream", "\x00\x01\xff", BodyBinary, "<binary, 3 bytes>"},
		{"", "", BodyEmpty, ""},
	} {
		kind, got := RenderBody(c.ct, []byte(c.body), 0)
		if kind != c.kind || got != c.want {
			t.Errorf("RenderBody(%q, %q) = %s %q, want %s %q", c.ct, c.body, kind, got, c.kind, c.want)
		}
	}
	kind, got := RenderBody("text/plain", []byte(strings.Repeat("é", 10)), 5)
	if kind != BodyText || got != "éé\n… 15 more bytes not shown (the capture has the whole body)" {
		t.Errorf("limited: %s %q", kind, got)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"page.created":    "page.created",
		"Zoë ✓":           "Zoë ✓",
		"evil\x1b[2Jtype": `evil\x1b[2Jtype`,
		"a\tb\nc":         "a b c",
		"bad\xffbyte":     `bad\xffbyte`,
		"c1\u009bcontrol": `c1\u009bcontrol`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	_, form := RenderBody("application/x-www-form-urlencoded", []byte("a=%1b%5B31mred"), 0)
	if form != `a = \x1b[31mred` {
		t.Errorf("form %q", form)
	}
}
