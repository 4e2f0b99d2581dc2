package events

import (
	"cmp"
	_ "embed"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/trigger"
)

// ShowOptions holds 'hookctl events show's dependencies and flags.
type ShowOptions struct {
	IO      *iostreams.IOStreams
	Catalog func() (*catalog.Catalog, error)
	Secrets func(secrets.CommandLine) (*secrets.Resolver, error)
	Now     func() time.Time
	IDs     *ids.Generator
	Version string
	JSON    bool

	Event, Provider, To    string
	Template               bool
	SecretArgs, SecretFile []string
}

//go:embed show_long.txt
var showLong string // the help text of 'events show'

// defaultShowTarget is the URL a sample is shown as sent to when neither
// --to nor the config's to: names one (Twilio signs the URL).
const defaultShowTarget = "localhost:5000"

// NewCmdShow builds 'hookctl events show'; runF replaces the work in tests.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Catalog: f.Catalog, Secrets: f.Secrets, Now: f.Now, IDs: f.IDs, Version: f.Build.Version}
	cmd := &cobra.Command{
		Use:   "show EVENT [--provider P] [--template]",
		Short: "Print an event's sample request, or its template",
		Long:  showLong,
		Example: `  hookctl events show checkout.session.completed
  hookctl events show pull_request.opened --secret s3cr3t
  hookctl events show orders/create --template`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Event, opts.JSON = args[0], f.JSON()
			var err error
			if opts.To, err = f.To(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
		ValidArgsFunction: cmdutil.CompleteEvents(f),
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Provider, "provider", "p", "", "provider of the event (inferred from the event name when unique)")
	fl.BoolVar(&opts.Template, "template", false, "print the template source, not the rendered request")
	fl.StringVarP(&opts.To, "to", "t", "", "the URL the request is shown as sent to (default "+defaultShowTarget+")")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "to sign with")
	cmdutil.RegisterProviderCompletion(cmd, f)
	return cmd
}

func showRun(opts *ShowOptions) error {
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	p, err := cat.ResolveEvent(opts.Event, opts.Provider)
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	if opts.Template {
		src, _, err := p.TemplateSource(opts.Event)
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(src)
		return err
	}
	target, err := cmdutil.ParseTarget(cmp.Or(opts.To, defaultShowTarget))
	if err != nil {
		return err
	}
	// The request trigger would send first: trigger's plan renders, signs and builds it.
	plan, err := (&trigger.Run{
		Events: []string{opts.Event}, Provider: p.Name, Target: target, UserAgent: delivery.UserAgent(opts.Version),
		Now: opts.Now, IDs: opts.IDs, Unsigned: true,
		Secrets: func(p *catalog.Provider) (*secrets.Resolver, error) {
			return opts.Secrets(secrets.CommandLine{Values: opts.SecretArgs, Files: opts.SecretFile, Provider: p})
		},
	}).Plan(cat)
	if err != nil {
		return cmdutil.SecretError(err)
	}
	reqs, err := plan.Requests(trigger.Options{})
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	if !plan.Jobs[0].Signed() && opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "unsigned: no secret for %s; pass --secret to see the signature headers\n", p.Name)
	}
	return present.ShownRequest(opts.IO.Out, reqs[0], opts.JSON)
}
