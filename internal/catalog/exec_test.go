package catalog

import (
	"bytes"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/hookctl/hookctl/internal/ids"
)

// The interpreter (exec.go) must print what text/template prints. These
// tests run both on the same template, with the same ids and clock.

// textTemplateFuncs is the FuncMap hookctl gave text/template before
// exec.go replaced it.
func textTemplateFuncs(e *renderEnv) template.FuncMap {
	return template.FuncMap{
		"xid":    func(prefix string) string { return e.ids.XID(prefix) },
		"alnum":  func(n int) string { return e.ids.Alnum(n) },
		"uuid":   func() string { return e.ids.UUID() },
		"hex":    func(n int) string { return e.ids.Hex(n) },
		"digits": func(n int) string { return e.ids.Digits(n) },
		"int":    func(lo, hi int) int { return e.ids.Int(lo, hi) },
		"now":    func() string { return e.now.Format("2006-01-02T15:04:05.000Z") },
		"nowSec": func() string { return e.now.Format(time.RFC3339) },
		"unix":   func() int64 { return e.now.Unix() },
		"ago":    func(s int) int64 { return e.now.Unix() - int64(s) },
		"agoRFC": func(s int) string { return e.now.Add(-time.Duration(s) * time.Second).Format(time.RFC3339) },
		"secret": func() string { return "secret_" + e.ids.Alnum(43) },
	}
}

// outcome is one engine's result on a template.
type outcome struct {
	parseErr, execErr error
	out               string
}

func (o outcome) err() error {
	if o.parseErr != nil {
		return o.parseErr
	}
	return o.execErr
}

func testData(event string) map[string]string {
	base, action, _ := strings.Cut(event, ".")
	return map[string]string{"Event": event, "EventBase": base, "Action": action, "APIVersion": StripeAPIVersion}
}

// runBoth parses and executes src with text/template and with exec.go.
func runBoth(name, src string, data map[string]string, now time.Time) (ours, theirs outcome) {
	env := &renderEnv{ids: ids.Seeded(3, 4), now: now}
	if tree, err := parseTemplate(name, src); err != nil {
		ours.parseErr = err
	} else {
		var buf bytes.Buffer
		ours.execErr = run(tree, env, data, &buf)
		ours.out = buf.String()
	}
	tenv := &renderEnv{ids: ids.Seeded(3, 4), now: now}
	if tt, err := template.New(name).Funcs(textTemplateFuncs(tenv)).Option("missingkey=error").Parse(src); err != nil {
		theirs.parseErr = err
	} else {
		var buf bytes.Buffer
		theirs.execErr = tt.Execute(&buf, data)
		theirs.out = buf.String()
	}
	return ours, theirs
}

const unsupported = "is not supported in hookctl templates"

// compare reports how ours differs from text/template's outcome; "" when
// it does not. Ours may reject at parse time what it does not support
// (text/template then fails when it runs it, or does not run it).
func compare(ours, theirs outcome) string {
	switch {
	case ours.execErr != nil && strings.Contains(ours.execErr.Error(), "internal error"):
		return "ours panicked: " + ours.execErr.Error()
	case ours.parseErr != nil && strings.Contains(ours.parseErr.Error(), unsupported):
		return ""
	case (ours.parseErr == nil) != (theirs.parseErr == nil):
		return "parse: ours " + errText(ours.parseErr) + ", text/template " + errText(theirs.parseErr)
	case ours.parseErr != nil:
		if !strings.HasSuffix(ours.parseErr.Error(), ": "+theirs.parseErr.Error()) {
			return "parse error: ours " + ours.parseErr.Error() + ", text/template " + theirs.parseErr.Error()
		}
		return ""
	case (ours.execErr == nil) != (theirs.execErr == nil):
		return "execute: ours " + errText(ours.execErr) + " (output " + quote(ours.out) + "), text/template " + errText(theirs.execErr) + " (output " + quote(theirs.out) + ")"
	case ours.execErr == nil && ours.out != theirs.out:
		return "output: ours " + quote(ours.out) + ", text/template " + quote(theirs.out)
	case ours.execErr != nil:
		// The same message, but that ours may add a hint, and words
		// itself what text/template reports as a reflect panic.
		e1, e2 := ours.execErr.Error(), theirs.execErr.Error()
		if !strings.HasPrefix(e1, e2) && !strings.Contains(e2, "reflect: ") {
			return "error message: ours " + quote(e1) + ", text/template " + quote(e2)
		}
	}
	return ""
}

func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return "error " + quote(err.Error())
}

func quote(s string) string { return "«" + s + "»" }

// TestInterpreterMatchesTextTemplateOnBuiltins runs every built-in
// template, body and headers, through both: the templates the fast path
// does not take are the ones that matter here, the fast path has its own
// test.
func TestInterpreterMatchesTextTemplateOnBuiltins(t *testing.T) {
	slow := 0
	for _, p := range Builtins() {
		for _, ev := range p.EventNames() {
			text, name, err := p.TemplateSource(ev)
			if err != nil {
				t.Fatal(err)
			}
			srcs := map[string]string{name: string(text)}
			for k, h := range p.Headers {
				srcs[name+" header "+k] = h
			}
			for n, src := range srcs {
				tree, err := parseTemplate(n, src)
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
				if fastSegments(tree, false) == nil {
					slow++
				}
				ours, theirs := runBoth(n, src, testData(ev), testClock)
				if ours.err() != nil || theirs.err() != nil {
					t.Errorf("%s: ours %v, text/template %v", n, ours.err(), theirs.err())
				} else if ours.out != theirs.out {
					t.Errorf("%s: output differs from text/template:\n%s\n%s", n, ours.out, theirs.out)
				}
			}
		}
	}
	if slow == 0 {
		t.Error("no built-in template needs the interpreter: the test proves nothing about it")
	}
	t.Logf("%d built-in templates need the interpreter", slow)
}

// interpreterCases are the constructs templates use, and their errors.
// Each runs through text/template too; they also seed FuzzInterpreter.
var interpreterCases = []string{
	// text, comments, trim markers
	"plain text\n",
	"a {{/* a comment */}} b",
	"a  {{- /* trimmed */ -}}  b",
	"x {{- .Event -}} y {{- 1 }} z",
	"",
	// fields of dot
	"{{.Event}}/{{.EventBase}}/{{.Action}}",
	"{{.}}|{{$}}",
	"{{$.Event}}{{(.).Action}}{{(index . \"Event\")}}",
	"before {{.Missing}} after",
	"{{$.Nope}}",
	"{{with .Event}}{{.X}}{{end}}",
	"{{$x := .Event}}{{$x.Y}}",
	"{{(.Event).Y}}",
	"{{$x := and nil 1}}{{$x.Y}}",
	// variables
	"{{$x := 1}}{{$x}}",
	"{{$x := 1}}{{$x = \"two\"}}{{$x}}",
	"{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}",
	"{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}",
	"{{$x := 1}}{{with $x := 3}}{{$x}}{{end}}{{$x}}",
	"{{$x := 1}}{{range 2}}{{$x = .}}{{$y := .}}{{$y}}{{end}}{{$x}}",
	"{{if true}}{{$x := 1}}{{end}}{{$x}}",
	"{{$x = 1}}",
	"{{$x := uuid}}{{$x}}={{$x}}",
	"{{$a, $b := 1}}",
	// functions and arguments
	"{{xid \"evt_\"}} {{xid `raw_`}} {{xid .Event}} {{.Action | xid}} {{\"p_\" | xid}}",
	"{{alnum 8}} {{alnum 8.0}} {{alnum 1e1}} {{alnum 0x3}} {{alnum 'a'}} {{alnum 0b11}} {{alnum 0o7}} {{alnum 1_0}}",
	"{{uuid}} {{now}} {{nowSec}} {{unix}} {{ago 60}} {{agoRFC 60}} {{secret}} {{hex 8}} {{digits 4}} {{int 5 9}}",
	"{{8 | alnum}} {{$n := 3}}{{hex $n}} {{int 1 (len \"abcd\")}} {{ago (int 1 5)}} {{(int 2 2) | digits}}",
	"{{printf \"%T %T %T %T %T %T %T\" unix 1 1.5 1i true \"s\" (index \"a\" 0)}}",
	"{{alnum \"8\"}}",
	"{{alnum true}}",
	"{{alnum nil}}",
	"{{alnum -1}}",
	"{{alnum}}",
	"{{alnum 1 2}}",
	"{{int 1 unix}}",
	"{{xid 1}}",
	"{{xid (and nil 1)}}",
	"{{xid .}}",
	"{{1 | xid}}",
	"{{uuid 1}}",
	"{{1 | uuid}}",
	"{{alnum 1.5}}",
	"{{int 9 1}}",
	// literals
	"{{1}} {{1.5}} {{1e3}} {{0x10}} {{0x1p4}} {{'a'}} {{1i}} {{-5}} {{+5}} {{1_000}} {{true}} {{false}} {{\"s\\t\"}} {{`r\\t`}}",
	"{{nil}}",
	"{{print nil}} {{print nil nil}} {{print 1 2}} {{print \"a\" 1 2 \"b\"}}",
	"{{99999999999999999999}}",
	"{{print 99999999999999999999}}",
	"{{eq 99999999999999999999 nil}}",
	"{{18446744073709551615}}",
	"{{1e400}}",
	// pipelines
	"{{.Event | printf \"%s!\"}}",
	"{{\"a\" | printf \"%s-%s\" \"b\"}}",
	"{{1 | print 2 | print 3}}",
	"{{(print 1 2)}} {{print (print 1) (print 2)}} {{(1)}}",
	"{{\"x\" | printf}}",
	"{{printf}}",
	"{{printf 3}}",
	"{{printf .Event 1}}",
	"{{printf \"%d\"}}",
	// builtins
	"{{println 1 \"a\"}}{{println}}{{print}}",
	"{{len \"abc\"}} {{len .}} {{len \"\"}} {{\"abcd\" | len}}",
	"{{len 1}}",
	"{{len nil}}",
	"{{len}}",
	"{{index . \"Event\"}} {{index . \"nope\"}} {{index \"abc\" 1}} {{index \"abc\"}} {{index . \"Action\" 0}}",
	"{{index \"abc\" 3}}",
	"{{index \"abc\" 5}}",
	"{{index \"abc\" -1}}",
	"{{index \"abc\" 1.5}}",
	"{{index \"abc\" nil}}",
	"{{index \"abc\" \"x\"}}",
	"{{index . 1}}",
	"{{index . nil}}",
	"{{index 1 1}}",
	"{{index nil 1}}",
	"{{index \"abc\" 1 0}}",
	"{{index \"abc\" (index \"\\x01\" 0)}} {{index \"abc\" unix}}",
	"{{slice \"abcdef\" 1 3}} {{slice \"abc\"}} {{slice \"abc\" 1}} {{slice \"abc\" 3}} {{slice \"abc\" 0 3}} {{slice .Event 0 1}}",
	"{{slice \"abc\" 2 1}}",
	"{{slice \"abc\" 1 2 3}}",
	"{{slice \"abc\" 1 2 3 4}}",
	"{{slice \"abc\" 0 4}}",
	"{{slice . 1}}",
	"{{slice 1}}",
	"{{slice nil}}",
	"{{eq 1 1}} {{eq 1 2 3 1}} {{eq \"a\" \"a\"}} {{eq nil nil}} {{eq 1 nil}} {{eq nil 1}} {{eq . nil}} {{eq 1.5 1.5}} {{eq true true}} {{eq 1i 1i}}",
	"{{eq unix 1}} {{eq (index \"a\" 0) 97}} {{eq 97 (index \"a\" 0)}} {{eq -1 (index \"a\" 0)}} {{eq (index \"a\" 0) (index \"b\" 0)}} {{eq 1 2 nil}}",
	"{{eq 0 (index \"\\x00\" 0)}} {{eq (index \"\\x00\" 0) 0}} {{lt (index \"\\x00\" 0) 0}} {{le 0 (index \"\\x00\" 0)}}",
	"{{eq 1 \"a\"}}",
	"{{eq 1 2 \"a\"}}",
	"{{eq 1 1 \"a\"}}",
	"{{eq 1}}",
	"{{eq . .}}",
	"{{eq . 1}}",
	"{{eq 1.0 1}}",
	"{{ne 1 2}} {{ne \"a\" \"a\"}} {{ne nil nil}}",
	"{{ne 1 \"a\"}}",
	"{{ne 1 2 3}}",
	"{{lt 1 2}} {{lt \"a\" \"b\"}} {{lt 1.5 2.5}} {{lt (index \"a\" 0) 98}} {{lt -1 (index \"a\" 0)}} {{lt unix 1}} {{lt 2 1}}",
	"{{le 1 1}} {{le 2 1}} {{gt 2 1}} {{gt 1 1}} {{ge 1 1}} {{ge 0 1}} {{le \"b\" \"a\"}}",
	"{{lt true false}}",
	"{{lt 1 1.5}}",
	"{{lt nil 1}}",
	"{{lt 1i 2i}}",
	"{{gt . 1}}",
	"{{ge 1 \"a\"}}",
	"{{le true true}}",
	"{{and 1 0 2}} {{and 1 2}} {{or 0 \"\" \"x\"}} {{or 0 \"\"}} {{and nil 1}} {{or nil}} {{and .}}",
	"{{and (uuid) 0 (uuid)}} {{or (uuid) (uuid)}} {{uuid}}",
	"{{or 1 (index 1 1)}} {{and 0 (index 1 1)}}",
	"{{1 | and 2}} {{0 | or 0}} {{0 | and 1}} {{1 | or 0}} {{and 1 0 | or \"z\"}}",
	"{{and}}",
	"{{or}}",
	"{{and 1 (index 1 1)}}",
	"{{not 0}} {{not .}} {{not \"\"}} {{not nil}} {{not 1.5}} {{not 0i}} {{1 | not}}",
	"{{not}}",
	"{{not 1 2}}",
	"{{html \"<a href='x'>&\\\"\\x00</a>\"}} {{html 1 nil 2}} {{html nil}} {{html}} {{html .}} {{html 1 2}} {{html \"a\" \"b\"}}",
	"{{js \"a'b\\\"c<>&=\\\\\\n\\t\\x01\\x7fü\\u2028\\xff\"}} {{js 1 2}} {{js nil}} {{js \"\"}}",
	"{{urlquery \"a b&c=d/é?\"}} {{urlquery 1 2}} {{urlquery}} {{.Event | urlquery}}",
	// if, with
	"{{if .Action}}a{{else}}b{{end}}",
	"{{if eq .Action \"x\"}}a{{else if eq .Action \"created\"}}b{{else}}c{{end}}",
	"{{if 0}}a{{end}}|{{if .}}y{{end}}|{{if 1.5}}f{{end}}|{{if 1i}}c{{end}}|{{if \"\"}}e{{end}}|{{if nil}}n{{end}}",
	"{{if $x := 1}}{{$x}}{{else}}{{$x}}{{end}}",
	"{{if $x := 0}}{{$x}}{{else}}else {{$x}}{{end}}",
	"{{if and}}x{{end}}",
	"{{if .Missing}}x{{end}}",
	"{{with .Action}}[{{.}}]{{else}}none{{end}}",
	"{{with \"\"}}x{{else}}y {{.Event}}{{end}}",
	"{{with $x := 5}}{{$x}}{{.}}{{end}}",
	"{{with 0}}zero{{else with 1}}one {{.}}{{end}}",
	"{{with .}}{{.Event}}{{end}}",
	// range
	"{{range 3}}{{.}}{{end}}|{{range $i := 3}}{{$i}}{{end}}|{{range $i := 3}}{{printf \"%T\" $i}}{{end}}",
	"{{range 0}}x{{else}}empty{{end}} {{range -2}}x{{else}}neg{{end}}",
	"{{range .}}{{.}},{{end}} {{range $k, $v := .}}{{$k}}={{$v}};{{end}} {{range $v := .}}{{$v}}{{end}}",
	"{{range $i := unix | printf \"%d\" | len}}{{printf \"%T\" $i}}{{end}}",
	"{{range $x := index \"\\x03\" 0}}{{printf \"%T%v\" $x $x}}{{end}}",
	"{{range $i := ago 1739874595}}{{printf \"%T%v\" $i $i}}{{end}}",
	"{{range $i, $v := 3}}{{end}}",
	"{{range \"abc\"}}{{end}}",
	"{{range 1.5}}{{end}}",
	"{{range true}}{{end}}",
	"{{range nil}}{{end}}",
	"{{range and nil 1}}x{{else}}nil {{.Event}}{{end}}",
	"{{range 5}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}",
	"{{range $i := 4}}{{if eq $i 1}}{{continue}}{{end}}{{$i}}{{end}}",
	"{{range 3}}{{range 3}}{{if eq . 1}}{{break}}{{end}}{{.}}{{end}};{{end}}",
	"{{range $i := 2}}{{$y := $i}}{{$y}}{{with 1}}{{$z := 2}}{{continue}}{{end}}x{{end}}",
	"{{range $x := 2}}{{end}}{{$x}}",
	"{{range 2}}{{$}}{{end}}",
	"{{$i := 9}}{{$v := \"\"}}{{range $i, $v = .}}{{end}}{{$i}}{{$v}}",
	"{{$v := 9}}{{range $v = 3}}{{end}}{{$v}}",
	"{{range $k, $v := .}}{{else}}{{$k}}{{end}}",
	"{{range $v := 0}}{{else}}[{{$v}}]{{end}}",
	"{{break}}",
	"{{range 2}}{{break 1}}{{end}}",
	"{{if}}{{end}}",
	"{{end}}",
	"{{range .Missing}}{{end}}",
	// unsupported: rejected before any render
	"{{define \"a\"}}x{{end}}",
	"{{define \"x.json\"}}x{{end}}",
	"{{template \"a\"}}",
	"{{block \"b\" .}}x{{end}}",
	"{{call .Event}}",
	"{{.Event.Foo}}",
	"{{$.Event.Foo}}",
	"{{(.).Event.Foo}}",
	"{{.Event 1}}",
	"{{\"x\" | .Event}}",
	"{{$x := 1}}{{$x 2}}",
	"{{$x := .}}{{$x.Event 2}}",
	"{{\"a\" \"b\"}}",
	"{{(print 1) 2}}",
	"{{1 | (print)}}",
	"{{if false}}{{.Event.Foo}}{{end}}",
}

func TestInterpreterMatchesTextTemplate(t *testing.T) {
	for _, src := range interpreterCases {
		for _, event := range []string{"x.created", "ping"} {
			ours, theirs := runBoth("x.json", src, testData(event), testClock)
			if d := compare(ours, theirs); d != "" {
				t.Errorf("%q (%s): %s", src, event, d)
			}
		}
	}
}

// TestInterpreterRejectsWhatItDoesNotSupport: {{template}}, {{define}},
// {{block}}, call and method calls fail at compile time, with a message
// that says so.
func TestInterpreterRejectsWhatItDoesNotSupport(t *testing.T) {
	start := -1
	for i, src := range interpreterCases {
		if strings.HasPrefix(src, "{{define") {
			start = i
			break
		}
	}
	for _, src := range interpreterCases[start:] {
		p := Builtins()[0]
		_, err := p.CompileSource("x.created", "x.json", []byte(src))
		if err == nil || !strings.HasPrefix(err.Error(), "template x.json: ") || !strings.HasSuffix(err.Error(), unsupported) {
			t.Errorf("%q: CompileSource error %v, want template x.json: ... %s", src, err, unsupported)
		}
	}
}

// TestRenderErrorsKeepTheirStyle: errors at render still read
// "template NAME: ..." with text/template's location and context.
func TestRenderErrorsKeepTheirStyle(t *testing.T) {
	p := Builtins()[0]
	_, err := p.RenderSource("x.created", "x.json", []byte("{\n\"a\": \"{{.Nope}}\"}"), RenderOptions{})
	want := `template x.json: template: x.json:2:8: executing "x.json" at <.Nope>: map has no entry for key "Nope"`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

// fuzzClock is a small clock, so that unix and ago stay small numbers
// when a fuzzed template ranges over them.
var fuzzClock = time.Unix(100, 250e6).UTC()

// FuzzInterpreter: on any template text, ours never panics; when
// text/template runs it, ours prints the same bytes, and when
// text/template fails, ours fails too (at compile time for what hookctl
// does not support).
func FuzzInterpreter(f *testing.F) {
	for _, src := range interpreterCases {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if !tame(src) {
			return
		}
		if _, err := parseTemplate("x.json", src); err != nil && strings.Contains(err.Error(), unsupported) {
			return // text/template may recurse through {{template}}s for long
		}
		ours, theirs := runBoth("x.json", src, testData("x.created"), fuzzClock)
		if d := compare(ours, theirs); d != "" {
			t.Errorf("%q: %s", src, d)
		}
	})
}

// tame reports whether a template runs in little time and memory in both
// engines: short, small numbers, at most two ranges. Others are skipped.
func tame(src string) bool {
	if len(src) > 2000 {
		return false
	}
	trees, err := parse.Parse("x.json", src, "", "", functionNames)
	if err != nil {
		return true // both fail to parse it
	}
	ranges, ok := 0, true
	var visit func(n parse.Node)
	visit = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, k := range n.Nodes {
					visit(k)
				}
			}
		case *parse.ActionNode:
			visit(n.Pipe)
		case *parse.IfNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.WithNode:
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.RangeNode:
			ranges++
			visit(n.Pipe)
			visit(n.List)
			visit(n.ElseList)
		case *parse.TemplateNode:
			visit(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					for _, a := range c.Args {
						visit(a)
					}
				}
			}
		case *parse.ChainNode:
			visit(n.Node)
		case *parse.NumberNode:
			big := func(x float64) bool { return x > 100 || x < -100 }
			if n.IsInt && big(float64(n.Int64)) || n.IsUint && n.Uint64 > 100 || n.IsFloat && big(n.Float64) ||
				n.IsComplex && (big(real(n.Complex128)) || big(imag(n.Complex128))) {
				ok = false
			}
		case *parse.StringNode:
			if strings.Contains(n.Text, "%") && strings.ContainsAny(n.Text, "123456789") {
				ok = false // printf widths
			}
		}
	}
	for _, tr := range trees {
		visit(tr.Root)
	}
	return ok && ranges <= 2
}

// FuzzInterpreterGrammar is FuzzInterpreter on templates the bytes pick
// from a grammar of the constructs: most of them parse and run, where
// random text mostly fails to parse.
func FuzzInterpreterGrammar(f *testing.F) {
	f.Add([]byte("seed"))
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{3, 2, 1, 4, 0, 3, 2, 7, 1, 1, 0, 4, 6, 2, 5, 1, 3, 3, 9, 2, 4, 8, 1, 0, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		g := &grammar{b: b}
		g.list(0)
		src := g.out.String()
		if !tame(src) {
			return
		}
		event := "x.created"
		if len(b) > 0 && b[0]%3 == 0 {
			event = "ping"
		}
		ours, theirs := runBoth("x.json", src, testData(event), fuzzClock)
		if d := compare(ours, theirs); d != "" {
			t.Errorf("%q: %s", src, d)
		}
	})
}

// grammar writes a template, each choice taken from the next byte.
type grammar struct {
	b      []byte
	out    strings.Builder
	vars   []string // declared, in scope
	n      int      // variables declared so far
	ranges int      // ranges written so far
	loop   int      // depth of ranges around the current point
}

// pick takes a choice in [0, n): n-1 once the bytes run out, which ends
// every loop of choices.
func (g *grammar) pick(n int) int {
	if len(g.b) == 0 {
		return n - 1
	}
	c := int(g.b[0]) % n
	g.b = g.b[1:]
	return c
}

func (g *grammar) w(s ...string) {
	for _, x := range s {
		g.out.WriteString(x)
	}
}

func (g *grammar) oneOf(s ...string) string { return s[g.pick(len(s))] }

func (g *grammar) list(depth int) {
	for i, n := 0, 1+g.pick(4); i < n && len(g.b) > 0; i++ {
		switch g.pick(10) {
		case 0:
			g.w(g.oneOf("a", " ", "\n", "{", `"`, "{{/* c */}}", "  {{- /* c */ -}}  "))
		case 1, 2, 3:
			g.w("{{")
			if len(g.vars) > 0 && g.pick(4) == 0 {
				g.w(g.vars[g.pick(len(g.vars))], " = ")
			} else if g.pick(3) == 0 {
				g.declare()
				g.w(" := ")
			}
			g.pipeline(depth)
			g.w(g.oneOf("}}", " -}}"))
		case 4, 5:
			if depth < 4 {
				g.control(g.oneOf("if", "with", "range"), depth)
			}
		case 6:
			if g.loop > 0 {
				g.w(g.oneOf("{{break}}", "{{continue}}"))
			}
		default:
			g.w("{{")
			g.operand(depth)
			g.w("}}")
		}
	}
}

// declare writes a new variable's name; it is in scope until the end of
// the enclosing control.
func (g *grammar) declare() {
	g.n++
	v := "$v" + string(rune('0'+g.n%10))
	g.vars = append(g.vars, v)
	g.w(v)
}

func (g *grammar) control(kind string, depth int) {
	if kind == "range" && g.ranges >= 2 {
		kind = "if"
	}
	scope := len(g.vars)
	g.w("{{", kind, " ")
	if kind == "range" {
		g.ranges++
		switch g.pick(4) {
		case 0:
			g.declare()
			g.w(" := ")
		case 1:
			g.declare()
			g.w(", ")
			g.declare()
			g.w(" := ")
		}
		g.w(g.oneOf("3", "0", "-1", ".", "$", "(len .Action)", "(index \"\\x02\" 0)", "(and nil 1)", "\"ab\""), "}}")
		g.loop++
		g.list(depth + 1)
		g.loop--
	} else {
		if g.pick(4) == 0 {
			g.declare()
			g.w(" := ")
		}
		g.pipeline(depth)
		g.w("}}")
		g.list(depth + 1)
	}
	for g.pick(3) == 0 && kind != "range" {
		g.w("{{else ", kind, " ")
		g.pipeline(depth)
		g.w("}}")
		g.list(depth + 1)
	}
	if g.pick(2) == 0 {
		g.w("{{else}}")
		g.list(depth + 1)
	}
	g.w("{{end}}")
	g.vars = g.vars[:scope]
}

var grammarFuncs = []string{
	"print", "printf", "println", "len", "index", "slice", "eq", "ne", "lt", "le", "gt", "ge",
	"and", "or", "not", "html", "js", "urlquery",
	"xid", "alnum", "uuid", "hex", "digits", "int", "now", "nowSec", "unix", "ago", "agoRFC", "secret",
}

func (g *grammar) pipeline(depth int) {
	if g.pick(3) == 0 {
		g.operand(depth)
	} else {
		g.call(depth)
	}
	for g.pick(3) == 0 {
		g.w(" | ")
		g.call(depth)
	}
}

func (g *grammar) call(depth int) {
	g.w(grammarFuncs[g.pick(len(grammarFuncs))])
	for i, n := 0, g.pick(4); i < n; i++ {
		g.w(" ")
		g.operand(depth)
	}
}

func (g *grammar) operand(depth int) {
	switch g.pick(6) {
	case 0:
		g.w(g.oneOf(".Event", ".Action", ".EventBase", ".", "$", "$.Event", ".Missing"))
	case 1:
		if len(g.vars) > 0 {
			g.w(g.vars[g.pick(len(g.vars))])
			return
		}
		g.w("$")
	case 2:
		if depth < 4 {
			g.w("(")
			g.pipeline(depth + 1)
			g.w(")")
			return
		}
		g.w("1")
	case 3:
		// values of the other types: uint8, int64
		g.w(g.oneOf(`(index "\x00a" 0)`, `(index "a" 0)`, "unix", "(ago 101)", "(ago 100)"))
	default:
		g.w(g.oneOf("0", "1", "-1", "2", "3", "1.5", "1e2", "0x10", "'a'", "1i", "true", "false", "nil",
			`""`, `"a"`, `"b"`, "`x`", `"%d"`, `"%s"`, `"%v"`, `"%T"`, `"<&'>"`, `"é\t"`))
	}
}
