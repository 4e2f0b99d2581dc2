package present

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/replay"
	"github.com/hookctl/hookctl/internal/ui"
)

// CaptureList prints captures as 'hookctl replay --list' does: a table
// whose columns were measured before the first row (Measure every record
// first, e.g. in the first pass over the file), or one JSON object each.
type CaptureList struct {
	w    io.Writer
	st   *ui.Styles
	json *json.Encoder
	cols *ui.Columns
}

// NewCaptureList writes to w, as JSON lines when asJSON.
func NewCaptureList(w io.Writer, st *ui.Styles, asJSON bool) *CaptureList {
	l := &CaptureList{w: w, st: st}
	if asJSON {
		l.json = json.NewEncoder(w)
		l.json.SetEscapeHTML(false)
		return l
	}
	l.cols = ui.NewColumns([]string{"ID", "TIME", "PROVIDER", "EVENT", "VERDICT", "METHOD", "PATH", "SIZE"}, []int{40, 0, 20, 40, 48, 8, 60, 0})
	return l
}

// Measure widens the table's columns for a record (nothing for JSON).
func (l *CaptureList) Measure(rec *capture.Record) {
	if l.cols != nil {
		l.cols.Measure(captureCells(rec))
	}
}

// Heading writes the table's heading line (nothing for JSON).
func (l *CaptureList) Heading() error {
	if l.cols == nil {
		return nil
	}
	_, err := fmt.Fprintln(l.w, l.cols.Row(l.cols.Head, func(_ int, s string) string { return l.st.Bold(s) }))
	return err
}

// Row writes one capture.
func (l *CaptureList) Row(rec *capture.Record) error {
	if l.json != nil {
		return l.json.Encode(replay.NewEntry(rec))
	}
	st, verdict := l.st, replay.Verdict(rec)
	_, err := fmt.Fprintln(l.w, l.cols.Row(captureCells(rec), func(i int, s string) string {
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
}

// captureCells are a capture's row: what listen recorded, made safe for a
// terminal.
func captureCells(rec *capture.Record) []string {
	size := httpx.Size(rec.BodySize)
	if rec.BodyTruncated {
		size += " (not stored)"
	}
	return []string{rec.ID, rec.Time.Local().Format("2006-01-02 15:04:05"), dashed(rec.Provider), dashed(Printable(rec.Event)),
		Printable(replay.Verdict(rec)), dashed(rec.Method), dashed(Printable(rec.RequestURI())), size}
}

// List prints scan's selected captures, one line (or JSON object) each,
// in file order, as its second pass reads them (l was measured by the
// first), then flushes w when it buffers; with none selected it says so
// on errOut.
func (l *CaptureList) List(ctx context.Context, errOut io.Writer, scan *replay.Scan) error {
	if scan.Selected == 0 {
		if scan.Read == 0 {
			fmt.Fprintf(errOut, "no captures in %s\n", scan.Path)
		} else {
			fmt.Fprintf(errOut, "no capture in %s matches (%s read)\n", scan.Path, Count(scan.Read, "capture"))
		}
		return nil
	}
	err := l.Heading()
	if err == nil {
		err = scan.Each(ctx, func(rec *capture.Record) error { return l.Row(rec) })
	}
	if f, ok := l.w.(interface{ Flush() error }); ok {
		if ferr := f.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}
