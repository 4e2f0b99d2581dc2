package cmdutil

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// StopOnSignal returns a context that the first Ctrl-C (SIGINT) or SIGTERM
// cancels, so a long-running command (trigger, listen, replay) stops
// cleanly and prints its summary. After that first signal the default
// handling is back: a second Ctrl-C quits at once. Commands that finish by
// themselves (sign, verify, the lists) leave signals alone, which also
// spares their start-up the signal goroutine.
func StopOnSignal(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
