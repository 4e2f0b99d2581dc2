//go:build !windows

package state

import (
	"errors"
	"syscall"
)

// Alive reports whether a process with this id exists (signal 0: nothing
// is sent; EPERM means it exists but is another user's).
func Alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
