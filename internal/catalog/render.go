package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template/parse"
	"time"

	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
)

// Templates holds one payload template per built-in event:
// templates/<provider>/<event>.json (or .form for form-encoded bodies), with
// "/" in an event name written as "_".
//
//go:embed templates
var Templates embed.FS

// Template syntax: Go text/template over the body text (run by exec.go:
// all of it but {{define}}, {{template}}, {{block}}, call and methods),
// with these values and functions. Raw strings in backticks keep a JSON
// template readable:
//
//	{{.Event}}            the event type, e.g. message.created
//	{{.EventBase}}        the part before the first dot (push for push, issues for issues.opened)
//	{{.Action}}           the part after the first dot ("" when none)
//	{{.APIVersion}}       the provider's API version (Stripe's api_version, Shopify's X-Shopify-API-Version)
//	{{xid `evt_`}}        prefix + 20-char xid-style id (notify)
//	{{alnum 16}}          16 letters and digits (notifly)
//	{{uuid}}              a version 4 UUID (notion)
//	{{hex 40}} {{digits 9}}  random hex or decimal digits
//	{{int 1 100}}         a random integer in [1, 100]
//	{{now}}               the time, RFC 3339 with milliseconds, UTC (2023-09-24T03:11:32.456Z)
//	{{nowSec}}            the time, RFC 3339 in seconds, UTC (2025-02-18T10:30:00Z)
//	{{unix}}              the time in unix seconds
//	{{ago 3600}}          unix seconds, 3600 s before now ({{ago -3600}}: an hour from now)
//	{{agoRFC 3600}}       RFC 3339 (seconds, UTC), 3600 s before now
//	{{secret}}            a notion-style verification token (secret_ + 43 alphanumerics)
//
// A .json template must render to valid JSON; it is sent compacted, key
// order and non-ASCII text kept. A .form template is sent as written, without
// its final newline.
const TemplateHelp = "see 'hookctl events --help' for the template syntax"

// RenderOptions fixes the clock and ids (tests); zero values mean now and random.
type RenderOptions struct {
	Now time.Time
	IDs *ids.Generator
}

// Rendered is a body ready to sign and send.
type Rendered struct {
	Body        []byte
	ContentType string
	Headers     []signer.Header // the provider's extra headers (not signature headers)
	Event       string
	EventID     string
}

func (o RenderOptions) norm() RenderOptions {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.IDs == nil {
		o.IDs = ids.New()
	}
	o.Now = o.Now.UTC()
	return o
}

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

// Render builds a fresh body for one of the provider's events.
func (p *Provider) Render(event string, opt RenderOptions) (*Rendered, error) {
	c, err := p.Compile(event)
	if err != nil {
		return nil, err
	}
	return c.Render(opt)
}

// RenderSource renders template text (a built-in, or a user's --template file).
func (p *Provider) RenderSource(event, name string, src []byte, opt RenderOptions) (*Rendered, error) {
	c, err := p.CompileSource(event, name, src)
	if err != nil {
		return nil, err
	}
	return c.Render(opt)
}

// Compiled is an event's template parsed once, to render many times (load
// mode). Render is not safe for concurrent use: give each goroutine its own
// Compiled, e.g. through a sync.Pool.
type Compiled struct {
	p     *Provider
	event string
	name  string
	body  *parse.Tree
	fast  []segment // body segments, nil when it needs the interpreter (exec.go)
	// compact is set once a render through the segments came out compact
	// and valid: later renders differ only in the functions' output (ids,
	// times, digits), so they are compact and valid too.
	compact bool
	headers []compiledHeader
	env     *renderEnv
	data    map[string]string
	buf     bytes.Buffer
	out     []byte
}

type compiledHeader struct {
	name string
	t    *parse.Tree
	fast []segment
}

// renderEnv is what the template functions read: set before each execution.
type renderEnv struct {
	ids *ids.Generator
	now time.Time
}

// Compile parses one of the provider's event templates.
func (p *Provider) Compile(event string) (*Compiled, error) {
	src, name, err := p.TemplateSource(event)
	if err != nil {
		return nil, err
	}
	return p.CompileSource(event, name, src)
}

// CompileSource parses template text (a built-in, or a user's --template file).
func (p *Provider) CompileSource(event, name string, src []byte) (*Compiled, error) {
	base, action, _ := strings.Cut(event, ".")
	c := &Compiled{p: p, event: event, name: name, env: &renderEnv{},
		data: map[string]string{"Event": event, "EventBase": base, "Action": action, "APIVersion": p.APIVersion}}
	var err error
	if c.body, err = parseTemplate(name, string(src)); err != nil {
		return nil, err
	}
	c.fast = fastSegments(c.body, !strings.HasSuffix(name, ".form"))
	keys := make([]string, 0, len(p.Headers))
	for k := range p.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t, err := parseTemplate(name+" header "+k, p.Headers[k])
		if err != nil {
			return nil, err
		}
		c.headers = append(c.headers, compiledHeader{k, t, fastSegments(t, false)})
	}
	return c, nil
}

// Render executes the template with fresh ids and the time of opt.
func (c *Compiled) Render(opt RenderOptions) (*Rendered, error) {
	opt = opt.norm()
	c.env.ids, c.env.now = opt.IDs, opt.Now
	name, p := c.name, c.p
	text, err := c.execute(c.body, c.fast, name)
	if err != nil {
		return nil, err
	}
	r := &Rendered{Event: c.event, ContentType: p.ContentType}
	if strings.HasSuffix(name, ".form") {
		form := strings.TrimRight(string(text), "\r\n")
		if _, err := url.ParseQuery(form); err != nil {
			return nil, fmt.Errorf("template %s: not a valid form body: %v", name, err)
		}
		r.Body = []byte(form)
		r.ContentType = "application/x-www-form-urlencoded"
	} else {
		if c.compact {
			r.Body = bytes.Clone(text)
		} else {
			buf := bytes.NewBuffer(make([]byte, 0, len(text)))
			if err := json.Compact(buf, text); err != nil {
				return nil, fmt.Errorf("template %s does not render to valid JSON: %v", name, err)
			}
			r.Body = buf.Bytes()
			c.compact = c.fast != nil && bytes.Equal(r.Body, text)
		}
		if r.ContentType == "" || strings.HasPrefix(r.ContentType, "application/x-www-form-urlencoded") {
			r.ContentType = "application/json"
		}
	}
	for _, h := range c.headers {
		v, err := c.execute(h.t, h.fast, name+" header "+h.name)
		if err != nil {
			return nil, err
		}
		r.Headers = append(r.Headers, signer.Header{Name: h.name, Value: string(v)})
	}
	hdr := make(map[string][]string, len(r.Headers))
	for _, h := range r.Headers {
		hdr[canonical(h.Name)] = []string{h.Value}
	}
	_, r.EventID = p.Describe(hdr, r.Body)
	return r, nil
}

func canonical(name string) string {
	parts := strings.Split(strings.ToLower(name), "-")
	for i, s := range parts {
		if s != "" {
			parts[i] = strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return strings.Join(parts, "-")
}

// execute runs a template into the reused buffer, through its segments
// when it has them; the result is valid until the next execute.
func (c *Compiled) execute(t *parse.Tree, fast []segment, name string) ([]byte, error) {
	c.buf.Reset()
	if fast != nil {
		c.out = c.out[:0]
		for _, seg := range fast {
			c.out = seg(c.out, c.env, c.data)
		}
		return c.out, nil
	}
	if err := run(t, c.env, c.data, &c.buf); err != nil {
		return nil, fmt.Errorf("template %s: %v", name, err)
	}
	return c.buf.Bytes(), nil
}
