// Package listen is hookctl's local webhook receiver: it answers requests,
// judges their signatures, forwards them to the app, captures them durably
// and keeps the tally CI checks. Display is the caller's (Config.Display).
package listen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/secrets"
)

// Defaults of the server's limits.
const (
	DefaultMaxBody           = 25 << 20
	DefaultForwardTimeout    = 30 * time.Second
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 2 * time.Minute
	DefaultIdleTimeout       = 2 * time.Minute
	// DefaultShutdownGrace is how long a stopping listen waits for
	// requests in flight, beyond their --delay and forward timeout.
	DefaultShutdownGrace = 5 * time.Second
)

// Config is what a Server does; zero values are the defaults.
type Config struct {
	Host string // default 127.0.0.1
	Port int    // 0: a free port
	Path string // when set, only this path is the webhook; others get 404

	Catalog   *catalog.Catalog
	Provider  *catalog.Provider // --provider; nil: detected per request
	Secrets   *secrets.Resolver
	Tolerance *time.Duration // overrides the schemes' time windows

	Status        int // answer when nothing else decides; default 200
	RejectInvalid bool
	FailFirst     int
	Delay         time.Duration

	Routes         []Route
	ForwardTimeout time.Duration
	Client         *http.Client // for forwarding

	MaxBody int64
	// MaxBodyMemory caps the body bytes held in memory at once across
	// requests; a body that would pass it gets 503. Default
	// max(DefaultMaxBodyMemory, 2*MaxBody).
	MaxBodyMemory int64
	// MaxConnections caps the open connections; default
	// DefaultMaxConnections.
	MaxConnections int

	// ShutdownGrace: how long a stop waits for requests in flight beyond
	// their delay and forward timeout; default DefaultShutdownGrace.
	ShutdownGrace time.Duration

	Count        int           // stop after this many webhook requests
	Timeout      time.Duration // stop after this long
	Expect       []string      // event globs
	RequireValid bool          // fail unless every request was validly signed

	Capture *capture.Writer // nil: no capture

	Now func() time.Time
	IDs *ids.Generator
	// SaveNotionToken stores a handshake's token and says where.
	SaveNotionToken func(token string) (where string, err error)
	// VerifyToken is Meta's verify token for its GET handshake; "" uses
	// the meta secret.
	VerifyToken string

	// Display is shown every answered request, from one goroutine behind
	// a bounded queue (report.go): a request never waits for it. It is
	// given at most DisplayBody bytes of each body (0: none).
	Display     Display
	DisplayBody int
	// QueueLen and QueueBytes bound the queue: Results, and their body
	// bytes; beyond them a request is not shown (Summary.NotShown).
	QueueLen, QueueBytes int
	// DrainTimeout: how long a stop waits for the display to show what is
	// queued; default DefaultDrainTimeout.
	DrainTimeout time.Duration
}

// Result is one request as listen saw and answered it.
type Result struct {
	CaptureID  string
	Time       time.Time
	RemoteAddr string
	Method     string
	Path       string // with the query
	Webhook    bool   // the path is the webhook's (always, without --path)

	ContentType string
	Header      http.Header // as received; only valid during OnRequest
	Body        []byte      // nil when over --max-body
	Size        int64
	TooLarge    bool

	Provider string
	Event    string
	EventID  string
	Verified *bool
	Reason   string // why not valid: the invalid reason, "unsigned", "no secret for P"

	Handshake  bool
	Token      string
	TokenSaved string // where the token was saved
	TokenErr   error
	// Challenge is what a challenge handshake (Slack's url_verification)
	// asks to be echoed; listen answers with it.
	Challenge string

	Status     int
	Note       string // why listen answered what it did, when not the default
	Forward    *Forwarded
	SenderGone bool // the sender closed the connection before the answer: Status was not delivered
	Unexpected bool // the event matches no --expect
	CaptureErr error

	// Verification names the endpoint verification listen answered
	// (zoom endpoint.url_validation), "" for other requests.
	Verification string
	hsAnswer     *answer // how listen answers it, as a correct endpoint would
}

// Valid reports a verified signature.
func (r *Result) Valid() bool { return r.Verified != nil && *r.Verified }

// Server is one listen.
type Server struct {
	cfg   Config
	ln    net.Listener
	srv   *http.Server
	url   string
	stop  chan struct{} // closed when the server starts shutting down
	once  sync.Once
	quit  chan string // reasons to stop: count reached
	fails atomic.Int64
	tally tally

	budget budget     // body bytes held in memory
	conns  *connLimit // open connections
	rep    *reporter  // to the Display; nil without one
	det    *detector  // the providers' signature headers
}

// New binds the address; the server is reachable (connections queue) from
// then on, and serves once Run is called.
func New(cfg Config) (*Server, error) {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.Status == 0 {
		cfg.Status = http.StatusOK
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxBodyMemory <= 0 {
		cfg.MaxBodyMemory = max(DefaultMaxBodyMemory, 2*cfg.MaxBody)
	}
	if cfg.MaxConnections <= 0 {
		cfg.MaxConnections = DefaultMaxConnections
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.ForwardTimeout <= 0 {
		cfg.ForwardTimeout = DefaultForwardTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IDs == nil {
		cfg.IDs = ids.New()
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = DefaultDrainTimeout
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &BindError{Addr: addr, Err: httpx.Cause(err)}
	}
	s := &Server{cfg: cfg, stop: make(chan struct{}), quit: make(chan string, 1), rep: newReporter(cfg), det: newDetector(cfg.Catalog)}
	s.budget.limit = cfg.MaxBodyMemory
	s.conns = newConnLimit(ln, cfg.MaxConnections)
	s.ln = s.conns
	s.tally.expect = newExpectations(cfg.Expect)
	host := cfg.Host
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip.To4() == nil {
			host = "::1"
		}
	}
	path := cfg.Path
	if path == "" {
		path = "/"
	}
	s.url = "http://" + net.JoinHostPort(host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)) + path
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       DefaultReadTimeout,
		WriteTimeout:      DefaultReadTimeout + cfg.Delay + cfg.ForwardTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes - 4<<10, // net/http reads 4 KiB more than this
		ConnState:         s.conns.state,
		ErrorLog:          nil,
	}
	return s, nil
}

// BindError is a New that could not bind its address.
type BindError struct {
	Addr string
	Err  error // what went wrong: "address already in use"
}

func (e *BindError) Error() string { return fmt.Sprintf("cannot listen on %s: %v", e.Addr, e.Err) }

// URL is the webhook URL: http://host:port/path.
func (s *Server) URL() string { return s.url }

// StopReason says why Run returned.
type StopReason string

const (
	StopSignal  StopReason = "interrupted"
	StopCount   StopReason = "count"
	StopTimeout StopReason = "timeout"
)

// Run serves until ctx is cancelled, --count requests were answered, or
// --timeout passed. In-flight requests then finish (their records are on
// disk when they are answered) before Run returns the tally.
func (s *Server) Run(ctx context.Context) (*Summary, error) {
	errc := make(chan error, 1)
	if s.rep != nil {
		go s.rep.run()
	}
	go func() { errc <- s.srv.Serve(s.ln) }()
	var timeout <-chan time.Time
	if s.cfg.Timeout > 0 {
		t := time.NewTimer(s.cfg.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	var reason StopReason
	var serveErr error
	select {
	case <-ctx.Done():
		reason = StopSignal
	case <-s.quit:
		reason = StopCount
	case <-timeout:
		reason = StopTimeout
	case serveErr = <-errc:
	}
	s.once.Do(func() { close(s.stop) })
	s.shutdown()
	notShown := s.rep.stop(s.cfg.DrainTimeout)
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return nil, serveErr
	}
	sum := s.tally.summary(s.cfg)
	sum.Reason, sum.NotShown = reason, notShown
	return sum, nil
}

// shutdown stops accepting and lets requests in flight finish: as long as
// one may still take (its --delay, and its forward's timeout when
// forwarding) plus a few seconds. After that the connections are closed, so
// a client stalled in the middle of its body cannot hold listen for the
// whole read timeout; such a request was never acknowledged.
func (s *Server) shutdown() {
	grace := s.cfg.ShutdownGrace + s.cfg.Delay
	if len(s.cfg.Routes) > 0 {
		grace += s.cfg.ForwardTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
	}
}

// ServeHTTP handles one request: read, judge, answer (or forward), capture,
// report.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if refused(r.Method) {
		a := s.own(http.StatusMethodNotAllowed, r.Method+" is not served: listen receives webhooks, it is not a proxy")
		a.close = true
		a.write(w)
		return
	}
	now := s.cfg.Now()
	res := &Result{
		Time: now, RemoteAddr: r.RemoteAddr, Method: r.Method, Path: r.URL.RequestURI(),
		Webhook: s.cfg.Path == "" || r.URL.Path == s.cfg.Path, ContentType: r.Header.Get("Content-Type"), Header: r.Header,
	}
	res.CaptureID = s.captureID(now)
	bd := newBody()
	defer s.release(bd)
	bd.rec = capture.Record{
		V: capture.Version, ID: res.CaptureID, Time: now.UTC(), RemoteAddr: r.RemoteAddr, Method: r.Method,
		Host: r.Host, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
	}
	bd.rec.SetHeaders(r.Header)
	ans := s.respond(w, r, bd, res)
	if s.cfg.Delay > 0 {
		t := time.NewTimer(s.cfg.Delay)
		select {
		case <-t.C:
		case <-s.stop:
			t.Stop()
		}
	}
	res.Status, res.Note = ans.status, ans.note
	// The sender may have closed the connection first (its timeout is
	// shorter than --delay or the app): nobody gets the answer.
	res.SenderGone = r.Context().Err() != nil
	if err := s.capture(&bd.rec, res); err != nil {
		res.CaptureErr = err
		ans = s.own(http.StatusInternalServerError, "capture failed: "+err.Error())
		res.Status = ans.status
	}
	ans.write(w)
	s.count(res)
}

// respond reads the body and picks the answer: 413 over --max-body (at
// once when the Content-Length says so, before any body byte is read and
// so without 100 Continue), 503 when listen's body memory is full, 400
// when the body did not arrive whole; else the request is judged and
// decided on.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, bd *body, res *Result) answer {
	var readErr error
	if r.ContentLength <= s.cfg.MaxBody {
		readErr = s.readBody(bd, http.MaxBytesReader(w, r.Body, s.cfg.MaxBody), r.ContentLength)
		if readErr == nil {
			// Read to its end: closed, net/http does not drain it again
			// before the answer (an io.CopyN and its allocation).
			r.Body.Close()
		}
	}
	body, rec := bd.b, &bd.rec
	if r.ContentLength > s.cfg.MaxBody || readErr != nil {
		res.TooLarge, rec.BodyTruncated = true, true
		res.Size = max(r.ContentLength, int64(len(body)))
		rec.BodySize = res.Size
	}
	switch {
	case r.ContentLength > s.cfg.MaxBody || readErr != nil && overLimit(readErr):
		res.Reason = ReasonTooLarge
		s.nameOnly(r.Header, res)
		ans := s.own(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over --max-body (%s): not stored", FormatSize(s.cfg.MaxBody)))
		ans.close = true
		return ans
	case readErr == errBusy:
		res.Reason = ReasonBusy
		ans := s.own(http.StatusServiceUnavailable, fmt.Sprintf("listen already holds %s of request bodies in memory: retry shortly", FormatSize(s.budget.limit)))
		ans.retryAfter, ans.close = "1", true
		return ans
	case readErr != nil:
		res.Size, rec.BodySize = int64(len(body)), int64(len(body))
		res.Reason = ReasonUnread
		return s.own(http.StatusBadRequest, "the body could not be read: "+readErr.Error())
	}
	res.Body, res.Size = body, int64(len(body))
	rec.SetBodyBytes(body) // written before bd goes back to the pool
	s.judge(r, body, res)
	return s.decide(r, body, res)
}

// overLimit reports a body read past --max-body.
func overLimit(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// capture completes the request's record from its result and, when
// capturing, appends it: it returns once the record is on disk.
func (s *Server) capture(rec *capture.Record, res *Result) error {
	rec.SenderGone = res.SenderGone
	rec.Provider, rec.Event, rec.EventID = res.Provider, res.Event, res.EventID
	rec.Verified, rec.Reason = res.Verified, res.Reason
	rec.Status = res.Status
	if res.Forward != nil {
		fw := res.Forward
		rec.Forward = &capture.Forward{URL: fw.URL, Status: fw.Status, LatencyMS: fw.LatencyMS(), Error: fw.Error}
		if fw.header != nil {
			rec.Forward.SetAnswer(fw.header, fw.body, fw.bodySize)
			fw.header, fw.body = nil, nil // the result may wait in the show queue: keep only Head
		}
	}
	if s.cfg.Capture == nil {
		return nil
	}
	return s.cfg.Capture.Append(rec)
}

// count tallies an answered request, hands it to the display, and stops
// listen when --count is reached.
func (s *Server) count(res *Result) {
	counted := res.Webhook
	if counted {
		res.Unexpected = !s.tally.observe(res)
	} else {
		s.tally.other.Add(1)
	}
	s.rep.report(res)
	if counted && s.cfg.Count > 0 && s.tally.webhooks.Load() >= int64(s.cfg.Count) {
		select {
		case s.quit <- "count":
		default:
		}
	}
}

// captureID is "cap_" + the time in milliseconds (10 base32hex digits, so
// ids sort by arrival) + 10 random ones.
func (s *Server) captureID(t time.Time) string {
	const digits = "0123456789abcdefghijklmnopqrstuv"
	var b [24]byte
	copy(b[:], "cap_")
	ms := uint64(t.UnixMilli())
	for i := 13; i >= 4; i-- {
		b[i] = digits[ms&31]
		ms >>= 5
	}
	r := uint64(s.cfg.IDs.Int(0, 1<<50-1)) // 10 random digits, 5 bits each
	for i := 23; i >= 14; i-- {
		b[i] = digits[r&31]
		r >>= 5
	}
	return string(b[:])
}

// answer is what listen sends back.
type answer struct {
	status     int
	header     http.Header
	body       []byte
	note       string
	close      bool   // close the connection after it (the body was not read whole)
	retryAfter string // Retry-After, for 503
}

func (a answer) write(w http.ResponseWriter) {
	h := w.Header()
	for k, vs := range a.header {
		h[k] = vs
	}
	if a.header == nil {
		h["Content-Type"] = jsonType
	} else if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = nil // the app sent none: do not let net/http guess one
	}
	if len(a.body) == len(okBody) {
		h["Content-Length"] = okLength // net/http only reads it
	} else {
		h["Content-Length"] = []string{strconv.Itoa(len(a.body))}
	}
	if a.close {
		h["Connection"] = []string{"close"}
	}
	if a.retryAfter != "" {
		h["Retry-After"] = []string{a.retryAfter}
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

var (
	okBody   = []byte(`{"ok":true}` + "\n")
	okLength = []string{strconv.Itoa(len(okBody))}
	jsonType = []string{"application/json"}
)

// own is an answer listen makes itself, with a JSON body saying why.
func (s *Server) own(status int, why string) answer {
	if why == "" {
		if status >= 200 && status < 300 {
			return answer{status: status, body: okBody}
		}
		return answer{status: status, body: []byte(`{"ok":false}` + "\n")}
	}
	b, _ := jsonMarshal(struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}{status >= 200 && status < 300, why})
	return answer{status: status, body: b, note: why}
}

// decide picks the answer of a request whose body was read.
func (s *Server) decide(r *http.Request, body []byte, res *Result) answer {
	if !res.Webhook {
		return s.own(http.StatusNotFound, "not the webhook path "+s.cfg.Path)
	}
	if s.cfg.FailFirst > 0 {
		if n := s.fails.Add(1); n <= int64(s.cfg.FailFirst) {
			return s.own(http.StatusInternalServerError, fmt.Sprintf("failing on purpose: request %d of the first %d (--fail-first)", n, s.cfg.FailFirst))
		}
	}
	if s.cfg.RejectInvalid && !res.Handshake && res.Verified != nil && !*res.Verified {
		return s.own(http.StatusUnauthorized, "invalid signature: "+res.Reason)
	}
	if s.cfg.RejectInvalid && !res.Handshake && res.Reason == ReasonUnsigned && res.hsAnswer == nil {
		return s.own(http.StatusUnauthorized, "unsigned: no signature header")
	}
	if route, ok := s.route(res.Event); ok {
		return s.forward(r, body, route, res)
	}
	if res.hsAnswer != nil {
		return *res.hsAnswer
	}
	if res.Challenge != "" && s.cfg.Status >= 200 && s.cfg.Status < 300 {
		b, _ := jsonMarshal(map[string]string{"challenge": res.Challenge})
		return answer{status: s.cfg.Status, body: b, note: "answered " + res.Event + " with its challenge, as a correct endpoint does"}
	}
	if len(s.cfg.Routes) > 0 {
		a := s.own(s.cfg.Status, "")
		a.note = fmt.Sprintf("not forwarded: no --forward-to matches event %q", res.Event)
		return a
	}
	return s.own(s.cfg.Status, "")
}

func jsonMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := newJSONEncoder(&b)
	err := enc.Encode(v)
	return b.Bytes(), err
}
