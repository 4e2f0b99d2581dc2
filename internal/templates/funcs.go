package templates

import (
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
)

// env is what the template functions read: set before each render.
type env struct {
	ids *ids.Generator
	now time.Time
}

// function is one template function: its name, an example call, a
// one-line help, and the Go function, made for one render environment.
// The table below is the only list of them: it gives text/template its
// FuncMap, the fast path its functions and 'hookctl events --help' its text.
type function struct {
	name    string
	example string
	help    string
	fn      func(e *env) any
}

var functions = []function{
	{"xid", "{{xid `evt_`}}", "prefix + a 20-character xid-style id (notify)",
		func(e *env) any { return func(prefix string) string { return e.ids.XID(prefix) } }},
	{"alnum", "{{alnum 16}}", "16 letters and digits (notifly)",
		func(e *env) any { return func(n int) string { return e.ids.Alnum(n) } }},
	{"uuid", "{{uuid}}", "a version 4 UUID (notion)",
		func(e *env) any { return func() string { return e.ids.UUID() } }},
	{"hex", "{{hex 40}}", "40 random hex digits",
		func(e *env) any { return func(n int) string { return e.ids.Hex(n) } }},
	{"digits", "{{digits 9}}", "9 random decimal digits",
		func(e *env) any { return func(n int) string { return e.ids.Digits(n) } }},
	{"int", "{{int 1 100}}", "a random integer in [1, 100]",
		func(e *env) any { return func(lo, hi int) int { return e.ids.Int(lo, hi) } }},
	{"now", "{{now}}", "the time, RFC 3339 with milliseconds, UTC (2023-09-24T03:11:32.456Z)",
		func(e *env) any { return func() string { return e.now.Format("2006-01-02T15:04:05.000Z") } }},
	{"nowSec", "{{nowSec}}", "the time, RFC 3339 in seconds, UTC (2025-02-18T10:30:00Z)",
		func(e *env) any { return func() string { return e.now.Format(time.RFC3339) } }},
	{"unix", "{{unix}}", "the time in unix seconds",
		func(e *env) any { return func() int64 { return e.now.Unix() } }},
	{"unixMs", "{{unixMs}}", "the time in unix milliseconds (Linear, HubSpot)",
		func(e *env) any { return func() int64 { return e.now.UnixMilli() } }},
	{"ago", "{{ago 3600}}", "unix seconds, 3600 s before now ({{ago -3600}}: an hour from now)",
		func(e *env) any { return func(s int) int64 { return e.now.Unix() - int64(s) } }},
	{"agoRFC", "{{agoRFC 3600}}", "RFC 3339 (seconds, UTC), 3600 s before now",
		func(e *env) any {
			return func(s int) string { return e.now.Add(-time.Duration(s) * time.Second).Format(time.RFC3339) }
		}},
	{"secret", "{{secret}}", "a notion-style verification token (secret_ + 43 letters and digits)",
		func(e *env) any { return func() string { return catalog.VerificationToken(e.ids) } }},
}

// field is one value of the data a template sees as dot.
type field struct {
	name, help string
	value      func(p *catalog.Provider, event string) string
}

var fields = []field{
	{"Event", "the event type, e.g. message.created", func(_ *catalog.Provider, ev string) string { return ev }},
	{"EventBase", "the part before the first dot (push for push, issues for issues.opened)",
		func(_ *catalog.Provider, ev string) string { base, _, _ := strings.Cut(ev, "."); return base }},
	{"Action", `the part after the first dot ("" when none)`,
		func(_ *catalog.Provider, ev string) string { _, action, _ := strings.Cut(ev, "."); return action }},
	{"APIVersion", "the provider's API version (Stripe's api_version; providers.<name>.api_version sets it)",
		func(p *catalog.Provider, _ string) string { return p.APIVersion }},
}

// funcMap binds every function to e.
func funcMap(e *env) template.FuncMap {
	m := make(template.FuncMap, len(functions))
	for _, f := range functions {
		m[f.name] = f.fn(e)
	}
	return m
}

// data is dot for a provider's event templates.
func data(p *catalog.Provider, event string) map[string]string {
	m := make(map[string]string, len(fields))
	for _, f := range fields {
		m[f.name] = f.value(p, event)
	}
	return m
}

// Help describes the template syntax, for 'hookctl events --help'.
func Help() string {
	type row struct{ example, help string }
	var rows []row
	for _, f := range fields {
		rows = append(rows, row{"{{." + f.name + "}}", f.help})
	}
	for _, f := range functions {
		rows = append(rows, row{f.example, f.help})
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r.example))
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r.example, r.help)
	}
	b.WriteString(`
Go's text/template syntax otherwise: variables, if/with/range, define and
template, printf, eq and the other built-in functions; raw strings in
backticks keep a JSON template readable. A .json template must render to
valid JSON: it is sent compacted, key order and non-ASCII text kept. A .form
template is sent as written, without its final newline.`)
	return b.String()
}
