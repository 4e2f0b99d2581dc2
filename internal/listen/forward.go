package listen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/glob"
	"github.com/hookctl/hookctl/internal/httpx"
)

// Route sends the events matching Glob to URL; an empty Glob matches all.
type Route struct {
	Glob string
	URL  *url.URL
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
		if rt.Glob == "" || glob.Match(rt.Glob, event) {
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
	Head    []byte      // the start of the app's answer
	Size    int         // the size of the app's answer
	Header  http.Header // the app's answer headers, as passed on

	// The app's answer as the capture record keeps it (capture.Forward's
	// SetAnswer); the server drops it once the record is written.
	header   http.Header
	body     []byte
	bodySize int64
}

// LatencyMS is the latency in milliseconds, to 0.001.
func (f *Forwarded) LatencyMS() float64 {
	return float64(f.Latency.Microseconds()) / 1000
}

// forward sends the request to the app byte for byte and answers with the
// app's status, headers and body; 502 when the app cannot be reached, 504
// when it does not answer within --forward-timeout.
func (s *Server) forward(r *http.Request, body []byte, rt Route, res *Result) answer {
	// The path cleaned first (cleanPath); a route with a path of its own
	// does not use it at all (httpx.JoinURL).
	fw := &Forwarded{URL: httpx.JoinURL(rt.URL, cleanPath(r.URL.EscapedPath()), r.URL.RawQuery)}
	res.Forward = fw
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), s.cfg.ForwardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, fw.URL, bytes.NewReader(body))
	if err != nil {
		fw.Error = err.Error()
		return s.own(http.StatusBadGateway, "forward to "+fw.URL+": "+fw.Error)
	}
	httpx.CopyEndToEnd(req.Header, r.Header, "Content-Length", "Host")
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
			// An answer over --max-body was not read whole: its size is
			// its Content-Length when it sent one.
			fw.header, fw.body, fw.bodySize = resp.Header, rb, max(int64(len(rb)), resp.ContentLength)
			if int64(len(rb)) > s.cfg.MaxBody {
				fw.Error = fmt.Sprintf("the app's answer is over --max-body (%s)", httpx.Size(s.cfg.MaxBody))
				return s.own(http.StatusBadGateway, fw.Error)
			}
			h := http.Header{}
			httpx.CopyEndToEnd(h, resp.Header, "Content-Length")
			fw.Header = h
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
	switch f := httpx.Classify(err); {
	case errors.Is(err, context.DeadlineExceeded) || f == httpx.Timeout:
		return http.StatusGatewayTimeout, fmt.Sprintf("the app at %s did not answer within %s (--forward-timeout)", addr, s.cfg.ForwardTimeout)
	case f == httpx.Refused:
		return http.StatusBadGateway, fmt.Sprintf("the app is down: nothing is listening at %s (connection refused)", addr)
	case f == httpx.Closed:
		return http.StatusBadGateway, fmt.Sprintf("the app at %s closed the connection without a complete answer", addr)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return http.StatusBadGateway, fmt.Sprintf("forwarding to %s failed: %v", addr, err)
}
