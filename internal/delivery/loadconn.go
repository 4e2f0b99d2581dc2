package delivery

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// loadConn is one load worker's keep-alive connection. The worker writes
// each request and reads its answer on its own goroutine: net/http's
// transport hands every request to two goroutines of its own (a writer and
// a reader per connection), and those hand-offs cost a load generator
// about as much as the rest of a request. Requests go out exactly as they
// would through NewClient: same bytes, no redirects followed.
type loadConn struct {
	s        *Sender
	insecure bool
	nc       net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	stop     func() bool // undoes the ctx watch of nc
	used     bool        // nc served a request (an error may be a stale keep-alive)
	rawURL   string
	u        *url.URL
}

// directLoad reports whether load mode may use its own connections: the
// client is hookctl's own transport and no proxy applies to the target.
func (s *Sender) directLoad(target string) (insecure, ok bool) {
	tr, isTransport := s.client.Transport.(*http.Transport)
	if !isTransport || s.client.Jar != nil {
		return false, false
	}
	if tr.Proxy != nil {
		req, err := http.NewRequest(http.MethodPost, target, nil)
		if err != nil {
			return false, false
		}
		if p, err := tr.Proxy(req); err != nil || p != nil {
			return false, false
		}
	}
	if tr.TLSClientConfig != nil {
		insecure = tr.TLSClientConfig.InsecureSkipVerify
	}
	return insecure, true
}

func (c *loadConn) close() {
	if c.nc != nil {
		c.stop()
		c.nc.Close()
		c.nc = nil
	}
}

func (c *loadConn) dial(ctx context.Context, u *url.URL) error {
	d := net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	nc, err := d.DialContext(ctx, "tcp", HostPort(u))
	if err != nil {
		return err
	}
	if u.Scheme == "https" {
		tc := tls.Client(nc, &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: c.insecure, NextProtos: []string{"http/1.1"}}) //nolint:gosec // --insecure, asked for
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return err
		}
		nc = tc
	}
	c.nc, c.used = nc, false
	// Ctrl-C unblocks a read or write in progress.
	c.stop = context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	if c.br == nil {
		c.br, c.bw = bufio.NewReaderSize(nc, 4096), bufio.NewWriterSize(nc, 8192)
	} else {
		c.br.Reset(nc)
		c.bw.Reset(nc)
	}
	return nil
}

// send makes one attempt over the worker's connection, dialling when it
// has none and retrying once on a fresh one when a kept-alive connection
// turns out to have been closed by the server.
func (c *loadConn) send(ctx context.Context, r *Request) *Result {
	res := &Result{Request: r, Attempt: 1, Attempts: 1}
	if r.URL != c.rawURL {
		u, err := url.Parse(r.URL)
		if err != nil {
			res.Kind, res.Err = "bad request", err.Error()
			return res
		}
		c.rawURL, c.u = r.URL, u
	}
	ru := c.s.rules(r)
	start := time.Now()
	status, closeAfter, err := c.roundTrip(ctx, r, ru.Timeout)
	if err != nil && c.used && ctx.Err() == nil && stale(err) {
		c.close()
		start = time.Now()
		status, closeAfter, err = c.roundTrip(ctx, r, ru.Timeout)
	}
	res.Latency = time.Since(start)
	if err != nil {
		c.close()
		res.Kind, res.Err, res.Advice = explain(ctx, err, c.u, ru.Timeout)
		res.Interrupted = ctx.Err() != nil
		return res
	}
	c.used = true
	if closeAfter {
		c.close()
	}
	res.Status = status
	res.OK = ru.success(status)
	if !res.OK {
		res.Kind = "HTTP " + strconv.Itoa(status)
	}
	return res
}

// stale reports an error of a kept-alive connection the server had closed.
func stale(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func (c *loadConn) roundTrip(ctx context.Context, r *Request, timeout time.Duration) (status int, closeAfter bool, err error) {
	if c.nc == nil {
		if err := c.dial(ctx, c.u); err != nil {
			return 0, false, err
		}
	}
	if timeout > 0 {
		_ = c.nc.SetDeadline(time.Now().Add(timeout))
	}
	c.writeRequest(r)
	if err := c.bw.Flush(); err != nil {
		return 0, false, err
	}
	for {
		resp, err := http.ReadResponse(c.br, nil)
		if err != nil {
			return 0, false, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, false, err
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			return resp.StatusCode, resp.Close, nil
		}
		// 1xx (100 Continue, 103 Early Hints): the answer follows.
	}
}

// writeRequest writes an HTTP/1.1 request: the same bytes net/http sends
// for it, in a buffer kept across requests.
func (c *loadConn) writeRequest(r *Request) {
	w := c.bw
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}
	host := c.u.Host
	if h := r.Header["Host"]; len(h) > 0 {
		host = h[0]
	}
	w.WriteString(method)
	w.WriteByte(' ')
	w.WriteString(c.u.RequestURI())
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(host)
	w.WriteString("\r\n")
	for k, vs := range r.Header {
		if k == "Host" || k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.WriteString(k)
			w.WriteString(": ")
			if strings.ContainsAny(v, "\r\n") {
				v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
			}
			w.WriteString(v)
			w.WriteString("\r\n")
		}
	}
	w.WriteString("Content-Length: ")
	w.WriteString(strconv.Itoa(len(r.Body)))
	w.WriteString("\r\n\r\n")
	w.Write(r.Body)
}
