package trigger

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
)

var clock = time.Date(2025, 2, 18, 10, 30, 0, 0, time.UTC)

// answers serves the statuses in order (the last repeats) and counts requests.
func answers(t *testing.T, statuses ...int) (*url.URL, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.WriteHeader(statuses[min(int(n.Add(1)), len(statuses))-1])
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL + "/")
	return u, &n
}

func spec(target *url.URL, events ...string) Spec {
	return Spec{
		Events: events, Target: target, UserAgent: "test",
		Secrets: func(string) ([]string, error) { return []string{"s"}, nil },
		Now:     func() time.Time { return clock }, IDs: ids.Seeded(1, 2),
	}
}

func TestSendReportsEventsAndPrintsNothing(t *testing.T) {
	cat, _ := catalog.New()
	u, n := answers(t, 500, 200)
	plan, err := NewPlan(cat, spec(u, "connection.created"))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	sum, err := plan.Send(context.Background(), Options{
		Retry: true, RetryScale: 0.001,
		Sleep:   func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		Observe: func(e delivery.Event) { kinds = append(kinds, typeName(e)) },
	})
	if err != nil || !sum.OK() || sum.Attempts != 2 || n.Load() != 2 {
		t.Fatalf("sum %+v err %v requests %d", sum, err, n.Load())
	}
	want := "AttemptStarted AttemptDone RetryPlanned AttemptStarted AttemptDone Finished"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("events %s, want %s", got, want)
	}
}

func typeName(e delivery.Event) string {
	switch e.(type) {
	case delivery.AttemptStarted:
		return "AttemptStarted"
	case delivery.AttemptDone:
		return "AttemptDone"
	case delivery.RetryPlanned:
		return "RetryPlanned"
	case delivery.Finished:
		return "Finished"
	}
	return "other"
}

func TestPlanErrorsNameNoFlag(t *testing.T) {
	cat, _ := catalog.New()
	u, _ := url.Parse("http://localhost:1/")
	s := spec(u, "connection.created")
	s.Secrets = func(string) ([]string, error) { return nil, nil }
	var noSecret *NoSecretError
	if _, err := NewPlan(cat, s); !errors.As(err, &noSecret) || noSecret.Provider != "notify" {
		t.Errorf("no secret: %v", err)
	}
	s = spec(u, "message.received") // twilio: a form body
	op, _ := override.ParseSet("a=1")
	s.Edits = []override.Op{op}
	var notJSON *BodyNotJSONError
	_, err := NewPlan(cat, s)
	if !errors.As(err, &notJSON) || !errors.Is(err, override.ErrNotJSON) || strings.Contains(err.Error(), "--") {
		t.Errorf("not JSON: %v", err)
	}
}

func TestLoadSendsFreshRenders(t *testing.T) {
	cat, _ := catalog.New()
	u, n := answers(t, 200)
	plan, err := NewPlan(cat, spec(u, "message.created"))
	if err != nil {
		t.Fatal(err)
	}
	var started, stopped bool
	sum, err := plan.Load(context.Background(), 20, Options{Concurrency: 4, Observe: func(e delivery.Event) {
		switch e.(type) {
		case delivery.LoadStarted:
			started = true
		case delivery.LoadStopped:
			stopped = true
		}
	}})
	if err != nil || !sum.OK() || sum.Sent != 20 || n.Load() != 20 || !started || !stopped {
		t.Errorf("sum %+v err %v requests %d started %v stopped %v", sum, err, n.Load(), started, stopped)
	}
}

// Slack's url_verification goes through Verify like every challenge
// handshake: Handshake, Notion's token path, sends nothing for it.
func TestHandshakeSendsOnlyTokenHandshakes(t *testing.T) {
	cat, _ := catalog.New()
	u, n := answers(t, 200)
	res, err := Handshake(context.Background(), cat, HandshakeSpec{
		Provider: "slack", Target: u, Now: func() time.Time { return clock }, IDs: ids.Seeded(1, 2),
	}, Options{})
	if err == nil || res != nil || n.Load() != 0 {
		t.Fatalf("slack through the token path: %+v %v, %d requests", res, err, n.Load())
	}
	if want := "slack's url_verification is a challenge handshake: send it with Verify"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestHandshakeTokenFromTheCaller(t *testing.T) {
	cat, _ := catalog.New()
	u, _ := answers(t, 200)
	res, err := Handshake(context.Background(), cat, HandshakeSpec{
		Target: u, Now: func() time.Time { return clock }, IDs: ids.Seeded(1, 2),
		Token: "secret_mine",
	}, Options{})
	if err != nil || !res.OK || res.Token != "secret_mine" || res.SavedTo != "" || res.Provider.Name != "notion" {
		t.Errorf("%+v %v", res, err)
	}
}
