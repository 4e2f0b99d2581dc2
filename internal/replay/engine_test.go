package replay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
)

// endpoint verifies what it receives with the fixture's secrets at now.
type endpoint struct {
	*httptest.Server
	mu       sync.Mutex
	verdicts []string
	bodies   [][]byte
}

func newEndpoint(t *testing.T, now time.Time) *endpoint {
	cat, _ := catalog.New()
	e := &endpoint{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		verdict := "unsigned"
		if p := cat.Detect(r.Header); p != nil {
			res, err := p.Scheme.Verify(signer.VerifyInput{Header: r.Header, Body: bytes.NewReader(body), Secrets: []string{fixtureSecrets[p.Name]}, Now: now})
			verdict = "invalid"
			if err == nil && res.Valid {
				verdict = "valid"
			}
		}
		e.mu.Lock()
		e.verdicts, e.bodies = append(e.verdicts, verdict), append(e.bodies, body)
		e.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(e.Close)
	return e
}

func byID(t *testing.T, id string) *capture.Record {
	for _, rec := range readAll(t, fixture) {
		if rec.ID == id {
			return rec
		}
	}
	t.Fatalf("no %s", id)
	return nil
}

// One capture, the way hookctl inspect replays it: as captured (the old
// signature fails its time window), re-signed, and with an edited body.
func TestSendOneCapture(t *testing.T) {
	now := fixtureBase.Add(time.Hour)
	e := newEndpoint(t, now)
	cat, _ := catalog.New()
	target, _ := delivery.ParseTarget(e.URL)
	rec := byID(t, "cap_0002standard")
	secrets := func(p string) ([]string, error) { return []string{fixtureSecrets[p]}, nil }
	clock := func() time.Time { return now }

	asIs, err := New(Config{Catalog: cat, Target: target, Now: clock}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := asIs.Send(context.Background(), rec, nil); err != nil || res.Status != 200 {
		t.Fatalf("as captured: %+v %v", res, err)
	}
	if _, err := asIs.Send(context.Background(), rec, []byte("{}")); err == nil {
		t.Error("an edited body was sent without re-signing")
	}
	resign, err := New(Config{Catalog: cat, Target: target, Resign: true, Secrets: secrets, Now: clock, IDs: ids.Seeded(1, 2)}, map[string]int{rec.Provider: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range [][]byte{nil, []byte(`{"edited":true}`)} {
		if res, err := resign.Send(context.Background(), rec, body); err != nil || !res.OK {
			t.Fatalf("re-signed: %+v %v", res, err)
		}
	}
	if got := e.verdicts; len(got) != 3 || got[0] != "invalid" || got[1] != "valid" || got[2] != "valid" || string(e.bodies[2]) != `{"edited":true}` {
		t.Errorf("verdicts %v bodies %q", got, e.bodies)
	}
	if _, err := resign.Send(context.Background(), byID(t, "cap_0005toobig"), nil); !errors.As(err, new(*NotStoredError)) {
		t.Errorf("a capture without its body: %v", err)
	}
}

// New finds what would stop a re-signing run before anything is sent.
func TestNewChecksProvidersAndSecrets(t *testing.T) {
	cat, _ := catalog.New()
	none := func(string) ([]string, error) { return nil, nil }
	_, err := New(Config{Catalog: cat, Resign: true, Secrets: none}, map[string]int{"": 2})
	var np *NoProviderError
	if !errors.As(err, &np) || np.Captures != 2 || err.Error() != "2 selected captures have no provider (listen recognised no signature)" {
		t.Errorf("no provider: %v", err)
	}
	_, err = New(Config{Catalog: cat, Resign: true, Secrets: none}, map[string]int{"stripe": 1})
	var ns *NoSecretError
	if !errors.As(err, &ns) || ns.Provider != "stripe" {
		t.Errorf("no secret: %v", err)
	}
	if _, err := New(Config{Catalog: cat, Secrets: none}, map[string]int{"": 1}); err != nil {
		t.Errorf("as captured needs no secrets: %v", err)
	}
}
