package cmdutil

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/hookctl/hookctl/internal/iostreams"
)

// StopOnSignal returns a context that the first Ctrl-C (SIGINT) or SIGTERM
// cancels, so a long-running command (trigger, listen, replay) stops
// cleanly and prints its summary. After that first signal the default
// handling is back: a second Ctrl-C quits at once. Commands that finish by
// themselves (sign, verify, the lists) leave signals alone, which also
// spares their start-up the signal goroutine.
//
// On a terminal (ios's stderr) a Ctrl-C leaves "^C" where the cursor was:
// a line break is written then, so what the command prints next starts on
// a line of its own.
func StopOnSignal(parent context.Context, ios *iostreams.IOStreams) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		defer signal.Stop(sig)
		select {
		case <-sig:
			if ios != nil && ios.IsStderrTTY() {
				fmt.Fprintln(ios.ErrOut)
			}
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
