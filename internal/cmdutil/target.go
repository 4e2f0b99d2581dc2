package cmdutil

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/state"
)

// NoTargetMessage is the error of a command that sends with no --to and no
// listen running.
const NoTargetMessage = "no target: pass --to URL, or start hookctl listen"

// ResolveTarget decides where a sending command sends, in one place:
// --to (or HOOKCTL_TO, 'to:' in the config file) when given, else the
// running 'hookctl listen' (see state.RunningListener), said on a
// terminal's stderr, else a usage error saying both ways. fallback, when
// set, is the target used instead of that error (trigger --dry-run, which
// sends nothing).
func ResolveTarget(ios *iostreams.IOStreams, to, fallback string, getenv func(string) string) (*url.URL, error) {
	if to != "" {
		return ParseTarget(to)
	}
	l, err := state.RunningListener(getenv)
	switch {
	case (err != nil || l == nil) && fallback != "":
		return ParseTarget(fallback)
	case err != nil || l == nil:
		return nil, Usagef("%s", NoTargetMessage)
	}
	u, err := delivery.ParseTarget(l.URL)
	if err != nil {
		return nil, Usagef("the running listen's record (pid %d) holds %q: %v; pass --to URL", l.PID, l.URL, err)
	}
	if ios != nil && ios.Interactive() {
		fmt.Fprintf(ios.ErrOut, "sending to the running hookctl listen at %s\n", u)
	}
	return u, nil
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
