// Package present prints what delivery reports, for the commands that
// deliver (trigger and replay): results on stdout, as text styled by
// internal/ui or as one JSON object per line, and on a terminal's stderr
// the countdown before a retry and the load progress bar, through the
// IOStreams progress indicator. Only commands use it; services return
// results and events and print nothing.
package present

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options configure a Delivery presenter.
type Options struct {
	JSON    bool // one JSON object per line on stdout, nothing else
	Verbose bool // the request and response headers and the whole response body
	Quiet   bool // only failures and the summary; no countdown or progress bar
	// BodyLines and LineWidth limit the response body shown without
	// Verbose (defaults 5 lines of 200 characters).
	BodyLines int
	LineWidth int
}

// Delivery prints one run's deliveries: hand Observe to the sender
// (delivery.Config.Observe, trigger.Options.Observe) and Countdown to
// delivery.Config.Countdown.
type Delivery struct {
	io      *iostreams.IOStreams
	w       io.Writer
	st      *ui.Styles
	opt     Options
	mu      sync.Mutex
	waiting bool // the countdown is on screen
}

// NewDelivery returns the presenter of a run; st nil styles stdout by the
// streams' colour decision.
func NewDelivery(ios *iostreams.IOStreams, st *ui.Styles, opt Options) *Delivery {
	if opt.BodyLines == 0 {
		opt.BodyLines = 5
	}
	if opt.LineWidth == 0 {
		opt.LineWidth = 200
	}
	if st == nil {
		st = ui.New(ios.ColorEnabled())
	}
	return &Delivery{io: ios, w: ios.Out, st: st, opt: opt}
}

// Countdown reports whether waits and load runs are drawn on stderr: only
// on a terminal, and not with --quiet.
func (p *Delivery) Countdown() bool { return p.io.Interactive() && !p.opt.Quiet }

// KeepBody is how many bytes of each answer the sender should keep for
// this presenter to show (delivery.Config.KeepBody): 4 MiB with Verbose,
// else the sender's default.
func (p *Delivery) KeepBody() int { return KeepBody(p.opt.Verbose) }

// KeepBody is how much of an answer's body a run keeps to show: 4 MiB
// with -v, else none. Replay's engine is configured with it before its
// printer exists.
func KeepBody(verbose bool) int {
	if verbose {
		return 4 << 20
	}
	return 0
}

// Observe prints one event of a run.
func (p *Delivery) Observe(e delivery.Event) {
	switch e := e.(type) {
	case delivery.AttemptDone:
		p.Attempt(e.Result)
	case delivery.RetryPlanned:
		p.retry(e.Result, e.Plan, e.First)
	case delivery.Waiting:
		p.countdown(e)
	case delivery.WaitOver:
		p.waiting = false
		p.io.StopProgressIndicator()
	case delivery.GaveUp:
		msg := fmt.Sprintf("gave up after %d attempts", e.Attempts)
		if e.Attempts == 1 {
			msg = "no retry"
		}
		if e.AfterLast != "" {
			msg += ": " + e.AfterLast
		}
		p.Note(msg)
	case delivery.NoRetry:
		p.Note("no retry: " + e.Reason)
	case delivery.Interrupted:
		p.Note(e.Message)
	case delivery.Finished:
		p.Summary(e.Summary)
	case delivery.LoadStarted:
		if p.Countdown() {
			p.io.StartProgressIndicatorFunc(200*time.Millisecond, func() string { return bar(e) })
		}
	case delivery.LoadStopped:
		p.io.StopProgressIndicator()
	}
}

func (p *Delivery) countdown(e delivery.Waiting) {
	if !p.Countdown() {
		return
	}
	label := fmt.Sprintf("attempt %d/%d in %s (Ctrl-C stops)", e.Next, e.Attempts, Duration(e.Left))
	if p.waiting {
		p.io.SetProgressLabel(label)
		return
	}
	p.waiting = true
	p.io.StartProgressIndicatorWithLabel(label)
}

// bar is the load progress line: a bar, the count and the rate so far.
func bar(e delivery.LoadStarted) string {
	d := e.Done()
	const width = 30
	filled := width * d / max(e.Total, 1)
	rate := float64(d) / max(time.Since(e.Start).Seconds(), 1e-9)
	return fmt.Sprintf("[%s%s] %d/%d  %.0f req/s", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), d, e.Total, rate)
}

// Styles are the styles of stdout.
func (p *Delivery) Styles() *ui.Styles { return p.st }

// JSON reports whether the presenter writes JSON lines.
func (p *Delivery) JSON() bool { return p.opt.JSON }

// JSONLine writes one object as a line of JSON (no HTML escaping).
func (p *Delivery) JSONLine(v any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = JSONLine(p.w, v)
}

// Line writes one line of text (ignored in JSON mode).
func (p *Delivery) Line(format string, args ...any) {
	if p.opt.JSON {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

// Note writes a remark on the run: a {"type":"note"} line, or a warning line.
func (p *Delivery) Note(msg string) {
	if p.opt.JSON {
		p.JSONLine(map[string]string{"type": "note", "message": msg})
		return
	}
	p.Line("%s", p.st.Warn(Printable(msg)))
}

type attemptJSON struct {
	Type              string            `json:"type"`
	Event             string            `json:"event,omitempty"`
	ID                string            `json:"id,omitempty"`
	CaptureID         string            `json:"capture_id,omitempty"`
	Method            string            `json:"method"`
	URL               string            `json:"url"`
	Attempt           int               `json:"attempt"`
	Attempts          int               `json:"attempts"`
	Status            int               `json:"status"`
	OK                bool              `json:"ok"`
	LatencyMS         float64           `json:"latency_ms"`
	Error             string            `json:"error,omitempty"`
	ErrorKind         string            `json:"error_kind,omitempty"`
	Location          string            `json:"location,omitempty"`
	Interrupted       bool              `json:"interrupted,omitempty"`
	NextWaitMS        int64             `json:"next_wait_ms,omitempty"`
	NextWaitScaledMS  int64             `json:"next_wait_scaled_ms,omitempty"`
	ResponseHeaders   map[string]string `json:"response_headers,omitempty"`
	ResponseBody      string            `json:"response_body"`
	ResponseTruncated bool              `json:"response_truncated,omitempty"`
}

// Attempt prints one attempt's result.
func (p *Delivery) Attempt(r *delivery.Result) {
	req := r.Request
	method := req.Method
	if method == "" {
		method = "POST"
	}
	if p.opt.JSON {
		obj := attemptJSON{
			Type: "attempt", Event: req.Event, ID: req.EventID, CaptureID: req.CaptureID, Method: method, URL: req.URL,
			Attempt: r.Attempt, Attempts: r.Attempts, Status: r.Status, OK: r.OK,
			LatencyMS: float64(r.Latency.Microseconds()) / 1000, Error: Explain(r), ErrorKind: r.Kind,
			Location: r.Location, Interrupted: r.Interrupted,
			NextWaitMS: r.NextWait.Milliseconds(), NextWaitScaledMS: r.NextWaitScaled.Milliseconds(),
			ResponseBody: string(r.RespBody), ResponseTruncated: r.RespTruncated,
		}
		if len(r.RespHeader) > 0 {
			obj.ResponseHeaders = make(map[string]string, len(r.RespHeader))
			for k, v := range r.RespHeader {
				obj.ResponseHeaders[k] = strings.Join(v, ", ")
			}
		}
		p.JSONLine(obj)
		return
	}
	if p.opt.Quiet && r.OK {
		return // -q: only failures and the summary
	}
	st := p.st
	var b strings.Builder
	if r.OK {
		b.WriteString(st.OK("accepted"))
	} else {
		b.WriteString(st.Fail("failed  "))
	}
	if req.Event != "" { // from a captured body when replaying: no escape sequences
		b.WriteString("  " + st.Accent(Printable(req.Event)))
	}
	if req.EventID != "" {
		b.WriteString(" " + Printable(req.EventID))
	}
	if req.CaptureID != "" {
		b.WriteString(" " + st.Dim("("+Printable(req.CaptureID)+")"))
	}
	if r.Attempts > 1 {
		fmt.Fprintf(&b, " (attempt %d/%d)", r.Attempt, r.Attempts)
	}
	b.WriteString(" -> " + Printable(req.URL))
	if r.Status != 0 {
		status := r.StatusText
		if status == "" {
			status = fmt.Sprint(r.Status)
		}
		style := st.Fail
		if r.OK {
			style = st.OK
		} else if r.Status < 500 {
			style = st.Warn
		}
		b.WriteString("  " + style(Printable(status))) // the server's words: no escape sequences
	}
	b.WriteString("  " + Duration(r.Latency))
	if msg := Explain(r); msg != "" {
		width := 0 // on a terminal the line fits; -v and --json have the whole reason
		if !p.opt.Verbose {
			width = p.io.TerminalWidth()
		}
		b.WriteString("  " + ui.Fit(ui.Width(b.String()), Printable(msg), width)) // may quote the server (a Location)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w, b.String())
	if p.opt.Verbose {
		p.headers("> ", req.Header)
		if len(r.RespHeader) > 0 {
			p.headers("< ", r.RespHeader)
		}
	}
	p.body(r)
}

func (p *Delivery) headers(prefix string, h map[string][]string) {
	writeHeaders(p.w, p.st, prefix, h)
}

// writeHeaders lists headers indented, sorted by name, one value a line,
// each after a dim prefix ("> " sent, "< " received).
func writeHeaders(w io.Writer, st *ui.Styles, prefix string, h map[string][]string) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(w, "    %s%s: %s\n", st.Dim(prefix), Printable(k), Printable(v))
		}
	}
}

// body prints the answer's body, indented: the first lines, cut to the
// line width, unless Verbose.
func (p *Delivery) body(r *delivery.Result) {
	if len(r.RespBody) == 0 {
		return
	}
	text := strings.TrimRight(string(r.RespBody), "\r\n")
	if !utf8.ValidString(text) {
		fmt.Fprintf(p.w, "    %s\n", p.st.Dim(fmt.Sprintf("(%d bytes of binary data)", r.RespBodySize)))
		return
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = Printable(strings.TrimRight(l, "\r"))
	}
	more := ""
	if !p.opt.Verbose {
		if len(lines) > p.opt.BodyLines {
			more = fmt.Sprintf("… %d more lines (-v shows all)", len(lines)-p.opt.BodyLines)
			lines = lines[:p.opt.BodyLines]
		}
		for i, l := range lines {
			if utf8.RuneCountInString(l) > p.opt.LineWidth {
				lines[i] = string([]rune(l)[:p.opt.LineWidth]) + "…"
				if more == "" {
					more = "… (-v shows all)"
				}
			}
		}
	}
	if r.RespTruncated && more == "" {
		more = fmt.Sprintf("… (%d bytes in all)", r.RespBodySize)
	}
	for _, l := range lines {
		fmt.Fprintf(p.w, "    %s\n", l)
	}
	if more != "" {
		fmt.Fprintf(p.w, "    %s\n", p.st.Dim(more))
	}
}

// retry prints the wait before the next attempt: the provider's wait and,
// when scaled, the one hookctl makes.
func (p *Delivery) retry(r *delivery.Result, plan *delivery.Plan, first bool) {
	if p.opt.JSON || p.opt.Quiet {
		return
	}
	if first && len(plan.Schedule) > 1 {
		p.Line("%s", p.st.Dim("    schedule: "+ScheduleText(plan.Schedule, plan.AfterLast)))
	}
	line := fmt.Sprintf("    retry %d/%d in %s", r.Attempt+1, r.Attempts, Duration(r.NextWait))
	if r.NextWait == 0 {
		line = fmt.Sprintf("    retry %d/%d immediately", r.Attempt+1, r.Attempts)
	}
	if r.NextWait != r.NextWaitScaled {
		line += fmt.Sprintf(" (scaled ×%g: %s)", plan.Scale, Duration(r.NextWaitScaled))
	}
	if first && plan.Default {
		who := plan.Provider
		if who == "" {
			who = "the provider"
		}
		line += fmt.Sprintf("; hookctl's default schedule (Svix's): %s documents none", who)
	}
	p.Line("%s", p.st.Dim(line))
}

// ScheduleText says a retry schedule in words: "5 attempts, the first at
// once, then after 1m, 5m, 30m and 2h; after 5 failed attempts the webhook
// is disabled". Each wait is counted from the attempt before it.
func ScheduleText(waits []time.Duration, afterLast string) string {
	first := "the first at once"
	if len(waits) > 0 && waits[0] > 0 {
		first = "the first after " + Duration(waits[0])
	}
	s := Count(len(waits), "attempt") + ", " + first
	if len(waits) > 1 {
		rest := make([]string, len(waits)-1)
		for i, w := range waits[1:] {
			rest[i] = Duration(w)
		}
		last := len(rest) - 1
		list := rest[last]
		if last > 0 {
			list = strings.Join(rest[:last], ", ") + " and " + rest[last]
		}
		s += ", then after " + list
	}
	if afterLast != "" {
		s += "; " + afterLast
	}
	return s
}

type summaryJSON struct {
	Type        string `json:"type"`
	Events      int    `json:"events"`
	Accepted    int    `json:"accepted"`
	Failed      int    `json:"failed"`
	Attempts    int    `json:"attempts"`
	Skipped     int    `json:"skipped"`
	Unsendable  *int   `json:"unsendable,omitempty"`
	Interrupted bool   `json:"interrupted"`
	OK          bool   `json:"ok"`
}

// Summary prints the run's totals: always in JSON mode; as text when more
// than one event, more than one attempt, or an interruption is summed up.
func (p *Delivery) Summary(s *delivery.Summary) {
	if p.opt.JSON {
		p.JSONLine(summaryJSON{"summary", s.Events, s.Accepted, s.Failed, s.Attempts, s.Skipped, s.Unsendable, s.Interrupted, s.OK()})
		return
	}
	if s.Events <= 1 && s.Attempts <= 1 && !s.Interrupted && s.Skipped == 0 && !p.opt.Quiet {
		return
	}
	parts := []string{fmt.Sprintf("%d accepted", s.Accepted)}
	if s.Failed > 0 {
		parts = append(parts, p.st.Fail(fmt.Sprintf("%d failed", s.Failed)))
	}
	if s.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d not sent", s.Skipped))
	}
	line := fmt.Sprintf("%s, %s: %s", Count(s.Events+s.Skipped, "event"), Count(s.Attempts, "attempt"), strings.Join(parts, ", "))
	if s.Interrupted {
		line += " (interrupted)"
	}
	p.Line("%s", p.st.Bold(line))
}

type loadJSON struct {
	Type        string             `json:"type"`
	URL         string             `json:"url"`
	Count       int                `json:"count"`
	Concurrency int                `json:"concurrency"`
	Sent        int                `json:"sent"`
	Succeeded   int                `json:"succeeded"`
	Failed      int                `json:"failed"`
	Failures    []delivery.Failure `json:"failures"`
	ElapsedMS   float64            `json:"elapsed_ms"`
	RPS         float64            `json:"requests_per_second"`
	LatencyMS   map[string]float64 `json:"latency_ms"`
	Interrupted bool               `json:"interrupted"`
	OK          bool               `json:"ok"`
}

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Load prints a load run's summary.
func (p *Delivery) Load(l *delivery.LoadSummary) {
	if p.opt.JSON {
		fails := l.Failures
		if fails == nil {
			fails = []delivery.Failure{}
		}
		p.JSONLine(loadJSON{
			Type: "load", URL: l.URL, Count: l.Count, Concurrency: l.Concurrency,
			Sent: l.Sent, Succeeded: l.Succeeded, Failed: l.Failed, Failures: fails,
			ElapsedMS: msf(l.Elapsed), RPS: float64(int64(l.RPS*10)) / 10,
			LatencyMS:   map[string]float64{"p50": msf(l.P50), "p90": msf(l.P90), "p99": msf(l.P99), "max": msf(l.Max)},
			Interrupted: l.Interrupted, OK: l.OK(),
		})
		return
	}
	st := p.st
	head := fmt.Sprintf("sent %d requests to %s in %s with %d workers: %.0f req/s", l.Sent, l.URL, Duration(l.Elapsed), l.Concurrency, l.RPS)
	p.Line("%s", st.Bold(head))
	result := st.OK(fmt.Sprintf("%d succeeded", l.Succeeded))
	if l.Failed > 0 {
		var kinds []string
		for _, f := range l.Failures {
			kinds = append(kinds, fmt.Sprintf("%s ×%d", f.Kind, f.Count))
		}
		result += ", " + st.Fail(fmt.Sprintf("%d failed", l.Failed)) + " (" + strings.Join(kinds, ", ") + ")"
	}
	if l.Interrupted {
		result += fmt.Sprintf(", interrupted: %d of %d not sent", l.Count-l.Sent, l.Count)
	}
	p.Line("  %s", result)
	p.Line("  latency p50 %s  p90 %s  p99 %s  max %s", Duration(l.P50), Duration(l.P90), Duration(l.P99), Duration(l.Max))
}

// Duration prints a wait or latency compactly: 0.42ms, 3.1ms, 300ms,
// 1.5s, 5m, 2h30m.
func Duration(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return fmt.Sprintf("%.2fms", ms)
	case d < 10*time.Millisecond:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", ms), ".0") + "ms"
	case d < time.Second:
		return fmt.Sprintf("%.0fms", ms)
	case d < time.Minute:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Seconds()), ".0") + "s"
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
