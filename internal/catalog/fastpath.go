package catalog

import (
	"strconv"
	"text/template/parse"
	"time"
)

// segment appends one piece of a rendered template: literal text, a field
// of the event name, or a call of a template function.
type segment func(dst []byte, e *renderEnv, data map[string]string) []byte

// fastSegments turns a parsed template into segments when every action is
// one that needs no reflection: {{.Event}}, {{.EventBase}}, {{.Action}}, or
// a call of a built-in function with literal arguments. Templates that use
// anything else (pipes, conditions, variables) return nil and run through
// the interpreter (exec.go). The output is byte for byte what text/template
// prints, except that with compactJSON the literal text loses the
// whitespace outside JSON strings (what json.Compact would remove
// afterwards).
func fastSegments(t *parse.Tree, compactJSON bool) []segment {
	if t == nil || t.Root == nil {
		return nil
	}
	var segs []segment
	var js jsonText
	for _, n := range t.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			text := n.Text
			if compactJSON {
				text = js.compact(text)
			}
			segs = append(segs, func(dst []byte, _ *renderEnv, _ map[string]string) []byte { return append(dst, text...) })
		case *parse.ActionNode:
			s := fastAction(n.Pipe)
			if s == nil {
				return nil
			}
			segs = append(segs, s)
		default:
			return nil
		}
	}
	return segs
}

func fastAction(p *parse.PipeNode) segment {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) == 0 {
		return nil
	}
	args := p.Cmds[0].Args
	if f, ok := args[0].(*parse.FieldNode); ok {
		if len(args) != 1 || len(f.Ident) != 1 {
			return nil
		}
		switch key := f.Ident[0]; key {
		case "Event", "EventBase", "Action":
			return func(dst []byte, _ *renderEnv, data map[string]string) []byte { return append(dst, data[key]...) }
		}
		return nil
	}
	id, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return nil
	}
	var strs []string
	var ints []int
	for _, a := range args[1:] {
		switch a := a.(type) {
		case *parse.StringNode:
			strs = append(strs, a.Text)
		case *parse.NumberNode:
			if !a.IsInt || a.Int64 != int64(int(a.Int64)) {
				return nil
			}
			ints = append(ints, int(a.Int64))
		default:
			return nil
		}
	}
	n := len(args) - 1
	want := func(s, i int) bool { return n == s+i && len(strs) == s && len(ints) == i }
	switch id.Ident {
	case "xid":
		if want(1, 0) {
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte { return append(dst, e.ids.XID(strs[0])...) }
		}
	case "alnum", "hex", "digits":
		if want(0, 1) {
			k, name := ints[0], id.Ident
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				switch name {
				case "alnum":
					return append(dst, e.ids.Alnum(k)...)
				case "hex":
					return append(dst, e.ids.Hex(k)...)
				}
				return append(dst, e.ids.Digits(k)...)
			}
		}
	case "int":
		if want(0, 2) {
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				return strconv.AppendInt(dst, int64(e.ids.Int(ints[0], ints[1])), 10)
			}
		}
	case "ago":
		if want(0, 1) {
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				return strconv.AppendInt(dst, e.now.Unix()-int64(ints[0]), 10)
			}
		}
	case "agoRFC":
		if want(0, 1) {
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				return e.now.Add(-time.Duration(ints[0])*time.Second).AppendFormat(dst, time.RFC3339)
			}
		}
	case "uuid", "now", "nowSec", "unix", "secret":
		if n != 0 {
			return nil
		}
		switch id.Ident {
		case "uuid":
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte { return append(dst, e.ids.UUID()...) }
		case "now":
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				return e.now.AppendFormat(dst, "2006-01-02T15:04:05.000Z")
			}
		case "nowSec":
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				return e.now.AppendFormat(dst, time.RFC3339)
			}
		case "unix":
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				return strconv.AppendInt(dst, e.now.Unix(), 10)
			}
		case "secret":
			return func(dst []byte, e *renderEnv, _ map[string]string) []byte {
				return append(dst, VerificationToken(e.ids)...)
			}
		}
	}
	return nil
}

// jsonText drops the whitespace outside strings from a JSON template's
// literal text, keeping track of strings across the actions between the
// pieces (the functions' output never holds a quote or a backslash).
type jsonText struct{ inString, escaped bool }

func (j *jsonText) compact(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, ch := range b {
		if j.inString {
			switch {
			case j.escaped:
				j.escaped = false
			case ch == '\\':
				j.escaped = true
			case ch == '"':
				j.inString = false
			}
			out = append(out, ch)
			continue
		}
		switch ch {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			j.inString = true
		}
		out = append(out, ch)
	}
	return out
}
