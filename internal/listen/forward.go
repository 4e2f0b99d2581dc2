package listen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/hookctl/hookctl/internal/delivery"
)

// Route sends the events matching Glob to URL; an empty Glob matches all.
type Route struct {
	Glob string
	URL  *url.URL
}

// ParseRoute reads a --forward-to value: URL, or GLOB=URL to forward only
// the events whose type matches GLOB. The value is GLOB=URL when the part
// before its first '=' holds no ':' and no '?' (event types never do; URLs
// with a query do).
func ParseRoute(v string) (Route, error) {
	v = strings.TrimSpace(v)
	var rt Route
	target := v
	if glob, rest, ok := strings.Cut(v, "="); ok && !strings.ContainsAny(glob, ":?") {
		if glob == "" {
			return rt, fmt.Errorf("invalid --forward-to %q: the event pattern before '=' is empty", v)
		}
		rt.Glob, target = glob, rest
	}
	u, err := delivery.ParseTarget(target)
	if err != nil {
		// ParseTarget words its errors for trigger's --to.
		return rt, errors.New(strings.Replace(err.Error(), "--to", "--forward-to", 1))
	}
	rt.URL = u
	return rt, nil
}

// String is the route as the user wrote it, normalized.
func (rt Route) String() string {
	if rt.Glob == "" {
		return rt.URL.String()
	}
	return rt.Glob + "=" + rt.URL.String()
}

// route picks the first route whose glob matches the event.
func (s *Server) route(event string) (Route, bool) {
	for _, rt := range s.cfg.Routes {
		if rt.Glob == "" || MatchGlob(rt.Glob, event) {
			return rt, true
		}
	}
	return Route{}, false
}

// Forwarded is the result of forwarding one request to the app.
type Forwarded struct {
	URL     string
	Status  int
	Latency time.Duration
	Error   string
	Head    []byte // the start of the app's answer
	Size    int    // the size of the app's answer
}

// LatencyMS is the latency in milliseconds, to 0.001.
func (f *Forwarded) LatencyMS() float64 {
	return float64(f.Latency.Microseconds()) / 1000
}

// hopByHop are the headers that describe one connection, not the message;
// they are not forwarded in either direction (RFC 9110, 7.6.1).
var hopByHop = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func copyHeaders(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = append([]string(nil), vs...)
	}
	for _, f := range src.Values("Connection") {
		for _, name := range strings.Split(f, ",") {
			if name = strings.TrimSpace(name); name != "" {
				dst.Del(name)
			}
		}
	}
	for _, k := range hopByHop {
		dst.Del(k)
	}
}

// targetURL appends the request's path and query to the route's URL: a
// request to /hooks?x=1 forwarded to http://app/in goes to
// http://app/in/hooks?x=1; a request to / goes to the route's path as is.
func targetURL(base *url.URL, req *url.URL) string {
	path := req.EscapedPath()
	basePath := base.EscapedPath()
	switch {
	case path == "/" && basePath != "":
		path = basePath
	default:
		path = strings.TrimSuffix(basePath, "/") + path
	}
	query := base.RawQuery
	if req.RawQuery != "" {
		if query != "" {
			query += "&"
		}
		query += req.RawQuery
	}
	out := base.Scheme + "://" + base.Host + path
	if query != "" {
		out += "?" + query
	}
	return out
}

// forward sends the request to the app byte for byte and answers with the
// app's status, headers and body; 502 when the app cannot be reached, 504
// when it does not answer within --forward-timeout.
func (s *Server) forward(r *http.Request, body []byte, rt Route, res *Result) answer {
	fw := &Forwarded{URL: targetURL(rt.URL, cleanURL(r.URL))} // the path cleaned: it never leaves the route's
	res.Forward = fw
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), s.cfg.ForwardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, fw.URL, bytes.NewReader(body))
	if err != nil {
		fw.Error = err.Error()
		return s.own(http.StatusBadGateway, "forward to "+fw.URL+": "+fw.Error)
	}
	copyHeaders(req.Header, r.Header)
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header["User-Agent"] = []string{""} // send none rather than Go's
	}
	req.ContentLength = int64(len(body))
	if len(body) == 0 {
		req.Body = http.NoBody
	}
	start := time.Now()
	resp, err := s.cfg.Client.Do(req)
	if err == nil {
		var rb []byte
		rb, err = io.ReadAll(io.LimitReader(resp.Body, s.cfg.MaxBody+1))
		resp.Body.Close()
		fw.Latency = time.Since(start)
		if err == nil {
			fw.Status, fw.Size = resp.StatusCode, len(rb)
			fw.Head = rb[:min(len(rb), 512)]
			if int64(len(rb)) > s.cfg.MaxBody {
				fw.Error = fmt.Sprintf("the app's answer is over --max-body (%s)", FormatSize(s.cfg.MaxBody))
				return s.own(http.StatusBadGateway, fw.Error)
			}
			h := http.Header{}
			copyHeaders(h, resp.Header)
			h.Del("Content-Length")
			return answer{status: resp.StatusCode, header: h, body: rb}
		}
	}
	fw.Latency = time.Since(start)
	status, msg := s.explainForward(err, rt.URL)
	fw.Error = msg
	return s.own(status, msg)
}

// explainForward turns a forwarding error into the status listen answers
// and one line saying what happened.
func (s *Server) explainForward(err error, u *url.URL) (int, string) {
	addr := delivery.HostPort(u)
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return http.StatusGatewayTimeout, fmt.Sprintf("the app at %s did not answer within %s (--forward-timeout)", addr, s.cfg.ForwardTimeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return http.StatusBadGateway, fmt.Sprintf("the app is down: nothing is listening at %s (connection refused)", addr)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return http.StatusBadGateway, fmt.Sprintf("the app at %s closed the connection without a complete answer", addr)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return http.StatusBadGateway, fmt.Sprintf("forwarding to %s failed: %v", addr, err)
}
