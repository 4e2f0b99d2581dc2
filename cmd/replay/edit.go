package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/replay"
)

// editor is --edit: each body in the editor, sent as saved (re-signed); an
// emptied body skips that capture.
func editor(opts *Options) func(ctx context.Context, rec *capture.Record, req *delivery.Request) ([]byte, error) {
	return func(ctx context.Context, rec *capture.Record, req *delivery.Request) ([]byte, error) {
		name, ext := rec.ID, ".txt"
		if rec.Event != "" {
			name += "-" + rec.Event
		}
		if strings.Contains(strings.ToLower(req.Header.Get("Content-Type")), "json") {
			ext = ".json"
		}
		started := func(path string) {
			present.Hint(opts.IO, opts.StylesErr, "editing %s: save and quit the editor to send it, re-signed", filepath.Base(path))
		}
		body, err := cmdutil.EditFile(ctx, opts.IO, opts.Getenv, opts.Editor, name+ext, req.Body, started)
		var ee *cmdutil.EditorError
		switch {
		case errors.As(err, &ee):
			return nil, fmt.Errorf("--edit: %v; capture %s was not sent", ee.Err, rec.ID)
		case err != nil:
			return nil, fmt.Errorf("--edit: %w", err)
		case len(bytes.TrimSpace(body)) == 0 && len(req.Body) > 0:
			return nil, replay.ErrEmptied
		}
		return body, nil
	}
}
