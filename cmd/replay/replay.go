// Package replay implements 'hookctl replay'.
package replay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/replay"
	secretsrc "github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options holds replay's dependencies and flag values.
type Options struct {
	IO         *iostreams.IOStreams
	Now        func() time.Time
	IDs        *ids.Generator
	Getenv     func(string) string
	Catalog    func() (*catalog.Catalog, error)
	Secrets    func(secretsrc.CommandLine) (*secretsrc.Resolver, error)
	HTTPClient *http.Client // nil: delivery.NewClient
	Styles     *ui.Styles
	StylesErr  *ui.Styles
	JSON       bool
	Quiet      bool
	// Editor runs the user's editor on a file (--edit); nil runs $VISUAL or $EDITOR.
	Editor func(path string) error

	CaptureIDs []string
	To         string
	From       string
	Last       int
	Events     []string
	Since      string
	Resign     bool
	Edit       bool
	List       bool
	Provider   string
	SecretArgs []string
	SecretFile []string // --secret-file, repeatable
	Timeout    time.Duration
	Insecure   bool
	Verbose    bool
}

// NewCmdReplay builds 'hookctl replay'; runF replaces the work in tests.
func NewCmdReplay(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, IDs: f.IDs, Getenv: f.Getenv, Catalog: f.Catalog, Secrets: f.Secrets}
	cmd := &cobra.Command{
		Use:   "replay [CAPTURE_ID ...] --to TARGET [--from FILE] [--last N] [--event GLOB] [--since DUR]",
		Short: "Resend captured requests, as they were or re-signed",
		Long: `Resend requests that 'hookctl listen' captured, in the order they arrived.

Without ids or filters every capture in the file is replayed. Capture ids
(see --list) pick captures; --event (a glob such as 'message.*', matched as
listen's --expect is: * matches any run of characters, dots and slashes
included), --since and --last narrow the selection; --last N keeps the last
N of what the other filters kept.

As captured (the default): the same method, path and query (appended to
--to's path), headers and body, byte for byte. Hop-by-hop headers,
Content-Length and Host are not copied: the request goes to the new
target's host, and the transport sets the length. A capture whose body was
not stored (it was over listen's --max-body) is skipped and listed; the run
fails only if nothing could be sent.

Signatures with a time window (standard, svix, stripe, slack) expire five
minutes after capture. --resign removes the provider's signature, id and
timestamp headers and adds a fresh id, the current time and a signature
over the exact body with the configured secret (--secret, --secret-file,
HOOKCTL_<PROVIDER>_SECRET, HOOKCTL_SECRET or the config file; the whole
order: 'hookctl help secrets'). The provider is the one listen recognised,
or --provider. With captures of several providers, pass --secret P=S (or
--secret-file P=FILE) for each: as with listen, a bare secret is for every
provider without one of its own.

--edit opens each body in $VISUAL or $EDITOR before it is sent (it needs a
terminal). The body is sent as saved, except that the final newline editors
add is dropped when the captured body had none; an emptied body skips that
capture. An edited body must be signed again: --edit implies --resign.

Results, --json and exit codes are trigger's: one line (or JSON object) per
request, a summary, exit 0 when every request was accepted (by the
provider's rule, e.g. notify accepts only 200; any 2xx otherwise), 1 when
any failed, 2 for usage errors (nothing is sent). --json also writes a
first {"type":"replay"} line (file, target, how many) and a
{"type":"skipped"} line for each capture that could not be sent; the
summary counts those as "unsendable", and as "skipped" the captures never
reached because the run was stopped (Ctrl-C). The
capture file is streamed: any number of captures replays or lists in
constant memory.`,
		Example: `  hookctl replay --list
  hookctl replay --to localhost:5000
  hookctl replay cap_01j9x2k3 --to localhost:5000/webhooks
  hookctl replay --last 5 --event 'message.*' --to localhost:5000 --resign
  hookctl replay --since 1h --to localhost:5000 --resign --secret notify=s3cr3t --secret stripe=whsec_abc
  hookctl replay --from ci/captures.jsonl --to localhost:5000 --json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			cfg.Bind("to", cmd.Flags().Lookup("to"))
			opts.To = cfg.To()
			opts.CaptureIDs = args
			if cmd.Flags().Changed("last") && opts.Last < 1 {
				return cmdutil.Usagef("invalid --last %d: pass how many of the last captures to replay, 1 or more", opts.Last)
			}
			if opts.From == "" {
				opts.From = capture.DefaultPath(f.Getenv)
			}
			opts.JSON, opts.Quiet = f.JSON(), f.Quiet()
			opts.Styles, opts.StylesErr = f.Styles(), f.StylesErr()
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := cmdutil.StopOnSignal(cmd.Context())
			defer stop()
			return replayRun(ctx, opts)
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
	_ = cmd.RegisterFlagCompletionFunc("from", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"jsonl"}, cobra.ShellCompDirectiveFilterFileExt
	})
	return cmd
}

// run is one replay run: what was decided before the second pass.
type run struct {
	ctx     context.Context
	opts    *Options
	cat     *catalog.Catalog
	scan    *replay.Scan
	target  *url.URL
	forced  *catalog.Provider           // --provider
	resign  map[string]*replay.Resigner // by the record's provider name
	sender  *delivery.Sender
	skipped []skip
}

type skip struct {
	id, event, reason string
}

func replayRun(ctx context.Context, opts *Options) error {
	sel := replay.Selection{IDs: opts.CaptureIDs, Events: opts.Events, Last: opts.Last}
	if opts.Since != "" {
		d, err := time.ParseDuration(strings.TrimSpace(opts.Since))
		if err != nil || d <= 0 {
			return cmdutil.Usagef("invalid --since %q: pass a duration such as 30m or 2h", opts.Since)
		}
		sel.Since = opts.Now().Add(-d)
	}
	if err := sel.Validate(); err != nil {
		return cmdutil.AsUsage(err)
	}
	if opts.Edit {
		if !opts.IO.IsStdinTTY() {
			return cmdutil.Usagef("--edit opens $EDITOR and needs a terminal, but stdin is not one: replay without --edit, or edit the capture file")
		}
		opts.Resign = true
	}
	if !opts.Resign && (len(opts.SecretArgs)+len(opts.SecretFile) > 0) {
		return cmdutil.Usagef("--secret and --secret-file are for re-signing: add --resign, or drop them to replay as captured")
	}
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	r := &run{ctx: ctx, opts: opts, cat: cat}
	if opts.Provider != "" {
		if r.forced, err = cat.Lookup(opts.Provider); err != nil {
			return cmdutil.AsUsage(err)
		}
	}
	if !opts.List {
		if r.target, err = delivery.ParseTarget(opts.To); err != nil {
			return cmdutil.AsUsage(err)
		}
	}

	var widths *columns
	var observe replay.Observe
	if opts.List && !opts.JSON {
		widths = newColumns()
		observe = widths.observe
	}
	warn := func(msg string) {
		fmt.Fprintf(opts.IO.ErrOut, "%s %s\n", opts.StylesErr.Warn("warning:"), msg)
	}
	r.scan, err = replay.ScanFile(ctx, opts.From, sel, warn, observe)
	switch {
	case errors.Is(err, replay.ErrNoFile):
		return cmdutil.Usagef("no capture file at %s: run 'hookctl listen' to capture requests, or pass --from FILE", opts.From)
	case ctx.Err() != nil:
		return cmdutil.Failedf("interrupted while reading %s: nothing was sent", opts.From)
	case err != nil:
		return cmdutil.AsUsage(err)
	}
	if n := len(r.scan.Missing); n > 0 {
		return cmdutil.Usagef("no capture %s in %s: run 'hookctl replay --list --from %s' to see the ids", strings.Join(r.scan.Missing, ", "), opts.From, opts.From)
	}
	if opts.List {
		return r.list(widths)
	}
	if r.scan.Selected == 0 {
		if r.scan.Read == 0 {
			return cmdutil.Usagef("nothing to replay: %s holds no captures", opts.From)
		}
		return cmdutil.Usagef("nothing to replay: no capture in %s matches %s (%s read); 'hookctl replay --list' shows them",
			opts.From, sel.Describe(opts.Since), plural(r.scan.Read, "capture"))
	}
	if opts.Resign {
		if err := r.prepareResign(); err != nil {
			return err
		}
	}
	return r.send(sel)
}

// provider is the catalogue entry for a record: --provider, else the one
// listen recognised; nil when neither is known.
func (r *run) provider(name string) *catalog.Provider {
	if r.forced != nil {
		return r.forced
	}
	if name == "" {
		return nil
	}
	p, err := r.cat.Lookup(name)
	if err != nil {
		return nil
	}
	return p
}

// prepareResign finds the scheme and secrets of every provider among the
// selected captures before anything is sent.
func (r *run) prepareResign() error {
	opts := r.opts
	given, err := opts.Secrets(secretsrc.CommandLine{Values: opts.SecretArgs, Files: opts.SecretFile, Provider: r.forced})
	if err != nil {
		return err
	}
	names := make([]string, 0, len(r.scan.Providers))
	for name := range r.scan.Providers {
		names = append(names, name)
	}
	sort.Strings(names)
	r.resign = map[string]*replay.Resigner{}
	for _, name := range names {
		p := r.provider(name)
		if p == nil {
			n := r.scan.Providers[name]
			if name == "" {
				return cmdutil.Usagef("%s no provider (listen recognised no signature): pass --provider to re-sign %s", haveHas(n), them(n))
			}
			return cmdutil.Usagef("%s provider %q, which is not in the catalogue: pass --provider to re-sign %s with another scheme, or define it in the config file", haveHas(n), name, them(n))
		}
		keys, err := cmdutil.SecretsFor(given, p.Name)
		if err != nil {
			return err
		}
		if len(keys) > 1 && !p.Scheme.MultiSignature() {
			return cmdutil.Usagef("%s carries one signature per request: pass one secret for it", p.Name)
		}
		for _, s := range keys {
			if _, err := p.Scheme.Key(s); err != nil {
				return cmdutil.Usagef("secret for %s: %v", p.Name, err)
			}
		}
		r.resign[name] = &replay.Resigner{Provider: p, Secrets: keys, Now: opts.Now, IDs: opts.IDs}
	}
	return nil
}

func haveHas(n int) string {
	if n == 1 {
		return "1 selected capture has"
	}
	return fmt.Sprintf("%d selected captures have", n)
}

func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// send is the second pass: each selected capture is sent once, in file
// order, through the same sender and printer as trigger.
func (r *run) send(sel replay.Selection) error {
	opts := r.opts
	client := opts.HTTPClient
	if client == nil {
		client = delivery.NewClient(delivery.ClientOptions{Insecure: opts.Insecure})
	}
	printer := delivery.NewPrinter(opts.IO.Out, delivery.PrintOptions{JSON: opts.JSON, Verbose: opts.Verbose, Styles: cmdutil.DeliveryStyles(opts.Styles)})
	r.sender = delivery.NewSender(delivery.Config{Client: client, Printer: printer})
	if opts.IO.Interactive() && !opts.Quiet {
		r.sender.Countdown = opts.IO.ErrOut
	}
	if opts.Verbose {
		r.sender.KeepBody = 4 << 20
	}
	r.header(printer, sel)
	if opts.Edit && opts.IO.Interactive() {
		fmt.Fprintln(opts.IO.ErrOut, opts.StylesErr.Dim("--edit: each body is signed again after you save it (--edit implies --resign)"))
	}

	done := 0 // captures sent, cut short or skipped
	err := r.scan.Each(r.ctx, func(rec *capture.Record) error {
		err := r.one(rec)
		if err == nil || errors.Is(err, context.Canceled) {
			done++
		}
		return err
	})
	s := r.sender
	switch {
	case r.ctx.Err() != nil || s.Summary.Interrupted:
		// A capture cut short is counted failed by the sender; the ones
		// never reached are counted not sent.
		s.Summary.Interrupted = true
		s.Skip(r.scan.Selected - done)
	case err != nil:
		s.Skip(r.scan.Selected - done)
	}
	unsendable := len(r.skipped)
	s.Summary.Unsendable = &unsendable
	s.Finish()
	r.printSkipped(printer)
	switch {
	case s.Summary.Interrupted:
		return cmdutil.ErrSilentFailure
	case err != nil:
		return cmdutil.Failedf("%s", cmdutil.OneLine(err))
	case s.Summary.Events == 0:
		return cmdutil.Failedf("nothing was sent: the body of every selected capture was missing")
	case !s.Summary.OK():
		return cmdutil.ErrSilentFailure
	}
	return nil
}

// header says what is about to be replayed (not with --quiet).
func (r *run) header(p *delivery.Printer, sel replay.Selection) {
	opts, sc := r.opts, r.scan
	if opts.JSON {
		p.JSONLine(struct {
			Type     string `json:"type"`
			From     string `json:"from"`
			To       string `json:"to"`
			Captures int    `json:"captures"`
			Selected int    `json:"selected"`
			Resign   bool   `json:"resign"`
		}{"replay", opts.From, r.target.String(), sc.Read, sc.Selected, opts.Resign})
		return
	}
	if opts.Quiet {
		return
	}
	what := fmt.Sprintf("all %s", plural(sc.Read, "capture"))
	if sel.Filtered() {
		what = fmt.Sprintf("%d of %s", sc.Selected, plural(sc.Read, "capture"))
	}
	how := "as captured"
	if opts.Resign {
		how = "re-signed"
	}
	p.Line("%s", opts.Styles.Dim(fmt.Sprintf("replaying %s in %s to %s, %s", what, sc.Path, r.target, how)))
}

// one sends one capture, or records why it cannot be.
func (r *run) one(rec *capture.Record) error {
	opts := r.opts
	req, err := replay.AsIs(rec, r.target)
	if err != nil {
		reason := err.Error()
		if rec.BodyTruncated {
			reason = fmt.Sprintf("body not stored (%s, %s)", replay.Size(rec.BodySize), rec.NotStoredWhy())
		}
		r.skip(rec, reason)
		return nil
	}
	p := r.provider(rec.Provider)
	if opts.Edit {
		req.Body, err = r.editBody(rec, req)
		if errors.Is(err, errEmptied) {
			r.skip(rec, err.Error())
			return nil
		}
		if err != nil {
			return err
		}
	}
	if opts.Resign {
		if err := r.resign[rec.Provider].Resign(req); err != nil {
			return err
		}
	}
	r.sender.UseProvider(p, r.opts.Timeout)
	s := r.sender
	_, err = s.Deliver(r.ctx, delivery.Once(req))
	if err == nil && s.Summary.Interrupted {
		return context.Canceled
	}
	return err
}

// skip records and prints a capture that cannot be sent.
func (r *run) skip(rec *capture.Record, reason string) {
	r.skipped = append(r.skipped, skip{rec.ID, rec.Event, reason})
	p := r.sender.Printer
	if p.JSON() {
		p.JSONLine(struct {
			Type      string `json:"type"`
			CaptureID string `json:"capture_id"`
			Event     string `json:"event"`
			Reason    string `json:"reason"`
		}{"skipped", rec.ID, rec.Event, reason})
		return
	}
	what := rec.ID
	if rec.Event != "" {
		what += " " + r.opts.Styles.Accent(rec.Event)
	}
	p.Line("%s  %s: %s; nothing sent", r.opts.Styles.Warn("skipped "), what, reason)
}

// printSkipped lists, after the summary, the captures that could not be sent.
func (r *run) printSkipped(p *delivery.Printer) {
	if len(r.skipped) == 0 || p.JSON() {
		return
	}
	ids := make([]string, 0, len(r.skipped))
	for i, s := range r.skipped {
		if i == 10 {
			ids = append(ids, fmt.Sprintf("and %d more", len(r.skipped)-10))
			break
		}
		ids = append(ids, s.id)
	}
	p.Line("%s", r.opts.Styles.Warn(fmt.Sprintf("skipped %s that could not be sent: %s", plural(len(r.skipped), "capture"), strings.Join(ids, ", "))))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
