package cmdutil

import (
	"errors"
	"net/url"

	"github.com/hookctl/hookctl/internal/delivery"
)

// ParseTarget reads --to (trigger, replay): delivery.ParseTarget, with its
// errors as usage errors that name the flag and the other ways to set it.
func ParseTarget(to string) (*url.URL, error) {
	u, err := delivery.ParseTarget(to)
	var bad *delivery.TargetError
	switch {
	case errors.Is(err, delivery.ErrNoTarget):
		return nil, Usagef("no target: pass --to (e.g. --to localhost:5000), or set HOOKCTL_TO or 'to:' in hookctl.yaml")
	case errors.As(err, &bad):
		return nil, Usagef("invalid --to %q: %s; want %s (e.g. --to localhost:5000)", bad.Value, bad.Why, delivery.TargetForms)
	}
	return u, AsUsage(err)
}
