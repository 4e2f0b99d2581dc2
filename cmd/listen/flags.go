package listen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/listen"
)

// ParseRoute reads a --forward-to value: URL, or GLOB=URL to forward only
// the events whose type matches GLOB. The value is GLOB=URL when the part
// before its first '=' holds no ':' and no '?' (event types never do; URLs
// with a query do).
func ParseRoute(v string) (listen.Route, error) {
	v = strings.TrimSpace(v)
	var rt listen.Route
	target := v
	if glob, rest, ok := strings.Cut(v, "="); ok && !strings.ContainsAny(glob, ":?") {
		if glob == "" {
			return rt, fmt.Errorf("invalid --forward-to %q: the event pattern before '=' is empty", v)
		}
		rt.Glob, target = glob, rest
	}
	u, err := delivery.ParseTarget(target)
	if err != nil {
		// ParseTarget words its errors for trigger's --to.
		return rt, errors.New(strings.Replace(err.Error(), "--to", "--forward-to", 1))
	}
	rt.URL = u
	return rt, nil
}

// WriteReadyFile writes the URL to path through a temporary file and a
// rename, so a reader never sees half of it.
func WriteReadyFile(path, url string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hookctl-ready-*")
	if err != nil {
		return fmt.Errorf("--ready-file %s: %v", path, httpx.Cause(err))
	}
	_, err = tmp.WriteString(url + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("--ready-file %s: %v", path, httpx.Cause(err))
	}
	return nil
}
