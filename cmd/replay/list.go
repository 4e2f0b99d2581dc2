package replay

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/replay"
)

const timeLayout = "2006-01-02 15:04:05"

// columns of --list. Widths are measured in the first pass, so the table
// streams: no row is held back to align the others.
type columns struct {
	head  []string
	max   []int // a longer cell is cut with …; 0: no limit
	width []int
}

func newColumns() *columns {
	c := &columns{
		head: []string{"ID", "TIME", "PROVIDER", "EVENT", "VERDICT", "METHOD", "PATH", "SIZE"},
		max:  []int{40, 0, 20, 40, 48, 8, 60, 0},
	}
	c.width = make([]int, len(c.head))
	for i, h := range c.head {
		c.width[i] = len(h)
	}
	return c
}

func cells(rec *capture.Record) []string {
	size := replay.Size(rec.BodySize)
	if rec.BodyTruncated {
		size += " (not stored)"
	}
	return []string{
		rec.ID, rec.Time.Local().Format(timeLayout), dash(rec.Provider), dash(rec.Event), replay.Verdict(rec),
		dash(rec.Method), dash(rec.RequestURI()), size,
	}
}

func (c *columns) observe(rec *capture.Record) {
	for i, cell := range cells(rec) {
		n := utf8.RuneCountInString(cell)
		if c.max[i] > 0 {
			n = min(n, c.max[i])
		}
		c.width[i] = max(c.width[i], n)
	}
}

// row cuts and pads the cells to the measured widths; style colours a cell
// before it is padded.
func (c *columns) row(vals []string, style func(i int, padded string) string) string {
	var b strings.Builder
	for i, v := range vals {
		if c.max[i] > 0 && utf8.RuneCountInString(v) > c.max[i] {
			v = string([]rune(v)[:c.max[i]-1]) + "…"
		}
		pad := ""
		if i < len(vals)-1 {
			pad = strings.Repeat(" ", c.width[i]-utf8.RuneCountInString(v)+2)
		}
		if style != nil {
			v = style(i, v)
		}
		b.WriteString(v)
		b.WriteString(pad)
	}
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// list prints the selected captures, one line (or JSON object) each, in
// file order, as the second pass reads them.
func (r *run) list(cols *columns) error {
	opts := r.opts
	if r.scan.Selected == 0 {
		if r.scan.Read == 0 {
			fmt.Fprintf(opts.IO.ErrOut, "no captures in %s\n", opts.From)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "no capture in %s matches (%s read)\n", opts.From, plural(r.scan.Read, "capture"))
		}
		return nil
	}
	w := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	var each func(rec *capture.Record) error
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		each = func(rec *capture.Record) error { return enc.Encode(replay.NewEntry(rec)) }
	} else {
		st := opts.Styles
		fmt.Fprintln(w, cols.row(cols.head, func(_ int, s string) string { return st.Bold(s) }))
		each = func(rec *capture.Record) error {
			verdict := replay.Verdict(rec)
			line := cols.row(cells(rec), func(i int, s string) string {
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
			})
			_, err := fmt.Fprintln(w, line)
			return err
		}
	}
	err := r.scan.Each(r.ctx, each)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil && r.ctx.Err() != nil {
		return cmdutil.Failedf("interrupted")
	}
	return err
}
