package state

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A development key pair is hookctl's own Ed25519 key for a provider that
// signs asymmetrically (Discord): created on first use, kept 0600 in the
// state folder, so trigger signs and listen verifies with the same pair
// with no setup. The file holds the 32-byte seed in hex.

// DevKeyPath is where a provider's development key pair is kept.
func DevKeyPath(getenv func(string) string, provider string) string {
	return filepath.Join(Dir(getenv), provider+"_ed25519_dev_key")
}

// DevKeySeed returns the provider's development seed, making and saving
// one when there is none; created says it was made now.
func DevKeySeed(getenv func(string) string, provider string) (seed []byte, path string, created bool, err error) {
	path = DevKeyPath(getenv, provider)
	if seed, err = readSeed(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return seed, path, false, err
	}
	seed = make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return nil, path, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, path, false, fmt.Errorf("saving the %s development key: %w", provider, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".devkey-*")
	if err != nil {
		return nil, path, false, fmt.Errorf("saving the %s development key: %w", provider, err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(hex.EncodeToString(seed) + "\n")
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o600)
	}
	if werr != nil {
		return nil, path, false, fmt.Errorf("saving the %s development key: %w", provider, werr)
	}
	// Link fails if another process made the key first: then use theirs,
	// so every run shares one pair.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			seed, err = readSeed(path)
			return seed, path, false, err
		}
		return nil, path, false, fmt.Errorf("saving the %s development key: %w", provider, err)
	}
	return seed, path, true, nil
}

func readSeed(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	seed, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != 32 {
		return nil, fmt.Errorf("development key %s is damaged (want 64 hex characters): delete it to make a new pair", path)
	}
	return seed, nil
}
