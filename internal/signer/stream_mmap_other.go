//go:build !linux

package signer

import (
	"hash"
	"io"
)

// hashFile maps files on linux only; elsewhere files are read.
func hashFile([]hash.Hash, io.Reader) (bool, error) { return false, nil }
