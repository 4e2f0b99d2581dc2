// Package templates renders the providers' payload templates (the
// catalogue's files, or a user's) with the standard library's
// text/template: a fresh body, with new ids and the current time, for each
// delivery. The functions a template can call are listed once, in
// funcs.go; Help describes them for 'hookctl events --help'.
package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
)

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

// Render builds a fresh body for one of the provider's events.
func Render(p *catalog.Provider, event string, opt RenderOptions) (*Rendered, error) {
	c, err := Compile(p, event)
	if err != nil {
		return nil, err
	}
	return c.Render(opt)
}

// RenderSource renders template text (a built-in, or a user's --template file).
func RenderSource(p *catalog.Provider, event, name string, src []byte, opt RenderOptions) (*Rendered, error) {
	c, err := CompileSource(p, event, name, src)
	if err != nil {
		return nil, err
	}
	return c.Render(opt)
}

// Compiled is an event's template parsed once, to render many times (load
// mode). Render is not safe for concurrent use: give each goroutine its own
// Compiled, e.g. through a sync.Pool.
type Compiled struct {
	p     *catalog.Provider
	event string
	name  string
	body  *part
	// compact is set once a render through the segments came out compact
	// and valid: later renders differ only in the functions' output (ids,
	// times, digits), so they are compact and valid too.
	compact bool
	headers []header
	env     *env
	data    map[string]string
	buf     bytes.Buffer
	out     []byte
}

// part is one parsed template: the body or a header's value.
type part struct {
	t    *template.Template
	fast []segment // nil when it needs text/template (fastpath.go)
}

type header struct {
	name string
	*part
}

// Compile parses one of the provider's event templates.
func Compile(p *catalog.Provider, event string) (*Compiled, error) {
	src, name, err := p.TemplateSource(event)
	if err != nil {
		return nil, err
	}
	return CompileSource(p, event, name, src)
}

// CompileSource parses template text (a built-in, or a user's --template file).
func CompileSource(p *catalog.Provider, event, name string, src []byte) (*Compiled, error) {
	c := &Compiled{p: p, event: event, name: name, env: &env{}, data: data(p, event)}
	var err error
	if c.body, err = c.parse(name, string(src), !c.form()); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(p.Headers))
	for k := range p.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h, err := c.parse(name+" header "+k, p.Headers[k], false)
		if err != nil {
			return nil, err
		}
		c.headers = append(c.headers, header{k, h})
	}
	return c, nil
}

func (c *Compiled) parse(name, src string, compactJSON bool) (*part, error) {
	funcs := funcMap(c.env)
	t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("template %s: %v", name, err)
	}
	return &part{t, fastSegments(t, funcs, c.data, compactJSON)}, nil
}

func (c *Compiled) form() bool { return strings.HasSuffix(c.name, ".form") }

// Render executes the template with fresh ids and the time of opt.
func (c *Compiled) Render(opt RenderOptions) (*Rendered, error) {
	opt = opt.norm()
	c.env.ids, c.env.now = opt.IDs, opt.Now
	name, p := c.name, c.p
	text, err := c.execute(c.body, name)
	if err != nil {
		return nil, err
	}
	r := &Rendered{Event: c.event, ContentType: p.ContentType}
	if c.form() {
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
			c.compact = c.body.fast != nil && bytes.Equal(r.Body, text)
		}
		if r.ContentType == "" || strings.HasPrefix(r.ContentType, "application/x-www-form-urlencoded") {
			r.ContentType = "application/json"
		}
	}
	for _, h := range c.headers {
		v, err := c.execute(h.part, name+" header "+h.name)
		if err != nil {
			return nil, err
		}
		r.Headers = append(r.Headers, signer.Header{Name: h.name, Value: string(v)})
	}
	hdr := make(http.Header, len(r.Headers))
	for _, h := range r.Headers {
		hdr[http.CanonicalHeaderKey(h.Name)] = []string{h.Value}
	}
	_, r.EventID = p.Describe(hdr, r.Body)
	return r, nil
}

// execute runs a template into the reused buffer, through its segments
// when it has them; the result is valid until the next execute.
func (c *Compiled) execute(pt *part, name string) ([]byte, error) {
	if pt.fast != nil {
		c.out = c.out[:0]
		for _, seg := range pt.fast {
			c.out = seg(c.out)
		}
		return c.out, nil
	}
	c.buf.Reset()
	if err := pt.t.Execute(&c.buf, c.data); err != nil {
		return nil, fmt.Errorf("template %s: %v", name, err)
	}
	return c.buf.Bytes(), nil
}
