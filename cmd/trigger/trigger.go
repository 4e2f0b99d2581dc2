// Package trigger implements 'hookctl trigger'.
package trigger

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options holds trigger's dependencies and flag values.
type Options struct {
	IO      *iostreams.IOStreams
	Now     func() time.Time
	IDs     *ids.Generator
	Getenv  func(string) string
	Catalog func() (*catalog.Catalog, error)
	Secrets func(secrets.CommandLine) (*secrets.Resolver, error)
	Styles  func() *ui.Styles
	Version string
	JSON    bool
	Quiet   bool
	// Sleep waits between retries; nil sleeps for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// Editor runs the user's editor on a file (--edit); nil runs $VISUAL or $EDITOR.
	Editor func(path string) error

	Events      []string
	To          string
	Provider    string
	SecretArgs  []string
	SecretFile  []string // --secret-file, repeatable
	Headers     []string
	Sets        []string
	Unsets      []string
	Data        string
	Template    string
	Edit        bool
	All         bool
	Retry       bool
	RetryScale  float64
	Timeout     time.Duration
	Count       int
	Concurrency int
	Handshake   bool
	Insecure    bool
	Verbose     bool
}

// NewCmdTrigger builds 'hookctl trigger'; runF replaces the work in tests.
func NewCmdTrigger(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IOStreams, Now: f.Now, IDs: f.IDs, Getenv: f.Getenv, Catalog: f.Catalog, Secrets: f.Secrets,
		Styles: f.Styles, Version: f.Build.Version,
	}
	cmd := &cobra.Command{
		Use:   "trigger EVENT [EVENT ...] --to TARGET",
		Short: "Send signed sample events to an endpoint, as the provider would",
		Long: `Send a sample event to your endpoint exactly as the provider would: a POST
with the provider's body, Content-Type, headers and signature over the
exact bytes sent. The provider is inferred from the event name when only
one provider sends it; otherwise pass --provider.

TARGET is localhost:5000, :5000, localhost:5000/webhooks or a full http://
or https:// URL (also HOOKCTL_TO, or 'to:' in hookctl.yaml). The secret
comes from --secret, --secret-file, HOOKCTL_<PROVIDER>_SECRET, HOOKCTL_SECRET
or the config file; notion signs with the token of the last --handshake
(the whole order: 'hookctl help secrets').

Change the body with --set path=value (dotted paths, array indexes:
data.object.items.0.name; the value is JSON when it parses as JSON, else a
string), --unset path, --template FILE, --data FILE (sent raw, still
signed) or --edit (opens $EDITOR).

--retry follows the provider's retry schedule and success rule (notify
accepts only 200; the others any 2xx), with the same event id on every
attempt and a fresh signature; --retry-scale 0.001 turns minutes into
milliseconds. --count N --concurrency C sends N fresh renders as a load
test and prints throughput and latency percentiles.

Exit status: 0 every event accepted, 1 any failed, 2 usage or input error.`,
		Example: `  hookctl trigger message.created --to localhost:5000
  hookctl trigger payment.failed --to :5000/webhooks --secret s3cr3t --retry --retry-scale 0.001
  hookctl trigger connection.updated --to localhost:5000 --set data.status=paused
  hookctl trigger --provider generic --all --to localhost:5000 --json
  hookctl trigger --provider notion --handshake --to https://abc.ngrok.app/notion
  hookctl trigger message.created --to localhost:5000 --count 5000 --concurrency 64`,
		ValidArgsFunction: cmdutil.CompleteEvents(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Events = args
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			cfg.Bind("to", cmd.Flags().Lookup("to"))
			opts.To = cfg.To()
			opts.JSON = f.JSON()
			opts.Quiet = f.Quiet()
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := cmdutil.StopOnSignal(cmd.Context())
			defer stop()
			return triggerRun(ctx, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.To, "to", "t", "", "where to send: host:port, :port, host:port/path or an http(s) URL")
	fl.StringVarP(&opts.Provider, "provider", "p", "", "provider of the events (inferred from the event name when unique)")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "to sign with (or, with --handshake, the token)")
	fl.StringArrayVarP(&opts.Headers, "header", "H", nil, "add or replace a header, 'Name: value' (repeatable)")
	fl.StringArrayVar(&opts.Sets, "set", nil, "set a body field, path=value (repeatable)")
	fl.StringArrayVar(&opts.Unsets, "unset", nil, "remove a body field by path (repeatable)")
	fl.StringVarP(&opts.Data, "data", "d", "", "send this file's bytes as the body (- reads stdin), signed")
	fl.StringVar(&opts.Template, "template", "", "render this template file instead of the built-in one")
	fl.BoolVarP(&opts.Edit, "edit", "e", false, "edit the body in $EDITOR before sending")
	fl.BoolVar(&opts.All, "all", false, "send every event of --provider, one after another")
	fl.BoolVar(&opts.Retry, "retry", false, "retry failures on the provider's schedule")
	fl.Float64Var(&opts.RetryScale, "retry-scale", 1, "multiply every retry wait (0.001 turns 5m into 300ms)")
	fl.DurationVar(&opts.Timeout, "timeout", 0, "answer timeout of each attempt (default the provider's)")
	fl.IntVarP(&opts.Count, "count", "n", 1, "load mode: send this many requests")
	fl.IntVarP(&opts.Concurrency, "concurrency", "c", 1, "load mode: requests in flight at once")
	fl.BoolVar(&opts.Handshake, "handshake", false, "notion: send the subscription verification request")
	fl.BoolVarP(&opts.Insecure, "insecure", "k", false, "accept any TLS certificate (self-signed local endpoints)")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "show the request and response headers and the whole response body")
	cmdutil.RegisterProviderCompletion(cmd, f)
	return cmd
}

func (o *Options) deliveryStyles() delivery.Styles {
	if o.Styles == nil {
		return delivery.Styles{}
	}
	return cmdutil.DeliveryStyles(o.Styles())
}
