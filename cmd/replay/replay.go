// Package replay implements 'hookctl replay': the flags, the messages and
// the printing; internal/replay does the work.
package replay

import (
	"cmp"
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	secretsrc "github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options holds replay's dependencies and flag values.
type Options struct {
	IO                *iostreams.IOStreams
	Context           context.Context // nil: context.Background()
	Now               func() time.Time
	IDs               *ids.Generator
	Getenv            func(string) string
	Catalog           func() (*catalog.Catalog, error)
	Secrets           func(secretsrc.CommandLine) (*secretsrc.Resolver, error)
	HTTPClient        *http.Client // nil: delivery.NewClient
	Styles, StylesErr *ui.Styles
	JSON, Quiet       bool
	// Editor runs the user's editor on a file (--edit); nil runs $VISUAL or $EDITOR.
	Editor func(path string) error

	// Flag values (CaptureIDs are the arguments).
	CaptureIDs, Events, SecretArgs, SecretFile []string // SecretFile: --secret-file, repeatable
	To, From, Since, Provider                  string
	Last                                       int
	Resign, Edit, List, Insecure, Verbose      bool
	Timeout                                    time.Duration
}

//go:embed long.txt
var long string // the help text

// NewCmdReplay builds 'hookctl replay'; runF replaces the work in tests.
func NewCmdReplay(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, IDs: f.IDs, Getenv: f.Getenv, Catalog: f.Catalog, Secrets: f.Secrets}
	cmd := &cobra.Command{
		Use:   "replay [CAPTURE_ID ...] --to TARGET [--from FILE] [--last N] [--event GLOB] [--since DUR]",
		Short: "Resend captured requests, as they were or re-signed",
		Long:  long,
		Example: `  hookctl replay --list
  hookctl replay --to localhost:5000
  hookctl replay cap_01j9x2k3 --to localhost:5000/webhooks
  hookctl replay --last 5 --event 'message.*' --to localhost:5000 --resign
  hookctl replay --since 1h --to localhost:5000 --resign --secret notify=s3cr3t --secret stripe=whsec_abc
  hookctl replay --from ci/captures.jsonl --to localhost:5000 --json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.To, err = f.To(cmd); err != nil {
				return err
			}
			opts.CaptureIDs = args
			if cmd.Flags().Changed("last") && opts.Last < 1 {
				return cmdutil.Usagef("invalid --last %d: pass how many of the last captures to replay, 1 or more", opts.Last)
			}
			opts.From = cmp.Or(opts.From, capture.DefaultPath(f.Getenv))
			opts.JSON, opts.Quiet, opts.Styles, opts.StylesErr = f.Output()
			return cmdutil.RunStoppable(cmd.Context(), f.IOStreams, &opts.Context, opts, runF, replayRun)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.To, "to", "t", "", "where to send: host:port, :port, host:port/path or a URL (or HOOKCTL_TO)")
	fl.StringVar(&opts.From, "from", "", "capture file to read (default $XDG_STATE_HOME/hookctl/captures.jsonl, where listen writes)")
	fl.IntVar(&opts.Last, "last", 0, "replay only the last `N` captures (after the other filters)")
	fl.StringArrayVar(&opts.Events, "event", nil, "replay only events matching `GLOB` (e.g. 'message.*'); repeat for any of several")
	fl.StringVar(&opts.Since, "since", "", "replay only captures newer than `DUR` ago (e.g. 30m, 2h)")
	fl.BoolVar(&opts.Resign, "resign", false, "send a fresh id, timestamp and signature instead of the captured ones")
	fl.BoolVar(&opts.Edit, "edit", false, "edit each body in $EDITOR before sending (implies --resign)")
	fl.BoolVar(&opts.List, "list", false, "list the captures (id, time, provider, event, verdict) instead of sending")
	fl.StringVarP(&opts.Provider, "provider", "p", "", "provider of the captures, for --resign and its success rule (default: the one listen recognised)")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "to re-sign with (--resign)")
	fl.DurationVar(&opts.Timeout, "timeout", 0, "answer timeout of each request (default the provider's, else 30s)")
	fl.BoolVarP(&opts.Insecure, "insecure", "k", false, "accept any TLS certificate (self-signed local endpoints)")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "show request and response headers and the whole response body")
	cmd.MarkFlagsMutuallyExclusive("list", "resign")
	cmd.MarkFlagsMutuallyExclusive("list", "edit")
	cmdutil.RegisterProviderCompletion(cmd, f)
	_ = cmd.RegisterFlagCompletionFunc("event", cmdutil.CompleteEvents(f))
	cmdutil.CompleteCaptureFile(cmd, "from")
	return cmd
}
