package cmdutil

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/listen"
)

// ParseRoutes reads every --forward-to value (ParseRoute), in order: the
// first route that matches an event wins.
func ParseRoutes(values []string) ([]listen.Route, error) {
	var out []listen.Route
	for _, v := range values {
		rt, err := ParseRoute(v)
		if err != nil {
			return nil, AsUsage(err)
		}
		out = append(out, rt)
	}
	return out, nil
}

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
		if strings.TrimSpace(rest) == "" {
			return rt, fmt.Errorf("invalid --forward-to %q: the URL after '=' is missing, e.g. --forward-to '%s=localhost:3000/webhooks'", v, glob)
		}
		rt.Glob, target = glob, rest
	}
	u, err := delivery.ParseTarget(target)
	var bad *delivery.TargetError
	if errors.As(err, &bad) {
		return rt, fmt.Errorf("invalid --forward-to %q: %s; want %s", bad.Value, bad.Why, delivery.TargetForms)
	}
	if err != nil {
		return rt, fmt.Errorf("invalid --forward-to %q: %w", v, err)
	}
	rt.URL = u
	return rt, nil
}
