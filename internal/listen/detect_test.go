package listen

import (
	"net/http"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
)

// The detector must name the provider Catalog.Detect names, and see the
// signatures hasSignature's definition sees, for every provider's headers
// alone, every pair of them (svix-* beside webhook-*), any case, and
// empty values.
func TestDetectorMatchesCatalog(t *testing.T) {
	custom := &catalog.Provider{Name: "acme", Custom: true}
	base, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	custom.Scheme = base.Providers()[0].Scheme // a custom provider sharing a built-in's headers wins
	cat, err := catalog.New(custom)
	if err != nil {
		t.Fatal(err)
	}
	d := newDetector(cat)
	var names []string
	for _, p := range cat.Providers() {
		names = append(names, p.Scheme.Headers.Signature)
		for _, set := range p.Scheme.Accept {
			names = append(names, set.Signature, set.ID)
		}
		for _, e := range p.Scheme.Extra {
			names = append(names, e.Header)
		}
	}
	headers := []http.Header{{}, {"Content-Type": {"application/json"}}}
	for i, a := range names {
		headers = append(headers, hdr(a, "v"), hdr(a, ""), http.Header{a: {"v"}})
		for _, b := range names[i+1:] {
			headers = append(headers, hdr(a, "v", b, "w"), hdr(a, "", b, "w"))
		}
	}
	for _, h := range headers {
		if got, want := d.detect(h), cat.Detect(h); got != want {
			t.Errorf("detect(%v) = %s, Catalog.Detect = %s", h, name(got), name(want))
		}
		for _, p := range cat.Providers() {
			if got, want := d.hasSignature(p, h), signedBy(p, h); got != want {
				t.Errorf("hasSignature(%s, %v) = %v, want %v", p.Name, h, got, want)
			}
		}
	}
	outside := &catalog.Provider{Name: "outside", Scheme: base.Providers()[1].Scheme}
	h := hdr(outside.Scheme.Headers.Signature, "v")
	if !d.hasSignature(outside, h) {
		t.Errorf("hasSignature of a provider outside the catalog missed %v", h)
	}
}

// hdr builds a header as net/http does from name-value pairs: canonical
// names, several values kept in order.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func name(p *catalog.Provider) string {
	if p == nil {
		return "nil"
	}
	return p.Name
}

// signedBy is hasSignature's definition, with Header.Get.
func signedBy(p *catalog.Provider, h http.Header) bool {
	if h.Get(p.Scheme.Headers.Signature) != "" {
		return true
	}
	for _, set := range p.Scheme.Accept {
		if h.Get(set.Signature) != "" {
			return true
		}
	}
	for _, e := range p.Scheme.Extra {
		if h.Get(e.Header) != "" {
			return true
		}
	}
	return false
}
