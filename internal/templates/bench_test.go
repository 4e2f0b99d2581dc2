package templates

import (
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/ids"
)

// BenchmarkRender is one render of trigger's load-mode event (notifly
// message.created, a 508-byte body), as a load worker does per request:
// through the segments, and through text/template alone. bench/README.md
// compares it with the load mode's time per request.
func BenchmarkRender(b *testing.B) {
	p, err := newCatalog(b).Lookup("notifly")
	if err != nil {
		b.Fatal(err)
	}
	opt := RenderOptions{Now: time.Now(), IDs: ids.New()}
	for _, mode := range []string{"segments", "text-template"} {
		b.Run(mode, func(b *testing.B) {
			r, err := Compile(p, "message.created")
			if err != nil {
				b.Fatal(err)
			}
			if mode == "text-template" {
				r.body = &part{t: r.body.t}
			} else if r.body.fast == nil {
				b.Fatal("message.created does not take the segments")
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
