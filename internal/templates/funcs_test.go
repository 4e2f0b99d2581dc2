package templates

import (
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
