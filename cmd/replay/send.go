package replay

import (
	"context"
	"fmt"
	"net/url"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/replay"
)

// send runs the second pass and prints it through the same printer as
// trigger: a line (or JSON object) per capture, the summary, then the
// captures that could not be sent.
func send(ctx context.Context, opts *Options, rp *replay.Replayer, scan *replay.Scan, target *url.URL) error {
	p := delivery.NewPrinter(opts.IO.Out, delivery.PrintOptions{JSON: opts.JSON, Verbose: opts.Verbose, Styles: cmdutil.DeliveryStyles(opts.Styles)})
	pr := &present.Replay{P: p, St: opts.Styles, Quiet: opts.Quiet}
	filtered := len(opts.CaptureIDs)+len(opts.Events) > 0 || opts.Since != "" || opts.Last > 0
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
