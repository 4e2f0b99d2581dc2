package catalog

import (
	"slices"
	"testing"
)

// The catalogue and its template files agree: every event has one
// template, every template one event. Package templates renders them.

func TestTemplatesMatchCatalogue(t *testing.T) {
	for _, p := range Builtins() {
		files, err := p.TemplateEvents()
		if err != nil {
			t.Errorf("%s: reading its templates: %v", p.Name, err)
			continue
		}
		events := p.EventNames()
		for _, f := range files {
			if !slices.Contains(events, f) {
				t.Errorf("templates/%s/%s.* has no event %q in the %s catalogue (providers.go)", p.Name, FileName(f), f, p.Name)
			}
		}
		for _, e := range events {
			if !slices.Contains(files, e) {
				t.Errorf("%s event %q has no template: add templates/%s/%s.json", p.Name, e, p.Name, FileName(e))
			}
		}
		for i := 1; i < len(files); i++ { // TemplateEvents is sorted
			if files[i] == files[i-1] {
				t.Errorf("%s event %q has two templates (.json and .form): keep one", p.Name, files[i])
			}
		}
	}
}

// TestTemplateEventsNames checks how file names map back to event names:
// "/" in a catalogued event is written "_", other underscores are the name's own.
func TestTemplateEventsNames(t *testing.T) {
	cases := map[string]string{
		"shopify": "orders/create",
		"notion":  "page.content_updated",
		"slack":   "slash_command",
		"stripe":  "payment_intent.succeeded",
	}
	c := newCatalog(t)
	for prov, want := range cases {
		p, err := c.Lookup(prov)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.TemplateEvents()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(got, want) {
			t.Errorf("%s templates give events %v, want %q among them", prov, got, want)
		}
	}
	dir := t.TempDir()
	for _, name := range []string{"order_paid.json", "sms.form", "notes.txt"} {
		writeFile(t, dir, name, "{}")
	}
	user := &Provider{Name: "acme", TemplateDir: dir, Custom: true}
	got, err := user.TemplateEvents()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"order_paid", "sms"}; !slices.Equal(got, want) {
		t.Errorf("user templates give events %v, want %v", got, want)
	}
}
