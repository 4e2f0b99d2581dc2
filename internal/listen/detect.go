package listen

import (
	"net/http"
	"net/textproto"

	"github.com/hookctl/hookctl/internal/catalog"
)

// detector is Catalog.Detect and hasSignature with the providers' header
// names worked out once, when the server starts: per request it looks up
// the few headers the request has in one map, instead of canonicalising
// and looking up every header name of every provider (about 2 µs and
// seven allocations per request, bench/README.md).
type detector struct {
	cat *catalog.Catalog
	// signers maps a canonical header name to the providers for which
	// Catalog.Detect counts it (their signature header or an extra one).
	signers map[string][]*catalog.Provider
	// sigs holds each provider's signature headers as hasSignature reads
	// them (its own, its accepted ones, its extra ones), canonical.
	sigs map[*catalog.Provider][]string
}

func newDetector(cat *catalog.Catalog) *detector {
	d := &detector{cat: cat, signers: map[string][]*catalog.Provider{}, sigs: map[*catalog.Provider][]string{}}
	if cat == nil {
		return d
	}
	for _, p := range cat.Providers() {
		own := []string{p.Scheme.Headers.Signature}
		for _, e := range p.Scheme.Extra {
			own = append(own, e.Header)
		}
		for _, name := range own {
			d.addSigner(textproto.CanonicalMIMEHeaderKey(name), p)
		}
		d.sigs[p] = signatureHeaders(p)
	}
	return d
}

func (d *detector) addSigner(name string, p *catalog.Provider) {
	for _, q := range d.signers[name] {
		if q == p {
			return
		}
	}
	d.signers[name] = append(d.signers[name], p)
}

// detect is Catalog.Detect(h). When the headers name exactly one provider
// that is its answer; when they name several (svix-* beside webhook-*),
// Catalog.Detect's own rules settle it.
func (d *detector) detect(h http.Header) *catalog.Provider {
	var found *catalog.Provider
	for k, vs := range h {
		if len(vs) == 0 || vs[0] == "" {
			continue // what Header.Get calls absent
		}
		for _, p := range d.signers[k] {
			if found != nil && found != p {
				return d.cat.Detect(h)
			}
			found = p
		}
	}
	return found
}

// hasSignature reports whether a request carries any of the provider's
// signature headers.
func (d *detector) hasSignature(p *catalog.Provider, h http.Header) bool {
	names, ok := d.sigs[p]
	if !ok {
		names = signatureHeaders(p) // a provider from outside the catalog
	}
	for _, name := range names {
		if vs := h[name]; len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}

// signatureHeaders lists, canonical, the headers a provider's signature
// may come in: its own, its accepted ones, its extra ones.
func signatureHeaders(p *catalog.Provider) []string {
	names := []string{textproto.CanonicalMIMEHeaderKey(p.Scheme.Headers.Signature)}
	for _, set := range p.Scheme.Accept {
		names = append(names, textproto.CanonicalMIMEHeaderKey(set.Signature))
	}
	for _, e := range p.Scheme.Extra {
		names = append(names, textproto.CanonicalMIMEHeaderKey(e.Header))
	}
	return names
}
