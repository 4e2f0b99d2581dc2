// Package listen implements 'hookctl listen'.
package listen

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/listen"
	"github.com/hookctl/hookctl/internal/profiling"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/state"
	"github.com/hookctl/hookctl/internal/ui"
)

// DefaultPort is where listen binds without --port.
const DefaultPort = 8787

// Options holds listen's dependencies and flag values.
type Options struct {
	IO                *iostreams.IOStreams
	Now               func() time.Time
	IDs               *ids.Generator
	Getenv            func(string) string
	Catalog           func() (*catalog.Catalog, error)
	Secrets           func(secrets.CommandLine) (*secrets.Resolver, error)
	DevSecretLine     func(*secrets.Resolver, *catalog.Provider) (string, error) // nil: none
	Styles, StylesErr *ui.Styles
	JSON, Quiet       bool
	Context           context.Context

	// Server takes the flags that are the server's settings as they are
	// (where, how to answer, forwarding timeout, CI stops); buildConfig
	// adds what the other flags resolve to.
	Server listen.Config
	// Flag values that need reading or resolving.
	Provider, Tolerance, Capture, MaxBody, ReadyFile string
	SecretArgs, SecretFile, ForwardTo                []string
	NoCapture, Verbose                               bool // Verbose (-v): headers too
	UI, UIPortSet                                    bool // --ui: serve the inspector too (ui.go)
	UIPort                                           int
	// VerifyToken answers Meta's GET handshake (--verify-token, else
	// providers.meta.verify_token, else the meta secret).
	VerifyToken string
	Config      func() (*config.Config, error)
}

//go:embed long.txt
var long string // the help text

// NewCmdListen builds 'hookctl listen'; runF replaces the work in tests.
func NewCmdListen(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, IDs: f.IDs, Getenv: f.Getenv, Catalog: f.Catalog, Secrets: f.Secrets, Config: f.Config, DevSecretLine: f.DevSecretLine}
	cmd := &cobra.Command{
		Use:   "listen [--port N] [--secret [P=]S ...] [--forward-to [GLOB=]URL ...]",
		Short: "Receive webhooks: show, verify, capture and forward them",
		Long:  long,
		Example: `  hookctl listen --secret notify=s3cr3t
  hookctl listen --provider stripe --secret whsec_... --forward-to localhost:3000/webhooks
  hookctl listen --forward-to 'message.*=localhost:5000/messages' --forward-to localhost:5000/other
  hookctl listen --port 0 --ready-file url.txt --count 1 --expect 'payment.*' --require-valid --timeout 30s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Quiet, opts.Styles, opts.StylesErr = f.Output()
			opts.UIPortSet = cmd.Flags().Changed("ui-port")
			return cmdutil.RunStoppable(cmd.Context(), f.IOStreams, &opts.Context, opts, runF, listenRun)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Server.Host, "host", "127.0.0.1", "address to bind (0.0.0.0 for every interface)")
	fl.IntVar(&opts.Server.Port, "port", DefaultPort, "port to listen on; 0 takes a free one")
	fl.StringVar(&opts.Server.Path, "path", "", "the webhook path; requests to other paths get 404 (default: every path)")
	fl.StringVarP(&opts.Provider, "provider", "p", "", "judge every request as this provider's (default: detected from the headers)")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "to verify with")
	fl.StringVar(&opts.VerifyToken, "verify-token", "", "meta: the verify token its GET handshake must carry (default: providers.meta.verify_token, else the meta secret)")
	fl.StringVar(&opts.Tolerance, "tolerance", "", "time window for timestamped schemes, e.g. 10m; 0 turns it off (default 5m)")
	fl.IntVar(&opts.Server.Status, "status", http.StatusOK, "status code to answer with")
	fl.BoolVar(&opts.Server.RejectInvalid, "reject-invalid", false, "answer 401 to an invalid or missing signature")
	fl.IntVar(&opts.Server.FailFirst, "fail-first", 0, "answer 500 to the first N requests (to exercise retries)")
	fl.DurationVar(&opts.Server.Delay, "delay", 0, "wait this long before answering (to exercise timeouts)")
	fl.StringArrayVar(&opts.ForwardTo, "forward-to", nil, "forward to the app at URL, or GLOB=URL for matching events; repeatable, first match wins")
	fl.DurationVar(&opts.Server.ForwardTimeout, "forward-timeout", listen.DefaultForwardTimeout, "answer 504 when the app is slower than this")
	fl.IntVar(&opts.Server.Count, "count", 0, "exit after N requests (0: run until stopped)")
	fl.DurationVar(&opts.Server.Timeout, "timeout", 0, "stop after this long; exit 1 if --count was not reached")
	fl.StringArrayVar(&opts.Server.Expect, "expect", nil, "event type pattern that must arrive; others fail (repeatable)")
	fl.BoolVar(&opts.Server.RequireValid, "require-valid", false, "exit 1 unless every request was validly signed")
	fl.StringVar(&opts.Capture, "capture", "", "capture file (default $XDG_STATE_HOME/hookctl/captures.jsonl)")
	fl.BoolVar(&opts.NoCapture, "no-capture", false, "do not write a capture file")
	fl.StringVar(&opts.MaxBody, "max-body", "25MiB", "largest body accepted (KiB, MiB: powers of 1024); larger ones get 413")
	fl.StringVar(&opts.ReadyFile, "ready-file", "", "write the URL to FILE once listening, removed on exit (for scripts)")
	fl.IntVar(&opts.Server.MaxConnections, "max-connections", listen.DefaultMaxConnections, "most connections open at once; at the cap the longest-idle one is closed")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "show each request's headers, and the app's answer headers when forwarding")
	addUIFlags(cmd, opts)
	cmd.MarkFlagsMutuallyExclusive("capture", "no-capture")
	cmd.MarkFlagsMutuallyExclusive("status", "forward-to")
	cmdutil.RegisterProviderCompletion(cmd, f)
	cmdutil.CompleteCaptureFile(cmd, "capture")
	return cmd
}

func listenRun(opts *Options) error {
	cfg, err := buildConfig(opts)
	if err != nil {
		return err
	}
	listen.TuneGC(opts.Getenv)
	defer profiling.Start(opts.Getenv)()
	d := present.NewListen(opts.IO, opts.Styles, opts.StylesErr, present.ListenOptions{JSON: opts.JSON, Quiet: opts.Quiet, NoCapture: opts.NoCapture, Verbose: opts.Verbose})
	cfg.Display, cfg.DisplayBody = d, d.BodyBytes()
	path := cmp.Or(opts.Capture, capture.DefaultPath(opts.Getenv))
	if !opts.NoCapture {
		w, err := capture.OpenWriter(path)
		if err != nil {
			return cmdutil.Usagef("%v: pass another --capture FILE, or --no-capture", err)
		}
		defer w.Close()
		if w.Repaired {
			d.Notice("warning: %s ended with a torn line (a listen was stopped mid-write); it is skipped when read, new records start on a new line", path)
		}
		cfg.Capture = w
	}
	srv, err := listen.New(cfg)
	var bind *listen.BindError
	if errors.As(err, &bind) {
		return cmdutil.Usagef("%v: pick another --port (--port 0 takes a free one) or --host", err)
	} else if err != nil {
		return cmdutil.AsUsage(err)
	}
	// The ready file, and the record that trigger and replay without --to
	// send to; both go when listen stops.
	unannounce, warn, err := cmdutil.AnnounceListen(opts.Getenv, srv.URL(), opts.ReadyFile)
	defer unannounce()
	if err != nil {
		return err
	} else if warn != nil {
		d.Notice("warning: %v: trigger and replay will need --to", warn)
	}
	ctx := cmdutil.OrBackground(opts.Context)
	if opts.UI {
		stopUI, err := startUI(ctx, opts, d, cfg, path)
		if err != nil {
			return err
		}
		defer stopUI()
	}
	d.Ready(srv.URL(), cfg)
	if srv.Exposed() {
		d.Exposed(cfg.Host, srv.Addresses())
	}
	if opts.DevSecretLine != nil {
		line, err := opts.DevSecretLine(cfg.Secrets, cfg.Provider)
		if err != nil {
			return err
		}
		d.DevSecret(line)
	}
	sum, err := srv.Run(ctx)
	if err != nil {
		return cmdutil.Failedf("listen stopped: %v", err)
	}
	if cfg.Capture != nil {
		if err := cfg.Capture.Close(); err != nil {
			return cmdutil.Failedf("closing the capture file: %v", err)
		}
	}
	d.Summary(sum, cfg)
	if fails := sum.Failures(); len(fails) > 0 {
		return cmdutil.Failedf("%s", strings.Join(fails, "; "))
	}
	return nil
}

// buildConfig checks the flags and turns them into the server's config.
func buildConfig(opts *Options) (listen.Config, error) {
	cfg := opts.Server
	cfg.Now, cfg.IDs = opts.Now, opts.IDs
	cfg.SaveNotionToken = func(tok string) (string, error) {
		return state.NotionTokenPath(opts.Getenv), state.SaveNotionToken(opts.Getenv, tok)
	}
	cfg.VerifyToken = cmdutil.VerifyToken(opts.VerifyToken, opts.Config, "meta")
	if err := checkFlags(opts); err != nil {
		return cfg, err
	}
	if cfg.Path != "" && !strings.HasPrefix(cfg.Path, "/") {
		cfg.Path = "/" + cfg.Path
	}
	var err error
	if cfg.MaxBody, err = httpx.ParseSize(opts.MaxBody); err != nil {
		return cfg, cmdutil.Usagef("--max-body: %v", err)
	}
	if cfg.Tolerance, err = cmdutil.ToleranceFlag(opts.Tolerance); err != nil {
		return cfg, err
	}
	if cfg.Catalog, cfg.Provider, err = cmdutil.CatalogProvider(opts.Catalog, opts.Provider); err != nil {
		return cfg, err
	}
	if cfg.Secrets, err = opts.Secrets(secrets.CommandLine{Values: opts.SecretArgs, Files: opts.SecretFile, Provider: cfg.Provider}); err != nil {
		return cfg, err
	}
	if p := cfg.Provider; p != nil && cfg.RequireValid && p.Name != "notion" {
		if _, err := cmdutil.SecretsFor(cfg.Secrets, p.Name); err != nil {
			return cfg, err
		}
	}
	if cfg.Routes, err = cmdutil.ParseRoutes(opts.ForwardTo); err != nil {
		return cfg, err
	}
	if len(cfg.Routes) > 0 {
		cfg.Client = delivery.NewClient(delivery.ClientOptions{Concurrency: 64})
	}
	return cfg, nil
}

// checkFlags checks the flag values, before anything is bound.
func checkFlags(o *Options) error {
	c := &o.Server
	return cmdutil.CheckFlags(
		cmdutil.FlagRule{Broken: o.UIPortSet && !o.UI, Msg: "--ui-port is the inspector's port: add --ui"},
		cmdutil.FlagRule{Broken: o.UIPort < 0 || o.UIPort > 65535, Msg: fmt.Sprintf("invalid --ui-port %d: use 1 to 65535, or 0 for a free port", o.UIPort)},
		cmdutil.FlagRule{Broken: c.Port < 0 || c.Port > 65535, Msg: fmt.Sprintf("invalid --port %d: use 1 to 65535, or 0 for a free port", c.Port)},
		cmdutil.FlagRule{Broken: c.Status < 200 || c.Status > 599, Msg: fmt.Sprintf("invalid --status %d: use a code from 200 to 599", c.Status)},
		cmdutil.FlagRule{Broken: c.FailFirst < 0, Msg: fmt.Sprintf("invalid --fail-first %d: use 0 or more", c.FailFirst)},
		cmdutil.FlagRule{Broken: c.Count < 0, Msg: fmt.Sprintf("invalid --count %d: use 0 or more", c.Count)},
		cmdutil.FlagRule{Broken: c.MaxConnections < 1, Msg: fmt.Sprintf("invalid --max-connections %d: use 1 or more (default %d)", c.MaxConnections, listen.DefaultMaxConnections)},
		cmdutil.FlagRule{Broken: c.Delay < 0 || c.Timeout < 0, Msg: "--delay and --timeout cannot be negative"},
		cmdutil.FlagRule{Broken: c.ForwardTimeout <= 0, Msg: fmt.Sprintf("invalid --forward-timeout %s: use a positive duration, e.g. 30s", c.ForwardTimeout)},
		cmdutil.FlagRule{Broken: slices.ContainsFunc(c.Expect, func(g string) bool { return strings.TrimSpace(g) == "" }),
			Msg: "--expect is empty: pass an event type or pattern, e.g. --expect 'payment.*'"},
	)
}
