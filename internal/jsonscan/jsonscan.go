// Package jsonscan finds where JSON values end without decoding them: the
// one walker under override.Lookup (an event's type and id on every
// request) and the capture index of 'hookctl inspect' (the head of each
// record of a large file). It allocates nothing; strings are skipped with
// bytes.IndexByte, so a large body costs little more than a memory scan.
//
// Each function takes a document and an index into it and returns the
// index just after what it skipped, or -1 when the document is malformed
// or ends first there. They never panic.
package jsonscan

import "bytes"

// Space returns the index of the first byte at or after i that is not
// JSON white space (len(b) when there is none).
func Space(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// String returns the index just after the string that opens at b[i] (a
// '"'), or -1 when it does not close.
func String(b []byte, i int) int {
	j := i + 1
	for j <= len(b) {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		pos := j + k
		n := 0 // backslashes just before the quote: an odd count escapes it
		for p := pos - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return pos + 1
		}
		j = pos + 1
	}
	return -1
}

// Value returns the index just after the value that starts at b[i]: a
// string, an object or array (brackets balanced, strings skipped whole),
// or a scalar (up to the next delimiter or white space). A value cannot
// start with a delimiter.
func Value(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return String(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				if j = String(b, j); j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	case ',', ':', '}', ']':
		return -1
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j
		}
		j++
	}
	return j
}
