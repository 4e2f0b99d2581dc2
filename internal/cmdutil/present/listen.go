package present

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/listen"
	"github.com/hookctl/hookctl/internal/ui"
)

// bodyLimit is how much of a body is shown; the capture keeps all of it.
const bodyLimit = 64 << 10

// ListenOptions configure the display of listen.
type ListenOptions struct {
	JSON, Quiet bool
	NoCapture   bool // no capture file: JSON lines carry no capture_id
	// Verbose shows each request's headers, and the app's answer headers
	// when forwarding, and never cuts a reason to the terminal's width.
	Verbose bool
	// WarnSize is the capture file's size that is warned about (0:
	// capture.WarnSize, 1 GiB).
	WarnSize int64
}

// Listen prints one entry per request: a line, then the body (plain or
// styled), or one JSON object with --json. It is listen's Display: the
// server calls it from one goroutine behind a bounded queue, so entries
// are buffered by Request and written by Flush, many in one write under
// load, and a blocked stdout never holds an answer.
type Listen struct {
	io        *iostreams.IOStreams
	st, stErr *ui.Styles
	opts      ListenOptions
	buf       bytes.Buffer
	watch     *capture.SizeWatch // set by Ready when capturing
}

// NewListen returns listen's display: results through st on stdout, the
// rest through stErr on stderr.
func NewListen(ios *iostreams.IOStreams, st, stErr *ui.Styles, opts ListenOptions) *Listen {
	return &Listen{io: ios, st: st, stErr: stErr, opts: opts}
}

// Ready says where listen listens, and on a terminal what it does.
func (d *Listen) Ready(url string, cfg listen.Config) {
	w, st := d.io.ErrOut, d.stErr
	fmt.Fprintf(w, "Ready: listening on %s\n", url)
	if cfg.Capture != nil {
		d.watch = &capture.SizeWatch{Path: cfg.Capture.Path(), Limit: d.opts.WarnSize}
		d.checkSize()
	}
	if !d.io.Interactive() || d.opts.Quiet {
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

// BodyBytes is how much of each body the display shows: none with
// --json or --quiet (listen.Config.DisplayBody).
func (d *Listen) BodyBytes() int {
	if d.opts.JSON || d.opts.Quiet {
		return 0
	}
	return bodyLimit
}

// Request buffers one request's entry (listen.Display).
func (d *Listen) Request(r *listen.Result) {
	if d.opts.JSON {
		d.jsonLine(r)
	} else {
		d.text(r)
	}
}

// Flush writes the buffered entries (listen.Display).
func (d *Listen) Flush() {
	_, _ = d.io.Out.Write(d.buf.Bytes())
	d.buf.Reset()
	if d.buf.Cap() > 1<<20 {
		d.buf = bytes.Buffer{}
	}
	d.checkSize()
}

// checkSize warns, once, when the capture file has grown past 1 GiB
// (capture.SizeWatch looks every 256 requests).
func (d *Listen) checkSize() {
	if d.watch == nil {
		return
	}
	if n := d.watch.Check(); n > 0 {
		fmt.Fprintf(d.io.ErrOut, "%s the capture file %s is %s, over %s: prune it with 'hookctl captures prune --older-than 7d' (or --keep N)\n",
			d.stErr.Warn("warning:"), d.watch.Path, httpx.Size(n), httpx.Size(cmp.Or(d.opts.WarnSize, capture.WarnSize)))
	}
}

// NotShown warns on stderr that requests were answered and captured but
// not shown, as stdout did not take them in time (listen.Display).
func (d *Listen) NotShown(n int64) {
	fmt.Fprintln(d.io.ErrOut, d.stErr.Warn("warning: "+notShown(n)))
}

func notShown(n int64) string {
	return Count(int(n), "request") + " not shown: output is blocked"
}

func dashed(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (d *Listen) text(r *listen.Result) {
	st, b := d.st, &d.buf
	verdict := httpx.Verdict(r.Verified, r.Reason)
	switch {
	case r.Valid():
		verdict = st.OK(verdict)
	case r.Verified != nil:
		verdict = "" // after the other fields: the reason may be cut to fit
	case r.Handshake:
		verdict = st.Warn("handshake")
	default:
		verdict = st.Warn(verdict)
	}
	var ts [16]byte
	fields := [...]string{
		st.Dim(string(r.Time.AppendFormat(ts[:0], "15:04:05.000"))),
		st.Bold(r.Method) + " " + r.Path,
		dashed(r.Provider),
		st.Accent(dashed(Printable(r.Event))),
		st.Dim(dashed(Printable(r.EventID))),
		verdict,
		d.status(r),
		st.Dim(httpx.Size(r.Size)),
	}
	if verdict == "" {
		fields[5] = st.Fail("invalid") + ": " + d.fit(Printable(r.Reason), fields[:])
	}
	for i, field := range fields {
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(field)
	}
	b.WriteByte('\n')
	if d.opts.Verbose {
		d.headers("> ", r.Header)
	}
	if r.SenderGone {
		fmt.Fprintf(b, "  %s\n", st.Fail(fmt.Sprintf("the sender gave up (closed the connection) before listen answered: the %d was not delivered", r.Status)))
	}
	if f := r.Forward; f != nil {
		if f.Error != "" {
			fmt.Fprintf(b, "  %s %s: %s\n", st.Fail("forward failed"), f.URL, f.Error)
		} else {
			fmt.Fprintf(b, "  forwarded to %s: %s in %s", f.URL, st.Status(f.Status, fmt.Sprint(f.Status)), listenLatency(f.Latency))
			if head := firstLine(f.Head, 100); head != "" {
				fmt.Fprintf(b, ": %s", st.Dim(head))
			}
			b.WriteByte('\n')
			if d.opts.Verbose {
				d.headers("< ", f.Header)
			}
		}
	}
	if r.Note != "" && (r.Forward == nil || r.Forward.Error == "") {
		fmt.Fprintf(b, "  %s\n", st.Warn(r.Note))
	}
	if r.Unexpected {
		fmt.Fprintf(b, "  %s\n", st.Fail(fmt.Sprintf("unexpected: %s matches no --expect", dashed(Printable(r.Event)))))
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
	if _, body := renderBody(r.ContentType, r.Body, r.Size, bodyLimit); body != "" {
		for _, line := range strings.Split(body, "\n") {
			b.WriteString("    ")
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
}

// status is the status column: the answer, or "-" when the sender left
// before it.
func (d *Listen) status(r *listen.Result) string {
	if r.SenderGone {
		return d.st.Fail("-")
	}
	return d.st.Status(r.Status, strconv.Itoa(r.Status))
}

// fit cuts an invalid verdict's reason on a terminal so that the entry's
// line, with the other fields, stays within the width; -v keeps it whole.
func (d *Listen) fit(reason string, fields []string) string {
	width := d.io.TerminalWidth()
	if d.opts.Verbose || width == 0 {
		return reason
	}
	used := len("invalid: ")
	for _, f := range fields {
		used += ui.Width(f) + 2
	}
	return ui.Fit(used-2, reason, width)
}

// headers lists headers under an entry: "> " for the request's, "< "
// for the app's answer.
func (d *Listen) headers(prefix string, h map[string][]string) {
	writeHeaders(&d.buf, d.st, prefix, h)
}

func (d *Listen) handshake(r *listen.Result) {
	st, b := d.st, &d.buf
	var msg strings.Builder
	fmt.Fprintf(&msg, "%s\n\n  %s\n\n", st.Bold("Notion verification token"), st.Accent(Printable(r.Token)))
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

func listenLatency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
	return d.Round(10 * time.Millisecond).String()
}

// oneLine shows the start of an answer on one line.
func firstLine(b []byte, n int) string {
	s := strings.Join(strings.Fields(Printable(string(b))), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

type listenForwardJSON struct {
	URL       string  `json:"url"`
	Status    *int    `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
	Error     *string `json:"error"`
	Body      string  `json:"body_start,omitempty"`
}

type listenJSON struct {
	Time       time.Time          `json:"time"`
	CaptureID  *string            `json:"capture_id"`
	RemoteAddr string             `json:"remote_addr"`
	Method     string             `json:"method"`
	Path       string             `json:"path"`
	Webhook    bool               `json:"webhook"`
	Size       int64              `json:"size"`
	Provider   *string            `json:"provider"`
	Event      *string            `json:"event"`
	EventID    *string            `json:"event_id"`
	Verified   *bool              `json:"verified"`
	Reason     *string            `json:"reason"`
	Verdict    string             `json:"verdict"`
	Status     int                `json:"status"`
	Note       string             `json:"note,omitempty"`
	Forward    *listenForwardJSON `json:"forward"`
	Handshake  bool               `json:"handshake,omitempty"`
	Token      string             `json:"verification_token,omitempty"`
	Challenge  string             `json:"challenge,omitempty"`
	Unexpected bool               `json:"unexpected,omitempty"`
	CaptureErr string             `json:"capture_error,omitempty"`
	SenderGone bool               `json:"sender_gone,omitempty"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (d *Listen) jsonLine(r *listen.Result) {
	line := listenJSON{
		Time: r.Time, RemoteAddr: r.RemoteAddr, Method: r.Method, Path: r.Path, Webhook: r.Webhook, Size: r.Size,
		Provider: nonEmpty(r.Provider), Event: nonEmpty(r.Event), EventID: nonEmpty(r.EventID), Verified: r.Verified, Reason: nonEmpty(r.Reason),
		Verdict: httpx.Verdict(r.Verified, r.Reason), Status: r.Status, Note: r.Note, Handshake: r.Handshake, Token: r.Token, Challenge: r.Challenge, Unexpected: r.Unexpected,
		SenderGone: r.SenderGone,
	}
	if !d.opts.NoCapture && r.CaptureErr == nil {
		line.CaptureID = nonEmpty(r.CaptureID)
	}
	if r.CaptureErr != nil {
		line.CaptureErr = r.CaptureErr.Error()
	}
	if f := r.Forward; f != nil {
		jf := &listenForwardJSON{URL: f.URL, LatencyMS: f.LatencyMS(), Error: nonEmpty(f.Error)}
		if f.Error == "" {
			status := f.Status
			jf.Status, jf.Body = &status, firstLine(f.Head, 200)
		}
		line.Forward = jf
	}
	enc := json.NewEncoder(&d.buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(line)
}

// Summary prints the one-line summary on stderr.
func (d *Listen) Summary(sum *listen.Summary, cfg listen.Config) {
	st := d.stErr
	what := "Stopped"
	switch sum.Reason {
	case listen.StopCount:
		what = fmt.Sprintf("Done (--count %d)", cfg.Count)
	case listen.StopTimeout:
		what = fmt.Sprintf("Stopped after --timeout %s", cfg.Timeout)
	}
	line := what + ": " + summaryLine(sum)
	if cfg.Capture != nil && sum.Requests > 0 {
		line += "; captured in " + cfg.Capture.Path()
	}
	fmt.Fprintln(d.io.ErrOut, st.Bold(line))
	if sum.NotShown > 0 {
		fmt.Fprintln(d.io.ErrOut, st.Warn(notShown(sum.NotShown)))
	}
}

// summaryLine is listen's one-line summary: "3 requests: 2 valid, 1 invalid".
func summaryLine(s *listen.Summary) string {
	var parts []string
	for _, p := range []struct {
		n    int64
		what string
	}{{s.Valid, "valid"}, {s.Invalid, "invalid"}, {s.Unsigned, "unsigned"}, {s.NoSecret, "without a secret"}, {s.Unchecked, "not checked"}, {s.Handshakes, "handshake"}, {s.Requests - s.Webhooks, "off the webhook path"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	line := Count(int(s.Requests), "request")
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	if s.Forwarded > 0 {
		line += fmt.Sprintf("; %d forwarded", s.Forwarded)
		if s.ForwardFailed > 0 {
			line += fmt.Sprintf(" (%d failed)", s.ForwardFailed)
		}
	}
	return line
}
