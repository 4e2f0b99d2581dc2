package check

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/hookctl/hookctl/internal/delivery"
)

// bodyStart is how much of an answer's body a result keeps.
const bodyStart = 200

// HTTPSender sends each request once with client (which must not follow
// redirects: delivery.NewClient), bounded by timeout, and times it from
// the request's start to the answer's last byte.
func HTTPSender(client *http.Client, timeout time.Duration) func(context.Context, *delivery.Request) Answer {
	return func(ctx context.Context, r *delivery.Request) Answer {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
		if err != nil {
			return Answer{Err: err.Error()}
		}
		for k, v := range r.Header {
			req.Header[k] = v
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return Answer{Latency: time.Since(start), Err: explain(err, req, timeout)}
		}
		defer resp.Body.Close()
		head, err := io.ReadAll(io.LimitReader(resp.Body, bodyStart))
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
		}
		a := Answer{Status: resp.StatusCode, Latency: time.Since(start), BodyStart: text(head)}
		if err != nil {
			a.Err = "answered " + resp.Status + ", then: " + explain(err, req, timeout)
		}
		return a
	}
}

func explain(err error, req *http.Request, timeout time.Duration) string {
	host := req.URL.Host
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer within " + timeout.String() + " (--timeout)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing is listening at " + host + ": start the app first"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return host + " closed the connection without an answer: check the app's logs"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "Post ") {
		msg = msg[i+2:]
	}
	return "sending to " + host + " failed: " + msg
}

// text is body bytes as one line of valid UTF-8.
func text(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.Join(strings.Fields(s), " ")
}
