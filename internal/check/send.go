package check

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/httpx"
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

// explain says in one line why no (complete) answer came.
func explain(err error, req *http.Request, timeout time.Duration) string {
	host := req.URL.Host
	switch httpx.Classify(err) {
	case httpx.Timeout:
		return "no answer within " + timeout.String() + " (--timeout)"
	case httpx.Refused:
		return "nothing is listening at " + host + ": start the app first"
	case httpx.Closed:
		return host + " closed the connection without an answer: check the app's logs"
	case httpx.Untrusted:
		return "the TLS certificate of " + host + " is not trusted: pass --insecure for a self-signed local certificate"
	case httpx.NotTLS:
		return host + " does not speak TLS: use http:// instead of https://"
	}
	return "sending to " + host + " failed: " + httpx.Cause(err).Error()
}

// text is body bytes as one line of valid UTF-8.
func text(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.Join(strings.Fields(s), " ")
}
