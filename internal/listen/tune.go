package listen

import "runtime/debug"

// TuneGC sets the garbage collector for a listen process: listen
// allocates per request and keeps almost nothing, so fewer GC cycles buy
// throughput, and the soft limit keeps the footprint small. GOGC and
// GOMEMLIMIT still decide when set.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(48 << 20)
	}
}
