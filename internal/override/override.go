// Package override edits a JSON body by dotted paths (--set, --unset)
// without disturbing the rest of it: keys keep their order, and every value
// not edited keeps its exact bytes (escapes, number spelling). The result is
// compact JSON.
//
// A path is keys and array indexes joined by dots: data.object.items.0.name.
// A dot or backslash inside a key is written \. or \\. Setting a key that an
// object lacks adds it (and any missing objects on the way); index N of an
// array of N elements appends. Walking through anything that is not an
// object or array (a string, a number, null) is an error naming the path.
package override

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Op is one edit: set Path to Value (JSON), or remove it.
type Op struct {
	Path  string
	Value []byte // compact JSON; unused by Unset
	Unset bool
}

// ParseSet reads a --set argument, path=value. The value is taken as JSON
// when it is valid JSON (5, true, null, "5", {"a":1}), else as a string.
func ParseSet(arg string) (Op, error) {
	path, value, ok := strings.Cut(arg, "=")
	if !ok {
		return Op{}, fmt.Errorf("%q is not path=value (e.g. data.object.name=Acme)", arg)
	}
	if _, err := splitPath(path); err != nil {
		return Op{}, err
	}
	return Op{Path: path, Value: Value(value)}, nil
}

// ParseUnset reads an --unset argument, a path.
func ParseUnset(path string) (Op, error) {
	if _, err := splitPath(path); err != nil {
		return Op{}, err
	}
	return Op{Path: path, Unset: true}, nil
}

// Value turns a --set value into compact JSON: the text itself when it is
// valid JSON, else the text as a JSON string.
func Value(text string) []byte {
	if json.Valid([]byte(text)) {
		var b bytes.Buffer
		_ = json.Compact(&b, []byte(text))
		return b.Bytes()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(text)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Apply runs the edits in order over a JSON body and returns it compact.
func Apply(body []byte, ops []Op) ([]byte, error) {
	root, err := Parse(body)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		if op.Unset {
			err = root.Unset(op.Path)
		} else {
			err = root.Set(op.Path, op.Value)
		}
		if err != nil {
			return nil, err
		}
	}
	return root.Append(nil), nil
}

// Node is a parsed JSON value: an object (keys in order), an array, or a
// scalar kept as its exact bytes.
type Node struct {
	kind byte     // '{', '[' or 0 for a scalar
	keys [][]byte // raw keys, quotes included, of an object
	vals []*Node  // object values or array elements
	raw  []byte   // a scalar's bytes
}

// ErrNotJSON is returned for a body that is not valid JSON.
var ErrNotJSON = errors.New("the body is not valid JSON: --set and --unset edit JSON bodies")

// Parse reads a JSON document.
func Parse(body []byte) (*Node, error) {
	if !json.Valid(body) {
		return nil, ErrNotJSON
	}
	p := parser{b: body}
	n := p.value()
	return n, nil
}

type parser struct {
	b []byte
	i int
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses one value; the input is known to be valid JSON.
func (p *parser) value() *Node {
	p.ws()
	switch p.b[p.i] {
	case '{':
		n := &Node{kind: '{'}
		p.i++
		p.ws()
		if p.b[p.i] == '}' {
			p.i++
			return n
		}
		for {
			p.ws()
			k := p.str()
			p.ws()
			p.i++ // ':'
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, p.value())
			p.ws()
			c := p.b[p.i]
			p.i++
			if c == '}' {
				return n
			}
		}
	case '[':
		n := &Node{kind: '['}
		p.i++
		p.ws()
		if p.b[p.i] == ']' {
			p.i++
			return n
		}
		for {
			n.vals = append(n.vals, p.value())
			p.ws()
			c := p.b[p.i]
			p.i++
			if c == ']' {
				return n
			}
		}
	case '"':
		return &Node{raw: p.str()}
	}
	start := p.i
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return &Node{raw: p.b[start:p.i]}
		}
		p.i++
	}
	return &Node{raw: p.b[start:p.i]}
}

// str returns a string's raw bytes, quotes included.
func (p *parser) str() []byte {
	start := p.i
	p.i++
	for p.b[p.i] != '"' {
		if p.b[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	p.i++
	return p.b[start:p.i]
}

// Append writes the node as compact JSON.
func (n *Node) Append(dst []byte) []byte {
	switch n.kind {
	case '{':
		dst = append(dst, '{')
		for i, k := range n.keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, k...)
			dst = append(dst, ':')
			dst = n.vals[i].Append(dst)
		}
		return append(dst, '}')
	case '[':
		dst = append(dst, '[')
		for i, v := range n.vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = v.Append(dst)
		}
		return append(dst, ']')
	}
	return append(dst, n.raw...)
}

func keyText(raw []byte) string {
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner)
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

func rawKey(key string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(key)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// find returns the index of a key in an object, the last one when the key
// is repeated (as JSON parsers read it), or -1.
func (n *Node) find(key string) int {
	for i := len(n.keys) - 1; i >= 0; i-- {
		if keyText(n.keys[i]) == key {
			return i
		}
	}
	return -1
}

// splitPath splits a dotted path; "\." is a dot inside a key and "\\" a
// backslash.
func splitPath(path string) ([]string, error) {
	if path == "" {
		return nil, fmt.Errorf("the path is empty: write it as keys and indexes joined by dots, e.g. data.object.name")
	}
	if !utf8.ValidString(path) {
		return nil, fmt.Errorf("path %q is not valid UTF-8", path)
	}
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case c == '\\' && i+1 < len(path) && (path[i+1] == '.' || path[i+1] == '\\'):
			cur.WriteByte(path[i+1])
			i++
		case c == '.':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	parts = append(parts, cur.String())
	for _, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("path %q has an empty part: write it as keys and indexes joined by dots, e.g. data.object.name", path)
		}
	}
	return parts, nil
}

// what names a scalar's type for messages.
func (n *Node) what() string {
	switch n.kind {
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	switch c := n.raw[0]; {
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return "a number"
}

func index(seg string) (int, bool) {
	i, err := strconv.Atoi(seg)
	return i, err == nil && i >= 0 && strconv.Itoa(i) == seg
}

// Set replaces (or adds) the value at path with value, which must be valid JSON.
func (n *Node) Set(path string, value []byte) error {
	parts, err := splitPath(path)
	if err != nil {
		return err
	}
	v, err := Parse(value)
	if err != nil {
		return fmt.Errorf("the value for %s is not valid JSON", path)
	}
	cur := n
	for i, seg := range parts {
		last := i == len(parts)-1
		at := strings.Join(parts[:i], ".")
		switch cur.kind {
		case '{':
			j := cur.find(seg)
			if j < 0 {
				child := v
				if !last {
					child = &Node{kind: '{'}
				}
				cur.keys = append(cur.keys, rawKey(seg))
				cur.vals = append(cur.vals, child)
				j = len(cur.vals) - 1
			} else if last {
				cur.vals[j] = v
			}
			cur = cur.vals[j]
		case '[':
			k, ok := index(seg)
			if !ok {
				return fmt.Errorf("cannot set %s: %s is an array, so %q must be an index (0, 1, ...)", path, orRoot(at), seg)
			}
			switch {
			case k < len(cur.vals):
				if last {
					cur.vals[k] = v
				}
			case k == len(cur.vals):
				child := v
				if !last {
					child = &Node{kind: '{'}
				}
				cur.vals = append(cur.vals, child)
			default:
				return fmt.Errorf("cannot set %s: %s has %d elements, so the index can be at most %d (which appends)", path, orRoot(at), len(cur.vals), len(cur.vals))
			}
			cur = cur.vals[k]
		default:
			return fmt.Errorf("cannot set %s: %s is %s, not an object (replace it whole, e.g. --set '%s={...}')", path, orRoot(at), cur.what(), orRoot(at))
		}
	}
	return nil
}

// Unset removes the value at path; a path that is not there is an error.
func (n *Node) Unset(path string) error {
	parts, err := splitPath(path)
	if err != nil {
		return err
	}
	cur := n
	for i, seg := range parts {
		last := i == len(parts)-1
		at := strings.Join(parts[:i], ".")
		switch cur.kind {
		case '{':
			j := cur.find(seg)
			if j < 0 {
				return fmt.Errorf("cannot unset %s: %s has no key %q", path, orRoot(at), seg)
			}
			if last {
				cur.keys = append(cur.keys[:j], cur.keys[j+1:]...)
				cur.vals = append(cur.vals[:j], cur.vals[j+1:]...)
				return nil
			}
			cur = cur.vals[j]
		case '[':
			k, ok := index(seg)
			if !ok || k >= len(cur.vals) {
				return fmt.Errorf("cannot unset %s: %s has %d elements, no index %s", path, orRoot(at), len(cur.vals), seg)
			}
			if last {
				cur.vals = append(cur.vals[:k], cur.vals[k+1:]...)
				return nil
			}
			cur = cur.vals[k]
		default:
			return fmt.Errorf("cannot unset %s: %s is %s, not an object", path, orRoot(at), cur.what())
		}
	}
	return nil
}

// Get returns the compact JSON at path, if it is there.
func (n *Node) Get(path string) ([]byte, bool) {
	parts, err := splitPath(path)
	if err != nil {
		return nil, false
	}
	cur := n
	for _, seg := range parts {
		switch cur.kind {
		case '{':
			j := cur.find(seg)
			if j < 0 {
				return nil, false
			}
			cur = cur.vals[j]
		case '[':
			k, ok := index(seg)
			if !ok || k >= len(cur.vals) {
				return nil, false
			}
			cur = cur.vals[k]
		default:
			return nil, false
		}
	}
	return cur.Append(nil), true
}

func orRoot(at string) string {
	if at == "" {
		return "the body"
	}
	return at
}
