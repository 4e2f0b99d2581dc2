package catalog

// A small interpreter for the templates' parse trees. It prints what
// text/template prints for the values a hookctl template can see, but it
// calls no method by reflection: text/template's execution does
// (reflect.Value.MethodByName), and that alone makes the linker keep every
// exported method of every type in the binary (a bigger binary that starts
// slower). The values are only those below; a template cannot reach any
// other type, so no method can ever be called.
//
//	nil (text/template's invalid value), string, bool, int, int64,
//	uint8 (index of a string), float64, complex128 and map[string]string (.)

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"text/template/parse"
	"time"
	"unicode"
	"unicode/utf8"
)

// function is a template function: the kinds of its fixed parameters
// ('s' string, 'i' int, 'v' any value), the kind of its variadic
// parameter (0 when it has none), and its body.
type function struct {
	in       string
	variadic byte
	call     func(e *renderEnv, a []any) (any, error)
}

// one makes a function body of one that cannot fail.
func one[T any](f func(e *renderEnv, a []any) T) func(e *renderEnv, a []any) (any, error) {
	return func(e *renderEnv, a []any) (any, error) { return f(e, a), nil }
}

// functions are the functions of TemplateHelp followed by text/template's
// builtins, with the parameters text/template gives them ('v' stands for
// its reflect.Value and interface{}).
var functions = map[string]function{
	"xid":    {in: "s", call: one(func(e *renderEnv, a []any) string { return e.ids.XID(a[0].(string)) })},
	"alnum":  {in: "i", call: one(func(e *renderEnv, a []any) string { return e.ids.Alnum(a[0].(int)) })},
	"uuid":   {call: one(func(e *renderEnv, _ []any) string { return e.ids.UUID() })},
	"hex":    {in: "i", call: one(func(e *renderEnv, a []any) string { return e.ids.Hex(a[0].(int)) })},
	"digits": {in: "i", call: one(func(e *renderEnv, a []any) string { return e.ids.Digits(a[0].(int)) })},
	"int":    {in: "ii", call: one(func(e *renderEnv, a []any) int { return e.ids.Int(a[0].(int), a[1].(int)) })},
	"now":    {call: one(func(e *renderEnv, _ []any) string { return e.now.Format("2006-01-02T15:04:05.000Z") })},
	"nowSec": {call: one(func(e *renderEnv, _ []any) string { return e.now.Format(time.RFC3339) })},
	"unix":   {call: one(func(e *renderEnv, _ []any) int64 { return e.now.Unix() })},
	"ago":    {in: "i", call: one(func(e *renderEnv, a []any) int64 { return e.now.Unix() - int64(a[0].(int)) })},
	"agoRFC": {in: "i", call: one(func(e *renderEnv, a []any) string {
		return e.now.Add(-time.Duration(a[0].(int)) * time.Second).Format(time.RFC3339)
	})},
	"secret": {call: one(func(e *renderEnv, _ []any) string { return VerificationToken(e.ids) })},

	"and":      {in: "v", variadic: 'v'}, // evaluated by the caller: they short-circuit
	"or":       {in: "v", variadic: 'v'},
	"not":      {in: "v", call: one(func(_ *renderEnv, a []any) bool { t, _ := isTrue(a[0]); return !t })},
	"len":      {in: "v", call: func(_ *renderEnv, a []any) (any, error) { return length(a[0]) }},
	"index":    {in: "v", variadic: 'v', call: func(_ *renderEnv, a []any) (any, error) { return index(a[0], a[1:]) }},
	"slice":    {in: "v", variadic: 'v', call: func(_ *renderEnv, a []any) (any, error) { return slice(a[0], a[1:]) }},
	"eq":       {in: "v", variadic: 'v', call: func(_ *renderEnv, a []any) (any, error) { return eq(a[0], a[1:]...) }},
	"ne":       {in: "vv", call: func(_ *renderEnv, a []any) (any, error) { t, err := eq(a[0], a[1]); return !t, err }},
	"lt":       {in: "vv", call: func(_ *renderEnv, a []any) (any, error) { return lt(a[0], a[1]) }},
	"le":       {in: "vv", call: func(_ *renderEnv, a []any) (any, error) { return le(a[0], a[1]) }},
	"gt":       {in: "vv", call: func(_ *renderEnv, a []any) (any, error) { t, err := le(a[0], a[1]); return !t && err == nil, err }},
	"ge":       {in: "vv", call: func(_ *renderEnv, a []any) (any, error) { t, err := lt(a[0], a[1]); return !t && err == nil, err }},
	"print":    {variadic: 'v', call: one(func(_ *renderEnv, a []any) string { return fmt.Sprint(a...) })},
	"printf":   {in: "s", variadic: 'v', call: one(func(_ *renderEnv, a []any) string { return fmt.Sprintf(a[0].(string), a[1:]...) })},
	"println":  {variadic: 'v', call: one(func(_ *renderEnv, a []any) string { return fmt.Sprintln(a...) })},
	"html":     {variadic: 'v', call: one(func(_ *renderEnv, a []any) string { return htmlEscaper.Replace(argsText(a)) })},
	"js":       {variadic: 'v', call: one(func(_ *renderEnv, a []any) string { return jsEscape(argsText(a)) })},
	"urlquery": {variadic: 'v', call: one(func(_ *renderEnv, a []any) string { return url.QueryEscape(argsText(a)) })},
	"call":     {in: "v", variadic: 'v'}, // rejected by checkTree
}

// functionNames is what the parser needs to know of functions: their names.
var functionNames = func() map[string]any {
	m := make(map[string]any, len(functions))
	for name := range functions {
		m[name] = true
	}
	return m
}()

// parseTemplate parses template text as text/template does, and rejects
// what the interpreter does not run.
func parseTemplate(name, src string) (*parse.Tree, error) {
	trees := map[string]*parse.Tree{}
	t := parse.New(name)
	if _, err := t.Parse(src, "", "", trees, functionNames); err != nil {
		return nil, fmt.Errorf("template %s: %v", name, err)
	}
	if len(trees) != 1 || trees[name] != t {
		return nil, fmt.Errorf("template %s: defining templates ({{define}}, {{block}}) is not supported in hookctl templates", name)
	}
	if err := checkTree(t, t.Root); err != nil {
		return nil, fmt.Errorf("template %s: %v", name, err)
	}
	return t, nil
}

// checkTree finds, before any render, what a hookctl template cannot do:
// invoke other templates, use call, or call a method (fields of fields,
// fields with arguments, arguments to values that are not functions). The
// values a template sees have no methods and their fields are strings, so
// these fail in text/template too, when they run.
func checkTree(t *parse.Tree, n parse.Node) error {
	unsupported := func(n parse.Node, what string) error {
		loc, ctx := t.ErrorContext(n)
		return fmt.Errorf("%s: %s: %s is not supported in hookctl templates", loc, ctx, what)
	}
	var kids []parse.Node
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			kids = n.Nodes
		}
	case *parse.ActionNode:
		kids = []parse.Node{n.Pipe}
	case *parse.IfNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.RangeNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.WithNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.TemplateNode:
		return unsupported(n, "invoking a template")
	case *parse.PipeNode:
		if n == nil {
			return nil
		}
		for i, cmd := range n.Cmds {
			called := len(cmd.Args) > 1 || i > 0 // arguments, or the previous command's value
			switch w := cmd.Args[0].(type) {
			case *parse.FieldNode, *parse.ChainNode:
				if called {
					return unsupported(cmd, "calling a method")
				}
			case *parse.VariableNode:
				if called && len(w.Ident) > 1 {
					return unsupported(cmd, "calling a method")
				}
				if called {
					return unsupported(cmd, "giving arguments to a variable (not a function)")
				}
			case *parse.IdentifierNode:
			default:
				if called {
					return unsupported(cmd, "giving arguments to a value (not a function)")
				}
			}
			kids = append(kids, cmd.Args...)
		}
	case *parse.IdentifierNode:
		if n.Ident == "call" {
			return unsupported(n, "call")
		}
	case *parse.FieldNode:
		if len(n.Ident) > 1 {
			return unsupported(n, "a field of a field")
		}
	case *parse.VariableNode:
		if len(n.Ident) > 2 {
			return unsupported(n, "a field of a field")
		}
	case *parse.ChainNode:
		if len(n.Field) > 1 {
			return unsupported(n, "a field of a field")
		}
		kids = []parse.Node{n.Node}
	}
	for _, k := range kids {
		if k == nil || k == (*parse.ListNode)(nil) || k == (*parse.PipeNode)(nil) {
			continue
		}
		if err := checkTree(t, k); err != nil {
			return err
		}
	}
	return nil
}

// state is one execution of a template.
type state struct {
	tree *parse.Tree
	env  *renderEnv
	w    *bytes.Buffer
	node parse.Node // the node being run, for errors
	vars []variable // $, then the variables in scope, innermost last
}

type variable struct {
	name  string
	value any
}

// execError stops an execution; run returns it.
type execError struct{ err error }

// control is how a walk ends: normally, or at {{break}} or {{continue}}.
type control int

const (
	done control = iota
	breakLoop
	continueLoop
)

// run executes t with data as dot into w (text/template's Execute, with
// the option missingkey=error). On error, w holds partial output.
func run(t *parse.Tree, e *renderEnv, data map[string]string, w *bytes.Buffer) (err error) {
	s := &state{tree: t, env: e, w: w, vars: []variable{{"$", data}}}
	defer func() {
		switch r := recover().(type) {
		case nil:
		case execError:
			err = r.err
		default: // a bug here: an error all the same (the fuzz tests look for them)
			err = fmt.Errorf("template: %s: internal error: %v", t.Name, r)
		}
	}()
	s.walk(data, t.Root)
	return nil
}

func (s *state) at(n parse.Node) { s.node = n }

// errorf stops the execution with text/template's message for the error.
func (s *state) errorf(format string, args ...any) {
	err := fmt.Errorf(format, args...)
	if s.node == nil {
		err = fmt.Errorf("template: %s: %w", s.tree.Name, err)
	} else {
		loc, ctx := s.tree.ErrorContext(s.node)
		err = fmt.Errorf("template: %s: executing %q at <%s>: %w", loc, s.tree.Name, ctx, err)
	}
	panic(execError{err})
}

func (s *state) push(name string, v any) { s.vars = append(s.vars, variable{name, v}) }
func (s *state) mark() int               { return len(s.vars) }
func (s *state) pop(mark int)            { s.vars = s.vars[:mark] }

func (s *state) lookup(name string) *variable {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return &s.vars[i]
		}
	}
	s.errorf("undefined variable: %s", name)
	return nil
}

func (s *state) walk(dot any, n parse.Node) control {
	s.at(n)
	switch n := n.(type) {
	case *parse.ActionNode:
		// Variables it declares stay until the enclosing {{end}}.
		v := s.evalPipeline(dot, n.Pipe)
		if len(n.Pipe.Decl) == 0 {
			s.print(v)
		}
	case *parse.BreakNode:
		return breakLoop
	case *parse.ContinueNode:
		return continueLoop
	case *parse.CommentNode:
	case *parse.IfNode:
		return s.walkIfOrWith(false, dot, n.Pipe, n.List, n.ElseList)
	case *parse.WithNode:
		return s.walkIfOrWith(true, dot, n.Pipe, n.List, n.ElseList)
	case *parse.ListNode:
		for _, k := range n.Nodes {
			if c := s.walk(dot, k); c != done {
				return c
			}
		}
	case *parse.RangeNode:
		return s.walkRange(dot, n)
	case *parse.TextNode:
		s.w.Write(n.Text)
	default:
		s.errorf("%s is not supported in hookctl templates", n)
	}
	return done
}

func (s *state) print(v any) {
	switch v := v.(type) {
	case nil:
		s.w.WriteString("<no value>")
	case string:
		s.w.WriteString(v)
	default:
		fmt.Fprint(s.w, v)
	}
}

func (s *state) walkIfOrWith(with bool, dot any, pipe *parse.PipeNode, list, elseList *parse.ListNode) control {
	defer s.pop(s.mark())
	v := s.evalPipeline(dot, pipe)
	truth, ok := isTrue(v)
	if !ok {
		s.errorf("if/with can't use %v", v)
	}
	switch {
	case truth && with:
		return s.walk(v, list)
	case truth:
		return s.walk(dot, list)
	case elseList != nil:
		return s.walk(dot, elseList)
	}
	return done
}

func (s *state) walkRange(dot any, r *parse.RangeNode) control {
	s.at(r)
	defer s.pop(s.mark())
	v := s.evalPipeline(dot, r.Pipe)
	mark := s.mark()
	decl := r.Pipe.Decl
	// each runs one iteration and reports whether to go on.
	each := func(index, elem any) bool {
		switch {
		case len(decl) > 1 && r.Pipe.IsAssign:
			s.lookup(decl[0].Ident[0]).value = index
			s.lookup(decl[1].Ident[0]).value = elem
		case len(decl) > 1:
			s.vars[mark-2].value, s.vars[mark-1].value = index, elem
		case len(decl) == 1 && r.Pipe.IsAssign:
			s.lookup(decl[0].Ident[0]).value = elem
		case len(decl) == 1:
			s.vars[mark-1].value = elem
		}
		c := s.walk(elem, r.List)
		s.pop(mark)
		return c != breakLoop
	}
	ran := false
	switch n := v.(type) {
	case int, int64, uint8:
		if len(decl) > 1 {
			s.errorf("can't use %v to iterate over more than one variable", v)
		}
		switch n := n.(type) {
		case int:
			ran = rangeInt(n, each)
		case int64:
			ran = rangeInt(n, each)
		case uint8:
			ran = rangeInt(n, each)
		}
	case map[string]string:
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ran = true
			if !each(k, n[k]) {
				break
			}
		}
	case nil: // like an empty map
	default:
		s.errorf("range can't iterate over %v", v)
	}
	if !ran && r.ElseList != nil {
		return s.walk(dot, r.ElseList)
	}
	return done
}

func rangeInt[T int | int64 | uint8](n T, each func(index, elem any) bool) bool {
	for i := T(0); i < n && each(nil, i); i++ {
	}
	return n > 0
}

// evalPipeline returns the value of a pipeline, the value of each command
// passed as the last argument of the next; it declares or assigns the
// pipeline's variables.
func (s *state) evalPipeline(dot any, pipe *parse.PipeNode) any {
	if pipe == nil {
		return nil
	}
	s.at(pipe)
	var v any
	for i, cmd := range pipe.Cmds {
		v = s.evalCommand(dot, cmd, v, i > 0)
	}
	for _, d := range pipe.Decl {
		if pipe.IsAssign {
			s.lookup(d.Ident[0]).value = v
		} else {
			s.push(d.Ident[0], v)
		}
	}
	return v
}

// evalCommand evaluates a command; final is the previous command's value
// when hasFinal.
func (s *state) evalCommand(dot any, cmd *parse.CommandNode, final any, hasFinal bool) any {
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		s.at(n)
		return s.evalFields(dot, n, n.Ident, cmd.Args, hasFinal)
	case *parse.ChainNode:
		return s.evalChain(dot, n, cmd.Args, hasFinal)
	case *parse.IdentifierNode:
		return s.evalFunction(dot, n, cmd, cmd.Args[1:], final, hasFinal)
	case *parse.PipeNode:
		s.notAFunction(cmd.Args, hasFinal)
		return s.evalPipeline(dot, n)
	case *parse.VariableNode:
		return s.evalVariable(dot, n, cmd.Args, hasFinal)
	}
	first := cmd.Args[0]
	s.at(first)
	s.notAFunction(cmd.Args, hasFinal)
	switch n := first.(type) {
	case *parse.BoolNode:
		return n.True
	case *parse.DotNode:
		return dot
	case *parse.NilNode:
		s.errorf("nil is not a command")
	case *parse.NumberNode:
		return s.number(n)
	case *parse.StringNode:
		return n.Text
	}
	s.errorf("can't evaluate command %q", first)
	return nil
}

func (s *state) notAFunction(args []parse.Node, hasFinal bool) {
	if len(args) > 1 || hasFinal {
		s.errorf("can't give argument to non-function %s", args[0])
	}
}

// number is the value of a number where no type is wanted: the syntax
// says int, float64 or complex128.
func (s *state) number(n *parse.NumberNode) any {
	s.at(n)
	isHexInt := len(n.Text) > 2 && n.Text[0] == '0' && (n.Text[1] == 'x' || n.Text[1] == 'X') && !strings.ContainsAny(n.Text, "pP")
	switch {
	case n.IsComplex:
		return n.Complex128
	case n.IsFloat && !isHexInt && !strings.HasPrefix(n.Text, "'") && strings.ContainsAny(n.Text, ".eEpP"):
		return n.Float64
	case n.IsInt:
		return int(n.Int64)
	case n.IsUint:
		s.errorf("%s overflows int", n.Text)
	}
	return nil
}

func (s *state) evalVariable(dot any, v *parse.VariableNode, args []parse.Node, hasFinal bool) any {
	s.at(v)
	value := s.lookup(v.Ident[0]).value
	if len(v.Ident) == 1 {
		s.notAFunction(args, hasFinal)
		return value
	}
	return s.evalFields(value, v, v.Ident[1:], args, hasFinal)
}

func (s *state) evalChain(dot any, c *parse.ChainNode, args []parse.Node, hasFinal bool) any {
	s.at(c)
	if len(c.Field) == 0 {
		s.errorf("internal error: no fields in evalChainNode")
	}
	if c.Node.Type() == parse.NodeNil {
		s.errorf("indirection through explicit nil in %s", c)
	}
	v := s.evalArg(dot, 'v', c.Node)
	return s.evalFields(v, c, c.Field, args, hasFinal)
}

// evalFields looks up .X.Y.Z in v. Only the data has fields: its keys.
func (s *state) evalFields(v any, n parse.Node, ident []string, args []parse.Node, hasFinal bool) any {
	for i, name := range ident {
		switch m := v.(type) {
		case nil:
			s.errorf("nil data; no entry for key %q", name)
		case map[string]string:
			if i == len(ident)-1 && (len(args) > 1 || hasFinal) {
				s.errorf("%s is not a method but has arguments", name)
			}
			x, ok := m[name]
			if !ok {
				s.errorf("map has no entry for key %q", name)
			}
			v = x
		default:
			s.errorf("can't evaluate field %s in type %T: fields of anything but the event data are not supported in hookctl templates", name, v)
		}
	}
	return v
}

// evalFunction calls a function; node is the call, for errors.
func (s *state) evalFunction(dot any, id *parse.IdentifierNode, node parse.Node, args []parse.Node, final any, hasFinal bool) any {
	s.at(id)
	name := id.Ident
	f, ok := functions[name]
	if !ok || (f.call == nil && name != "and" && name != "or") {
		s.errorf("%s is not supported in hookctl templates", name)
	}
	numIn := len(args)
	if hasFinal {
		numIn++
	}
	numFixed := len(args)
	if f.variadic != 0 {
		numFixed = len(f.in)
		if numIn < numFixed {
			s.errorf("wrong number of args for %s: want at least %d got %d", name, len(f.in), len(args))
		}
	} else if numIn != len(f.in) {
		s.errorf("wrong number of args for %s: want %d got %d", name, len(f.in), numIn)
	}
	if name == "and" || name == "or" {
		// The first argument that decides, or the last one.
		var v any
		for _, a := range args {
			v = s.evalArg(dot, 'v', a)
			if t, _ := isTrue(v); t == (name == "or") {
				return v
			}
		}
		if hasFinal {
			v = final
		}
		return v
	}
	argv := make([]any, numIn)
	kind := func(i int) byte {
		if i < len(f.in) {
			return f.in[i]
		}
		return f.variadic
	}
	for i, a := range args {
		argv[i] = s.evalArg(dot, kind(i), a)
	}
	if hasFinal {
		argv[numIn-1] = s.validate(final, kind(numIn-1))
	}
	v, err := safeCall(f, s.env, argv)
	if err != nil {
		s.at(node)
		s.errorf("error calling %s: %w", name, err)
	}
	return v
}

// safeCall runs a function, turning a panic (alnum -1) into an error as
// text/template does.
func safeCall(f function, e *renderEnv, args []any) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	return f.call(e, args)
}

// evalArg evaluates a function's argument for a parameter of the kind
// want (see function).
func (s *state) evalArg(dot any, want byte, n parse.Node) any {
	s.at(n)
	switch n := n.(type) {
	case *parse.DotNode:
		return s.validate(dot, want)
	case *parse.NilNode:
		if want == 's' || want == 'i' {
			s.errorf("cannot assign nil to %s", kindName(want))
		}
		return nil
	case *parse.FieldNode:
		return s.validate(s.evalFields(dot, n, n.Ident, nil, false), want)
	case *parse.VariableNode:
		return s.validate(s.evalVariable(dot, n, nil, false), want)
	case *parse.PipeNode:
		return s.validate(s.evalPipeline(dot, n), want)
	case *parse.IdentifierNode:
		return s.validate(s.evalFunction(dot, n, n, nil, nil, false), want)
	case *parse.ChainNode:
		return s.validate(s.evalChain(dot, n, nil, false), want)
	}
	switch want {
	case 's':
		if n, ok := n.(*parse.StringNode); ok {
			return n.Text
		}
		s.errorf("expected string; found %s", n)
	case 'i':
		if n, ok := n.(*parse.NumberNode); ok && n.IsInt {
			return int(n.Int64)
		}
		s.errorf("expected integer; found %s", n)
	}
	switch n := n.(type) {
	case *parse.BoolNode:
		return n.True
	case *parse.StringNode:
		return n.Text
	case *parse.NumberNode:
		return s.number(n)
	}
	s.errorf("can't handle assignment of %s to empty interface argument", n)
	return nil
}

// validate checks that v fits a parameter of kind want.
func (s *state) validate(v any, want byte) any {
	if want != 's' && want != 'i' {
		return v
	}
	if v == nil {
		s.errorf("invalid value; expected %s", kindName(want))
	}
	_, isString := v.(string)
	_, isInt := v.(int)
	if want == 's' && !isString || want == 'i' && !isInt {
		s.errorf("wrong type for value; expected %s; got %T", kindName(want), v)
	}
	return v
}

func kindName(k byte) string {
	if k == 's' {
		return "string"
	}
	return "int"
}

// isTrue is text/template's truth: not the zero value of its type.
func isTrue(v any) (truth, ok bool) {
	switch v := v.(type) {
	case nil:
		return false, true
	case string:
		return v != "", true
	case bool:
		return v, true
	case int:
		return v != 0, true
	case int64:
		return v != 0, true
	case uint8:
		return v != 0, true
	case float64:
		return v != 0, true
	case complex128:
		return v != 0, true
	case map[string]string:
		return len(v) > 0, true
	}
	return false, false
}

func length(v any) (int, error) {
	switch v := v.(type) {
	case string:
		return len(v), nil
	case map[string]string:
		return len(v), nil
	case nil:
		return 0, errors.New("len of nil")
	}
	return 0, fmt.Errorf("len of type %T", v)
}

// indexArg is an index of a string of length n, which may be n itself
// (the end of a slice).
func indexArg(v any, n int) (int, error) {
	var x int64
	switch v := v.(type) {
	case int:
		x = int64(v)
	case int64:
		x = v
	case uint8:
		x = int64(v)
	case nil:
		return 0, errors.New("cannot index slice/array with nil")
	default:
		return 0, fmt.Errorf("cannot index slice/array with type %T", v)
	}
	if x < 0 || x > int64(n) {
		return 0, fmt.Errorf("index out of range: %d", x)
	}
	return int(x), nil
}

func index(item any, indexes []any) (any, error) {
	if item == nil {
		return nil, errors.New("index of untyped nil")
	}
	for _, i := range indexes {
		switch v := item.(type) {
		case string:
			x, err := indexArg(i, len(v))
			if err != nil {
				return nil, err
			}
			if x == len(v) {
				return nil, fmt.Errorf("index out of range: %d", x)
			}
			item = v[x]
		case map[string]string:
			key, ok := i.(string)
			if !ok {
				if i == nil {
					return nil, errors.New("value is nil; should be of type string")
				}
				return nil, fmt.Errorf("value has type %T; should be string", i)
			}
			item = v[key]
		default:
			return nil, fmt.Errorf("can't index item of type %T", item)
		}
	}
	return item, nil
}

func slice(item any, indexes []any) (any, error) {
	if item == nil {
		return nil, errors.New("slice of untyped nil")
	}
	if len(indexes) > 3 {
		return nil, fmt.Errorf("too many slice indexes: %d", len(indexes))
	}
	str, ok := item.(string)
	if !ok {
		return nil, fmt.Errorf("can't slice item of type %T", item)
	}
	if len(indexes) == 3 {
		return nil, errors.New("cannot 3-index slice a string")
	}
	idx := [2]int{0, len(str)}
	for i, v := range indexes {
		x, err := indexArg(v, len(str))
		if err != nil {
			return nil, err
		}
		idx[i] = x
	}
	if idx[0] > idx[1] {
		return nil, fmt.Errorf("invalid slice index: %d > %d", idx[0], idx[1])
	}
	return str[idx[0]:idx[1]], nil
}

// Comparisons, as text/template's: of basic kinds; integers of any type
// and sign compare by value.

type basicKind int

const (
	invalidKind basicKind = iota
	boolKind
	complexKind
	intKind
	floatKind
	stringKind
	uintKind
)

var errBadComparisonType = errors.New("invalid type for comparison")

func kindOf(v any) basicKind {
	switch v.(type) {
	case bool:
		return boolKind
	case int, int64:
		return intKind
	case uint8:
		return uintKind
	case float64:
		return floatKind
	case complex128:
		return complexKind
	case string:
		return stringKind
	}
	return invalidKind
}

func toInt(v any) int64 {
	if i, ok := v.(int); ok {
		return int64(i)
	}
	return v.(int64)
}

// eq reports whether a equals any of bs.
func eq(a any, bs ...any) (bool, error) {
	if len(bs) == 0 {
		return false, errors.New("missing argument for comparison")
	}
	k1 := kindOf(a)
	for _, b := range bs {
		k2 := kindOf(b)
		truth := false
		switch {
		case k1 == intKind && k2 == uintKind:
			truth = toInt(a) >= 0 && toInt(a) == int64(b.(uint8))
		case k1 == uintKind && k2 == intKind:
			truth = toInt(b) >= 0 && int64(a.(uint8)) == toInt(b)
		case k1 != k2:
			if a != nil && b != nil {
				return false, fmt.Errorf("incompatible types for comparison: %T and %T", a, b)
			}
		case k1 == intKind:
			truth = toInt(a) == toInt(b)
		case k1 != invalidKind:
			truth = a == b // same kind, so the same type
		case a == nil || b == nil: // nil, or the data (a map)
			truth = a == nil && b == nil
		default:
			return false, fmt.Errorf("non-comparable type %v: %T", b, b)
		}
		if truth {
			return true, nil
		}
	}
	return false, nil
}

func lt(a, b any) (bool, error) {
	k1, k2 := kindOf(a), kindOf(b)
	switch {
	case k1 == invalidKind || k2 == invalidKind:
		return false, errBadComparisonType
	case k1 == intKind && k2 == uintKind:
		return toInt(a) < int64(b.(uint8)), nil
	case k1 == uintKind && k2 == intKind:
		return int64(a.(uint8)) < toInt(b), nil
	case k1 != k2:
		return false, fmt.Errorf("incompatible types for comparison: %T and %T", a, b)
	}
	switch a := a.(type) {
	case int, int64:
		return toInt(a) < toInt(b), nil
	case uint8:
		return a < b.(uint8), nil
	case float64:
		return a < b.(float64), nil
	case string:
		return a < b.(string), nil
	}
	return false, errBadComparisonType // bool, complex
}

func le(a, b any) (bool, error) {
	if t, err := lt(a, b); t || err != nil {
		return t, err
	}
	return eq(a, b)
}

// Escapers: html, js and urlquery print their arguments as print does,
// except that nil prints as "<no value>".

func argsText(args []any) string {
	if len(args) == 1 {
		if s, ok := args[0].(string); ok {
			return s
		}
	}
	for i, a := range args {
		if a == nil {
			args[i] = "<no value>"
		}
	}
	return fmt.Sprint(args...)
}

var htmlEscaper = strings.NewReplacer("\000", "\uFFFD", `"`, "&#34;", "'", "&#39;", "&", "&amp;", "<", "&lt;", ">", "&gt;")

// jsEscape is text/template's JSEscapeString.
func jsEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsPrint(r) {
				b.WriteString(s[i : i+size])
			} else {
				fmt.Fprintf(&b, "\\u%04X", r)
			}
			i += size
			continue
		}
		switch c {
		case '\\', '\'', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '<', '>', '&', '=':
			fmt.Fprintf(&b, "\\u%04X", c)
		default:
			if c < ' ' {
				fmt.Fprintf(&b, "\\u%04X", c)
			} else {
				b.WriteByte(c)
			}
		}
		i++
	}
	return b.String()
}
