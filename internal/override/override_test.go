package override

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const event = `{
  "id": "evt_abc123",
  "type": "resource.created",
  "created_at": "2025-02-18T10:30:00Z",
  "data": {"object": {"id": "res_xyz789", "name": "New Resource", "tags": ["a", "b"], "items": [{"name": "x"}], "price": 1.50e2, "note": "caf\u00e9 <b>"}},
  "previous_data": null
}`

func apply(t *testing.T, body string, args ...string) string {
	t.Helper()
	var ops []Op
	for _, a := range args {
		var op Op
		var err error
		if p, ok := strings.CutPrefix(a, "-"); ok {
			op, err = ParseUnset(p)
		} else {
			op, err = ParseSet(a)
		}
		if err != nil {
			t.Fatalf("parse %q: %v", a, err)
		}
		ops = append(ops, op)
	}
	out, err := Apply([]byte(body), ops)
	if err != nil {
		t.Fatalf("Apply(%v): %v", args, err)
	}
	return string(out)
}

func TestNoEditsCompactsAndKeepsBytes(t *testing.T) {
	got := apply(t, event)
	var want bytes.Buffer
	_ = json.Compact(&want, []byte(event))
	if got != want.String() {
		t.Errorf("got  %s\nwant %s", got, want.String())
	}
	// escapes and number spellings are kept as written
	if !strings.Contains(got, `"price":1.50e2`) || !strings.Contains(got, `"caf\u00e9 <b>"`) {
		t.Errorf("value bytes changed: %s", got)
	}
}

func TestSet(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"type=user.created"}, `{"id":"evt_1","type":"user.created","data":{"object":{"name":"n","items":[{"q":1},{"q":2}]}},"previous_data":null}`},
		{[]string{"data.object.name=Acme Inc"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"Acme Inc","items":[{"q":1},{"q":2}]}},"previous_data":null}`},
		{[]string{"data.object.count=5", "data.object.ok=true", `data.object.s="5"`, "data.object.n=null"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2}],"count":5,"ok":true,"s":"5","n":null}},"previous_data":null}`},
		{[]string{`data.object={"a": [1, 2]}`}, `{"id":"evt_1","type":"t","data":{"object":{"a":[1,2]}},"previous_data":null}`},
		{[]string{"data.object.items.1.q=9"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":9}]}},"previous_data":null}`},
		{[]string{"data.object.items.2.q=3"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2},{"q":3}]}},"previous_data":null}`},
		{[]string{"data.object.items.0=x"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":["x",{"q":2}]}},"previous_data":null}`},
		{[]string{"meta.source.app=hookctl"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2}]}},"previous_data":null,"meta":{"source":{"app":"hookctl"}}}`},
		{[]string{`previous_data={"name":"Old"}`}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2}]}},"previous_data":{"name":"Old"}}`},
		{[]string{`a\.b=1`}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2}]}},"previous_data":null,"a.b":1}`},
		{[]string{"msg=<b>&é"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2}]}},"previous_data":null,"msg":"<b>&é"}`},
		{[]string{"empty="}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2}]}},"previous_data":null,"empty":""}`},
		{[]string{"-previous_data", "-data.object.items.0"}, `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":2}]}}}`},
		{[]string{"-data", "data=1"}, `{"id":"evt_1","type":"t","previous_data":null,"data":1}`},
	}
	base := `{"id":"evt_1","type":"t","data":{"object":{"name":"n","items":[{"q":1},{"q":2}]}},"previous_data":null}`
	for _, c := range cases {
		if c.args[0] == "type=user.created" {
			if got := apply(t, strings.Replace(base, `"t"`, `"t0"`, 1), c.args...); got != c.want {
				t.Errorf("%v:\n got %s\nwant %s", c.args, got, c.want)
			}
			continue
		}
		if got := apply(t, base, c.args...); got != c.want {
			t.Errorf("%v:\n got %s\nwant %s", c.args, got, c.want)
		}
	}
}

func TestErrorsNameThePath(t *testing.T) {
	base := `{"id":"evt_1","data":{"name":"n","items":[1,2],"none":null}}`
	cases := map[string]string{
		"data.name.first=x":   "cannot set data.name.first: data.name is a string, not an object",
		"data.none.x=1":       "cannot set data.none.x: data.none is null, not an object (replace it whole, e.g. --set 'data.none={...}')",
		"data.items.x=1":      `cannot set data.items.x: data.items is an array, so "x" must be an index`,
		"data.items.5=1":      "cannot set data.items.5: data.items has 2 elements, so the index can be at most 2",
		"data.items.0.deep=1": "cannot set data.items.0.deep: data.items.0 is a number, not an object",
		"-data.missing":       `cannot unset data.missing: data has no key "missing"`,
		"-data.items.2":       "cannot unset data.items.2: data.items has 2 elements, no index 2",
		"-id.x":               "cannot unset id.x: id is a string, not an object",
	}
	for arg, want := range cases {
		var op Op
		var err error
		if p, ok := strings.CutPrefix(arg, "-"); ok {
			op, err = ParseUnset(p)
		} else {
			op, err = ParseSet(arg)
		}
		if err != nil {
			t.Fatalf("parse %q: %v", arg, err)
		}
		_, err = Apply([]byte(base), []Op{op})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", arg, err, want)
		}
	}
	for _, bad := range []string{"noequals", "=1", "a..b=1", "a.=1"} {
		if _, err := ParseSet(bad); err == nil {
			t.Errorf("ParseSet(%q) accepted", bad)
		}
	}
	if _, err := Apply([]byte("name=x&b=2"), []Op{{Path: "a", Value: []byte("1")}}); err != ErrNotJSON {
		t.Errorf("form body: %v", err)
	}
	if _, err := Apply([]byte(`"just a string"`), []Op{{Path: "a", Value: []byte("1")}}); err == nil || !strings.Contains(err.Error(), "the body is a string") {
		t.Errorf("scalar body: %v", err)
	}
}

func TestValue(t *testing.T) {
	for in, want := range map[string]string{
		"5": "5", "true": "true", "null": "null", `"5"`: `"5"`, "hello": `"hello"`, `{ "a" : 1 }`: `{"a":1}`,
		"[1, 2]": "[1,2]", "": `""`, "1.5e3": "1.5e3", "01": `"01"`, `say "hi"`: `"say \"hi\""`,
	} {
		if got := string(Value(in)); got != want {
			t.Errorf("Value(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzSet checks, for any JSON document, path and value: the result is
// valid JSON, the path reads back as the value, and everything else decodes
// to what it was.
func FuzzSet(f *testing.F) {
	f.Add(event, "data.object.name", "Acme")
	f.Add(`{"a":[1,{"b":2}]}`, "a.1.b", `{"c":[true]}`)
	f.Add(`{"a":[1,2]}`, "a.2", "3")
	f.Add(`[]`, "0.x", "y")
	f.Add(`{"a\u002eb":1,"a":{"b":2}}`, `a\.b`, "9")
	f.Add(`{"k":1,"k":2}`, "k", "3")
	f.Fuzz(func(t *testing.T, doc, path, value string) {
		root, err := Parse([]byte(doc))
		if err != nil {
			return
		}
		var compact bytes.Buffer
		_ = json.Compact(&compact, []byte(doc))
		if got := root.Append(nil); !bytes.Equal(got, compact.Bytes()) {
			t.Fatalf("round trip changed the document:\n got %s\nwant %s", got, compact.Bytes())
		}
		v := Value(value)
		if !json.Valid(v) {
			t.Fatalf("Value(%q) = %s is not JSON", value, v)
		}
		before := root.Append(nil)
		if err := root.Set(path, v); err != nil {
			if !strings.Contains(err.Error(), path) && !strings.Contains(err.Error(), "path") {
				t.Fatalf("error does not name the path %q: %v", path, err)
			}
			if !bytes.Equal(root.Append(nil), before) {
				t.Fatalf("a failed Set changed the document")
			}
			return
		}
		out := root.Append(nil)
		if !json.Valid(out) {
			t.Fatalf("invalid JSON after Set(%q, %s): %s", path, v, out)
		}
		got, ok := root.Get(path)
		if !ok || !bytes.Equal(got, v) {
			t.Fatalf("Get(%q) = %s, %v after setting %s; doc %s", path, got, ok, v, out)
		}
		// Unset of what was just set leaves valid JSON without it (for
		// object keys; array elements shift).
		if err := root.Unset(path); err != nil {
			t.Fatalf("Unset(%q) after Set: %v", path, err)
		}
		if !json.Valid(root.Append(nil)) {
			t.Fatalf("invalid JSON after Unset")
		}
		// Every other top-level member keeps its place and its bytes.
		parts, _ := splitPath(path)
		if old, _ := Parse(before); old.kind == '{' && root.kind == '{' {
			if others(old, parts[0]) != others(root, parts[0]) {
				t.Fatalf("unrelated keys changed:\n%s\n%s", others(old, parts[0]), others(root, parts[0]))
			}
		}
	})
}

// others lists an object's members except key, in order, as raw text.
func others(n *Node, key string) string {
	var b strings.Builder
	for i, k := range n.keys {
		if keyText(k) != key {
			b.Write(k)
			b.WriteByte(':')
			b.Write(n.vals[i].Append(nil))
			b.WriteByte(',')
		}
	}
	return b.String()
}
