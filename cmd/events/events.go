// Package events implements 'hookctl events'.
package events

import (
	_ "embed"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
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

type eventInfo struct {
	Provider    string `json:"provider"`
	Event       string `json:"event"`
	Description string `json:"description"`
}

func eventsRun(opts *Options) error {
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	ps := cat.Providers()
	if opts.Provider != "" {
		p, err := cat.Lookup(opts.Provider)
		if err != nil {
			return cmdutil.AsUsage(err)
		}
		ps = []*catalog.Provider{p}
	}
	var list []eventInfo
	for _, p := range ps {
		for _, e := range p.Events {
			list = append(list, eventInfo{p.Name, e.Name, e.Description})
		}
	}
	if opts.JSON {
		if list == nil {
			list = []eventInfo{}
		}
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	rows := [][]string{{"PROVIDER", "EVENT", "DESCRIPTION"}}
	for _, e := range list {
		rows = append(rows, []string{e.Provider, e.Event, e.Description})
	}
	return opts.Styles.Table(opts.IO.Out, rows)
}
