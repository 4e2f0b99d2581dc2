// Package replay implements 'hookctl replay'.
package replay

import (
	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/cmdutil"
)

// Options holds the command's dependencies and flag values.
type Options struct {
	IO *cmdutil.Factory
}

// NewCmdReplay builds the command; runF replaces the work in tests.
func NewCmdReplay(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	return &cobra.Command{
		Use:    "replay",
		Short:  "Not built yet",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Failedf("hookctl replay is not built yet")
		},
	}
}
