package mutate

import (
	"bytes"
	"encoding/json"
)

// RawMember is the member raw-bytes adds to a JSON object: text with a
// \u00e9 escape and an escaped slash, and a number written 1.0, which every
// JSON re-serializer writes differently (é, /, 1).
const RawMember = `"hookctl_check": {"text": "caf\u00e9 \/ raw bytes", "number": 1.0}`

// RawBytesBody rewrites a JSON body into bytes that decode to the same
// event (plus RawMember) but that no re-serialization gives back: a space
// after every ':' and ',' outside strings. A body that is not JSON comes
// back unchanged.
func RawBytesBody(body []byte) []byte {
	if !json.Valid(body) {
		return body
	}
	trimmed := bytes.TrimSpace(body)
	out := make([]byte, 0, len(trimmed)+len(trimmed)/8+len(RawMember)+4)
	inString, escaped := false, false
	for _, c := range trimmed {
		out = append(out, c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ':' || c == ','):
			out = append(out, ' ')
		}
	}
	if n := len(out); n > 0 && out[n-1] == '}' {
		member := RawMember
		if inner := bytes.TrimSpace(out[1 : n-1]); len(inner) > 0 {
			member = ", " + member
		}
		out = append(append(out[:n-1], member...), '}')
	}
	return out
}

// TamperByte returns a copy of body with one byte changed: the last letter
// or digit inside a JSON string (so the body is still valid JSON, only not
// the one signed), or of any other body the last letter or digit outside a
// %XX escape (a form stays a form); a body with none gains one byte.
func TamperByte(body []byte) []byte {
	out := bytes.Clone(body)
	at := lastAlnum(out, json.Valid(out))
	if at < 0 {
		return append(out, ' ')
	}
	out[at] = nextAlnum(out[at])
	return out
}

func lastAlnum(b []byte, inJSONString bool) int {
	last := -1
	inString, escaped, escLeft := false, false, 0
	for i, c := range b {
		switch {
		case escLeft > 0: // the hex digits of \uXXXX, or of a form's %XX
			escLeft--
			continue
		case !inJSONString && c == '%':
			escLeft = 2
			continue
		case escaped:
			escaped = false
			if c == 'u' {
				escLeft = 4
			}
			continue
		case inString && c == '\\':
			escaped = true
			continue
		case c == '"':
			inString = !inString
			continue
		}
		if isAlnum(c) && (inString || !inJSONString) {
			last = i
		}
	}
	return last
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// nextAlnum is the next letter or digit of the same class, wrapping.
func nextAlnum(c byte) byte {
	switch c {
	case 'z':
		return 'a'
	case 'Z':
		return 'A'
	case '9':
		return '0'
	}
	return c + 1
}
