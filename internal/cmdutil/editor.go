package cmdutil

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/hookctl/hookctl/internal/iostreams"
)

// RunEditor opens path in $VISUAL or $EDITOR (vi when neither is set) on
// the terminal. The editor's output goes to stderr, keeping stdout for
// results.
func RunEditor(ctx context.Context, ios *iostreams.IOStreams, getenv func(string) string, path string) error {
	editor := getenv("VISUAL")
	if editor == "" {
		editor = getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	args := strings.Fields(editor)
	cmd := exec.CommandContext(ctx, args[0], append(args[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = ios.In, ios.ErrOut, ios.ErrOut
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the editor %q failed: %v (set $EDITOR)", editor, err)
	}
	return nil
}

// BodyEditor is --edit for one body (run is the editor; nil runs
// RunEditor): it opens the body as a temporary file named name and returns
// what the user saved. A JSON body is shown indented and sent compact
// again; other text loses its final newline. An emptied body or broken
// JSON is an error: nothing is sent.
func BodyEditor(ios *iostreams.IOStreams, getenv func(string) string, run func(path string) error) func(name string, body []byte) ([]byte, error) {
	if run == nil {
		run = func(path string) error { return RunEditor(context.Background(), ios, getenv, path) }
	}
	return func(name string, body []byte) ([]byte, error) { return editBody(run, name, body) }
}

func editBody(run func(path string) error, name string, body []byte) ([]byte, error) {
	isJSON := json.Valid(body)
	ext := ".txt"
	if isJSON {
		var b bytes.Buffer
		_ = json.Indent(&b, body, "", "  ")
		b.WriteByte('\n')
		body, ext = b.Bytes(), ".json"
	}
	edited, err := EditFile(context.Background(), nil, nil, run, name+ext, body, nil)
	var ee *EditorError
	switch {
	case errors.As(err, &ee):
		return nil, Usagef("--edit: %v", err)
	case err != nil:
		return nil, Failedf("--edit: %v", err)
	case strings.TrimSpace(string(edited)) == "":
		return nil, Usagef("--edit: the body was emptied: nothing sent")
	case !isJSON:
		return []byte(strings.TrimRight(string(edited), "\r\n")), nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, edited); err != nil {
		return nil, Usagef("--edit: the edited body is not valid JSON (%v): nothing sent", err)
	}
	return b.Bytes(), nil
}
