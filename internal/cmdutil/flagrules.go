package cmdutil

import (
	"context"
	"time"

	"github.com/hookctl/hookctl/internal/iostreams"
)

// FlagRule is one rule a command's flag values must keep: when Broken,
// Msg is the usage error, naming the flag and what to pass instead.
type FlagRule struct {
	Broken bool
	Msg    string
}

// CheckFlags returns the usage error of the first broken rule, in order,
// or nil: a command lists its rules as one table.
func CheckFlags(rules ...FlagRule) error {
	for _, r := range rules {
		if r.Broken {
			return Usagef("%s", r.Msg)
		}
	}
	return nil
}

// RunStoppable is the end of a long-running command's RunE (listen,
// replay): runF when set (tests, with opts as parsed), else run with
// *ctx set to a context that the first Ctrl-C or SIGTERM cancels
// (StopOnSignal).
func RunStoppable[O any](parent context.Context, ios *iostreams.IOStreams, ctx *context.Context, opts O, runF, run func(O) error) error {
	if runF != nil {
		return runF(opts)
	}
	c, stop := StopOnSignal(parent, ios)
	defer stop()
	*ctx = c
	return run(opts)
}

// OrBackground is ctx, or context.Background() when it is nil (a run
// called without RunStoppable, as tests do).
func OrBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// ToleranceFlag reads --tolerance as an override of the scheme's time
// window: nil when the flag is not given (ParseTolerance).
func ToleranceFlag(v string) (*time.Duration, error) {
	if v == "" {
		return nil, nil
	}
	d, err := ParseTolerance(v)
	if err != nil {
		return nil, err
	}
	return &d, nil
}
