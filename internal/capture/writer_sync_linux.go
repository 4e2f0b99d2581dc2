//go:build linux

package capture

import (
	"os"
	"syscall"
)

// syncData makes the appended bytes durable: fdatasync flushes the data and
// the size needed to read it back, and skips the timestamps fsync would
// also journal.
func syncData(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}
