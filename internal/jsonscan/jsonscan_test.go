package jsonscan

import (
	"encoding/json"
	"testing"
)

func TestValue(t *testing.T) {
	cases := map[string]int{
		`"abc" ,`:                  5,
		`"a\"b"x`:                  6,
		`"a\\"x`:                   5,
		`"a\\\"b"`:                 8,
		`"\`:                       -1,
		`"abc`:                     -1,
		`{"a":[1,"]}"],"b":{}}, 1`: 21,
		`[[],{}]`:                  7,
		`[1,2`:                     -1,
		`-1.5e3,`:                  6,
		`true}`:                    4,
		`null`:                     4,
		`,1`:                       -1,
		`}`:                        -1,
		`:`:                        -1,
		``:                         -1,
	}
	for doc, want := range cases {
		if got := Value([]byte(doc), 0); got != want {
			t.Errorf("Value(%s) = %d, want %d", doc, got, want)
		}
	}
	if got := Space([]byte(" \t\r\n x"), 0); got != 5 {
		t.Errorf("Space = %d", got)
	}
	if got := Space([]byte("  "), 0); got != 2 {
		t.Errorf("Space at the end = %d", got)
	}
}

// Value ends a valid document's value where the document ends (but for
// white space), and never panics on any prefix of a document.
func FuzzValue(f *testing.F) {
	for _, s := range []string{`{"a":"\\\"}"}`, `[1,"x",{"y":[true,null]}]`, `"\u00e9"`, `12.5e-3`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for n := range len(doc) + 1 {
			Value(doc[:n], 0)
		}
		if !json.Valid(doc) {
			return
		}
		end := Value(doc, Space(doc, 0))
		if end < 0 || Space(doc, end) != len(doc) {
			t.Errorf("Value(%q) = %d", doc, end)
		}
	})
}
