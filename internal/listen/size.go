package listen

import (
	"encoding/json"
	"io"

	"github.com/hookctl/hookctl/internal/httpx"
)

// FormatSize gives a size in listen's answers, in hookctl's one unit
// (httpx.Size).
func FormatSize(n int64) string { return httpx.Size(n) }

// newJSONEncoder writes JSON without HTML escaping.
func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
