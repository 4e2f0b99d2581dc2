package trigger

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/templates"
)

// BodyKind says where a run's bodies come from.
type BodyKind int

const (
	Builtin  BodyKind = iota // the catalogue's template of the event
	Template                 // Body.Text is a template, rendered afresh each time
	Data                     // Body.Text is sent as is (still signed)
)

// Body is where a run's bodies come from.
type Body struct {
	Kind BodyKind
	Name string // the template's name, for its errors
	Text []byte // the template text, or the data
}

// BodyNotJSONError is a field edit asked of a body that is not JSON.
type BodyNotJSONError struct{ Provider string }

func (e *BodyNotJSONError) Error() string {
	return "fields can be edited only in JSON bodies, and this " + e.Provider + " body is not JSON"
}

func (e *BodyNotJSONError) Unwrap() error { return override.ErrNotJSON }

// rendered is one body ready to sign.
type rendered struct{ templates.Rendered }

// withBody is a copy with another body, its event and id read again.
func (r *rendered) withBody(p *catalog.Provider, body []byte) *rendered {
	c := *r
	c.Body = body
	if ev, id := p.DescribeBody(body); ev != "" || id != "" {
		if ev != "" {
			c.Event = ev
		}
		c.EventID = id
	}
	return &c
}

// renderer makes the bodies of one event: a fresh render each call (new
// ids and time), with the field edits applied.
type renderer struct {
	p     *catalog.Provider
	event string
	src   *Body
	ops   []override.Op
	now   func() time.Time
	ids   *ids.Generator

	first atomic.Pointer[rendered] // made by prepare, handed out by the first next
	fixed *rendered                // an edited body (Job.Edit), sent every time
	// compiled templates, parsed once per concurrent user (load mode).
	pool sync.Pool
}

// prepare renders once, so template and override errors are reported
// before anything is sent.
func (r *renderer) prepare() error {
	if r.src.Kind != Data {
		c, err := r.compile()
		if err != nil {
			return err
		}
		r.pool.Put(c)
	}
	first, err := r.render()
	if err != nil {
		return err
	}
	r.first.Store(first)
	return nil
}

func (r *renderer) next() (*rendered, error) {
	if r.fixed != nil {
		return r.fixed, nil
	}
	if f := r.first.Swap(nil); f != nil {
		return f, nil
	}
	return r.render()
}

func (r *renderer) render() (*rendered, error) {
	opt := templates.RenderOptions{Now: r.now(), IDs: r.ids}
	var out *templates.Rendered
	var err error
	switch r.src.Kind {
	case Builtin, Template:
		c, _ := r.pool.Get().(*templates.Compiled)
		if c == nil {
			if c, err = r.compile(); err != nil {
				return nil, err
			}
		}
		out, err = c.Render(opt)
		r.pool.Put(c)
	case Data:
		ct := r.p.ContentType
		if ct == "" {
			ct = "application/json"
		}
		out = &templates.Rendered{Body: r.src.Text, ContentType: ct, Event: r.event}
		ev, id := r.p.DescribeBody(r.src.Text)
		if out.Event == "" {
			out.Event = ev
		}
		out.EventID = id
	}
	if err != nil {
		return nil, err
	}
	res := &rendered{*out}
	if r.src.Kind == Template && res.Event == "" {
		// A template named by file only: its body names the event.
		res.Event, res.EventID = r.p.DescribeBody(res.Body)
	}
	if len(r.ops) == 0 {
		return res, nil
	}
	body, err := override.Apply(out.Body, r.ops)
	if errors.Is(err, override.ErrNotJSON) {
		return nil, &BodyNotJSONError{Provider: r.p.Name}
	}
	if err != nil {
		return nil, err
	}
	return res.withBody(r.p, body), nil
}

func (r *renderer) compile() (*templates.Compiled, error) {
	if r.src.Kind == Template {
		return templates.CompileSource(r.p, r.event, r.src.Name, r.src.Text)
	}
	return templates.Compile(r.p, r.event)
}
