package cmdutil

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
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

// DeliveryStyles hands the ui styles to the delivery printer, which never
// imports the ui package itself.
func DeliveryStyles(st *ui.Styles) delivery.Styles {
	if st == nil {
		return delivery.Styles{}
	}
	return delivery.Styles{Bold: st.Bold, Dim: st.Dim, OK: st.OK, Fail: st.Fail, Warn: st.Warn, Accent: st.Accent}
}
