// Package trigger implements 'hookctl trigger'.
package trigger

import (
	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/cmdutil"
)

// Options holds the command's dependencies and flag values.
type Options struct {
	IO *cmdutil.Factory
}

// NewCmdTrigger builds the command; runF replaces the work in tests.
func NewCmdTrigger(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	return &cobra.Command{
		Use:    "trigger",
		Short:  "Not built yet",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Failedf("hookctl trigger is not built yet")
		},
	}
}
