// Package inspect implements 'hookctl inspect'.
package inspect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/inspect"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
)

// DefaultPort is where inspect binds when it is free (ngrok's inspector's).
const DefaultPort = 4040

// Options holds inspect's dependencies and flag values.
type Options struct {
	IO        *iostreams.IOStreams
	Now       func() time.Time
	IDs       *ids.Generator
	Getenv    func(string) string
	Catalog   func() (*catalog.Catalog, error)
	Secrets   func(secrets.CommandLine) (*secrets.Resolver, error)
	StylesErr *ui.Styles
	JSON      bool
	Context   context.Context
	// Browser opens a URL in the system browser (--open); nil finds
	// xdg-open, open or start.
	Browser func(url string) error

	Capture   string
	Host      string
	Port      int
	PortSet   bool // --port was given: take it or fail, no fallback
	ReadyFile string
	Open      bool
}

// NewCmdInspect builds 'hookctl inspect'; runF replaces the work in tests.
func NewCmdInspect(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, IDs: f.IDs, Getenv: f.Getenv, Catalog: f.Catalog, Secrets: f.Secrets}
	cmd := &cobra.Command{
		Use:   "inspect [--capture FILE] [--port N] [--host H] [--open]",
		Short: "Browse, re-verify, replay and diff captures in a local web page",
		Long: `Serve a web inspector over a capture file: a live list of the captured
requests (new ones appear as listen writes them), filters, each request's
headers and body (pretty, raw, hex), its verdict and forwarded answer, and
actions: re-verify with a secret typed into the page, replay to a URL as
captured or re-signed, edit the body and replay, copy as curl or as
'hookctl trigger --data', download the raw request, diff two captures.

The capture file is the only source of truth: inspect reads it, tails it
for new records and never changes it, so it works on a finished session's
file and on one a running 'hookctl listen' appends to.

The page binds 127.0.0.1 (port 4040 when free, else a free one) and
answers only requests whose Host is that address, localhost or 127.0.0.1;
actions need the page's own origin and a per-process token, so other web
pages cannot use it. Secrets typed into the page are used for one request
and never stored or logged. The page and its JSON API are described in
the README ("hookctl inspect").`,
		Example: `  hookctl inspect
  hookctl inspect --open
  hookctl inspect --capture ci/captures.jsonl --port 0 --ready-file url.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.PortSet = cmd.Flags().Changed("port")
			if opts.Capture == "" {
				opts.Capture = capture.DefaultPath(f.Getenv)
			}
			opts.JSON, opts.StylesErr = f.JSON(), f.StylesErr()
			ctx, stop := cmdutil.StopOnSignal(cmd.Context(), f.IOStreams)
			defer stop()
			opts.Context = ctx
			if runF != nil {
				return runF(opts)
			}
			return inspectRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Capture, "capture", "", "capture file to inspect (default $XDG_STATE_HOME/hookctl/captures.jsonl, where listen writes)")
	fl.StringVar(&opts.Host, "host", "127.0.0.1", "address to bind")
	fl.IntVar(&opts.Port, "port", DefaultPort, "port to serve on; 0 takes a free one, and the default falls back to one when 4040 is taken")
	fl.StringVar(&opts.ReadyFile, "ready-file", "", "write the URL to FILE once serving (for scripts)")
	fl.BoolVar(&opts.Open, "open", false, "open the page in the system browser")
	_ = cmd.RegisterFlagCompletionFunc("capture", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"jsonl"}, cobra.ShellCompDirectiveFilterFileExt
	})
	return cmd
}

func inspectRun(opts *Options) error {
	if opts.Port < 0 || opts.Port > 65535 {
		return cmdutil.Usagef("invalid --port %d: use 1 to 65535, or 0 for a free port", opts.Port)
	}
	browser := opts.Browser
	if opts.Open && browser == nil {
		var err error
		if browser, err = systemBrowser(opts.Getenv("PATH")); err != nil {
			return err
		}
	}
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	configured, err := opts.Secrets(secrets.CommandLine{}) // for re-signing when no secret is typed in
	if err != nil {
		return err
	}
	ui, err := Start(Deps{Catalog: cat, Now: opts.Now, IDs: opts.IDs, Secrets: configured},
		inspect.StartConfig{Capture: opts.Capture, Host: opts.Host, Port: opts.Port, Fallback: !opts.PortSet})
	if err != nil {
		return err
	}
	if opts.ReadyFile != "" {
		if err := cmdutil.WriteReadyFile(opts.ReadyFile, ui.URL); err != nil {
			return cmdutil.AsUsage(err)
		}
	}
	if opts.JSON {
		fmt.Fprintf(opts.IO.Out, "{\"url\":%q,\"capture\":%q}\n", ui.URL, opts.Capture)
	} else {
		fmt.Fprintf(opts.IO.Out, "Inspecting %s at %s\n", opts.Capture, ui.URL)
	}
	if opts.IO.IsStderrTTY() {
		if ui.Records() == 0 {
			fmt.Fprintln(opts.IO.ErrOut, opts.StylesErr.Dim("No captures yet: they appear as 'hookctl listen' writes them."))
		}
		fmt.Fprintln(opts.IO.ErrOut, opts.StylesErr.Dim("Press Ctrl-C to stop."))
	}
	if opts.Open {
		if err := browser(ui.URL); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "%s could not open a browser (%v): open %s yourself\n", opts.StylesErr.Warn("warning:"), err, ui.URL)
		}
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ui.Serve(ctx); err != nil {
		return cmdutil.Failedf("inspect stopped: %v", err)
	}
	return nil
}

// Deps are what an inspector's actions need from a command.
type Deps struct {
	Catalog *catalog.Catalog
	Now     func() time.Time
	IDs     *ids.Generator
	Secrets *secrets.Resolver // configured secrets, for re-signing when none is typed in
}

// Start binds and indexes an inspector for a command ('hookctl inspect',
// 'hookctl listen --ui'); its replays are shown as 'hookctl replay --json'
// reports them. A port that cannot be taken is a usage error.
func Start(d Deps, cfg inspect.StartConfig) (*inspect.Running, error) {
	cfg.Engine = &inspect.Engine{Catalog: d.Catalog, Now: d.Now, IDs: d.IDs, Secrets: d.Secrets.Values}
	cfg.Result = attemptJSON
	ui, err := inspect.Start(cfg)
	var bind *inspect.BindError
	if errors.As(err, &bind) {
		return nil, cmdutil.Usagef("%v: pass another --port (0 takes a free one) or --host", err)
	}
	return ui, cmdutil.AsUsage(err)
}

// attemptJSON is a replay's answer as 'hookctl replay --json' prints it.
func attemptJSON(r *delivery.Result) []byte {
	var buf bytes.Buffer
	present.NewDelivery(&iostreams.IOStreams{Out: &buf}, nil, present.Options{JSON: true}).Attempt(r)
	return buf.Bytes()
}

// systemBrowser finds the command that opens a URL in the user's browser
// on the PATH given.
func systemBrowser(pathEnv string) (func(string) error, error) {
	name, args := "xdg-open", []string(nil)
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "cmd", []string{"/c", "start", ""}
	}
	path := ""
	for _, dir := range filepath.SplitList(pathEnv) {
		if p, err := exec.LookPath(filepath.Join(dir, name)); err == nil && dir != "" {
			path = p
			break
		}
	}
	if path == "" {
		return nil, cmdutil.Usagef("--open: no %s on PATH to open a browser with: drop --open and open the printed URL yourself", name)
	}
	return func(url string) error {
		c := exec.Command(path, append(args, url)...)
		if err := c.Start(); err != nil {
			return err
		}
		go func() { _ = c.Wait() }()
		return nil
	}, nil
}
