//go:build !pprof

package listen

// profile does nothing without the pprof build tag (profile_on.go).
func profile(func(string) string) (stop func()) { return func() {} }
