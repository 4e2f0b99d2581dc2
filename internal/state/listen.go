package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Listener is the record a running 'hookctl listen' keeps in the state
// folder (listen-PID.json) while it runs: trigger and replay without --to
// send there.
type Listener struct {
	URL     string    `json:"url"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
}

func listenerPath(getenv func(string) string, pid int) string {
	return filepath.Join(Dir(getenv), "listen-"+strconv.Itoa(pid)+".json")
}

// SaveListener records a running listen (mode 0600, written whole by a
// rename) and returns a function that removes the record.
func SaveListener(getenv func(string) string, l Listener) (remove func(), err error) {
	path := listenerPath(getenv, l.PID)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("recording the listen: %w", err)
	}
	b, _ := json.Marshal(l)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("recording the listen: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("recording the listen: %w", err)
	}
	return func() { os.Remove(path) }, nil
}

// RunningListener returns the most recently started listen whose process
// is still alive, nil when there is none. Records of processes that are
// gone (a listen killed with SIGKILL cannot remove its own) are ignored
// and removed.
func RunningListener(getenv func(string) string) (*Listener, error) {
	dir := Dir(getenv)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var best *Listener
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "listen-") || !strings.HasSuffix(name, ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue // removed meanwhile
		}
		var l Listener
		if json.Unmarshal(b, &l) != nil || l.URL == "" || l.PID <= 0 {
			continue
		}
		if !Alive(l.PID) {
			os.Remove(filepath.Join(dir, name))
			continue
		}
		if best == nil || l.Started.After(best.Started) {
			best = &l
		}
	}
	return best, nil
}
