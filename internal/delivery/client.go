package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/httpx"
)

// UserAgent is the User-Agent hookctl sends for a version.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "hookctl/" + version + " (+https://github.com/hookctl/hookctl)"
}

// ClientOptions configure the HTTP client.
type ClientOptions struct {
	// Insecure accepts any TLS certificate (self-signed local endpoints).
	Insecure bool
	// Concurrency is how many requests may be in flight at once; the idle
	// connection pool keeps that many connections to the host.
	Concurrency int
}

// NewClient returns the client providers behave like: redirects are not
// followed (the 3xx answer is the result), connections are kept alive and
// pooled, nothing is decompressed behind the caller's back.
func NewClient(o ClientOptions) *http.Client {
	idle := max(o.Concurrency, 4)
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          idle * 2,
		MaxIdleConnsPerHost:   idle,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: o.Insecure}, //nolint:gosec // --insecure, asked for
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Request is one prepared request, sent exactly as given.
type Request struct {
	Method string // "" means POST
	URL    string
	// Header is sent as is; a "Host" entry sets the Host header.
	Header http.Header
	Body   []byte // the exact bytes sent (and signed)

	// Event and EventID name what is delivered, for display only.
	Event   string
	EventID string
	// CaptureID names the capture a replay resends (for display only).
	CaptureID string
	// Rules, when set, replace the sender's success rule and timeout for
	// this request.
	Rules *Rules
}

// Result is what one attempt got.
type Result struct {
	Request  *Request
	Attempt  int // 1-based
	Attempts int // how many the plan allows (1 without retries)

	Status     int    // 0 when no answer came
	StatusText string // "200 OK"
	OK         bool   // accepted by the success rule
	Latency    time.Duration

	// Err says in one line what went wrong; "" when an answer came and was
	// only not a success. Advice is what to do about it, for the command
	// layer to word with its flags. Kind is a short label of the failure
	// for grouping ("connection refused", "timeout", "HTTP 500").
	Err    string
	Advice Advice
	Kind   string

	Location      string // the Location of a 3xx answer
	RespHeader    http.Header
	RespBody      []byte // the first bytes of the answer's body
	RespBodySize  int64  // the whole body's size
	RespTruncated bool   // RespBody is shorter than the body

	Interrupted bool // ctx was cancelled (Ctrl-C) before an answer

	// NextWait is the provider's wait before the next attempt, and
	// NextWaitScaled the wait hookctl actually makes; zero when no retry follows.
	NextWait       time.Duration
	NextWaitScaled time.Duration
}

// send makes one attempt. keep is how many body bytes to keep (0: none,
// the body is drained for connection reuse).
func (s *Sender) send(ctx context.Context, r *Request, keep int) *Result {
	res := &Result{Request: r, Attempt: 1, Attempts: 1}
	ru := s.rules(r)
	rctx := ctx
	if ru.Timeout > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(ctx, ru.Timeout)
		defer cancel()
	}
	req, err := httpRequest(rctx, r)
	if err != nil {
		res.Kind, res.Err = "bad request", err.Error()
		return res
	}
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		res.Latency = time.Since(start)
		res.Kind, res.Err, res.Advice = explain(ctx, err, req.URL, ru.Timeout)
		res.Interrupted = ctx.Err() != nil
		return res
	}
	res.Status = resp.StatusCode
	res.StatusText = resp.Status
	res.RespHeader = resp.Header
	err = readAnswer(res, resp.Body, keep)
	resp.Body.Close()
	res.Latency = time.Since(start)
	if err != nil {
		res.Kind, res.Err, res.Advice = explain(ctx, err, req.URL, ru.Timeout)
		res.Err = fmt.Sprintf("%s answered %s, then: %s", HostPort(req.URL), resp.Status, res.Err)
		res.Interrupted = ctx.Err() != nil
		return res
	}
	judge(res, ru)
	return res
}

// httpRequest is r as net/http sends it: POST unless r says otherwise, no
// body as http.NoBody, and a Host header as the request's Host.
func httpRequest(ctx context.Context, r *Request) (*http.Request, error) {
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	if len(r.Body) == 0 {
		req.Body, req.GetBody = http.NoBody, nil
	}
	for k, v := range r.Header {
		if strings.EqualFold(k, "Host") {
			if len(v) > 0 {
				req.Host = v[0]
			}
			continue
		}
		req.Header[k] = v
	}
	return req, nil
}

// readAnswer reads the answer's body to its end, keeping its first keep
// bytes in res (none when keep is 0) and counting them all.
func readAnswer(res *Result, body io.Reader, keep int) error {
	if keep <= 0 {
		var err error
		res.RespBodySize, err = io.Copy(io.Discard, body)
		return err
	}
	var buf bytes.Buffer
	n, rerr := io.Copy(&buf, io.LimitReader(body, int64(keep)))
	m, rerr2 := io.Copy(io.Discard, body)
	res.RespBody, res.RespBodySize, res.RespTruncated = buf.Bytes(), n+m, m > 0
	return errors.Join(rerr, rerr2)
}

// judge applies the provider's rules to a whole answer: its success rule,
// the answer's own check (Rules.Answer), and why a redirect or another
// 2xx is not a success.
func judge(res *Result, ru Rules) {
	res.OK = ru.success(res.Status)
	if res.OK && ru.Answer != nil {
		if why := ru.Answer(res.RespBody); why != "" {
			res.OK, res.Kind, res.Err = false, "answer", why
			return
		}
	}
	if res.OK {
		return
	}
	res.Kind = "HTTP " + fmt.Sprint(res.Status)
	switch {
	case res.Status >= 300 && res.Status < 400:
		res.Location = res.RespHeader.Get("Location")
		where := res.Location
		if where == "" {
			where = "no Location"
		}
		res.Err = fmt.Sprintf("redirect to %s not followed (providers don't follow redirects)", where)
		res.Advice = AdviseFinalURL
	case res.Status >= 200 && res.Status < 300:
		res.Err = "not a success: " + ru.rule()
	}
}

// explain turns a transport error into one line saying what happened,
// what can be done about it, and a short label for grouping.
func explain(ctx context.Context, err error, u *url.URL, timeout time.Duration) (kind, msg string, advice Advice) {
	addr := HostPort(u)
	if ctx.Err() != nil {
		return "interrupted", "interrupted before an answer came", AdviseNone
	}
	f := httpx.Classify(err)
	switch f {
	case httpx.Refused:
		return f.String(), "nothing is listening at " + addr, AdviseStartApp
	case httpx.DNS:
		var dnsErr *net.DNSError
		errors.As(err, &dnsErr)
		why := dnsErr.Err
		if dnsErr.IsNotFound {
			why = "no such host"
		}
		return f.String(), fmt.Sprintf("cannot resolve %s (%s)", u.Hostname(), why), AdviseCheckHost
	case httpx.Untrusted:
		return f.String(), fmt.Sprintf("the TLS certificate of %s is not trusted (%s)", addr, tlsReason(err)), AdviseInsecure
	case httpx.NotTLS:
		return f.String(), addr + " does not speak TLS", AdviseHTTP
	case httpx.Timeout:
		return f.String(), fmt.Sprintf("no answer from %s within %s: the provider counts that as a failure", addr, timeout), AdviseTimeout
	case httpx.Closed:
		return f.String(), fmt.Sprintf("%s closed the connection without a complete answer: check your app's logs", addr), AdviseNone
	case httpx.Unreachable:
		return f.String(), addr + " cannot be reached from this machine", AdviseCheckHost
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return f.String(), fmt.Sprintf("sending to %s failed: %v", addr, err), AdviseNone
}

// Advice is what a user can do about a failed attempt. It is data: the
// command layer words it with its own flags.
type Advice int

const (
	AdviseNone      Advice = iota
	AdviseStartApp         // nothing listens at the target: start the app, or a listen on its port
	AdviseCheckHost        // the target's host cannot be resolved or reached
	AdviseInsecure         // the certificate is not trusted (a self-signed local one?)
	AdviseHTTP             // the target speaks plain HTTP: use http://
	AdviseTimeout          // no answer in time: the limit can be raised
	AdviseFinalURL         // a redirect was not followed: target the final URL
)

// Port is the port of a request's URL, for advice such as "run hookctl
// listen on it"; "" when the URL does not parse.
func Port(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return portOf(u)
}

func tlsReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "x509: "); i >= 0 {
		return msg[i:]
	}
	return msg
}

func portOf(u *url.URL) string {
	_, port, _ := net.SplitHostPort(HostPort(u))
	return port
}
