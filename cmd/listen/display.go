package listen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/listen"
)

// bodyLimit is how much of a body is shown; the capture keeps all of it.
const bodyLimit = 64 << 10

// display prints one entry per request: a line, then the body (plain or
// styled), or one JSON object with --json. Requests arrive concurrently;
// each entry is written whole. Entries are written out by the last of the
// requests queued at that moment: alone, a request's entry is written at
// once; under load, one write carries many.
type display struct {
	opts    *Options
	mu      sync.Mutex
	buf     bytes.Buffer
	waiting atomic.Int32
}

func newDisplay(opts *Options) *display { return &display{opts: opts} }

func (d *display) ready(url string, cfg listen.Config) {
	w, st := d.opts.IO.ErrOut, d.opts.StylesErr
	fmt.Fprintf(w, "Ready: listening on %s\n", url)
	if !d.opts.IO.Interactive() || d.opts.Quiet {
		return
	}
	if cfg.Capture != nil {
		fmt.Fprintln(w, st.Dim("Capturing to "+cfg.Capture.Path()))
	}
	for _, rt := range cfg.Routes {
		fmt.Fprintln(w, st.Dim("Forwarding "+routeText(rt)))
	}
	fmt.Fprintln(w, st.Dim("Press Ctrl-C to stop."))
}

func routeText(rt listen.Route) string {
	if rt.Glob == "" {
		return "every event to " + rt.URL.String()
	}
	return rt.Glob + " to " + rt.URL.String()
}

func (d *display) request(r *listen.Result) {
	d.waiting.Add(1)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.opts.JSON {
		d.jsonLine(r)
	} else {
		d.text(r)
	}
	if d.waiting.Add(-1) == 0 || d.buf.Len() >= 64<<10 {
		_, _ = d.opts.IO.Out.Write(d.buf.Bytes())
		d.buf.Reset()
		if d.buf.Cap() > 1<<20 {
			d.buf = bytes.Buffer{}
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (d *display) text(r *listen.Result) {
	st, b := d.opts.Styles, &d.buf
	verdict := r.Verdict()
	switch {
	case r.Valid():
		verdict = st.OK(verdict)
	case r.Verified != nil:
		verdict = st.Fail("invalid") + ": " + listen.Printable(r.Reason)
	case r.Handshake:
		verdict = st.Warn("handshake")
	default:
		verdict = st.Warn(verdict)
	}
	var ts [16]byte
	for i, field := range [...]string{
		st.Dim(string(r.Time.AppendFormat(ts[:0], "15:04:05.000"))),
		st.Bold(r.Method) + " " + r.Path,
		dash(r.Provider),
		st.Accent(dash(listen.Printable(r.Event))),
		st.Dim(dash(listen.Printable(r.EventID))),
		verdict,
		st.Status(r.Status, strconv.Itoa(r.Status)),
		st.Dim(listen.FormatSize(r.Size)),
	} {
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(field)
	}
	b.WriteByte('\n')
	if f := r.Forward; f != nil {
		if f.Error != "" {
			fmt.Fprintf(b, "  %s %s: %s\n", st.Fail("forward failed"), f.URL, f.Error)
		} else {
			fmt.Fprintf(b, "  forwarded to %s: %s in %s", f.URL, st.Status(f.Status, fmt.Sprint(f.Status)), latency(f.Latency))
			if head := oneLine(f.Head, 100); head != "" {
				fmt.Fprintf(b, ": %s", st.Dim(head))
			}
			b.WriteByte('\n')
		}
	}
	if r.Note != "" && (r.Forward == nil || r.Forward.Error == "") {
		fmt.Fprintf(b, "  %s\n", st.Warn(r.Note))
	}
	if r.Unexpected {
		fmt.Fprintf(b, "  %s\n", st.Fail(fmt.Sprintf("unexpected: %s matches no --expect", dash(listen.Printable(r.Event)))))
	}
	if r.CaptureErr != nil {
		fmt.Fprintf(b, "  %s\n", st.Fail("not captured: "+r.CaptureErr.Error()))
	}
	if r.Handshake {
		d.handshake(r)
	}
	if d.opts.Quiet || r.Handshake {
		return
	}
	if _, body := listen.RenderBody(r.ContentType, r.Body, bodyLimit); body != "" {
		for _, line := range strings.Split(body, "\n") {
			b.WriteString("    ")
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
}

func (d *display) handshake(r *listen.Result) {
	st, b := d.opts.Styles, &d.buf
	var msg strings.Builder
	fmt.Fprintf(&msg, "%s\n\n  %s\n\n", st.Bold("Notion verification token"), st.Accent(listen.Printable(r.Token)))
	msg.WriteString("Paste it in Notion: integration settings, Webhooks tab, Verify.\n")
	msg.WriteString("listen now verifies notion requests with this token")
	switch {
	case r.TokenErr != nil:
		fmt.Fprintf(&msg, " (not saved: %v)", r.TokenErr)
	case r.TokenSaved != "":
		fmt.Fprintf(&msg, ";\nsaved to %s for later runs", r.TokenSaved)
	}
	out := msg.String() + "."
	if st.Color {
		out = st.Box(out)
	}
	for _, line := range strings.Split(out, "\n") {
		b.WriteString(strings.TrimRight("  "+line, " "))
		b.WriteByte('\n')
	}
}

func latency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
	return d.Round(10 * time.Millisecond).String()
}

// oneLine shows the start of an answer on one line.
func oneLine(b []byte, n int) string {
	s := strings.Join(strings.Fields(listen.Printable(string(b))), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

type jsonForward struct {
	URL       string  `json:"url"`
	Status    *int    `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
	Error     *string `json:"error"`
	Body      string  `json:"body_start,omitempty"`
}

type jsonLine struct {
	Time       time.Time    `json:"time"`
	CaptureID  *string      `json:"capture_id"`
	RemoteAddr string       `json:"remote_addr"`
	Method     string       `json:"method"`
	Path       string       `json:"path"`
	Webhook    bool         `json:"webhook"`
	Size       int64        `json:"size"`
	Provider   *string      `json:"provider"`
	Event      *string      `json:"event"`
	EventID    *string      `json:"event_id"`
	Verified   *bool        `json:"verified"`
	Reason     *string      `json:"reason"`
	Verdict    string       `json:"verdict"`
	Status     int          `json:"status"`
	Note       string       `json:"note,omitempty"`
	Forward    *jsonForward `json:"forward"`
	Handshake  bool         `json:"handshake,omitempty"`
	Token      string       `json:"verification_token,omitempty"`
	Challenge  string       `json:"challenge,omitempty"`
	Unexpected bool         `json:"unexpected,omitempty"`
	CaptureErr string       `json:"capture_error,omitempty"`
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (d *display) jsonLine(r *listen.Result) {
	line := jsonLine{
		Time: r.Time, RemoteAddr: r.RemoteAddr, Method: r.Method, Path: r.Path, Webhook: r.Webhook, Size: r.Size,
		Provider: ptr(r.Provider), Event: ptr(r.Event), EventID: ptr(r.EventID), Verified: r.Verified, Reason: ptr(r.Reason),
		Verdict: r.Verdict(), Status: r.Status, Note: r.Note, Handshake: r.Handshake, Token: r.Token, Challenge: r.Challenge, Unexpected: r.Unexpected,
	}
	if !d.opts.NoCapture && r.CaptureErr == nil {
		line.CaptureID = ptr(r.CaptureID)
	}
	if r.CaptureErr != nil {
		line.CaptureErr = r.CaptureErr.Error()
	}
	if f := r.Forward; f != nil {
		jf := &jsonForward{URL: f.URL, LatencyMS: f.LatencyMS(), Error: ptr(f.Error)}
		if f.Error == "" {
			status := f.Status
			jf.Status, jf.Body = &status, oneLine(f.Head, 200)
		}
		line.Forward = jf
	}
	enc := json.NewEncoder(&d.buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(line)
}

func (d *display) summary(sum *listen.Summary, cfg listen.Config) {
	st := d.opts.StylesErr
	what := "Stopped"
	switch sum.Reason {
	case listen.StopCount:
		what = fmt.Sprintf("Done (--count %d)", cfg.Count)
	case listen.StopTimeout:
		what = fmt.Sprintf("Stopped after --timeout %s", cfg.Timeout)
	}
	line := what + ": " + sum.Line()
	if cfg.Capture != nil && sum.Requests > 0 {
		line += "; captured in " + cfg.Capture.Path()
	}
	fmt.Fprintln(d.opts.IO.ErrOut, st.Bold(line))
}
