//go:build pprof

package profiling

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// Start writes the process's CPU profile to $HOOKCTL_CPUPROFILE and, when
// stopped, its allocations to $HOOKCTL_MEMPROFILE: bench/listen's profiles
// of the real server under wrk. Only in builds tagged pprof.
func Start(getenv func(string) string) (stop func()) {
	var cpu *os.File
	if path := getenv("HOOKCTL_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if path := getenv("HOOKCTL_MEMPROFILE"); path != "" {
			if f, err := os.Create(path); err == nil {
				runtime.GC()
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
	}
}
