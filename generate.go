package main

// The shell completion scripts in completions/ are generated from the
// command tree; completions_test.go fails when they are out of date.
//go:generate go run ./internal/gencomp/gencompletions -o completions
