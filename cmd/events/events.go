// Package events implements 'hookctl events'.
package events

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
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

// NewCmdEvents builds 'hookctl events'; runF replaces the work in tests.
func NewCmdEvents(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	cmd := &cobra.Command{
		Use:   "events [--provider P]",
		Short: "List the event types hookctl has sample payloads for",
		Long: `List event types with a one-line description, for every provider or one.

Each event has a payload template; 'hookctl trigger EVENT' renders it with
fresh ids and the current time. A user-defined provider's templates are the
files of its templates folder, in the same syntax:

` + templateSyntax,
		Args: cobra.NoArgs,
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
	return cmd
}

const templateSyntax = `  {{.Event}}          the event type        {{.EventBase}} {{.Action}}  its parts
  {{.APIVersion}}     the provider's API version (stripe, shopify; providers.<name>.api_version)
  {{xid ` + "`evt_`" + `}}      prefix + 20-char id   {{alnum 16}}  letters and digits
  {{uuid}}  {{hex 40}}  {{digits 9}}  {{int 1 100}}
  {{now}}  RFC 3339 ms UTC      {{nowSec}}  RFC 3339 s      {{unix}}  unix seconds
  {{ago 3600}}  unix seconds an hour ago    {{agoRFC 3600}}  the same in RFC 3339 (-3600: from now)
Go template syntax otherwise: variables, if/with/range, printf, eq, and the
other built-in functions ({{define}}, {{template}}, {{block}} and call
are not supported). A .json template must render to valid JSON (sent
compacted); a .form template is sent as written, less its final newline.`

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
