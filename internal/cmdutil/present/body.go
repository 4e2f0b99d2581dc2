package present

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BodyKind says how a body is shown.
type BodyKind string

const (
	BodyEmpty  BodyKind = "empty"
	BodyJSON   BodyKind = "json"
	BodyForm   BodyKind = "form"
	BodyText   BodyKind = "text"
	BodyBinary BodyKind = "binary"
)

// RenderBody returns a body as it is shown on screen: JSON indented, a
// form as 'key = value' lines, text as is, binary as a one-line summary.
// Only the display is formatted; what is captured and forwarded is the
// exact bytes. At most limit bytes of the body are shown (0: all).
func RenderBody(contentType string, body []byte, limit int) (BodyKind, string) {
	return renderBody(contentType, body, int64(len(body)), limit)
}

// renderBody is RenderBody of a body of size bytes of which body may be
// only the start (at least limit bytes of it, or all).
func renderBody(contentType string, body []byte, size int64, limit int) (BodyKind, string) {
	if len(body) == 0 {
		return BodyEmpty, ""
	}
	tooLong := limit > 0 && size > int64(limit)
	shown := body
	if tooLong {
		shown = body[:min(limit, len(body))]
		for i := 1; i < utf8.UTFMax && len(shown) > 0 && !utf8.Valid(shown); i++ {
			shown = shown[:len(shown)-1] // do not cut a character in two
		}
	}
	media, _, _ := mime.ParseMediaType(contentType)
	text := utf8.Valid(shown) && !hasControl(shown)
	more := func(s string) string {
		if tooLong {
			s = strings.TrimRight(s, "\n") + fmt.Sprintf("\n… %d more bytes not shown (the capture has the whole body)", size-int64(limit))
		}
		return s
	}
	if !tooLong && looksJSON(body) {
		var out bytes.Buffer
		if err := json.Indent(&out, body, "", "  "); err == nil {
			return BodyJSON, strings.TrimRight(out.String(), " \t\r\n")
		}
	}
	if media == "application/x-www-form-urlencoded" && text {
		return BodyForm, more(renderForm(strings.TrimRight(string(shown), "\r\n")))
	}
	if !text {
		return BodyBinary, fmt.Sprintf("<binary, %d bytes>", size)
	}
	return BodyText, more(strings.TrimRight(string(shown), "\r\n"))
}

// looksJSON reports a JSON object or array, whatever the Content-Type says
// (senders often get it wrong).
func looksJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// renderForm decodes a form body into 'key = value' lines, in order.
func renderForm(body string) string {
	var b strings.Builder
	for _, pair := range strings.Split(body, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		fmt.Fprintf(&b, "%s = %s\n", Printable(k), Printable(v))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Printable makes text from a request safe to print on a terminal: control
// characters (escape sequences could rewrite the screen) are shown as \xNN
// or \u00NN; tabs and newlines become spaces.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r == utf8.RuneError:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unicode.IsControl(r):
			if r < 0x80 {
				fmt.Fprintf(&b, "\\x%02x", r)
			} else {
				fmt.Fprintf(&b, "\\u%04x", r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasControl reports control characters other than tab, CR and LF: such a
// body is shown as binary even when it is valid UTF-8.
func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return true
		}
	}
	return false
}
