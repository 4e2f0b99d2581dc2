package cmdutil

import (
	"os"
	"time"

	"github.com/hookctl/hookctl/internal/state"
)

// AnnounceListen tells the world where a listen listens: the --ready-file
// (when given) and the record in the state folder that trigger and replay
// without --to send to (ResolveTarget). The returned function removes
// both; call it when the listen stops. A state folder that cannot be
// written only costs the default target, so its error is returned as a
// warning, not a failure.
func AnnounceListen(getenv func(string) string, url, readyFile string) (cleanup func(), warning error, err error) {
	var undo []func()
	cleanup = func() {
		for _, f := range undo {
			f()
		}
	}
	// The record first: a script that waits for the ready file may then
	// rely on it.
	remove, werr := state.SaveListener(getenv, state.Listener{URL: url, PID: os.Getpid(), Started: time.Now()})
	if werr == nil {
		undo = append(undo, remove)
	}
	if readyFile != "" {
		if err := WriteReadyFile(readyFile, url); err != nil {
			return cleanup, nil, AsUsage(err)
		}
		undo = append(undo, func() { os.Remove(readyFile) })
	}
	return cleanup, werr, nil
}
