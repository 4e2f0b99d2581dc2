package present

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/replay"
	"github.com/hookctl/hookctl/internal/ui"
)

// Lines is where a run's results go: the delivery printer.
type Lines interface {
	JSON() bool
	JSONLine(v any)
	Line(format string, args ...any)
}

// Replay prints what 'hookctl replay' adds to the delivery results: what
// is replayed, the captures that cannot be sent, and their list after the
// summary.
type Replay struct {
	P       Lines
	St      *ui.Styles
	Quiet   bool
	d       *Delivery // NewReplay's: the results of the captures sent
	skipped []string  // the first ten ids
	n       int
}

// NewReplay prints a replay run through d, the delivery printer that
// trigger uses too.
func NewReplay(d *Delivery, st *ui.Styles, quiet bool) *Replay {
	return &Replay{P: d, St: st, Quiet: quiet, d: d}
}

// Observe prints one capture of the run: its delivery, or why it was
// skipped.
func (r *Replay) Observe(ev replay.Event) {
	if ev.Skip != nil {
		r.Skip(ev.Record, ev.Skip)
	} else {
		r.d.Attempt(ev.Result)
	}
}

// Done prints the run's summary, then the captures that could not be
// sent.
func (r *Replay) Done(sum *delivery.Summary) {
	r.d.Summary(sum)
	r.Skipped()
}

// Header says what is about to be replayed: all of the file, or how many
// of its captures the selection keeps (not with --quiet).
func (r *Replay) Header(sc *replay.Scan, target *url.URL, filtered, resign bool) {
	if r.P.JSON() {
		r.P.JSONLine(struct {
			Type     string `json:"type"`
			From     string `json:"from"`
			To       string `json:"to"`
			Captures int    `json:"captures"`
			Selected int    `json:"selected"`
			Resign   bool   `json:"resign"`
		}{"replay", sc.Path, target.String(), sc.Read, sc.Selected, resign})
		return
	}
	if r.Quiet {
		return
	}
	what := "all " + Count(sc.Read, "capture")
	if filtered {
		what = fmt.Sprintf("%d of %s", sc.Selected, Count(sc.Read, "capture"))
	}
	how := "as captured"
	if resign {
		how = "re-signed"
	}
	r.P.Line("%s", r.St.Dim(fmt.Sprintf("replaying %s in %s to %s, %s", what, sc.Path, target, how)))
}

// Skip prints a capture that cannot be sent, and why.
func (r *Replay) Skip(rec *capture.Record, why error) {
	if r.n++; r.n <= 10 {
		r.skipped = append(r.skipped, rec.ID)
	}
	reason := why.Error()
	var ns *replay.NotStoredError
	if errors.As(why, &ns) {
		reason = fmt.Sprintf("body not stored (%s, %s)", httpx.Size(ns.Size), ns.Why)
	}
	if r.P.JSON() {
		r.P.JSONLine(struct {
			Type      string `json:"type"`
			CaptureID string `json:"capture_id"`
			Event     string `json:"event"`
			Reason    string `json:"reason"`
		}{"skipped", rec.ID, rec.Event, reason})
		return
	}
	what := Printable(rec.ID)
	if rec.Event != "" {
		what += " " + r.St.Accent(Printable(rec.Event))
	}
	r.P.Line("%s  %s: %s; nothing sent", r.St.Warn("skipped "), what, reason)
}

// Skipped lists, after the summary, the captures that could not be sent.
func (r *Replay) Skipped() {
	if r.n == 0 || r.P.JSON() {
		return
	}
	ids := r.skipped
	if r.n > 10 {
		ids = append(ids, fmt.Sprintf("and %d more", r.n-10))
	}
	r.P.Line("%s", r.St.Warn(fmt.Sprintf("skipped %s that could not be sent: %s", Count(r.n, "capture"), strings.Join(ids, ", "))))
}

// Count is a number of things in words: "1 capture", "3 captures".
func Count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Selection says in words what a selection keeps, as the flags that made
// it ("ids a, b, --event 'message.*', --since 2h"); since is --since as
// given.
func Selection(sel replay.Selection, since string) string {
	var parts []string
	if len(sel.IDs) > 0 {
		parts = append(parts, "ids "+strings.Join(sel.IDs, ", "))
	}
	for _, e := range sel.Events {
		parts = append(parts, fmt.Sprintf("--event '%s'", e))
	}
	if since != "" {
		parts = append(parts, "--since "+since)
	}
	if sel.Last > 0 {
		parts = append(parts, fmt.Sprintf("--last %d", sel.Last))
	}
	return strings.Join(parts, ", ")
}
