package cmdutil

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/hookctl/hookctl/internal/iostreams"
)

// EditFile writes body to a temporary file called name, runs the editor on
// it (run; nil runs RunEditor with $VISUAL or $EDITOR) and returns the
// bytes saved, exactly, with one exception: editors add a final newline on
// save, and it is removed when body had none (so a body saved unchanged
// comes back unchanged). started, when set, is called before the editor.
func EditFile(ctx context.Context, ios *iostreams.IOStreams, getenv func(string) string, run func(path string) error, name string, body []byte, started func(path string)) ([]byte, error) {
	dir, err := os.MkdirTemp("", "hookctl-edit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(name))
	if err := os.WriteFile(path, body, 0o600); err != nil {
		return nil, err
	}
	if started != nil {
		started(path)
	}
	if run == nil {
		run = func(path string) error { return RunEditor(ctx, ios, getenv, path) }
	}
	if err := run(path); err != nil {
		return nil, &EditorError{Err: err}
	}
	saved, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(body, []byte("\n")) {
		saved = bytes.TrimSuffix(bytes.TrimSuffix(saved, []byte("\n")), []byte("\r"))
	}
	return saved, nil
}

// EditorError is an editor that failed (EditFile).
type EditorError struct{ Err error }

func (e *EditorError) Error() string { return e.Err.Error() }
func (e *EditorError) Unwrap() error { return e.Err }
