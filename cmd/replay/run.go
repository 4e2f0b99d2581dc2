package replay

import (
	"bufio"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/replay"
)

func replayRun(opts *Options) error {
	ctx := cmdutil.OrBackground(opts.Context)
	cfg, sel, err := configure(opts)
	if err != nil {
		return err
	}
	var observe replay.Observe
	out := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	l := present.NewCaptureList(out, opts.Styles, opts.JSON)
	if opts.List {
		observe = l.Measure
	}
	warn := func(msg string) { present.Warn(opts.IO, opts.StylesErr, "%s", msg) }
	scan, err := replay.ScanFile(ctx, opts.From, sel, warn, observe)
	switch {
	case errors.Is(err, replay.ErrNoFile):
		return cmdutil.Usagef("no capture file at %s: run 'hookctl listen' to capture requests, or pass --from FILE", opts.From)
	case ctx.Err() != nil:
		return cmdutil.Failedf("interrupted while reading %s: nothing was sent", opts.From)
	case err != nil:
		return cmdutil.AsUsage(err)
	case len(scan.Missing) > 0:
		return cmdutil.Usagef("no capture %s in %s: run 'hookctl replay --list --from %s' to see the ids", strings.Join(scan.Missing, ", "), opts.From, opts.From)
	case opts.List:
		if err = l.List(ctx, opts.IO.ErrOut, scan); err != nil && ctx.Err() != nil {
			err = cmdutil.Failedf("interrupted")
		}
		return err
	case scan.Selected == 0 && scan.Read == 0:
		return cmdutil.Usagef("nothing to replay: %s holds no captures", opts.From)
	case scan.Selected == 0:
		return cmdutil.Usagef("nothing to replay: no capture in %s matches %s (%s read); 'hookctl replay --list' shows them",
			opts.From, present.Selection(sel, opts.Since), present.Count(scan.Read, "capture"))
	}
	if opts.Resign {
		if cfg.Secrets, err = cmdutil.SecretsLookup(opts.Secrets, opts.SecretArgs, opts.SecretFile, cfg.Provider); err != nil {
			return err
		}
	}
	rp, err := replay.New(cfg, scan.Providers)
	var np *replay.NoProviderError
	var ns *replay.NoSecretError
	switch {
	case errors.As(err, &np) && np.Provider == "":
		return cmdutil.Usagef("%v: pass --provider to re-sign %s", err, them(np.Captures))
	case errors.As(err, &np):
		return cmdutil.Usagef("%v: pass --provider to re-sign %s with another scheme, or define it in the config file", err, them(np.Captures))
	case errors.As(err, &ns):
		return cmdutil.NoSecret(ns.Provider)
	case err != nil:
		return cmdutil.AsUsage(err)
	}
	return send(ctx, opts, rp, scan, cfg.Target, sel.Filtered())
}

// configure checks the flags and turns them into the engine's config and
// the selection.
func configure(opts *Options) (replay.Config, replay.Selection, error) {
	sel := replay.Selection{IDs: opts.CaptureIDs, Events: opts.Events, Last: opts.Last}
	cfg := replay.Config{Client: opts.HTTPClient, Timeout: opts.Timeout, Now: opts.Now, IDs: opts.IDs}
	if opts.Since != "" {
		d, err := time.ParseDuration(strings.TrimSpace(opts.Since))
		if err != nil || d <= 0 {
			return cfg, sel, cmdutil.Usagef("invalid --since %q: pass a duration such as 30m or 2h", opts.Since)
		}
		sel.Since = opts.Now().Add(-d)
	}
	if opts.Edit { // --edit implies --resign
		opts.Resign, cfg.Edit = true, editor(opts)
	}
	err := cmdutil.CheckFlags(
		cmdutil.FlagRule{Broken: slices.Contains(opts.Events, ""), Msg: "--event is empty: pass a glob such as 'message.*'"},
		cmdutil.FlagRule{Broken: opts.Edit && !opts.IO.IsStdinTTY(), Msg: "--edit opens $EDITOR and needs a terminal, but stdin is not one: replay without --edit, or edit the capture file"},
		cmdutil.FlagRule{Broken: !opts.Resign && len(opts.SecretArgs)+len(opts.SecretFile) > 0, Msg: "--secret and --secret-file are for re-signing: add --resign, or drop them to replay as captured"},
	)
	if err != nil {
		return cfg, sel, err
	}
	if cfg.Catalog, cfg.Provider, err = cmdutil.CatalogProvider(opts.Catalog, opts.Provider); err != nil {
		return cfg, sel, err
	}
	if !opts.List {
		if cfg.Target, err = cmdutil.ResolveTarget(opts.IO, opts.To, "", opts.Getenv); err != nil {
			return cfg, sel, err
		}
	}
	if cfg.Client == nil {
		cfg.Client = delivery.NewClient(delivery.ClientOptions{Insecure: opts.Insecure})
	}
	cfg.KeepBody = present.KeepBody(opts.Verbose)
	cfg.Resign = opts.Resign
	return cfg, sel, nil
}

func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
