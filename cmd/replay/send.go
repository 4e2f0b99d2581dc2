package replay

import (
	"bufio"
	"context"
	"fmt"
	"net/url"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/replay"
)

// send runs the second pass and prints it through the same printer as
// trigger: a line (or JSON object) per capture, the summary, then the
// captures that could not be sent.
func send(ctx context.Context, opts *Options, rp *replay.Replayer, scan *replay.Scan, target *url.URL, filtered bool) error {
	p := present.NewDelivery(opts.IO, opts.Styles, present.Options{JSON: opts.JSON, Verbose: opts.Verbose, Quiet: opts.Quiet})
	pr := &present.Replay{P: p, St: opts.Styles, Quiet: opts.Quiet}
	pr.Header(scan, target, filtered, opts.Resign)
	if opts.Edit && opts.IO.Interactive() {
		fmt.Fprintln(opts.IO.ErrOut, opts.StylesErr.Dim("--edit: each body is signed again after you save it (--edit implies --resign)"))
	}
	sum, err := rp.Run(ctx, scan, func(ev replay.Event) {
		if ev.Skip != nil {
			pr.Skip(ev.Record, ev.Skip)
		} else {
			p.Attempt(ev.Result)
		}
	})
	p.Summary(&sum)
	pr.Skipped()
	switch {
	case err != nil && !sum.Interrupted:
		return cmdutil.Failedf("%s", cmdutil.OneLine(err))
	case sum.Events == 0 && !sum.Interrupted:
		return cmdutil.Failedf("nothing was sent: the body of every selected capture was missing")
	}
	return cmdutil.DeliveriesFailed(sum.Failed, sum.Skipped, sum.Events+sum.Skipped, sum.Interrupted)
}

// list prints the selected captures, one line (or JSON object) each, in
// file order, as the second pass reads them; l was measured by the first.
func list(ctx context.Context, opts *Options, scan *replay.Scan, l *present.CaptureList, w *bufio.Writer) error {
	if scan.Selected == 0 {
		if scan.Read == 0 {
			fmt.Fprintf(opts.IO.ErrOut, "no captures in %s\n", opts.From)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "no capture in %s matches (%s read)\n", opts.From, present.Count(scan.Read, "capture"))
		}
		return nil
	}
	err := l.Heading()
	if err == nil {
		err = scan.Each(ctx, func(rec *capture.Record) error { return l.Row(rec) })
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil && ctx.Err() != nil {
		return cmdutil.Failedf("interrupted")
	}
	return err
}
