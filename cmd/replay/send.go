package replay

import (
	"context"
	"net/url"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/replay"
)

// send runs the second pass and prints it through the same printer as
// trigger: a line (or JSON object) per capture, the summary, then the
// captures that could not be sent.
func send(ctx context.Context, opts *Options, rp *replay.Replayer, scan *replay.Scan, target *url.URL, filtered bool) error {
	pr := present.NewReplay(present.NewDelivery(opts.IO, opts.Styles, present.Options{JSON: opts.JSON, Verbose: opts.Verbose, Quiet: opts.Quiet}), opts.Styles, opts.Quiet)
	pr.Header(scan, target, filtered, opts.Resign)
	if opts.Edit {
		present.Hint(opts.IO, opts.StylesErr, "--edit: each body is signed again after you save it (--edit implies --resign)")
	}
	sum, err := rp.Run(ctx, scan, pr.Observe)
	pr.Done(&sum)
	switch {
	case err != nil && !sum.Interrupted:
		return cmdutil.Failedf("%s", cmdutil.OneLine(err))
	case sum.Events == 0 && !sum.Interrupted:
		return cmdutil.Failedf("nothing was sent: the body of every selected capture was missing")
	}
	return cmdutil.DeliveriesFailed(sum.Failed, sum.Skipped, sum.Events+sum.Skipped, sum.Interrupted)
}
