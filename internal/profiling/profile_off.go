//go:build !pprof

// Package profiling is the pprof hook of builds tagged pprof
// (profile_on.go); in other builds it does nothing.
package profiling

// Start does nothing without the pprof build tag.
func Start(func(string) string) (stop func()) { return func() {} }
