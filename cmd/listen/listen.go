// Package listen implements 'hookctl listen'.
package listen

import (
	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/cmdutil"
)

// Options holds the command's dependencies and flag values.
type Options struct {
	IO *cmdutil.Factory
}

// NewCmdListen builds the command; runF replaces the work in tests.
func NewCmdListen(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	return &cobra.Command{
		Use:    "listen",
		Short:  "Not built yet",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Failedf("hookctl listen is not built yet")
		},
	}
}
