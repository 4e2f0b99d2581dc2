// Package events implements 'hookctl events'.
package events

import (
	_ "embed"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/templates"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options holds the command's dependencies and flags.
type Options struct {
	IO       *iostreams.IOStreams
	Catalog  func() (*catalog.Catalog, error)
	Styles   *ui.Styles
	JSON     bool
	Provider string
}

//go:embed long.txt
var long string // the help text

// NewCmdEvents builds 'hookctl events'; runF replaces the work in tests.
func NewCmdEvents(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	cmd := &cobra.Command{
		Use:   "events [--provider P]",
		Short: "List the event types hookctl has sample payloads for",
		Long:  long + templates.Help(),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Styles = f.JSON(), f.Styles()
			if runF != nil {
				return runF(opts)
			}
			return eventsRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Provider, "provider", "p", "", "only this provider's events")
	cmdutil.RegisterProviderCompletion(cmd, f)
	cmd.AddCommand(NewCmdShow(f, nil))
	return cmd
}

func eventsRun(opts *Options) error {
	cat, p, err := cmdutil.CatalogProvider(opts.Catalog, opts.Provider)
	if err != nil {
		return err
	}
	ps := cat.Providers()
	if p != nil {
		ps = []*catalog.Provider{p}
	}
	return present.Events(opts.IO.Out, opts.Styles, ps, opts.JSON)
}
