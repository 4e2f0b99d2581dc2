// Package state keeps hookctl's small local state under $XDG_STATE_HOME/hookctl:
// today, the Notion verification token from the last handshake.
package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Dir is $XDG_STATE_HOME/hookctl (~/.local/state/hookctl when unset).
func Dir(getenv func(string) string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "hookctl")
}

// NotionTokenPath is where the last Notion verification token is kept.
func NotionTokenPath(getenv func(string) string) string {
	return filepath.Join(Dir(getenv), "notion_verification_token")
}

// SaveNotionToken stores the token (mode 0600) so later notion triggers and
// listens sign and verify with it.
func SaveNotionToken(getenv func(string) string, token string) error {
	path := NotionTokenPath(getenv)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("saving the notion token: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(token+"\n"), 0o600); err != nil {
		return fmt.Errorf("saving the notion token: %w", err)
	}
	return os.Rename(tmp, path)
}

// NotionToken returns the saved token, "" when there is none.
func NotionToken(getenv func(string) string) (string, error) {
	b, err := os.ReadFile(NotionTokenPath(getenv))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
