//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package capture

import "os"

// On other systems there is no advisory lock: a batch is still one write to
// an O_APPEND file, which keeps lines whole in practice.
func lockFile(*os.File) error   { return nil }
func unlockFile(*os.File) error { return nil }
