package replay

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/replay"
)

// editor is --edit: it writes a capture's body to a temporary file, runs
// the editor on it and returns the bytes saved, exactly, with one
// exception: editors add a final newline on save, and it is removed when
// the captured body had none (so a body saved unchanged is sent unchanged).
func editor(opts *Options) func(ctx context.Context, rec *capture.Record, req *delivery.Request) ([]byte, error) {
	return func(ctx context.Context, rec *capture.Record, req *delivery.Request) ([]byte, error) {
		dir, err := os.MkdirTemp("", "hookctl-edit-")
		if err != nil {
			return nil, fmt.Errorf("--edit: %w", err)
		}
		defer os.RemoveAll(dir)
		ext := ".txt"
		if strings.Contains(strings.ToLower(req.Header.Get("Content-Type")), "json") {
			ext = ".json"
		}
		name := rec.ID
		if rec.Event != "" {
			name += "-" + strings.NewReplacer("/", "_", " ", "_").Replace(rec.Event)
		}
		path := filepath.Join(dir, name+ext)
		if err := os.WriteFile(path, req.Body, 0o600); err != nil {
			return nil, fmt.Errorf("--edit: %w", err)
		}
		if opts.IO.Interactive() {
			fmt.Fprintln(opts.IO.ErrOut, opts.StylesErr.Dim(fmt.Sprintf("editing %s: save and quit the editor to send it, re-signed", filepath.Base(path))))
		}
		run := opts.Editor
		if run == nil {
			run = func(path string) error { return cmdutil.RunEditor(ctx, opts.IO, opts.Getenv, path) }
		}
		if err := run(path); err != nil {
			return nil, fmt.Errorf("--edit: %v; capture %s was not sent", err, rec.ID)
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--edit: %w", err)
		}
		if len(bytes.TrimSpace(body)) == 0 && len(req.Body) > 0 {
			return nil, replay.ErrEmptied
		}
		if !bytes.HasSuffix(req.Body, []byte("\n")) {
			body = bytes.TrimSuffix(bytes.TrimSuffix(body, []byte("\n")), []byte("\r"))
		}
		return body, nil
	}
}
