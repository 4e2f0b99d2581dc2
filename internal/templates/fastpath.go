package templates

import (
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
)

// segment appends one piece of a rendered template: literal text, a field
// of dot, or a call of a template function.
type segment func(dst []byte) []byte

// fastSegments turns a parsed template into segments when every action is
// one that needs no reflection: a field of dot ({{.Event}}), or a call of
// one of funcs with literal arguments ({{alnum 16}}). Templates that use
// anything else (pipes, conditions, variables, other templates) return nil
// and run through text/template. The output is byte for byte what
// text/template prints (fastpath_test.go holds it to that), except that
// with compactJSON the literal text loses the whitespace outside JSON
// strings (what json.Compact would remove afterwards).
func fastSegments(t *template.Template, funcs template.FuncMap, dot map[string]string, compactJSON bool) []segment {
	if t.Tree == nil || t.Tree.Root == nil || len(t.Templates()) > 1 {
		return nil
	}
	var segs []segment
	var js jsonText
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			text := n.Text
			if compactJSON {
				text = js.compact(text)
			}
			segs = append(segs, func(dst []byte) []byte { return append(dst, text...) })
		case *parse.ActionNode:
			s := fastAction(n.Pipe, funcs, dot)
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

func fastAction(p *parse.PipeNode, funcs template.FuncMap, dot map[string]string) segment {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) == 0 {
		return nil
	}
	args := p.Cmds[0].Args
	switch n := args[0].(type) {
	case *parse.FieldNode:
		v, ok := dot[n.Ident[0]]
		if len(args) != 1 || len(n.Ident) != 1 || !ok || strings.ContainsAny(v, `"\`) {
			return nil
		}
		return func(dst []byte) []byte { return append(dst, v...) }
	case *parse.IdentifierNode:
		return fastCall(funcs[n.Ident], args[1:])
	}
	return nil
}

// fastCall binds a function of the table to literal arguments: strings,
// and integers at least 0 (a negative length makes the function panic,
// which text/template turns into an error).
func fastCall(fn any, args []parse.Node) segment {
	var strs []string
	var ints []int
	for _, a := range args {
		switch a := a.(type) {
		case *parse.StringNode:
			if strings.ContainsAny(a.Text, `"\`) {
				return nil // jsonText would lose track of the strings
			}
			strs = append(strs, a.Text)
		case *parse.NumberNode:
			if !a.IsInt || a.Int64 < 0 || a.Int64 != int64(int(a.Int64)) {
				return nil
			}
			ints = append(ints, int(a.Int64))
		default:
			return nil
		}
	}
	// want reports whether the literals are s strings, then i integers.
	want := func(s, i int) bool {
		return len(args) == s+i && len(strs) == s && len(ints) == i && (s == 0 || i == 0)
	}
	switch f := fn.(type) {
	case func() string:
		if want(0, 0) {
			return func(dst []byte) []byte { return append(dst, f()...) }
		}
	case func() int64:
		if want(0, 0) {
			return func(dst []byte) []byte { return strconv.AppendInt(dst, f(), 10) }
		}
	case func(string) string:
		if want(1, 0) {
			return func(dst []byte) []byte { return append(dst, f(strs[0])...) }
		}
	case func(int) string:
		if want(0, 1) {
			return func(dst []byte) []byte { return append(dst, f(ints[0])...) }
		}
	case func(int) int64:
		if want(0, 1) {
			return func(dst []byte) []byte { return strconv.AppendInt(dst, f(ints[0]), 10) }
		}
	case func(int, int) int:
		if want(0, 2) {
			return func(dst []byte) []byte { return strconv.AppendInt(dst, int64(f(ints[0], ints[1])), 10) }
		}
	}
	return nil
}

// jsonText drops the whitespace outside strings from a JSON template's
// literal text, keeping track of strings across the actions between the
// pieces (fastAction takes no action whose output could hold a quote or
// a backslash: the functions print ids, digits and times).
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
