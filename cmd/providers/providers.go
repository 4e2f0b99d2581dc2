// Package providers implements 'hookctl providers'.
package providers

import (
	_ "embed"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options holds the command's dependencies.
type Options struct {
	IO      *iostreams.IOStreams
	Catalog func() (*catalog.Catalog, error)
	Styles  *ui.Styles
	JSON    bool
}

//go:embed long.txt
var long string // the help text

// NewCmdProviders builds 'hookctl providers'; runF replaces the work in tests.
func NewCmdProviders(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	return &cobra.Command{
		Use:   "providers",
		Short: "List the providers hookctl can sign and verify for",
		Long:  long,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Styles = f.JSON(), f.Styles()
			if runF != nil {
				return runF(opts)
			}
			return providersRun(opts)
		},
	}
}

func providersRun(opts *Options) error {
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	return present.Providers(opts.IO.Out, opts.Styles, cat.Providers(), opts.JSON)
}
