package override

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/hookctl/hookctl/internal/jsonscan"
)

// Lookup returns the raw bytes of the value at path in a JSON document
// without parsing the rest of it: no allocation beyond the path, so it
// suits reading an event's type and id on every request. A key repeated in
// an object resolves to its last occurrence, as JSON decoders read it. A
// malformed document, or a path that is not there, gives false; Lookup
// never panics.
func Lookup(doc []byte, path string) ([]byte, bool) {
	start, end, ok := Span(doc, path)
	if !ok {
		return nil, false
	}
	return doc[start:end], true
}

// Span is where the value at path stands in doc: doc[start:end] is its
// raw bytes, as Lookup finds them; false when it is not there.
func Span(doc []byte, path string) (start, end int, ok bool) {
	i := jsonscan.Space(doc, 0)
	if strings.IndexByte(path, '\\') < 0 && utf8.ValidString(path) {
		// A path without escapes is read in place: no allocation.
		for rest, more := path, true; more; {
			var seg string
			seg, rest, more = strings.Cut(rest, ".")
			if seg == "" {
				return 0, 0, false
			}
			if i = step(doc, i, seg); i < 0 {
				return 0, 0, false
			}
		}
	} else {
		parts, err := splitPath(path)
		if err != nil {
			return 0, 0, false
		}
		for _, seg := range parts {
			if i = step(doc, i, seg); i < 0 {
				return 0, 0, false
			}
		}
	}
	if end = jsonscan.Value(doc, i); end < 0 {
		return 0, 0, false
	}
	return i, end, true
}

// step goes from the container at i to its member seg (a key, or an
// array's index): where that value starts, or -1.
func step(doc []byte, i int, seg string) int {
	if i >= len(doc) {
		return -1
	}
	switch doc[i] {
	case '{':
		return findKey(doc, i+1, seg)
	case '[':
		k, ok := index(seg)
		if !ok {
			return -1
		}
		return findIndex(doc, i+1, k)
	}
	return -1
}

// Text is a scalar's text: a string unquoted, a number as written; ""
// for anything else.
func Text(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	switch c := raw[0]; {
	case c == '"':
		if bytes.IndexByte(raw, '\\') < 0 && len(raw) >= 2 {
			return string(raw[1 : len(raw)-1])
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case c == '-' || (c >= '0' && c <= '9'):
		return string(raw)
	}
	return ""
}

// findKey scans an object's members from i (just after '{') and returns
// where the value of the last member named key starts, or -1.
func findKey(doc []byte, i int, key string) int {
	at := -1
	for {
		i = jsonscan.Space(doc, i)
		if i >= len(doc) {
			return -1
		}
		if doc[i] == '}' {
			return at
		}
		if doc[i] != '"' {
			return -1
		}
		ks := i
		if i = jsonscan.String(doc, i); i < 0 {
			return -1
		}
		k := doc[ks:i]
		if i = jsonscan.Space(doc, i); i >= len(doc) || doc[i] != ':' {
			return -1
		}
		i = jsonscan.Space(doc, i+1)
		if keyIs(k, key) {
			at = i
		}
		if i = jsonscan.Value(doc, i); i < 0 {
			return -1
		}
		if i = jsonscan.Space(doc, i); i >= len(doc) {
			return -1
		}
		switch doc[i] {
		case ',':
			i++
		case '}':
			return at
		default:
			return -1
		}
	}
}

// findIndex returns where element k of an array starts (i just after '['), or -1.
func findIndex(doc []byte, i, k int) int {
	for n := 0; ; n++ {
		i = jsonscan.Space(doc, i)
		if i >= len(doc) || doc[i] == ']' {
			return -1
		}
		if n == k {
			return i
		}
		if i = jsonscan.Value(doc, i); i < 0 {
			return -1
		}
		if i = jsonscan.Space(doc, i); i >= len(doc) || doc[i] != ',' {
			return -1
		}
		i++
	}
}

func keyIs(raw []byte, key string) bool {
	if len(raw) < 2 {
		return false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner) == key
	}
	return keyText(raw) == key
}
