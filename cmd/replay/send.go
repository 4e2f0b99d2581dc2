package replay

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/replay"
)

// send runs the second pass and prints it through the same printer as
// trigger: a line (or JSON object) per capture, the summary, then the
// captures that could not be sent.
func send(ctx context.Context, opts *Options, rp *replay.Replayer, scan *replay.Scan, target *url.URL) error {
	p := delivery.NewPrinter(opts.IO.Out, delivery.PrintOptions{JSON: opts.JSON, Verbose: opts.Verbose, Styles: cmdutil.DeliveryStyles(opts.Styles)})
	header(opts, p, scan, target)
	if opts.Edit && opts.IO.Interactive() {
		fmt.Fprintln(opts.IO.ErrOut, opts.StylesErr.Dim("--edit: each body is signed again after you save it (--edit implies --resign)"))
	}
	var skipped []string // the first 10 ids
	n := 0
	sum, err := rp.Run(ctx, scan, func(ev replay.Event) {
		if ev.Skip == nil {
			p.Attempt(ev.Result)
			return
		}
		if n++; n <= 10 {
			skipped = append(skipped, ev.Record.ID)
		}
		printSkip(opts, p, ev)
	})
	p.Summary(&sum)
	if n > 0 && !p.JSON() {
		if n > 10 {
			skipped = append(skipped, fmt.Sprintf("and %d more", n-10))
		}
		p.Line("%s", opts.Styles.Warn(fmt.Sprintf("skipped %s that could not be sent: %s", plural(n, "capture"), strings.Join(skipped, ", "))))
	}
	switch {
	case sum.Interrupted:
		return cmdutil.ErrSilentFailure
	case err != nil:
		return cmdutil.Failedf("%s", cmdutil.OneLine(err))
	case sum.Events == 0:
		return cmdutil.Failedf("nothing was sent: the body of every selected capture was missing")
	case !sum.OK():
		return cmdutil.ErrSilentFailure
	}
	return nil
}

// header says what is about to be replayed (not with --quiet).
func header(opts *Options, p *delivery.Printer, sc *replay.Scan, target *url.URL) {
	if opts.JSON {
		p.JSONLine(struct {
			Type     string `json:"type"`
			From     string `json:"from"`
			To       string `json:"to"`
			Captures int    `json:"captures"`
			Selected int    `json:"selected"`
			Resign   bool   `json:"resign"`
		}{"replay", opts.From, target.String(), sc.Read, sc.Selected, opts.Resign})
		return
	}
	if opts.Quiet {
		return
	}
	what := fmt.Sprintf("all %s", plural(sc.Read, "capture"))
	if len(opts.CaptureIDs)+len(opts.Events) > 0 || opts.Since != "" || opts.Last > 0 {
		what = fmt.Sprintf("%d of %s", sc.Selected, plural(sc.Read, "capture"))
	}
	how := "as captured"
	if opts.Resign {
		how = "re-signed"
	}
	p.Line("%s", opts.Styles.Dim(fmt.Sprintf("replaying %s in %s to %s, %s", what, sc.Path, target, how)))
}

// printSkip prints a capture that cannot be sent.
func printSkip(opts *Options, p *delivery.Printer, ev replay.Event) {
	rec, reason := ev.Record, skipReason(ev.Skip)
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
		what += " " + opts.Styles.Accent(rec.Event)
	}
	p.Line("%s  %s: %s; nothing sent", opts.Styles.Warn("skipped "), what, reason)
}
