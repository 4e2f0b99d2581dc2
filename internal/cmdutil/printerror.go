package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/iostreams"
)

// PrintError prints a command's error as every error is printed: one line
// on stderr, "hookctl: ...", with a pointer to the help of cmd (the
// command that failed) for usage errors that want one. Nothing for nil or
// a silent failure.
func PrintError(ios *iostreams.IOStreams, cmd *cobra.Command, err error) {
	if err == nil || !ShouldPrint(err) {
		return
	}
	msg := "hookctl: " + OneLine(err)
	if cmd != nil && WantsHelpHint(err) {
		msg += fmt.Sprintf(" (see '%s --help')", cmd.CommandPath())
	}
	fmt.Fprintln(ios.ErrOut, msg)
}
