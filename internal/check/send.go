package check

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/delivery"
)

// keepBody is how much of an answer's body a result keeps for judging,
// and bodyStart how much of it for display.
const (
	keepBody  = 4 << 10
	bodyStart = 200
)

// HTTPSender sends each request once through delivery (client must not
// follow redirects: delivery.NewClient), bounded by timeout, timed from
// the request's start to the answer's last byte. Any status is an answer
// to judge, a redirect too: only a missing or broken answer is an Err.
func HTTPSender(client *http.Client, timeout time.Duration) func(context.Context, *delivery.Request) Answer {
	s := delivery.NewSender(delivery.Config{
		Client:   client,
		Rules:    delivery.Rules{Timeout: timeout, Success: func(int) bool { return true }},
		KeepBody: keepBody,
	})
	return func(ctx context.Context, r *delivery.Request) Answer {
		res := s.Send(ctx, r)
		return Answer{Status: res.Status, Latency: res.Latency, BodyStart: text(res.RespBody[:min(len(res.RespBody), bodyStart)]),
			Body: res.RespBody, ContentType: res.RespHeader.Get("Content-Type"), Err: res.Err, Advice: res.Advice}
	}
}

// text is body bytes as one line of valid UTF-8.
func text(b []byte) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	return strings.Join(strings.Fields(s), " ")
}
