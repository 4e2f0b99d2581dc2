package override

import (
	"bytes"
	"testing"
)

func TestLookup(t *testing.T) {
	doc := []byte(` { "id" : 5678901234567, "type": "a\"b", "event": {"type": "app_mention", "n": [1, {"x": "y"}]}, "dup": 1, "dup": 2, "s": "x}y]z", "e\u0078": true }`)
	for path, want := range map[string]string{
		"id": "5678901234567", "type": `"a\"b"`, "event.type": `"app_mention"`, "event.n.1.x": `"y"`,
		"event.n": `[1, {"x": "y"}]`, "dup": "2", "s": `"x}y]z"`, "ex": "true",
	} {
		got, ok := Lookup(doc, path)
		if !ok || string(got) != want {
			t.Errorf("Lookup(%q) = %s, %v; want %s", path, got, ok, want)
		}
	}
	for _, path := range []string{"nope", "event.nope", "event.n.2", "event.n.x", "id.x", ""} {
		if got, ok := Lookup(doc, path); ok {
			t.Errorf("Lookup(%q) = %s, want not found", path, got)
		}
	}
	for _, bad := range []string{"", "token=x&a=b", `{"id":`, `{"id" 1}`, `{"a":1,`, `[1,2`, `{"id":"x`} {
		if got, ok := Lookup([]byte(bad), "id"); ok && bad != `{"id":"x` {
			t.Errorf("Lookup in %q = %s", bad, got)
		}
	}
	if Text([]byte(`"a\"b"`)) != `a"b` || Text([]byte("12.50")) != "12.50" || Text([]byte("true")) != "" || Text([]byte(`"plain"`)) != "plain" {
		t.Errorf("Text")
	}
}

// FuzzLookup checks Lookup against the full parser on any document and
// path, and that malformed input never panics.
func FuzzLookup(f *testing.F) {
	f.Add(`{"a":{"b":[1,{"c":"d"}]}}`, "a.b.1.c")
	f.Add(`{"k":1,"k":2}`, "k")
	f.Add(`{"a\u002eb":1}`, `a\.b`)
	f.Add(`{"a":"\"}"}`, "a")
	f.Fuzz(func(t *testing.T, doc, path string) {
		got, ok := Lookup([]byte(doc), path)
		root, err := Parse([]byte(doc))
		if err != nil {
			return // malformed: any answer, as long as it did not panic
		}
		want, wok := root.Get(path)
		var compact []byte
		if ok {
			n, err := Parse(got)
			if err != nil {
				t.Fatalf("Lookup(%q) = %q is not a JSON value", path, got)
			}
			compact = n.Append(nil)
		}
		if ok != wok || !bytes.Equal(compact, want) {
			t.Fatalf("Lookup(%q) = %s, %v; Get = %s, %v", path, compact, ok, want, wok)
		}
	})
}
