package catalog

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/hookctl/hookctl/internal/override"
)

// Catalog is the set of providers hookctl knows: the built-ins and any the
// user defined in the config file.
type Catalog struct {
	providers []*Provider
}

// New returns the built-ins followed by the user's providers. A user provider
// may not reuse a built-in name.
func New(custom ...*Provider) (*Catalog, error) {
	c := &Catalog{providers: Builtins()}
	for _, p := range custom {
		if existing, _ := c.find(p.Name); existing != nil {
			return nil, fmt.Errorf("provider %q in the config file has the name of a built-in provider: rename it", p.Name)
		}
		c.providers = append(c.providers, p)
	}
	return c, nil
}

// Providers lists every provider in display order.
func (c *Catalog) Providers() []*Provider { return c.providers }

// Names lists provider names (not aliases), for completion and messages.
func (c *Catalog) Names() []string {
	out := make([]string, len(c.providers))
	for i, p := range c.providers {
		out[i] = p.Name
	}
	return out
}

func (c *Catalog) find(name string) (*Provider, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, p := range c.providers {
		if p.Name == name {
			return p, true
		}
		for _, a := range p.Aliases {
			if a == name {
				return p, true
			}
		}
	}
	return nil, false
}

// Lookup finds a provider by name or alias; the error lists what exists.
func (c *Catalog) Lookup(name string) (*Provider, error) {
	if p, ok := c.find(name); ok {
		return p, nil
	}
	msg := fmt.Sprintf("unknown provider %q", name)
	if s := Suggest(name, c.Names()); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
	}
	return nil, fmt.Errorf("%s: known providers are %s; run 'hookctl providers'", msg, strings.Join(c.Names(), ", "))
}

// WithEvent lists the providers that send an event type.
func (c *Catalog) WithEvent(event string) []*Provider {
	var out []*Provider
	for _, p := range c.providers {
		if _, ok := p.Event(event); ok {
			out = append(out, p)
		}
	}
	return out
}

// ResolveEvent picks the provider of an event: the named one if given (which
// must have the event), else the only provider that has it.
func (c *Catalog) ResolveEvent(event, provider string) (*Provider, error) {
	if provider != "" {
		p, err := c.Lookup(provider)
		if err != nil {
			return nil, err
		}
		if _, ok := p.Event(event); !ok {
			msg := fmt.Sprintf("provider %s has no event %q", p.Name, event)
			if s := Suggest(event, p.EventNames()); len(s) > 0 {
				msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
			}
			return nil, fmt.Errorf("%s: run 'hookctl events --provider %s' to list them", msg, p.Name)
		}
		return p, nil
	}
	ps := c.WithEvent(event)
	switch len(ps) {
	case 1:
		return ps[0], nil
	case 0:
		var all []string
		for _, p := range c.providers {
			all = append(all, p.EventNames()...)
		}
		msg := fmt.Sprintf("unknown event %q", event)
		if s := Suggest(event, all); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
		}
		return nil, fmt.Errorf("%s: run 'hookctl events' to list them", msg)
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return nil, fmt.Errorf("event %q is sent by several providers (%s): pass --provider", event, strings.Join(names, ", "))
}

// Detect names the provider whose signature header a request carries.
// User-defined providers are tried first; nil when none matches.
func (c *Catalog) Detect(h http.Header) *Provider {
	ordered := make([]*Provider, 0, len(c.providers))
	for _, p := range c.providers {
		if p.Custom {
			ordered = append(ordered, p)
		}
	}
	for _, p := range c.providers {
		if !p.Custom {
			ordered = append(ordered, p)
		}
	}
	var hits []*Provider
	for _, p := range ordered {
		if p.signs(h) {
			hits = append(hits, p)
		}
	}
	if len(hits) == 0 {
		// No signature header of any provider (svix-signature is svix's own
		// header, found above like any other).
		return nil
	}
	// Several providers' headers are present (svix-* and webhook-*): the
	// request is the provider whose own header its scheme reads, in the
	// scheme's reading order (svix-* wins over webhook-*, PROVIDERS.md).
	first := hits[0]
	for _, set := range first.Scheme.Accept {
		if h.Get(set.Signature) == "" {
			continue
		}
		for _, p := range hits {
			if strings.EqualFold(p.Scheme.Headers.Signature, set.Signature) {
				return p
			}
		}
		break
	}
	return first
}

// signs reports whether h holds this provider's own signature header (or
// one of its scheme's extra headers).
func (p *Provider) signs(h http.Header) bool {
	if h.Get(p.Scheme.Headers.Signature) != "" {
		return true
	}
	for _, e := range p.Scheme.Extra {
		if h.Get(e.Header) != "" {
			return true
		}
	}
	return false
}

// DetectBody names the provider whose signature sits in the body (Mailgun's
// signature object), for requests with no provider's signature header; nil
// when none has one.
func (c *Catalog) DetectBody(body []byte) *Provider {
	for _, p := range c.providers {
		if p.SignedInBody(body) {
			return p
		}
	}
	return nil
}

// SignedInBody reports whether a body carries the provider's in-body
// signature (a non-empty value at Scheme.BodySig.Signature).
func (p *Provider) SignedInBody(body []byte) bool {
	if p.Scheme.BodySig == nil {
		return false
	}
	raw, ok := override.Lookup(body, p.Scheme.BodySig.Signature)
	return ok && override.Text(raw) != ""
}

// Describe reads the event type and id of a request from its envelope.
// Unknown shapes give empty strings; the body is never changed.
func (p *Provider) Describe(h http.Header, body []byte) (event, id string) {
	env := p.Envelope
	// Only the envelope's fields are read, straight from the bytes: no
	// decoding of the whole body on every request, and numbers stay as
	// written (Shopify's id 5678901234567, not 5.678901234567e+12).
	field := func(path string) string {
		raw, _ := override.Lookup(body, path)
		return override.Text(raw)
	}
	if env.Form != nil && isForm(body) {
		if v, err := url.ParseQuery(string(body)); err == nil {
			return env.Form(v)
		}
	}
	if env.TypeHeader != "" {
		event = h.Get(env.TypeHeader)
		if env.TypeFromSub && event != "" {
			if action := field("action"); action != "" {
				event += "." + action
			}
		}
	} else if env.Name != nil {
		event = env.Name(field)
	} else if env.TypePath != "" {
		event = field(env.TypePath)
	}
	if env.IDPath != "" {
		id = field(env.IDPath)
	}
	if id == "" && p.Scheme.Headers.ID != "" {
		id = h.Get(p.Scheme.Headers.ID)
	}
	if id == "" && p.Scheme.Accept != nil {
		for _, set := range p.Scheme.Accept {
			if v := h.Get(set.ID); v != "" {
				id = v
				break
			}
		}
	}
	return event, id
}

// isForm reports whether a body is form-encoded rather than JSON.
func isForm(body []byte) bool {
	b := bytes.TrimLeft(body, " \t\r\n")
	return len(b) > 0 && b[0] != '{' && b[0] != '['
}

// DescribeBody reads event type and id without headers (for templates).
func (p *Provider) DescribeBody(body []byte) (event, id string) {
	return p.Describe(http.Header{}, body)
}

// Suggest returns up to two candidates close to name (edit distance, or a
// shared prefix or suffix), closest first.
func Suggest(name string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	var hits []scored
	seen := map[string]bool{}
	lname := strings.ToLower(name)
	for _, c := range candidates {
		if seen[c] || c == name {
			continue
		}
		seen[c] = true
		d := levenshtein(lname, strings.ToLower(c))
		limit := max(2, len(name)/3)
		if d <= limit || (len(lname) >= 4 && (strings.HasPrefix(c, lname) || strings.HasSuffix(c, "."+lname))) {
			hits = append(hits, scored{c, d})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].d < hits[j].d })
	var out []string
	for i := 0; i < len(hits) && i < 2; i++ {
		out = append(out, hits[i].s)
	}
	return out
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
