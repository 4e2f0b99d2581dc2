package present

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

// testStreams writes stdout to out and, when countdown is set, stderr to
// it as a terminal's.
func testStreams(out, countdown io.Writer) *iostreams.IOStreams {
	ios, _, _, _ := iostreams.Test()
	ios.Out = out
	if countdown != nil {
		ios.ErrOut = countdown
		ios.SetTTY(false, false, true)
	}
	return ios
}

// newTestSender is a sender whose events this package's presenter prints
// to out (and the countdown to Config's countdown writer).
func newTestSender(out io.Writer, json bool, c delivery.Config, countdown ...io.Writer) *delivery.Sender {
	var cd io.Writer
	if len(countdown) > 0 {
		cd = countdown[0]
	}
	p := NewDelivery(testStreams(out, cd), nil, Options{JSON: json})
	c.Observe, c.Countdown = p.Observe, p.Countdown()
	if c.Sleep == nil {
		c.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	}
	return delivery.NewSender(c)
}

func TestDeliverRetriesUntilSuccess(t *testing.T) {
	statuses := []int{500, 503, 200}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(statuses[n.Add(1)-1])
	}))
	defer srv.Close()
	var waits []time.Duration
	var out bytes.Buffer
	s := newTestSender(&out, false, delivery.Config{Sleep: func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}})
	var prepared []int
	ok, err := s.Deliver(context.Background(), delivery.Plan{
		Schedule: []time.Duration{0, time.Minute, 5 * time.Minute, 30 * time.Minute},
		Scale:    0.001,
		Prepare: func(a int) (*delivery.Request, error) {
			prepared = append(prepared, a)
			return &delivery.Request{URL: srv.URL, Event: "payment.failed", EventID: "evt_1"}, nil
		},
	})
	s.Finish()
	if !ok || err != nil {
		t.Fatalf("Deliver = %v, %v\n%s", ok, err, out.String())
	}
	if want := []time.Duration{60 * time.Millisecond, 300 * time.Millisecond}; len(waits) != 2 || waits[0] != want[0] || waits[1] != want[1] {
		t.Errorf("waits %v, want %v", waits, want)
	}
	if len(prepared) != 3 || prepared[2] != 3 {
		t.Errorf("prepared attempts %v", prepared)
	}
	text := out.String()
	for _, want := range []string{
		"failed    payment.failed evt_1 (attempt 1/4) -> " + srv.URL + "  500 Internal Server Error",
		"retry 2/4 in 1m (scaled ×0.001: 60ms)",
		"retry 3/4 in 5m (scaled ×0.001: 300ms)",
		"accepted  payment.failed evt_1 (attempt 3/4)",
		"1 event, 3 attempts: 1 accepted",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if !s.Summary.OK() || s.Summary.Attempts != 3 {
		t.Errorf("summary %+v", s.Summary)
	}
}

func TestDeliverGivesUpAndSaysWhatTheProviderDoes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) }))
	defer srv.Close()
	var out bytes.Buffer
	s := newTestSender(&out, true, delivery.Config{Rules: delivery.Rules{Success: func(st int) bool { return st == 200 }, Rule: "notify accepts only 200"}})
	ok, _ := s.Deliver(context.Background(), delivery.Plan{
		Schedule: []time.Duration{0, time.Second}, AfterLast: "the webhook is disabled", Default: true, Provider: "x",
		Prepare: func(int) (*delivery.Request, error) { return &delivery.Request{URL: srv.URL}, nil },
	})
	s.Finish()
	if ok || s.Summary.OK() {
		t.Fatalf("201 accepted under an exact-200 rule")
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		lines = append(lines, m)
	}
	if len(lines) != 4 {
		t.Fatalf("want 2 attempts, a note and a summary, got:\n%s", out.String())
	}
	if lines[0]["error"] != "not a success: notify accepts only 200" || lines[0]["next_wait_ms"] != float64(1000) {
		t.Errorf("first attempt %v", lines[0])
	}
	if lines[2]["type"] != "note" || lines[2]["message"] != "gave up after 2 attempts: the webhook is disabled" {
		t.Errorf("note %v", lines[2])
	}
	if lines[3]["type"] != "summary" || lines[3]["failed"] != float64(1) || lines[3]["ok"] != false {
		t.Errorf("summary %v", lines[3])
	}
}

func TestDeliverStopsWhenCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	s := newTestSender(&out, false, delivery.Config{Sleep: func(context.Context, time.Duration) error { cancel(); return context.Canceled }})
	ok, err := s.Deliver(ctx, delivery.Plan{
		Schedule: []time.Duration{0, time.Hour, time.Hour},
		Prepare:  func(int) (*delivery.Request, error) { return &delivery.Request{URL: srv.URL}, nil },
	})
	s.Skip(2)
	s.Finish()
	if ok || err != nil || !s.Summary.Interrupted || s.Summary.OK() {
		t.Fatalf("ok %v err %v summary %+v", ok, err, s.Summary)
	}
	if !strings.Contains(out.String(), "interrupted before attempt 2/3") || !strings.Contains(out.String(), "3 events, 1 attempt: 0 accepted, 1 failed, 2 not sent (interrupted)") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestLoad(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%10 == 0 {
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	s := newTestSender(io.Discard, false, delivery.Config{Client: delivery.NewClient(delivery.ClientOptions{Concurrency: 8})})
	var built atomic.Int32
	sum, err := s.Load(context.Background(), delivery.LoadOptions{Count: 200, Concurrency: 8, URL: srv.URL, Build: func(i int) (*delivery.Request, error) {
		built.Add(1)
		return &delivery.Request{URL: srv.URL, Body: []byte(`{}`)}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sent != 200 || sum.Succeeded != 180 || sum.Failed != 20 || built.Load() != 200 {
		t.Errorf("summary %+v built %d", sum, built.Load())
	}
	if len(sum.Failures) != 1 || sum.Failures[0] != (delivery.Failure{Kind: "HTTP 500", Count: 20}) {
		t.Errorf("failures %v", sum.Failures)
	}
	if sum.P50 <= 0 || sum.P50 > sum.P90 || sum.P90 > sum.P99 || sum.P99 > sum.Max || sum.RPS <= 0 {
		t.Errorf("latencies %v %v %v %v rps %v", sum.P50, sum.P90, sum.P99, sum.Max, sum.RPS)
	}
	var out bytes.Buffer
	NewDelivery(testStreams(&out, nil), nil, Options{}).Load(sum)
	if !strings.Contains(out.String(), "180 succeeded, 20 failed (HTTP 500 ×20)") {
		t.Errorf("text summary:\n%s", out.String())
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		420 * time.Microsecond: "0.42ms", 3100 * time.Microsecond: "3.1ms", 300 * time.Millisecond: "300ms",
		1500 * time.Millisecond: "1.5s", 5 * time.Second: "5s", 5 * time.Minute: "5m", 150 * time.Minute: "2h30m", 10 * time.Hour: "10h",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestCountdownOnlyWhereAsked(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer srv.Close()
	var countdown bytes.Buffer
	var slept time.Duration
	s := newTestSender(io.Discard, false, delivery.Config{Sleep: func(_ context.Context, d time.Duration) error {
		slept += d
		return nil
	}}, &countdown)
	s.Deliver(context.Background(), delivery.Plan{
		Schedule: []time.Duration{0, 2 * time.Second},
		Prepare:  func(int) (*delivery.Request, error) { return &delivery.Request{URL: srv.URL}, nil },
	})
	if slept != 2*time.Second {
		t.Errorf("slept %v, want 2s", slept)
	}
	if !strings.Contains(countdown.String(), "\r\033[Kattempt 2/2 in 2s (Ctrl-C stops)") || !strings.Contains(countdown.String(), "attempt 2/2 in 100ms") || !strings.HasSuffix(countdown.String(), "\r\033[K") {
		t.Errorf("countdown %q", countdown.String())
	}
}

// On a terminal a result line fits the width, the reason cut short; -v
// (and a pipe) keep the whole reason. -q shows only failures and the
// summary.
func TestAttemptLineFitsTheTerminal(t *testing.T) {
	reason := "connect: connection refused: nothing is listening at localhost:5000 " + strings.Repeat("and more ", 10)
	res := &delivery.Result{Request: &delivery.Request{URL: "http://localhost:5000/", Event: "message.created"}, Attempt: 1, Attempts: 1, Err: reason}
	for _, c := range []struct {
		tty, verbose bool
		whole        bool
	}{{true, false, false}, {true, true, true}, {false, false, true}} {
		var out bytes.Buffer
		ios := testStreams(&out, nil)
		ios.SetTTY(false, c.tty, false)
		ios.SetTerminalWidth(80)
		NewDelivery(ios, nil, Options{Verbose: c.verbose}).Attempt(res)
		line, _, _ := strings.Cut(out.String(), "\n")
		if got := strings.Contains(line, reason); got != c.whole {
			t.Errorf("tty=%v verbose=%v: whole reason %v in %q", c.tty, c.verbose, got, line)
		}
		if !c.whole && (ui.Width(line) > 80 || !strings.HasSuffix(line, "…")) {
			t.Errorf("line is %d columns: %q", ui.Width(line), line)
		}
	}
	var out bytes.Buffer
	p := NewDelivery(testStreams(&out, nil), nil, Options{Quiet: true})
	p.Attempt(&delivery.Result{Request: &delivery.Request{URL: "http://x/"}, OK: true, Status: 200})
	p.Attempt(res)
	p.Summary(&delivery.Summary{Events: 2, Accepted: 1, Failed: 1, Attempts: 2})
	if s := out.String(); strings.Contains(s, "accepted ") || !strings.Contains(s, "failed  ") || !strings.Contains(s, "2 events, 2 attempts: 1 accepted, 1 failed") {
		t.Errorf("-q printed:\n%s", s)
	}
}
