package templates

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
)

// TestHelpShowsTheTable: every value and function of the table is in the
// help, and every function's example runs as written.
func TestHelpShowsTheTable(t *testing.T) {
	help := Help()
	p := catalog.Builtins()[0]
	for _, f := range fields {
		if !strings.Contains(help, "{{."+f.name+"}}  ") || !strings.Contains(help, f.help) {
			t.Errorf("help does not show {{.%s}}: %s", f.name, help)
		}
	}
	for _, f := range functions {
		if !strings.Contains(help, f.example+"  ") || !strings.Contains(help, f.help) {
			t.Errorf("help does not show %s: %s", f.name, help)
		}
		if !strings.HasPrefix(f.example, "{{"+f.name) {
			t.Errorf("the example of %s is %s", f.name, f.example)
		}
		r, err := RenderSource(p, "x.created", "x.form", []byte("a="+f.example), RenderOptions{Now: testClock, IDs: ids.Seeded(1, 1)})
		if err != nil {
			t.Errorf("%s: %v", f.example, err)
		} else if len(r.Body) <= len("a=") {
			t.Errorf("%s rendered nothing: %q", f.example, r.Body)
		}
	}
}

// TestTheWholeLanguage: text/template runs templates, so what the old
// interpreter refused works, and a template's mistakes fail with
// text/template's message.
func TestTheWholeLanguage(t *testing.T) {
	p := catalog.Builtins()[0]
	opt := RenderOptions{Now: testClock, IDs: ids.Seeded(1, 1)}
	r, err := RenderSource(p, "x.created", "x.json", []byte(`{{define "id"}}{{.EventBase}}_{{alnum 4}}{{end}}{"a": "{{template "id" .}}", "b": {{len .Action}}}`), opt)
	if err != nil || !regexp.MustCompile(`^\{"a":"x_[A-Za-z0-9]{4}","b":7\}$`).Match(r.Body) {
		t.Errorf("define and template: %v", err)
	}
	for src, want := range map[string]string{
		`{{nope}}`:        `template x.json: template: x.json:1: function "nope" not defined`,
		`{{call .Event}}`: `template x.json: template: x.json:1:2: executing "x.json" at <call .Event>: error calling call: non-function .Event of type string`,
	} {
		_, err := RenderSource(p, "x.created", "x.json", []byte(src), opt)
		if err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %s", src, err, want)
		}
	}
}
