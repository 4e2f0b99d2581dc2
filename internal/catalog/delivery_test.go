package catalog

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/signer"
)

func TestRetryReasonInSlacksWords(t *testing.T) {
	cases := []struct {
		o    Outcome
		want string
	}{
		{Outcome{Kind: "timeout"}, "http_timeout"},
		{Outcome{Kind: "connection refused"}, "connection_failed"},
		{Outcome{Kind: "connection closed"}, "connection_failed"},
		{Outcome{Kind: "DNS"}, "connection_failed"},
		{Outcome{Kind: "TLS"}, "ssl_error"},
		{Outcome{Status: 500, Kind: "HTTP 500"}, "http_error"},
		{Outcome{Status: 404, Kind: "HTTP 404"}, "http_error"},
		{Outcome{Status: 302, Kind: "HTTP 302"}, "too_many_redirects"},
		{Outcome{Kind: "error"}, "unknown_error"},
	}
	for _, tc := range cases {
		if got := RetryReason(tc.o); got != tc.want {
			t.Errorf("RetryReason(%+v) = %q, want %q", tc.o, got, tc.want)
		}
	}
}

func TestSlackRetriesCarryTheirNumberAndReason(t *testing.T) {
	p := builtin(t, "slack")
	d := p.Delivery
	if got := d.RetryHeaders(1, Outcome{Kind: "timeout"}); got != nil {
		t.Errorf("first attempt headers %v, want none", got)
	}
	got := d.RetryHeaders(3, Outcome{Status: 503, Kind: "HTTP 503"})
	want := []signer.Header{{Name: "X-Slack-Retry-Num", Value: "2"}, {Name: "X-Slack-Retry-Reason", Value: "http_error"}}
	if !slices.Equal(got, want) {
		t.Errorf("attempt 3 headers %v, want %v", got, want)
	}
	if want := []time.Duration{0, 0, time.Minute, 5 * time.Minute}; !slices.Equal(d.Schedule, want) || d.Timeout != 3*time.Second {
		t.Errorf("slack schedule %v timeout %v, want %v and 3s", d.Schedule, d.Timeout, want)
	}
	stop := Outcome{Status: 500, Header: http.Header{"X-Slack-No-Retry": {"1"}}}
	if d.NoRetry(stop) == "" {
		t.Error("an answer with X-Slack-No-Retry: 1 still gets retried")
	}
	if why := d.NoRetry(Outcome{Status: 500}); why != "" {
		t.Errorf("a 500 is not retried: %s", why)
	}
	if h := builtin(t, "stripe").Delivery.RetryHeaders(2, Outcome{Kind: "timeout"}); h != nil {
		t.Errorf("stripe retries carry %v, want no extra headers", h)
	}
}

func TestTwilioRetriesOnlyWhenItCannotConnect(t *testing.T) {
	d := builtin(t, "twilio").Delivery
	for _, o := range []Outcome{{Status: 500}, {Status: 404}, {Kind: "timeout"}} {
		if d.NoRetry(o) == "" {
			t.Errorf("twilio retries after %+v; its default policy retries only a failed connection", o)
		}
	}
	if d.NoRetry(Outcome{Kind: "connection refused"}) != "" {
		t.Error("twilio does not retry a refused connection")
	}
	if len(d.Schedule) != 2 || d.Timeout != 15*time.Second {
		t.Errorf("twilio schedule %v timeout %v, want one retry and 15s", d.Schedule, d.Timeout)
	}
}

func TestPublishedDeliveryRules(t *testing.T) {
	cases := []struct {
		provider string
		timeout  time.Duration
		attempts int
		def      bool
		says     []string // what the note after the last attempt must tell, in the provider's terms
	}{
		{"github", 10 * time.Second, 1, false, []string{"does not redeliver"}},
		{"shopify", 5 * time.Second, 8, true, []string{"8 times over 4 hours", "8 consecutive failures", "Admin API"}},
		{"slack", 3 * time.Second, 4, false, []string{"3 retries", "5%", "60 minutes", "1,000 events an hour"}},
		{"svix", 15 * time.Second, 8, false, nil},
		{"gitlab", 10 * time.Second, 8, true, []string{"4 consecutive failures", "24 hours", "after 40"}},
		{"stripe", DefaultTimeout, 8, true, []string{"3 days in live mode", "3 times over a few hours in test mode", "email", "disabled"}},
	}
	for _, tc := range cases {
		d := builtin(t, tc.provider).Delivery
		if d.Timeout != tc.timeout || len(d.Schedule) != tc.attempts || d.DefaultSchedule != tc.def || d.AfterLast == "" {
			t.Errorf("%s: timeout %v, %d attempts, default %v, after last %q; want %v, %d, %v and a note",
				tc.provider, d.Timeout, len(d.Schedule), d.DefaultSchedule, d.AfterLast, tc.timeout, tc.attempts, tc.def)
		}
		for _, fact := range tc.says {
			if !strings.Contains(d.AfterLast, fact) {
				t.Errorf("%s: the note %q does not say %q", tc.provider, d.AfterLast, fact)
			}
		}
	}
}

func TestSlackEventNames(t *testing.T) {
	p := builtin(t, "slack")
	cases := map[string]string{
		`{"type":"url_verification","challenge":"x"}`:                                   "url_verification",
		`{"type":"event_callback","event":{"type":"app_mention"}}`:                      "app_mention",
		`{"type":"event_callback","event":{"type":"message","channel_type":"channel"}}`: "message.channels",
		`{"type":"event_callback","event":{"type":"message","channel_type":"im"}}`:      "message.im",
		`{"type":"event_callback","event":{"type":"message"}}`:                          "message",
	}
	for body, want := range cases {
		if got, _ := p.DescribeBody([]byte(body)); got != want {
			t.Errorf("%s names %q, want %q", body, got, want)
		}
	}
}

func builtin(t *testing.T, name string) *Provider {
	t.Helper()
	p, err := newCatalog(t).Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSlackHandshakeEchoes(t *testing.T) {
	h := builtin(t, "slack").Handshake
	body := []byte(`{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	c := h.Challenge(body)
	if c != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("challenge %q", c)
	}
	for answer, want := range map[string]bool{
		c:                            true,
		c + "\n":                     true,
		`{"challenge":"` + c + `"}`:  true,
		"challenge=" + c:             true,
		`{"ok":true}`:                false,
		"":                           false,
		`{"challenge":"something"}`:  false,
		`{"challenge":"` + c + `x"}`: false,
	} {
		if got := h.Echoes([]byte(answer), c); got != want {
			t.Errorf("answer %q echoes: %v, want %v", answer, got, want)
		}
	}
	if h.Echoes([]byte(""), "") {
		t.Error("an empty challenge is echoed by an empty answer")
	}
	if p := builtin(t, "slack"); !p.IsHandshake("url_verification") || p.IsHandshake("app_mention") || builtin(t, "notion").IsHandshake("page.created") {
		t.Error("IsHandshake names the wrong events")
	}
}
