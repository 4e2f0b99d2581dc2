package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Templates holds one payload template per built-in event:
// templates/<provider>/<event>.json (or .form for form-encoded bodies), with
// "/" in an event name written as "_". Package templates renders them; its
// Help describes their syntax.
//
//go:embed templates
var Templates embed.FS

// FileName is the template file base name of an event (without extension).
func FileName(event string) string { return strings.ReplaceAll(event, "/", "_") }

// templateFS returns where a provider's templates live and the folder inside it.
func (p *Provider) templateFS() (fs.FS, string) {
	if p.TemplateDir != "" {
		return os.DirFS(p.TemplateDir), "."
	}
	return Templates, path.Join("templates", p.Name)
}

// TemplateSource returns an event's template text and its file name.
func (p *Provider) TemplateSource(event string) ([]byte, string, error) {
	fsys, dir := p.templateFS()
	for _, ext := range []string{".json", ".form"} {
		name := path.Join(dir, FileName(event)+ext)
		if b, err := fs.ReadFile(fsys, name); err == nil {
			return b, name, nil
		}
	}
	where := "the built-in templates"
	if p.TemplateDir != "" {
		where = p.TemplateDir
	}
	return nil, "", fmt.Errorf("no template for %s event %q in %s (want %s.json)", p.Name, event, where, FileName(event))
}

// TemplateEvents lists the events that have a template file in the
// provider's template folder (used for user providers and the sync test).
// A file whose name is FileName of a catalogued event stands for that event
// (orders_create.json is Shopify's orders/create); any other file stands for
// the event named as the file is, underscores kept (page.content_updated).
func (p *Provider) TemplateEvents() ([]string, error) {
	fsys, dir := p.templateFS()
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		ext := filepath.Ext(n)
		if e.IsDir() || (ext != ".json" && ext != ".form") {
			continue
		}
		base := strings.TrimSuffix(n, ext)
		name := base
		for _, ev := range p.Events {
			if FileName(ev.Name) == base {
				name = ev.Name
				break
			}
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}
