package trigger

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/mutate"
)

// A mutated run sends the mutation's requests, each once and labelled,
// with no retry even when asked.
func TestMutateSendsTheMutationsRequests(t *testing.T) {
	cat, _ := catalog.New()
	u, n := answers(t, 401)
	plan, err := NewPlan(cat, spec(u, "connection.created"))
	if err != nil {
		t.Fatal(err)
	}
	k, _ := mutate.Lookup(mutate.MalformedSignature)
	if err := plan.Mutate(k); err != nil {
		t.Fatal(err)
	}
	var events []string
	sum, err := plan.Send(context.Background(), Options{Retry: true, Observe: func(e delivery.Event) {
		if d, ok := e.(delivery.AttemptDone); ok {
			events = append(events, d.Result.Request.Event+" "+d.Result.Request.Header.Get("x-notify-signature"))
		}
	}})
	if err != nil || n.Load() != 4 || sum.OK() {
		t.Fatalf("sum %+v err %v requests %d", sum, err, n.Load())
	}
	want := "connection.created (malformed-signature: garbage) not-a-signature|connection.created (malformed-signature: empty) |" +
		"connection.created (malformed-signature: wrong prefix) sha256="
	if got := strings.Join(events, "|"); !strings.HasPrefix(got, want) || !strings.Contains(got, "(malformed-signature: truncated) ") {
		t.Errorf("sent %s", got)
	}
}

func TestMutateRefusesWhatDoesNotApply(t *testing.T) {
	cat, _ := catalog.New()
	u, n := answers(t, 200)
	plan, _ := NewPlan(cat, spec(u, "connection.created"))
	k, _ := mutate.Lookup(mutate.RotatedSecret)
	var na *NotApplicableError
	if err := plan.Mutate(k); !errors.As(err, &na) || err.Error() != "rotated-secret does not apply: notify's header carries one signature" {
		t.Fatalf("err = %v", err)
	}
	if n.Load() != 0 {
		t.Error("something was sent")
	}
}
