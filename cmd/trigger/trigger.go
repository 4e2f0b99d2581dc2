// Package trigger implements 'hookctl trigger'.
package trigger

import (
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/mutate"
	"github.com/hookctl/hookctl/internal/secrets"
)

// Options holds trigger's dependencies and flag values.
type Options struct {
	IO          *iostreams.IOStreams
	HTTPClient  *http.Client // nil: delivery's client
	Now         func() time.Time
	IDs         *ids.Generator
	Getenv      func(string) string
	Catalog     func() (*catalog.Catalog, error)
	Config      func() (*config.Config, error) // providers.meta.verify_token
	Secrets     func(secrets.CommandLine) (*secrets.Resolver, error)
	Version     string
	JSON, Quiet bool
	Sleep       func(ctx context.Context, d time.Duration) error // waits between retries; nil sleeps
	Editor      func(path string) error                          // --edit; nil runs $VISUAL or $EDITOR

	Events, SecretArgs, SecretFile, Headers, Sets, Unsets  []string // SecretFile: --secret-file, repeatable
	To, Provider, Data, Template, Mutate, VerifyToken      string
	Edit, All, Retry, Handshake, Insecure, Verbose, DryRun bool
	RetryScale                                             float64
	Timeout                                                time.Duration
	Count, Concurrency                                     int
}

//go:embed long.txt
var long string // the help text

// NewCmdTrigger builds 'hookctl trigger'; runF replaces the work in tests.
func NewCmdTrigger(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IOStreams, Now: f.Now, IDs: f.IDs, Getenv: f.Getenv, Catalog: f.Catalog, Secrets: f.Secrets, Config: f.Config,
		Version: f.Build.Version,
	}
	cmd := &cobra.Command{
		Use:   "trigger EVENT [EVENT ...] --to TARGET",
		Short: "Send signed sample events to an endpoint, as the provider would",
		Long:  long,
		Example: `  hookctl trigger message.created --to localhost:5000
  hookctl trigger payment.failed --to :5000/webhooks --secret s3cr3t --retry --retry-scale 0.001
  hookctl trigger connection.updated --to localhost:5000 --set data.status=paused
  hookctl trigger --provider generic --all --to localhost:5000 --json
  hookctl trigger --provider notion --handshake --to https://abc.ngrok.app/notion
  hookctl trigger --provider slack --handshake --to localhost:3000/slack/events --secret $SLACK_SIGNING_SECRET
  hookctl trigger message.created --to localhost:5000 --count 5000 --concurrency 64`,
		ValidArgsFunction: cmdutil.CompleteEvents(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Events = args
			var err error
			if opts.To, err = f.To(cmd); err != nil {
				return err
			}
			opts.JSON = f.JSON()
			opts.Quiet = f.Quiet()
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := cmdutil.StopOnSignal(cmd.Context(), f.IOStreams)
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
	fl.BoolVar(&opts.Handshake, "handshake", false, "send the provider's endpoint verification (notion, slack, zoom, meta, twitch, discord) and judge the answer")
	fl.StringVar(&opts.VerifyToken, "verify-token", "", "meta: the verify token of --handshake (default: providers.meta.verify_token, else the meta secret)")
	fl.BoolVarP(&opts.Insecure, "insecure", "k", false, "accept any TLS certificate (self-signed local endpoints)")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "show the request and response headers and the whole response body")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the signed request as raw HTTP instead of sending it (no network)")
	fl.StringVar(&opts.Mutate, "mutate", "", "send one check's requests instead ('hookctl check'): `NAME`, e.g. stale-timestamp")
	_ = cmd.RegisterFlagCompletionFunc("mutate", cobra.FixedCompletions(mutate.Names(), cobra.ShellCompDirectiveNoFileComp))
	cmdutil.RegisterProviderCompletion(cmd, f)
	return cmd
}
