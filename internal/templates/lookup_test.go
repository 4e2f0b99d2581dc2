package templates

import (
	"encoding/json"
	"strings"
)

// lookupPath and str read decoded test documents (templates_test.go);
// Describe itself reads the raw bytes with override.Lookup.
func lookupPath(doc map[string]any, path string) any {
	var cur any = doc
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	return ""
}
