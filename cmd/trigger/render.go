package trigger

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/templates"
)

type srcKind int

const (
	srcBuiltin  srcKind = iota // the catalogue's template
	srcTemplate                // --template FILE
	srcData                    // --data FILE|-
)

// bodySource is where bodies come from.
type bodySource struct {
	kind srcKind
	name string // the --template file name
	text []byte // the template text, or the --data bytes
}

func (o *Options) bodySource() (*bodySource, error) {
	switch {
	case o.Data != "":
		rc, err := cmdutil.OpenBody(o.IO, o.Data)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			return nil, cmdutil.Usagef("--data %s: %v", o.Data, err)
		}
		return &bodySource{kind: srcData, text: b}, nil
	case o.Template != "":
		b, err := os.ReadFile(o.Template)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, cmdutil.Usagef("--template %s: %v", o.Template, err)
		}
		return &bodySource{kind: srcTemplate, name: o.Template, text: b}, nil
	}
	return &bodySource{kind: srcBuiltin}, nil
}

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

// hasTopLevel reports whether a JSON body has a top-level key.
func (r *rendered) hasTopLevel(key string) bool {
	n, err := override.Parse(r.Body)
	if err != nil {
		return false
	}
	_, ok := n.Get(strings.NewReplacer(`\`, `\\`, ".", `\.`).Replace(key))
	return ok
}

// renderer makes the bodies of one event: a fresh render each call (new
// ids and time), with the --set/--unset edits applied.
type renderer struct {
	p     *catalog.Provider
	event string
	src   *bodySource
	ops   []override.Op
	now   func() time.Time
	ids   *ids.Generator

	first atomic.Pointer[rendered] // made by prepare, handed out by the first next
	fixed *rendered                // --edit's result, sent every time
	// compiled templates, parsed once per concurrent user (load mode).
	pool sync.Pool
}

// prepare renders once, so template and override errors are reported
// before anything is sent.
func (r *renderer) prepare() error {
	if r.src.kind != srcData {
		c, err := r.compile()
		if err != nil {
			return cmdutil.AsUsage(err)
		}
		r.pool.Put(c)
	}
	first, err := r.render()
	if err != nil {
		return cmdutil.AsUsage(err)
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
	switch r.src.kind {
	case srcBuiltin, srcTemplate:
		c, _ := r.pool.Get().(*templates.Compiled)
		if c == nil {
			if c, err = r.compile(); err != nil {
				return nil, err
			}
		}
		out, err = c.Render(opt)
		r.pool.Put(c)
	case srcData:
		ct := r.p.ContentType
		if ct == "" {
			ct = "application/json"
		}
		out = &templates.Rendered{Body: r.src.text, ContentType: ct, Event: r.event}
		ev, id := r.p.DescribeBody(r.src.text)
		if out.Event == "" {
			out.Event = ev
		}
		out.EventID = id
	}
	if err != nil {
		return nil, err
	}
	res := &rendered{*out}
	if len(r.ops) == 0 {
		return res, nil
	}
	body, err := override.Apply(out.Body, r.ops)
	if errors.Is(err, override.ErrNotJSON) {
		return nil, fmt.Errorf("--set and --unset edit JSON bodies, and this %s body is not JSON: use --data or --edit", r.p.Name)
	}
	if err != nil {
		return nil, err
	}
	return res.withBody(r.p, body), nil
}

func (r *renderer) compile() (*templates.Compiled, error) {
	if r.src.kind == srcTemplate {
		return templates.CompileSource(r.p, r.event, r.src.name, r.src.text)
	}
	return templates.Compile(r.p, r.event)
}
