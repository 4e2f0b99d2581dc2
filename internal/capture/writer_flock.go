//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package capture

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock) on the whole file; every
// hookctl listen appending to the file takes it around each write.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
