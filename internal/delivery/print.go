package delivery

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Styles colour the text output. Commands fill it from their ui styles;
// a nil function leaves text as it is.
type Styles struct {
	Bold, Dim, OK, Fail, Warn, Accent func(string) string
}

func apply(f func(string) string, s string) string {
	if f == nil {
		return s
	}
	return f(s)
}

// PrintOptions configure a Printer.
type PrintOptions struct {
	JSON    bool // one JSON object per line, nothing else
	Verbose bool // the request and response headers and the whole response body
	Styles  Styles
	// BodyLines and LineWidth limit the response body shown without
	// Verbose (defaults 5 lines of 200 characters).
	BodyLines int
	LineWidth int
}

// Printer writes results to stdout. A nil Printer prints nothing.
type Printer struct {
	w   io.Writer
	opt PrintOptions
	mu  sync.Mutex
}

// NewPrinter returns a printer writing to w.
func NewPrinter(w io.Writer, opt PrintOptions) *Printer {
	if opt.BodyLines == 0 {
		opt.BodyLines = 5
	}
	if opt.LineWidth == 0 {
		opt.LineWidth = 200
	}
	return &Printer{w: w, opt: opt}
}

// JSON reports whether the printer writes JSON lines.
func (p *Printer) JSON() bool { return p != nil && p.opt.JSON }

// JSONLine writes one object as a line of JSON (no HTML escaping).
func (p *Printer) JSONLine(v any) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	enc := json.NewEncoder(p.w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Line writes one line of text (ignored in JSON mode).
func (p *Printer) Line(format string, args ...any) {
	if p == nil || p.opt.JSON {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

func (p *Printer) note(msg string) {
	if p == nil {
		return
	}
	if p.opt.JSON {
		p.JSONLine(map[string]string{"type": "note", "message": msg})
		return
	}
	p.Line("%s", apply(p.opt.Styles.Warn, msg))
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
func (p *Printer) Attempt(r *Result) {
	if p == nil {
		return
	}
	req := r.Request
	method := req.Method
	if method == "" {
		method = "POST"
	}
	if p.opt.JSON {
		obj := attemptJSON{
			Type: "attempt", Event: req.Event, ID: req.EventID, CaptureID: req.CaptureID, Method: method, URL: req.URL,
			Attempt: r.Attempt, Attempts: r.Attempts, Status: r.Status, OK: r.OK,
			LatencyMS: float64(r.Latency.Microseconds()) / 1000, Error: r.Err, ErrorKind: r.Kind,
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
	st := p.opt.Styles
	var b strings.Builder
	if r.OK {
		b.WriteString(apply(st.OK, "accepted"))
	} else {
		b.WriteString(apply(st.Fail, "failed  "))
	}
	if req.Event != "" {
		b.WriteString("  " + apply(st.Accent, req.Event))
	}
	if req.EventID != "" {
		b.WriteString(" " + req.EventID)
	}
	if req.CaptureID != "" {
		b.WriteString(" " + apply(st.Dim, "("+req.CaptureID+")"))
	}
	if r.Attempts > 1 {
		fmt.Fprintf(&b, " (attempt %d/%d)", r.Attempt, r.Attempts)
	}
	b.WriteString(" -> " + req.URL)
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
		b.WriteString("  " + apply(style, status))
	}
	b.WriteString("  " + FormatDuration(r.Latency))
	if r.Err != "" {
		b.WriteString("  " + r.Err)
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

func (p *Printer) headers(prefix string, h map[string][]string) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(p.w, "    %s%s: %s\n", apply(p.opt.Styles.Dim, prefix), k, v)
		}
	}
}

// body prints the answer's body, indented: the first lines, cut to the
// line width, unless Verbose.
func (p *Printer) body(r *Result) {
	if len(r.RespBody) == 0 {
		return
	}
	text := strings.TrimRight(string(r.RespBody), "\r\n")
	if !utf8.ValidString(text) {
		fmt.Fprintf(p.w, "    %s\n", apply(p.opt.Styles.Dim, fmt.Sprintf("(%d bytes of binary data)", r.RespBodySize)))
		return
	}
	lines := strings.Split(text, "\n")
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
		fmt.Fprintf(p.w, "    %s\n", strings.TrimRight(l, "\r"))
	}
	if more != "" {
		fmt.Fprintf(p.w, "    %s\n", apply(p.opt.Styles.Dim, more))
	}
}

// retry prints the wait before the next attempt: the provider's wait and,
// when scaled, the one hookctl makes.
func (p *Printer) retry(r *Result, plan Plan, first bool) {
	if p == nil || p.opt.JSON {
		return
	}
	line := fmt.Sprintf("    retry %d/%d in %s", r.Attempt+1, r.Attempts, FormatDuration(r.NextWait))
	if r.NextWait == 0 {
		line = fmt.Sprintf("    retry %d/%d immediately", r.Attempt+1, r.Attempts)
	}
	if r.NextWait != r.NextWaitScaled {
		line += fmt.Sprintf(" (scaled ×%g: %s)", plan.Scale, FormatDuration(r.NextWaitScaled))
	}
	if first && plan.Default {
		who := plan.Provider
		if who == "" {
			who = "the provider"
		}
		line += fmt.Sprintf("; hookctl's default schedule (Svix's): %s documents none", who)
	}
	p.Line("%s", apply(p.opt.Styles.Dim, line))
}

func (p *Printer) gaveUp(plan Plan, attempts int) {
	msg := fmt.Sprintf("gave up after %d attempts", attempts)
	if attempts == 1 {
		msg = "no retry"
	}
	if plan.AfterLast != "" {
		msg += ": " + plan.AfterLast
	}
	p.note(msg)
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
func (p *Printer) Summary(s *Summary) {
	if p == nil {
		return
	}
	if p.opt.JSON {
		p.JSONLine(summaryJSON{"summary", s.Events, s.Accepted, s.Failed, s.Attempts, s.Skipped, s.Unsendable, s.Interrupted, s.OK()})
		return
	}
	if s.Events <= 1 && s.Attempts <= 1 && !s.Interrupted && s.Skipped == 0 {
		return
	}
	parts := []string{fmt.Sprintf("%d accepted", s.Accepted)}
	if s.Failed > 0 {
		parts = append(parts, apply(p.opt.Styles.Fail, fmt.Sprintf("%d failed", s.Failed)))
	}
	if s.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d not sent", s.Skipped))
	}
	line := fmt.Sprintf("%s, %s: %s", plural(s.Events+s.Skipped, "event"), plural(s.Attempts, "attempt"), strings.Join(parts, ", "))
	if s.Interrupted {
		line += " (interrupted)"
	}
	p.Line("%s", apply(p.opt.Styles.Bold, line))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
