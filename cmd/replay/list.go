package replay

import (
	"bufio"
	"context"
	"fmt"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/replay"
)

// list prints the selected captures, one line (or JSON object) each, in
// file order, as the second pass reads them; l was measured by the first.
func list(ctx context.Context, opts *Options, scan *replay.Scan, l *present.CaptureList, w *bufio.Writer) error {
	if scan.Selected == 0 {
		if scan.Read == 0 {
			fmt.Fprintf(opts.IO.ErrOut, "no captures in %s\n", opts.From)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "no capture in %s matches (%s read)\n", opts.From, plural(scan.Read, "capture"))
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
