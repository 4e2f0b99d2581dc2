// Package version implements 'hookctl version'.
package version

import (
	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// Options holds the command's dependencies.
type Options struct {
	IO    *iostreams.IOStreams
	Build cmdutil.BuildInfo
	JSON  bool
}

// NewCmdVersion builds 'hookctl version'; runF replaces the work in tests.
func NewCmdVersion(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Build: f.Build.Resolved()}
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.JSON()
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

func versionRun(opts *Options) error {
	b := opts.Build
	return present.Version(opts.IO.Out, b.Version, b.Commit, b.Date, opts.JSON)
}
