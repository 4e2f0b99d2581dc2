package cmdutil

import (
	"errors"
	"net/url"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/state"
)

// NoTargetMessage is the error of a command that sends with no --to and no
// listen running.
const NoTargetMessage = "no target: pass --to URL, or start hookctl listen"

// Target is where trigger, replay (and check) send.
type Target struct {
	URL *url.URL
	// Listen is set when no --to was given and the target is the running
	// 'hookctl listen' recorded in the state folder.
	Listen bool
}

// ResolveTarget decides where a sending command sends, in one place:
// --to (or HOOKCTL_TO, 'to:' in the config file) when given, else the
// running 'hookctl listen' (see state.RunningListener), else a usage
// error saying both ways.
func ResolveTarget(to string, getenv func(string) string) (*Target, error) {
	if to != "" {
		u, err := ParseTarget(to)
		if err != nil {
			return nil, err
		}
		return &Target{URL: u}, nil
	}
	l, err := state.RunningListener(getenv)
	if err != nil || l == nil {
		return nil, Usagef("%s", NoTargetMessage)
	}
	u, err := delivery.ParseTarget(l.URL)
	if err != nil {
		return nil, Usagef("the running listen's record (pid %d) holds %q: %v; pass --to URL", l.PID, l.URL, err)
	}
	return &Target{URL: u, Listen: true}, nil
}

// ParseTarget reads --to (trigger, replay): delivery.ParseTarget, with its
// errors as usage errors that name the flag and the other ways to set it.
func ParseTarget(to string) (*url.URL, error) {
	u, err := delivery.ParseTarget(to)
	var bad *delivery.TargetError
	switch {
	case errors.Is(err, delivery.ErrNoTarget):
		return nil, Usagef("%s", NoTargetMessage)
	case errors.As(err, &bad):
		return nil, Usagef("invalid --to %q: %s; want %s (e.g. --to localhost:5000)", bad.Value, bad.Why, delivery.TargetForms)
	}
	return u, AsUsage(err)
}
