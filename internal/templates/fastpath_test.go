package templates

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
)

// TestFastPathMatchesTextTemplate renders every built-in event, and a few
// hand-written templates, through the segments and through text/template
// with the same ids and clock: the bytes must be the same.
func TestFastPathMatchesTextTemplate(t *testing.T) {
	at := time.Date(2025, 2, 18, 10, 30, 0, 123e6, time.UTC)
	type src struct {
		p           *catalog.Provider
		event, name string
		text        []byte
	}
	var all []src
	for _, p := range catalog.Builtins() {
		for _, ev := range p.EventNames() {
			text, name, err := p.TemplateSource(ev)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, src{p, ev, name, text})
		}
	}
	p := catalog.Builtins()[0]
	for i, text := range []string{
		`{"a":"{{xid "x_"}}","b":{{int 3 9}},"c":"{{agoRFC 60}}","d":{{ago 5}},"e":"{{secret}}","f":"{{hex 8}}{{digits 3}}","g":"{{.EventBase}}/{{.Action}}"}`,
		"{ \"a\" : \"x \\\" y {{alnum 3}} \\\\\" ,\n  \"b\" : [ 1 , {{unix}} ] ,\t\"c\": \"{{.Event}} \" }",
		`{"pipe":"{{.Event | printf "%s"}}","n":{{len "abc"}}}`,
		`{"cond":{{if .Event}}1{{else}}0{{end}}}`,
		`{"ago":{{ago -60}},"q":"{{xid "a\\\" b  "}}"}`,
		`{{define "x"}}{{uuid}}{{end}}{"t":"{{template "x"}}"}`,
	} {
		all = append(all, src{p, "x.created", "t" + string(rune('0'+i)) + ".json", []byte(text)})
	}
	for _, s := range all {
		c, err := CompileSource(s.p, s.event, s.name, s.text)
		if err != nil {
			t.Fatal(err)
		}
		// Templates with variables, pipes, conditions, other templates,
		// negative numbers or quotes in arguments run through
		// text/template; every other one takes the segments.
		plain := true
		for _, slow := range []string{"{{$", "{{if", "|", "{{define", "-60", `{{xid "a\`} {
			plain = plain && !bytes.Contains(s.text, []byte(slow))
		}
		if plain != (c.body.fast != nil) {
			t.Errorf("%s %s: plain template %v, fast path %v", s.p.Name, s.event, plain, c.body.fast != nil)
		}
		slow := *c
		slow.body = &part{t: c.body.t}
		slow.headers = nil
		for _, h := range c.headers {
			slow.headers = append(slow.headers, header{h.name, &part{t: h.t}})
		}
		// Twice each: the second render of a checked-compact template
		// skips json.Compact.
		fastIDs, slowIDs := ids.Seeded(7, 9), ids.Seeded(7, 9)
		for range 2 {
			got, err := c.Render(RenderOptions{Now: at, IDs: fastIDs})
			if err != nil {
				t.Fatalf("%s %s: %v", s.p.Name, s.event, err)
			}
			want, err := slow.Render(RenderOptions{Now: at, IDs: slowIDs})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Body, want.Body) || got.ContentType != want.ContentType || !reflect.DeepEqual(got.Headers, want.Headers) || got.EventID != want.EventID {
				t.Errorf("%s %s: segments differ from text/template:\n%s\n%s\n%v\n%v", s.p.Name, s.event, got.Body, want.Body, got.Headers, want.Headers)
			}
		}
		if plain && !strings.HasSuffix(s.name, ".form") && !c.compact {
			t.Errorf("%s %s: the segments' output was not found compact", s.p.Name, s.event)
		}
	}
}
