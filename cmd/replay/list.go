package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/replay"
	"github.com/hookctl/hookctl/internal/ui"
)

func newColumns() *ui.Columns {
	return ui.NewColumns([]string{"ID", "TIME", "PROVIDER", "EVENT", "VERDICT", "METHOD", "PATH", "SIZE"}, []int{40, 0, 20, 40, 48, 8, 60, 0})
}

// cells are a capture's row of --list.
func cells(rec *capture.Record) []string {
	size := httpx.Size(rec.BodySize)
	if rec.BodyTruncated {
		size += " (not stored)"
	}
	return []string{rec.ID, rec.Time.Local().Format("2006-01-02 15:04:05"), dash(rec.Provider), dash(rec.Event), replay.Verdict(rec),
		dash(rec.Method), dash(rec.RequestURI()), size}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// list prints the selected captures, one line (or JSON object) each, in
// file order, as the second pass reads them; cols were measured by the first.
func list(ctx context.Context, opts *Options, scan *replay.Scan, cols *ui.Columns) error {
	if scan.Selected == 0 {
		if scan.Read == 0 {
			fmt.Fprintf(opts.IO.ErrOut, "no captures in %s\n", opts.From)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "no capture in %s matches (%s read)\n", opts.From, plural(scan.Read, "capture"))
		}
		return nil
	}
	w := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	st := opts.Styles
	if !opts.JSON {
		fmt.Fprintln(w, cols.Row(cols.Head, func(_ int, s string) string { return st.Bold(s) }))
	}
	err := scan.Each(ctx, func(rec *capture.Record) error {
		if opts.JSON {
			return enc.Encode(replay.NewEntry(rec))
		}
		verdict := replay.Verdict(rec)
		_, err := fmt.Fprintln(w, cols.Row(cells(rec), func(i int, s string) string {
			switch {
			case i == 0:
				return st.Accent(s)
			case i != 4:
				return s
			case verdict == "valid":
				return st.OK(s)
			case strings.HasPrefix(verdict, "invalid"):
				return st.Fail(s)
			}
			return st.Warn(s)
		}))
		return err
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil && ctx.Err() != nil {
		return cmdutil.Failedf("interrupted")
	}
	return err
}
