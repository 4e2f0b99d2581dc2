//go:build !linux

package capture

import "os"

// syncData makes the appended bytes durable (F_FULLFSYNC on darwin,
// FlushFileBuffers on windows).
func syncData(f *os.File) error { return f.Sync() }
