//go:build race

package signer_test

// raceEnabled is true under -race, where sync.Pool drops buffers at random
// and allocation counts say nothing about the code under test.
const raceEnabled = true
